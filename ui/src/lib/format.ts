// Numbers and dates as French (or English) readers write them: 4,6/5, 27/11/2026, 12 %.
import type { Language } from "./bindings";

const locale = (language: Language) => (language === "fr" ? "fr-FR" : "en-GB");

/** "4,6/5" — a rating out of 5 with one decimal. */
export function formatRating(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return "–";
  return `${value.toLocaleString(locale(language), { minimumFractionDigits: 1, maximumFractionDigits: 1 })}/5`;
}

/** "12 %" / "12%" — a percentage, rounded; with `decimals`, up to that many: "87,5 %". */
export function formatPercent(
  value: number | null | undefined,
  language: Language,
  decimals = 0,
): string {
  if (value === null || value === undefined) return "–";
  const n =
    decimals > 0
      ? value.toLocaleString(locale(language), { maximumFractionDigits: decimals })
      : Math.round(value).toLocaleString(locale(language));
  return language === "fr" ? `${n}\u202f%` : `${n}%`;
}

/** "+12 %" with its sign, for changes. */
export function formatChange(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return "–";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  return `${sign}${formatPercent(Math.abs(value), language)}`;
}

/** "27/11/2026" from an RFC 3339 instant or a YYYY-MM-DD day, in Paris time. */
export function formatDate(value: string | null | undefined, language: Language): string {
  if (!value) return "–";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return date.toLocaleDateString(locale(language), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "Europe/Paris",
  });
}

/** The Paris calendar day `days` before `now`'s, as `YYYY-MM-DD`. The platform counts its
 * days in Paris time (periods, months), whatever this computer's own zone. */
export function parisDay(days: number, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  // Moved by whole days at UTC noon: no zone or daylight saving change in between.
  const day = new Date(Date.UTC(part("year"), part("month") - 1, part("day") - days, 12));
  return day.toISOString().slice(0, 10);
}

/** "1 234" — a count. */
export function formatCount(value: number, language: Language): string {
  return value.toLocaleString(locale(language));
}

/** "nov. 2026" from "2026-11". */
export function formatMonth(month: string, language: Language): string {
  return new Date(`${month}-15T12:00:00Z`).toLocaleDateString(locale(language), {
    month: "short",
    year: "numeric",
  });
}

/** Characters of a text as the server counts them (Unicode code points: an emoji is one,
 * as an accented letter is), for the reply limit. */
export function characters(text: string): number {
  return [...text].length;
}

/** A countdown as people say it: "14 min 32 s", "15 min", "45 s" (the same in both languages). */
export function formatRemaining(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
