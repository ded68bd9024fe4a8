// The props that every view of a logged-in session receives from the one above it: the
// door to Rust, the words and language in use, and what to do when the server ended the
// session (revoked from another device, password changed, removed from the team): back to
// the login, saying why when the failure in hand tells.
import type { Backend } from "./backend";
import type { Abilities, Language, Role } from "./bindings";
import type { MessageKey, Translate } from "./i18n";

export interface SessionViewProps {
  backend: Backend;
  t: Translate;
  language: Language;
  onsessionended: (error?: unknown) => void;
}

/** Where a trust-index point is fixed in the app: the company's details, support, invitations. */
export type FixPlace = "details" | "support" | "invitations";

/** What a view offers when it is not told (a view shown on its own): everything. The
 * server refuses what a role may not do anyway, with a message that says so. */
export const EVERY_ABILITY: Abilities = {
  answer: true,
  invite_customers: true,
  edit_templates: true,
  edit_company: true,
  manage_team: true,
  contract: true,
};

/** What the logged-in space offers until the account (and so its role) is known: nothing
 * that changes anything — a control that would vanish once the role is read is never shown. */
export const NO_ABILITY: Abilities = {
  answer: false,
  invite_customers: false,
  edit_templates: false,
  edit_company: false,
  manage_team: false,
  contract: false,
};

/** A role in people's words (propriétaire, gestionnaire, lecture seule). */
export const ROLE_LABEL: Record<Role, MessageKey> = {
  owner: "roleOwner",
  manager: "roleManager",
  reader: "roleReader",
};

/** The roles in the order they are offered. */
export const ROLES: Role[] = ["owner", "manager", "reader"];
