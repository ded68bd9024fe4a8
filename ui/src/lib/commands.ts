// Generated from src-tauri/command_list.rs and the commands' signatures by
// src-tauri/tests/generated_ipc.rs. Do not edit: run
// `UPDATE_GENERATED=1 cargo test -p econfiance-desktop --test generated_ipc`.
import type { AlertSettings, AppInfo, AppPreferences, CacheCleared, ConnectionReport, Contract, CsvPreview, DashboardSnapshot, DeletionTerms, DemoBooked, DemoRequestBody, DemoSlots, Establishment, EstablishmentBody, InvitationPage, InvitationQuery, InvitationSummary, InvitationsSent, Language, LastKnownDashboard, LegalPage, LinkEvent, LinkSent, Me, Member, MemberInvitation, NewInvitation, NotificationChoice, OnboardingBody, PlatformStatus, QrFormat, ReplyTemplate, Review, ReviewLink, ReviewPage, ReviewQuery, Role, SessionInfo, SessionView, Suggestion, Summary, SupportDraft, SupportOutcome, SupportRequest, Team, TemplateBody, Theme, Ticket, TopicRule, TrustIndex, UnsentTicket, UpdateCheck } from "./bindings";

/** Sends one IPC command; every failure comes back as an ErrorBody. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The app's IPC commands, each a typed call over `invoke`. */
export function commandsOver(invoke: Invoke) {
  return {
    /** Version, language and server, for the UI at start. */
    appInfo: () => invoke<AppInfo>("app_info"),
    /** Switches the language and remembers the choice in the settings file. */
    setLanguage: (language: Language) => invoke<AppInfo>("set_language", { language }),
    /** Opens one of the platform's legal pages (the About box) in the default browser. The UI names a page, never a URL: the address is built here from the configured server, so this cannot open anything else. */
    openLegal: (page: LegalPage) => invoke<void>("open_legal", { page }),
    /** Asks the platform for a newer release; keeps it for [`install_update`]. */
    checkForUpdate: () => invoke<UpdateCheck>("check_for_update"),
    /** Downloads the release found by the last check, verifies its signature and installs it. Returns the installed version; the app runs the old one until restarted. */
    installUpdate: () => invoke<string>("install_update"),
    /** Restarts the app (after an update was installed). */
    restartApp: () => invoke<void>("restart_app"),
    /** The platform's status, fetched from the server. */
    platformStatus: () => invoke<PlatformStatus>("platform_status"),
    /** Deep-link events that arrived before the UI was listening; from now on they are emitted. */
    takePendingLinks: () => invoke<LinkEvent[]>("take_pending_links"),
    /** Sends a magic link to `email` (the request is kept in the keyring). */
    requestLoginLink: (email: string) => invoke<LinkSent>("request_login_link", { email }),
    /** Logs in with a code typed by hand (from the newest or an older mail). */
    submitLoginCode: (code: string) => invoke<SessionView>("submit_login_code", { code }),
    /** Logs in with e-mail and password. */
    passwordLogin: (email: string, password: string) => invoke<SessionView>("password_login", { email, password }),
    /** The session kept from a previous run, if it is still valid. */
    currentSession: () => invoke<SessionView | null>("current_session"),
    /** Logs out: revokes the session on the server and deletes the account's local traces. */
    logout: () => invoke<void>("logout"),
    /** Sends a password-reset link to `email` (bound to this app like a login). */
    requestPasswordReset: (email: string) => invoke<LinkSent>("request_password_reset", { email }),
    /** Sets the new password for the reset link the app received. Signs nobody in. */
    confirmPasswordReset: (password: string) => invoke<void>("confirm_password_reset", { password }),
    /** The free demo appointments. */
    demoSlots: () => invoke<DemoSlots>("demo_slots"),
    /** Books a demo ("Demander une démo"). */
    requestDemo: (request: DemoRequestBody) => invoke<DemoBooked>("request_demo", { request }),
    /** The account and company, as the server knows them. */
    me: () => invoke<Me>("me"),
    /** Sends the first-login form. */
    submitOnboarding: (form: OnboardingBody) => invoke<Me>("submit_onboarding", { form }),
    /** Changes the password; the account's other sessions end. */
    changePassword: (current: string | null, password: string) => invoke<void>("change_password", { current, password }),
    /** "Mes appareils": the account's sessions. */
    sessions: () => invoke<SessionInfo[]>("sessions"),
    /** Ends one session of the account (another device). */
    revokeSession: (id: string) => invoke<void>("revoke_session", { id }),
    /** Ends every other session of the account; returns how many ended. */
    revokeOtherSessions: () => invoke<number>("revoke_other_sessions"),
    /** The user agreed to switch to the account of the login link that arrived: logs the current account out, then completes that link. */
    confirmAccountSwitch: () => invoke<SessionView>("confirm_account_switch"),
    /** The user kept the current account: the waiting link is forgotten (it can be opened again from the e-mail while it is valid). */
    cancelAccountSwitch: () => invoke<void>("cancel_account_switch"),
    /** Runs the connection check. */
    connectionCheck: () => invoke<ConnectionReport>("connection_check"),
    /** Registers `econfiance://` for this app again, then checks again. */
    repairScheme: () => invoke<ConnectionReport>("repair_scheme"),
    /** "Vider le cache": WebKit's data (storage, HTTP cache, Cache API) cleared by WebKit and waited for, then the app's cache folder; the session too when `sign_out`. Returns what was freed; the UI reloads afterwards. */
    clearCache: (signOut: boolean) => invoke<CacheCleared>("clear_cache", { signOut }),
    /** The support form as it was left. */
    supportDraft: () => invoke<SupportDraft>("support_draft"),
    /** Keeps the support form as it is typed (in the app's folder, not the cache). */
    saveSupportDraft: (draft: SupportDraft) => invoke<void>("save_support_draft", { draft }),
    /** The diagnostics report that would be joined, redacted, for the user to read first. */
    diagnosticsReport: () => invoke<string>("diagnostics_report"),
    /** Sends a message to support. If the platform cannot be reached, the message is kept on this computer (and the draft cleared, since it is safe): nothing typed is lost. */
    sendSupport: (request: SupportRequest) => invoke<SupportOutcome>("send_support", { request }),
    /** Messages kept because they could not be sent. */
    unsentSupport: () => invoke<UnsentTicket[]>("unsent_support"),
    /** Sends the kept message `id` now; it stays kept if the platform still cannot be reached. */
    sendUnsentSupport: (id: string) => invoke<SupportOutcome>("send_unsent_support", { id }),
    /** Drops a kept message the user no longer wants to send. */
    forgetUnsentSupport: (id: string) => invoke<void>("forget_unsent_support", { id }),
    /** My tickets, their status and support's answers. */
    myTickets: () => invoke<Ticket[]>("my_tickets"),
    /** Adds a message to one of the user's open tickets; the ticket with its whole conversation. */
    sendTicketMessage: (reference: string, message: string) => invoke<Ticket>("send_ticket_message", { reference, message }),
    /** The company's contract (plan, commitment, end of the commitment period). */
    contract: () => invoke<Contract>("contract"),
    /** Asks support to delete the account (it is not self-service). */
    requestAccountDeletion: (reason: string | null) => invoke<DeletionTerms>("request_account_deletion", { reason }),
    /** Asks where to save everything the platform holds about me (the OS's dialog, run here), then saves it there; the bytes written, or nothing when the user cancelled. */
    exportMyData: () => invoke<number | null>("export_my_data"),
    /** The last-known dashboard of the logged-in account, if any. */
    dashboardSnapshot: () => invoke<DashboardSnapshot>("dashboard_snapshot"),
    /** Last time's dashboard of the session kept from a previous run, read on this computer alone (no network), painted at start while the session is checked; null if none. */
    lastKnownDashboard: () => invoke<LastKnownDashboard | null>("last_known_dashboard"),
    /** The figures of a period (default: the last 30 days), of one establishment or (null) all of them. */
    dashboardSummary: (from: string | null, to: string | null, establishment: string | null) => invoke<Summary>("dashboard_summary", { from, to, establishment }),
    /** The company's establishments (closed ones too), with their figures. */
    establishments: () => invoke<Establishment[]>("establishments"),
    /** Adds an establishment. */
    createEstablishment: (establishment: EstablishmentBody) => invoke<Establishment>("create_establishment", { establishment }),
    /** Renames an establishment, changes its address, closes or reopens it. */
    updateEstablishment: (id: string, establishment: EstablishmentBody) => invoke<Establishment>("update_establishment", { id, establishment }),
    /** The trust index. */
    trustIndex: () => invoke<TrustIndex>("trust_index"),
    /** A page of reviews. */
    listReviews: (query: ReviewQuery) => invoke<ReviewPage>("list_reviews", { query }),
    /** Publishes (or edits) the reply to review `id`; its draft goes once it is saved. */
    saveReply: (id: string, body: string) => invoke<Review>("save_reply", { id, body }),
    /** Deletes the reply to review `id`. */
    deleteReply: (id: string) => invoke<void>("delete_reply", { id }),
    /** Flags review `id` for the moderators. */
    flagReview: (id: string, reason: string) => invoke<void>("flag_review", { id, reason }),
    /** The draft of the reply to review `id`. */
    replyDraft: (id: string) => invoke<string>("reply_draft", { id }),
    /** Keeps the reply being typed for review `id`. */
    saveReplyDraft: (id: string, text: string) => invoke<void>("save_reply_draft", { id, text }),
    /** Asks where to save the CSV of the reviews matching `query` (the OS's dialog, run here), then saves it there; the bytes written, or nothing when the user cancelled. */
    exportReviews: (query: ReviewQuery) => invoke<number | null>("export_reviews", { query }),
    /** Asks where to save last month's report (figures, trust index, chart: a page to open in the browser, then print or save as PDF) of one establishment or (null) all those the person sees, then saves it there; the bytes written, or nothing when the user cancelled. */
    saveMonthlyReport: (establishment: string | null) => invoke<number | null>("save_monthly_report", { establishment }),
    /** Invites customers about an establishment (null: the main one): each is mailed a link to the review form (unless invited for the same order in the last 30 days, or unsubscribed). */
    inviteCustomers: (customers: NewInvitation[], establishment: string | null) => invoke<InvitationsSent>("invite_customers", { customers, establishment }),
    /** Asks which CSV of customers to read (the OS's dialog, run here), then has the platform check every line; nothing is sent. Null when the user cancelled. */
    checkCustomerFile: () => invoke<CsvPreview | null>("check_customer_file"),
    /** A page of the company's invitations, newest first. */
    listInvitations: (query: InvitationQuery) => invoke<InvitationPage>("list_invitations", { query }),
    /** The invitations of the last 30 days of one establishment (null: every one the member sees): opened, reviewed, refused, unsubscribed, the response rate. */
    invitationSummary: (establishment: string | null) => invoke<InvitationSummary>("invitation_summary", { establishment }),
    /** An establishment's shareable review link (null: the main one's), with its QR code (SVG). */
    reviewLink: (establishment: string | null) => invoke<ReviewLink>("review_link", { establishment }),
    /** Asks where to save an establishment's review link QR code (null: the main one's; the OS's dialog, run here), then saves it there; the bytes written, or nothing when the user cancelled. */
    saveReviewQr: (format: QrFormat, establishment: string | null) => invoke<number | null>("save_review_qr", { format, establishment }),
    /** The company's reply templates (the starters the first time). */
    replyTemplates: () => invoke<ReplyTemplate[]>("reply_templates"),
    /** Adds a reply template. */
    createReplyTemplate: (template: TemplateBody) => invoke<ReplyTemplate>("create_reply_template", { template }),
    /** Changes a reply template. */
    updateReplyTemplate: (id: string, template: TemplateBody) => invoke<ReplyTemplate>("update_reply_template", { id, template }),
    /** Deletes a reply template. */
    deleteReplyTemplate: (id: string) => invoke<void>("delete_reply_template", { id }),
    /** A template's text with its fields filled in for a review. */
    fillReplyTemplate: (template: ReplyTemplate, review: Review) => invoke<string>("fill_reply_template", { template, review }),
    /** The suggested reply to a review, drafted from the company's templates (null when none suits its rating). */
    suggestReply: (review: Review) => invoke<Suggestion | null>("suggest_reply", { review }),
    /** The words that make a review mention each topic of the suggested reply: the owner's, else the app's. */
    suggestionRules: () => invoke<TopicRule[]>("suggestion_rules"),
    /** Keeps the owner's words for the topics given (an empty list brings the app's words back); the rules now in force. */
    setSuggestionRules: (rules: TopicRule[]) => invoke<TopicRule[]>("set_suggestion_rules", { rules }),
    /** The company's members and the invitations still open. */
    teamMembers: () => invoke<Team>("team_members"),
    /** Invites a colleague by e-mail with a role and the establishments they will see (empty: all). */
    inviteMember: (email: string, role: Role, establishments: string[]) => invoke<MemberInvitation>("invite_member", { email, role, establishments }),
    /** Sends an open invitation again, for another week. */
    resendMemberInvitation: (id: string) => invoke<MemberInvitation>("resend_member_invitation", { id }),
    /** Withdraws an open invitation. */
    withdrawMemberInvitation: (id: string) => invoke<void>("withdraw_member_invitation", { id }),
    /** Changes a member's role and the establishments they see (empty: all). */
    changeMemberRole: (userId: string, role: Role, establishments: string[]) => invoke<Member>("change_member_role", { userId, role, establishments }),
    /** Removes a member: their sessions for this company end at once. */
    removeMember: (userId: string) => invoke<void>("remove_member", { userId }),
    /** Leaves the session's company; the session then acts for another of the person's companies (refused for their only one). */
    leaveCompany: () => invoke<Me>("leave_company"),
    /** Acts for another of the person's companies, without logging in again. */
    switchCompany: (companyId: string) => invoke<Me>("switch_company", { companyId }),
    /** The current preferences. */
    preferences: () => invoke<AppPreferences>("preferences"),
    /** Chooses which new reviews are notified. */
    setNotifications: (choice: NotificationChoice) => invoke<AppPreferences>("set_notifications", { choice }),
    /** Shows or removes the tray icon. */
    setTray: (enabled: boolean) => invoke<AppPreferences>("set_tray", { enabled }),
    /** Light, dark or the OS's colours: remembered, and given to the window itself (its title bar and native controls); the page applies its own palette from the answer. */
    setTheme: (theme: Theme) => invoke<AppPreferences>("set_theme", { theme }),
    /** Starts the app at login, or stops doing so. */
    setAutostart: (enabled: boolean) => invoke<AppPreferences>("set_autostart", { enabled }),
    /** The user's e-mail alerts, kept by the platform: a mail for each new review at or below a rating, and the weekly digest. */
    emailAlerts: () => invoke<AlertSettings>("email_alerts"),
    /** Changes the user's e-mail alerts. */
    setEmailAlerts: (alerts: AlertSettings) => invoke<AlertSettings>("set_email_alerts", { alerts }),
    /** One review (to open it from a notification). */
    getReview: (id: string) => invoke<Review>("get_review", { id }),
  };
}

/** The app's IPC commands, as the UI calls them. */
export type Commands = ReturnType<typeof commandsOver>;
