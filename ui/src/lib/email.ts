// E-mail validation as people type: plain rules, plain messages.
export type EmailCheck = "empty" | "invalid" | "valid";

const MAX_LENGTH = 254;
// One @, a non-empty local part, a domain with at least one dot, no spaces.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function checkEmail(raw: string): EmailCheck {
  const email = raw.trim();
  if (email === "") return "empty";
  if (email.length > MAX_LENGTH || !SHAPE.test(email)) return "invalid";
  return "valid";
}
