// Numbers and dates as French and English readers write them.
import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatCount,
  formatRemaining,
  formatDate,
  formatPercent,
  formatRating,
  characters,
  parisDay,
} from "./format";

describe("French formats", () => {
  it("writes ratings with a decimal comma", () => {
    expect(formatRating(4.6, "fr")).toBe("4,6/5");
    expect(formatRating(4, "fr")).toBe("4,0/5");
    expect(formatRating(4.6, "en")).toBe("4.6/5");
    expect(formatRating(null, "fr")).toBe("–");
  });
  it("writes dates day first, in Paris time", () => {
    expect(formatDate("2026-11-27", "fr")).toBe("27/11/2026");
    // 23:30 UTC on the 26th is already the 27th in Paris.
    expect(formatDate("2026-11-26T23:30:00Z", "fr")).toBe("27/11/2026");
  });
  it("writes percentages and changes with their sign", () => {
    expect(formatPercent(62.4, "fr")).toBe("62\u202f%");
    expect(formatPercent(62.4, "en")).toBe("62%");
    expect(formatPercent(87.5, "fr", 1)).toBe("87,5\u202f%");
    expect(formatPercent(87.5, "en", 1)).toBe("87.5%");
    expect(formatPercent(100, "fr", 1)).toBe("100\u202f%");
    expect(formatPercent(null, "fr", 1)).toBe("–");
    expect(formatChange(12, "fr")).toBe("+12\u202f%");
    expect(formatChange(-5, "en")).toBe("−5%");
  });
  it("groups thousands the French way", () => {
    expect(formatCount(100000, "fr").replace(/\s/g, " ")).toBe("100 000");
  });
  it("counts reply characters as the server does", () => {
    expect(characters("é")).toBe(1);
    expect(characters("🙂")).toBe(1);
    expect(characters("Merci 🙂")).toBe(7);
  });
});

describe("formatRemaining", () => {
  it("says minutes and seconds as people do", () => {
    expect(formatRemaining(872)).toBe("14 min 32 s");
    expect(formatRemaining(900)).toBe("15 min");
    expect(formatRemaining(45)).toBe("45 s");
    expect(formatRemaining(0)).toBe("0 s");
  });
});

describe("parisDay", () => {
  it("counts days on Paris's calendar, not the computer's", () => {
    // 23:30 UTC on 1 December is already 2 December in Paris (UTC+1 in winter).
    const lateEvening = new Date("2026-12-01T23:30:00Z");
    expect(parisDay(0, lateEvening)).toBe("2026-12-02");
    expect(parisDay(364, lateEvening)).toBe("2025-12-03");
    // 22:30 UTC in June is 00:30 the next day in Paris (UTC+2 in summer).
    expect(parisDay(0, new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(parisDay(0, new Date("2026-12-01T22:59:00Z"))).toBe("2026-12-01");
  });
  it("moves across months, years and the change of time", () => {
    const morning = new Date("2026-03-29T09:00:00Z");
    expect(parisDay(6, morning)).toBe("2026-03-23");
    expect(parisDay(0, new Date("2027-01-01T00:30:00Z"))).toBe("2027-01-01");
    expect(parisDay(1, new Date("2027-01-01T00:30:00Z"))).toBe("2026-12-31");
  });
});
