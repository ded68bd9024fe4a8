// Field rules the forms check as the user types, the same as the server's
// (crates/econfiance-server/src/validate.rs), which checks again and has the last word.

/** SIRET: 14 digits (spaces allowed) with a Luhn checksum; La Poste's establishments
 *  (SIREN 356 000 000) use a digit sum that is a multiple of 5 instead. */
export function isValidSiret(raw: string): boolean {
  const compact = raw.replace(/\s/g, "");
  if (!/^\d{14}$/.test(compact)) return false;
  const digits = [...compact].map(Number);
  if (compact.startsWith("356000000")) {
    return digits.reduce((a, b) => a + b, 0) % 5 === 0;
  }
  return luhn(digits);
}

export function luhn(digits: number[]): boolean {
  let sum = 0;
  digits
    .slice()
    .reverse()
    .forEach((d, i) => {
      if (i % 2 === 1) {
        const double = d * 2;
        sum += double > 9 ? double - 9 : double;
      } else {
        sum += d;
      }
    });
  return sum % 10 === 0;
}

/** A French postal code: 5 digits, department 01–95 or 97–98. */
export function isValidPostalCode(raw: string): boolean {
  const code = raw.trim();
  if (!/^\d{5}$/.test(code)) return false;
  const department = Number(code.slice(0, 2));
  return (department >= 1 && department <= 95) || department === 97 || department === 98;
}

/** A French phone number: 01 23 45 67 89, 0123456789, +33 1 23 45 67 89 or 0033…. */
export function isValidFrenchPhone(raw: string): boolean {
  const compact = raw.replace(/[ .-]/g, "");
  let national: string;
  if (compact.startsWith("+33")) national = compact.slice(3);
  else if (compact.startsWith("0033")) national = compact.slice(4);
  else if (compact.startsWith("0")) national = compact.slice(1);
  else return false;
  if (national.startsWith("0")) national = national.slice(1);
  return /^[1-9]\d{8}$/.test(national);
}

/** A website: a host name with a dot, with or without http(s)://. */
export function isValidWebsite(raw: string): boolean {
  const text = raw.trim();
  if (text === "" || /\s/.test(text)) return false;
  const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return (
      (url.protocol === "https:" || url.protocol === "http:") &&
      /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)
    );
  } catch {
    return false;
  }
}
