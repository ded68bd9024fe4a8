// checkEmail: which addresses the login form accepts.
import { describe, expect, it } from "vitest";
import { checkEmail } from "./email";

describe("checkEmail", () => {
  it("accepts ordinary business addresses, trimmed", () => {
    for (const email of ["marie@boulangerie-dupont.fr", " jean.martin+avis@sarl.co.uk "]) {
      expect(checkEmail(email)).toBe("valid");
    }
  });

  it("reports an empty field as empty, not invalid", () => {
    expect(checkEmail("")).toBe("empty");
    expect(checkEmail("   ")).toBe("empty");
  });

  it("refuses addresses people commonly mistype", () => {
    for (const email of [
      "marie",
      "marie@",
      "@boulangerie.fr",
      "marie@boulangerie",
      "marie@@boulangerie.fr",
      "marie dupont@boulangerie.fr",
      "marie@boulangerie..fr",
      "marie@.fr",
      `${"a".repeat(250)}@b.fr`,
    ]) {
      expect(checkEmail(email), email).toBe("invalid");
    }
  });
});
