// The translator: each key in French and in English, and the switch between the two.
import { describe, expect, it } from "vitest";
import { otherLanguage, translator } from "./i18n";

describe("translator", () => {
  it("speaks French and English with different words", () => {
    const fr = translator("fr");
    const en = translator("en");
    expect(fr("loginTitle")).toBe("Connexion à votre espace");
    expect(en("loginTitle")).toBe("Log in to your account");
  });

  it("switches between the two languages", () => {
    expect(otherLanguage("fr")).toBe("en");
    expect(otherLanguage("en")).toBe("fr");
  });
});
