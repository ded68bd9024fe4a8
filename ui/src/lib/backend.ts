// The UI's only door to the Rust side. Views receive a Backend, so they can also run in a
// plain browser against fixtures (tests, benchmarks) without Tauri.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AppInfo,
  DemoBooked,
  DemoRequestBody,
  DemoSlots,
  ErrorBody,
  Me,
  OnboardingBody,
  SessionInfo,
  Language,
  LinkEvent,
  LinkSent,
  PlatformStatus,
  SessionView,
} from "./bindings";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  setLanguage(language: Language): Promise<AppInfo>;
  platformStatus(): Promise<PlatformStatus>;
  /** Links that arrived before the UI listened; call after subscribing with onLink. */
  takePendingLinks(): Promise<LinkEvent[]>;
  onLink(handler: (event: LinkEvent) => void): Promise<() => void>;
  requestLoginLink(email: string): Promise<LinkSent>;
  submitLoginCode(code: string): Promise<SessionView>;
  passwordLogin(email: string, password: string): Promise<SessionView>;
  /** The session kept from the previous run, if still valid. */
  currentSession(): Promise<SessionView | null>;
  logout(): Promise<void>;
  requestPasswordReset(email: string): Promise<LinkSent>;
  /** Sets the new password for the reset link the app received (the token stays in Rust). */
  confirmPasswordReset(password: string): Promise<void>;
  demoSlots(): Promise<DemoSlots>;
  requestDemo(request: DemoRequestBody): Promise<DemoBooked>;
  /** The account and company as the server knows them. */
  me(): Promise<Me>;
  submitOnboarding(form: OnboardingBody): Promise<Me>;
  /** `current` is null when the account has no password yet. Other devices are logged out. */
  changePassword(current: string | null, password: string): Promise<void>;
  sessions(): Promise<SessionInfo[]>;
  revokeSession(id: string): Promise<void>;
  /** Logs out every other device; resolves to how many were. */
  revokeOtherSessions(): Promise<number>;
  /** Logs the current account out and completes the login link that was waiting. */
  confirmAccountSwitch(): Promise<SessionView>;
  cancelAccountSwitch(): Promise<void>;
}

/** The name of the event carrying a LinkEvent (econfiance_client::ipc::LINK_EVENT). */
export const LINK_EVENT = "deep-link";

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorBody).code === "string" &&
    typeof (value as ErrorBody).message === "string"
  );
}

/** Every failure of a command reaches views as an ErrorBody. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (isErrorBody(error)) throw error;
    const body: ErrorBody = {
      code: "ipc_failed",
      message:
        "L'application a rencontré une erreur interne. Redémarrez-la ; si cela continue, contactez le support.",
    };
    throw body;
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call<AppInfo>("app_info"),
  setLanguage: (language) => call<AppInfo>("set_language", { language }),
  platformStatus: () => call<PlatformStatus>("platform_status"),
  takePendingLinks: () => call<LinkEvent[]>("take_pending_links"),
  onLink: (handler) => listen<LinkEvent>(LINK_EVENT, (event) => handler(event.payload)),
  requestLoginLink: (email) => call<LinkSent>("request_login_link", { email }),
  submitLoginCode: (code) => call<SessionView>("submit_login_code", { code }),
  passwordLogin: (email, password) => call<SessionView>("password_login", { email, password }),
  currentSession: () => call<SessionView | null>("current_session"),
  logout: () => call<void>("logout"),
  requestPasswordReset: (email) => call<LinkSent>("request_password_reset", { email }),
  confirmPasswordReset: (password) => call<void>("confirm_password_reset", { password }),
  demoSlots: () => call<DemoSlots>("demo_slots"),
  requestDemo: (request) => call<DemoBooked>("request_demo", { request }),
  me: () => call<Me>("me"),
  submitOnboarding: (form) => call<Me>("submit_onboarding", { form }),
  changePassword: (current, password) => call<void>("change_password", { current, password }),
  sessions: () => call<SessionInfo[]>("sessions"),
  revokeSession: (id) => call<void>("revoke_session", { id }),
  revokeOtherSessions: () => call<number>("revoke_other_sessions"),
  confirmAccountSwitch: () => call<SessionView>("confirm_account_switch"),
  cancelAccountSwitch: () => call<void>("cancel_account_switch"),
};

/** The message of a failure, whatever was thrown. */
export function messageOf(error: unknown): string {
  return isErrorBody(error) ? error.message : String(error);
}

/** Whether a failure means the session ended on the server (revoked, expired). */
export function isSessionEnded(error: unknown): boolean {
  return isErrorBody(error) && (error.code === "session_ended" || error.code === "not_logged_in");
}
