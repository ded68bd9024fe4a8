// The onboarding form's rules: SIRET, postal code, French phone numbers, websites.
import { describe, expect, it } from "vitest";
import { isValidFrenchPhone, isValidPostalCode, isValidSiret, isValidWebsite } from "./validate";

describe("SIRET", () => {
  it("accepts real SIRET numbers, with or without spaces", () => {
    expect(isValidSiret("73282932000074")).toBe(true);
    expect(isValidSiret("732 829 320 00074")).toBe(true);
  });
  it("refuses a wrong check digit, a wrong length and letters", () => {
    expect(isValidSiret("73282932000075")).toBe(false);
    expect(isValidSiret("7328293200007")).toBe(false);
    expect(isValidSiret("7328293200007A")).toBe(false);
    expect(isValidSiret("")).toBe(false);
  });
  it("uses La Poste's rule for SIREN 356 000 000", () => {
    expect(isValidSiret("35600000000001")).toBe(true);
    expect(isValidSiret("35600000000002")).toBe(false);
  });
});

describe("postal code", () => {
  it("accepts mainland and overseas codes", () => {
    expect(isValidPostalCode("75001")).toBe(true);
    expect(isValidPostalCode("97400")).toBe(true);
  });
  it("refuses other shapes", () => {
    expect(isValidPostalCode("7500")).toBe(false);
    expect(isValidPostalCode("00100")).toBe(false);
    expect(isValidPostalCode("96000")).toBe(false);
    expect(isValidPostalCode("7500A")).toBe(false);
  });
});

describe("phone", () => {
  it("accepts the usual French ways of writing a number", () => {
    for (const n of [
      "01 23 45 67 89",
      "0123456789",
      "+33 1 23 45 67 89",
      "0033123456789",
      "06.12.34.56.78",
    ]) {
      expect(isValidFrenchPhone(n), n).toBe(true);
    }
  });
  it("refuses short, foreign-looking or lettered numbers", () => {
    for (const n of ["0123", "+44 20 7946 0958", "01 23 45 67 8A", "123456789"]) {
      expect(isValidFrenchPhone(n), n).toBe(false);
    }
  });
});

describe("website", () => {
  it("accepts a host with or without scheme", () => {
    expect(isValidWebsite("www.boulangerie-exemple.fr")).toBe(true);
    expect(isValidWebsite("https://boulangerie-exemple.fr/contact")).toBe(true);
  });
  it("refuses text that is not an address", () => {
    expect(isValidWebsite("boulangerie")).toBe(false);
    expect(isValidWebsite("ma boulangerie.fr")).toBe(false);
    expect(isValidWebsite("javascript:alert(1)")).toBe(false);
  });
});
