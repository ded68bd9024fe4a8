// The props that every view of a logged-in session receives from the one above it: the
// door to Rust, the words and language in use, and what to do when the server ended the
// session (revoked from another device, password changed): back to the login.
import type { Backend } from "./backend";
import type { Language } from "./bindings";
import type { Translate } from "./i18n";

export interface SessionViewProps {
  backend: Backend;
  t: Translate;
  language: Language;
  onsessionended: () => void;
}

/** Where a trust-index point is fixed in the app: the company's details, support, invitations. */
export type FixPlace = "details" | "support" | "invitations";
