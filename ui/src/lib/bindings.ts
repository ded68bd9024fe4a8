// Generated from the Rust IPC types by crates/econfiance-client/tests/bindings.rs.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p econfiance-client --test bindings`.

export type ErrorBody = { 
/**
 * Stable, snake_case, matched by programs (e.g. `link_not_requested_here`).
 */
code: string, 
/**
 * What happened and what to do, in the user's language.
 */
message: string, };

export type PlatformState = "operational" | "degraded" | "outage";

export type PlatformStatus = { 
/**
 * Overall state.
 */
state: PlatformState, 
/**
 * The incident, in French, when there is one.
 */
message_fr: string | null, 
/**
 * The incident, in English, when there is one.
 */
message_en: string | null, 
/**
 * When the status was last set (RFC 3339, UTC).
 */
updated_at: string, };

export type Language = "fr" | "en";

export type AppInfo = { 
/**
 * The app's version (`Cargo.toml`).
 */
version: string, 
/**
 * The language in use: the saved choice, else the OS locale's.
 */
language: Language, 
/**
 * The platform server the app talks to (shown in the help, never secret).
 */
server_url: string, };

export type KeyringMode = "keyring" | "memory_only";

export type SessionView = { 
/**
 * The account's e-mail.
 */
email: string, 
/**
 * Where the session is kept.
 */
keyring: KeyringMode, };

export type LinkSent = { 
/**
 * The address it was sent to.
 */
email: string, 
/**
 * Seconds until the link and its code expire (a small number: JSON number in TS).
 */
expires_in: number, };

export type LinkEvent = { "type": "accepted", 
/**
 * The request it answers.
 */
request_id: string, } | { "type": "signed_in", 
/**
 * The new session.
 */
session: SessionView, } | { "type": "reset_requested", 
/**
 * The account whose password is being reset.
 */
email: string, } | { "type": "rejected", 
/**
 * Why, for people.
 */
error: ErrorBody, };
