// The UI's only door to the Rust side. Views receive a Backend, so they can also run in a
// plain browser against fixtures (tests, benchmarks) without Tauri.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { save } from "@tauri-apps/plugin-dialog";
import type {
  AppInfo,
  LegalPage,
  UpdateCheck,
  Theme,
  AppPreferences,
  NotificationChoice,
  DashboardSnapshot,
  Review,
  ReviewPage,
  ReviewQuery,
  Summary,
  TrustIndex,
  CacheCleared,
  ConnectionReport,
  Contract,
  DeletionTerms,
  SupportDraft,
  SupportOutcome,
  SupportRequest,
  Ticket,
  UnsentTicket,
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
  /** Opens one of the platform's legal pages in the browser. */
  openLegal(page: LegalPage): Promise<void>;
  /** Asks the platform for a newer release of the app. */
  checkForUpdate(): Promise<UpdateCheck>;
  /** Downloads, verifies and installs the release found by the last check; its version. */
  installUpdate(): Promise<string>;
  /** Restarts the app (after an update). */
  restartApp(): Promise<void>;
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
  connectionCheck(): Promise<ConnectionReport>;
  /** Associates econfiance:// with this app again, then checks again. */
  repairScheme(): Promise<ConnectionReport>;
  /** Clears the webview's data and the cache folder (and signs out if asked). */
  clearCache(signOut: boolean): Promise<CacheCleared>;
  supportDraft(): Promise<SupportDraft>;
  saveSupportDraft(draft: SupportDraft): Promise<void>;
  /** The redacted report that would be joined to a support message. */
  diagnosticsReport(): Promise<string>;
  sendSupport(request: SupportRequest): Promise<SupportOutcome>;
  unsentSupport(): Promise<UnsentTicket[]>;
  sendUnsentSupport(id: string): Promise<SupportOutcome>;
  forgetUnsentSupport(id: string): Promise<void>;
  myTickets(): Promise<Ticket[]>;
  contract(): Promise<Contract>;
  requestAccountDeletion(reason: string | null): Promise<DeletionTerms>;
  /** Asks where to save (OS dialog), then saves the export there; null if cancelled. */
  exportMyData(): Promise<number | null>;
  /** Reloads the window (after clearing the cache). */
  reload(): void;
  /** What the dashboard showed last time (shown at once while fresh figures load). */
  dashboardSnapshot(): Promise<DashboardSnapshot>;
  dashboardSummary(from: string | null, to: string | null): Promise<Summary>;
  trustIndex(): Promise<TrustIndex>;
  listReviews(query: ReviewQuery): Promise<ReviewPage>;
  saveReply(id: string, body: string): Promise<Review>;
  deleteReply(id: string): Promise<void>;
  flagReview(id: string, reason: string): Promise<void>;
  replyDraft(id: string): Promise<string>;
  saveReplyDraft(id: string, text: string): Promise<void>;
  /** Asks where to save (OS dialog), then saves the CSV there; null if cancelled. */
  exportReviews(query: ReviewQuery): Promise<number | null>;
  getReview(id: string): Promise<Review>;
  /** A notification was clicked: open this review. */
  onOpenReview(handler: (id: string) => void): Promise<() => void>;
  preferences(): Promise<AppPreferences>;
  setNotifications(choice: NotificationChoice): Promise<AppPreferences>;
  setTray(enabled: boolean): Promise<AppPreferences>;
  setTheme(theme: Theme): Promise<AppPreferences>;
  setAutostart(enabled: boolean): Promise<AppPreferences>;
}

/** The name of the event carrying a review id to open (econfiance_client::ipc::OPEN_REVIEW_EVENT). */
export const OPEN_REVIEW_EVENT = "open-review";

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
  openLegal: (page) => call<void>("open_legal", { page }),
  checkForUpdate: () => call<UpdateCheck>("check_for_update"),
  installUpdate: () => call<string>("install_update"),
  restartApp: () => call<void>("restart_app"),
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
  connectionCheck: () => call<ConnectionReport>("connection_check"),
  repairScheme: () => call<ConnectionReport>("repair_scheme"),
  clearCache: (signOut) => call<CacheCleared>("clear_cache", { signOut }),
  supportDraft: () => call<SupportDraft>("support_draft"),
  saveSupportDraft: (draft) => call<void>("save_support_draft", { draft }),
  diagnosticsReport: () => call<string>("diagnostics_report"),
  sendSupport: (request) => call<SupportOutcome>("send_support", { request }),
  unsentSupport: () => call<UnsentTicket[]>("unsent_support"),
  sendUnsentSupport: (id) => call<SupportOutcome>("send_unsent_support", { id }),
  forgetUnsentSupport: (id) => call<void>("forget_unsent_support", { id }),
  myTickets: () => call<Ticket[]>("my_tickets"),
  contract: () => call<Contract>("contract"),
  requestAccountDeletion: (reason) => call<DeletionTerms>("request_account_deletion", { reason }),
  exportMyData: async () => {
    const path = await save({
      defaultPath: "mes-donnees-e-confiance.json",
      filters: [{ name: "JSON", extensions: ["json"] }],
    });
    if (path === null) return null;
    return call<number>("export_my_data", { path });
  },
  reload: () => window.location.reload(),
  dashboardSnapshot: () => call<DashboardSnapshot>("dashboard_snapshot"),
  dashboardSummary: (from, to) => call<Summary>("dashboard_summary", { from, to }),
  trustIndex: () => call<TrustIndex>("trust_index"),
  listReviews: (query) => call<ReviewPage>("list_reviews", { query }),
  saveReply: (id, body) => call<Review>("save_reply", { id, body }),
  deleteReply: (id) => call<void>("delete_reply", { id }),
  flagReview: (id, reason) => call<void>("flag_review", { id, reason }),
  replyDraft: (id) => call<string>("reply_draft", { id }),
  saveReplyDraft: (id, text) => call<void>("save_reply_draft", { id, text }),
  exportReviews: async (query) => {
    const path = await save({
      defaultPath: "avis-e-confiance.csv",
      filters: [{ name: "CSV", extensions: ["csv"] }],
    });
    if (path === null) return null;
    return call<number>("export_reviews", { query, path });
  },
  getReview: (id) => call<Review>("get_review", { id }),
  onOpenReview: (handler) => listen<string>(OPEN_REVIEW_EVENT, (event) => handler(event.payload)),
  preferences: () => call<AppPreferences>("preferences"),
  setNotifications: (choice) => call<AppPreferences>("set_notifications", { choice }),
  setTray: (enabled) => call<AppPreferences>("set_tray", { enabled }),
  setTheme: (theme) => call<AppPreferences>("set_theme", { theme }),
  setAutostart: (enabled) => call<AppPreferences>("set_autostart", { enabled }),
};

/** The message of a failure, whatever was thrown. */
export function messageOf(error: unknown): string {
  return isErrorBody(error) ? error.message : String(error);
}

/** Whether a failure means the session ended on the server (revoked, expired). */
export function isSessionEnded(error: unknown): boolean {
  return isErrorBody(error) && (error.code === "session_ended" || error.code === "not_logged_in");
}
