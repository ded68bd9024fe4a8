//! [`Desktop`]: what the app's commands share — the API client (or why it could not be
//! built), the folders, the language, the link inbox and the session (made on first use) —
//! with each operation the UI asks for answering `{code, message}` in the user's language.
//! The Tauri shell holds one and maps each command to one call here.

use std::sync::{Arc, OnceLock};

use econfiance_api::account::{DeletionRequestBody, DemoRequestBody};
use econfiance_api::auth::{DeviceInfo, RequestCreated};
use econfiance_api::invitations::{CsvPreview, MAX_CSV_BYTES};
use econfiance_api::reviews::{Review, ReviewQuery, Summary, TrustIndex};
use econfiance_api::{ErrorBody, Secret};

use crate::api::invitations::QrFormat;
use crate::api::{self, Call};
use crate::cache::{self, Moment};
use crate::diagnose::{self, ConnectionReport};
use crate::drafts::ReplyDrafts;
use crate::ipc::{
    CacheCleared, DashboardSnapshot, LastKnownDashboard, LinkEvent, LinkSent, SessionView,
    SupportOutcome,
};
use crate::language::LanguageSetting;
use crate::links::{self, LinkInbox};
use crate::platform::{HandlerVerdict, Os};
use crate::session::SessionManager;
use crate::storage::{write_atomically, AppDirs, Settings};
use crate::support::{SupportDraft, SupportFiles, SupportRequest, UnsentTicket};
use crate::vault::{self, OsKeyring, Vault, KEYRING_SERVICE};
use crate::{ApiClient, ClientError, Language};

/// Opens the vault the session keeps its secrets in (the OS keyring in the app; memory in
/// tests). Called once, on first use: probing the keyring takes D-Bus round trips that
/// must not hold up the window.
pub type VaultOpener = Box<dyn Fn() -> Vault + Send + Sync>;

/// How this computer introduces itself to the platform (landing page, "Mes appareils"):
/// its name (at most 100 characters, "Ordinateur" when it has none), its OS, this version.
pub fn this_device(hostname: &str, os: Os) -> DeviceInfo {
    let name: String = hostname.chars().take(100).collect();
    DeviceInfo {
        name: if name.trim().is_empty() {
            "Ordinateur".to_owned()
        } else {
            name
        },
        os: match os {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
            Os::MacOs => "macOS",
        }
        .to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// A file the app saves where the user chooses (the OS's save dialog, run from Rust: the
/// webview never names a path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveDialog {
    /// The CSV of the reviews.
    Reviews,
    /// Everything the platform holds about the account (JSON).
    MyData,
    /// The review link's QR code, as an image.
    QrPng,
    /// The review link's QR code, as a drawing.
    QrSvg,
    /// The monthly report, a page to print or save as PDF.
    MonthlyReport,
}

impl SaveDialog {
    /// The dialog's title.
    pub fn title(self, lang: Language) -> &'static str {
        match self {
            SaveDialog::Reviews => {
                lang.pick("Enregistrer les avis (CSV)", "Save the reviews (CSV)")
            }
            SaveDialog::MyData => lang.pick("Enregistrer mes données", "Save my data"),
            SaveDialog::QrPng | SaveDialog::QrSvg => {
                lang.pick("Enregistrer le QR code", "Save the QR code")
            }
            SaveDialog::MonthlyReport => {
                lang.pick("Enregistrer le rapport mensuel", "Save the monthly report")
            }
        }
    }

    /// The name the dialog proposes.
    pub fn file_name(self, lang: Language) -> &'static str {
        match self {
            SaveDialog::Reviews => lang.pick("avis-e-confiance.csv", "e-confiance-reviews.csv"),
            SaveDialog::MyData => {
                lang.pick("mes-donnees-e-confiance.json", "my-e-confiance-data.json")
            }
            SaveDialog::QrPng => lang.pick("qr-avis-e-confiance.png", "e-confiance-review-qr.png"),
            SaveDialog::QrSvg => lang.pick("qr-avis-e-confiance.svg", "e-confiance-review-qr.svg"),
            SaveDialog::MonthlyReport => lang.pick(
                "rapport-mensuel-e-confiance.html",
                "e-confiance-monthly-report.html",
            ),
        }
    }

    /// The file type offered: its name and extensions.
    pub fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            SaveDialog::Reviews => ("CSV", &["csv"]),
            SaveDialog::MyData => ("JSON", &["json"]),
            SaveDialog::QrPng => ("PNG", &["png"]),
            SaveDialog::QrSvg => ("SVG", &["svg"]),
            SaveDialog::MonthlyReport => ("HTML", &["html"]),
        }
    }
}

/// Everything the desktop app's commands share.
pub struct Desktop {
    /// The API client, or why it could not be built (shown to the user, not fatal).
    pub api: Result<ApiClient, ClientError>,
    /// The app's folders.
    pub dirs: AppDirs,
    /// Deep-link events waiting for the UI.
    pub inbox: LinkInbox,
    language: LanguageSetting,
    device: DeviceInfo,
    open_vault: VaultOpener,
    session: OnceLock<Option<Arc<SessionManager>>>,
    /// Bumped at each switch of company: the feed's position, kept per company, starts
    /// again (the feed's positions of two companies do not compare).
    company_switches: std::sync::atomic::AtomicU64,
}

impl Desktop {
    /// How many times the session switched company (the feed follower's key).
    pub fn company_switches(&self) -> u64 {
        self.company_switches
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The app's parts, speaking `language`.
    pub fn new(
        api: Result<ApiClient, ClientError>,
        dirs: AppDirs,
        language: Language,
        device: DeviceInfo,
        open_vault: VaultOpener,
    ) -> Self {
        let setting = LanguageSetting::default();
        setting.set(language);
        let api = api.map(|api| api.sharing_language(setting.clone()));
        Self {
            api,
            dirs,
            inbox: LinkInbox::default(),
            language: setting,
            device,
            open_vault,
            session: OnceLock::new(),
            company_switches: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The language in use.
    pub fn language(&self) -> Language {
        self.language.get()
    }

    /// Speaks `language` from now on, and remembers the choice in the settings file.
    pub fn set_language(&self, language: Language) -> Result<(), ErrorBody> {
        self.language.set(language);
        let file = self.dirs.settings_file();
        let mut settings = Settings::load(&file);
        settings.language = Some(language);
        settings.save(&file).map_err(|e| {
            tracing::warn!(error = %e, "language not saved");
            self.fail(e)
        })
    }

    /// A failure, told in the user's language.
    pub fn fail(&self, error: impl Into<ClientError>) -> ErrorBody {
        error.into().to_body(self.language())
    }

    /// The API client, or why there is none.
    pub fn api(&self) -> Result<&ApiClient, ErrorBody> {
        self.api.as_ref().map_err(|e| e.to_body(self.language()))
    }

    /// The login flows and session, made on first use (the vault's keyring probe).
    pub fn session(&self) -> Option<Arc<SessionManager>> {
        self.session
            .get_or_init(|| {
                self.api.as_ref().ok().map(|api| {
                    Arc::new(
                        SessionManager::new(api.clone(), (self.open_vault)(), self.device.clone())
                            .with_account_files(self.dirs.clone()),
                    )
                })
            })
            .clone()
    }

    /// The session manager, or the configuration error that prevents it.
    pub fn manager(&self) -> Result<Arc<SessionManager>, ErrorBody> {
        match (self.session(), &self.api) {
            (Some(manager), _) => Ok(manager),
            (None, Err(e)) => Err(e.to_body(self.language())),
            (None, Ok(_)) => Err(self.fail(ClientError::NotLoggedIn)),
        }
    }

    /// Sends a call that needs no session.
    pub async fn public<T>(&self, call: Call<T>) -> Result<T, ErrorBody> {
        self.api()?.send(&call).await.map_err(|e| self.fail(e))
    }

    /// Sends a call on behalf of the logged-in account (its token renewed when needed).
    pub async fn call<T>(&self, call: Call<T>) -> Result<T, ErrorBody> {
        self.manager()?.call(call).await.map_err(|e| self.fail(e))
    }

    /// What a link the OS delivered does (decided by the session manager), for the UI.
    pub async fn receive_link(&self, raw: &[u8]) -> LinkEvent {
        match self.session() {
            Some(manager) => manager.receive_link(raw).await,
            // No usable server configuration: nothing can be pending.
            None => links::handle_link(raw, |_| false, self.language()),
        }
    }

    // --- Logging in and out -------------------------------------------------------------

    /// Sends a magic link to `email` (the request is kept in the vault).
    pub async fn request_login_link(&self, email: &str) -> Result<LinkSent, ErrorBody> {
        let created = self.manager()?.request_login_link(email).await;
        self.link_sent(email, created)
    }

    /// Sends a password-reset link to `email` (bound to this app like a login).
    pub async fn request_password_reset(&self, email: &str) -> Result<LinkSent, ErrorBody> {
        let created = self.manager()?.request_password_reset(email).await;
        self.link_sent(email, created)
    }

    fn link_sent(
        &self,
        email: &str,
        created: Result<RequestCreated, ClientError>,
    ) -> Result<LinkSent, ErrorBody> {
        let created = created.map_err(|e| self.fail(e))?;
        Ok(LinkSent {
            email: email.trim().to_owned(),
            expires_in: created.expires_in,
            resend_after: created.resend_after,
        })
    }

    /// Logs in with a code typed by hand (from the newest or an older mail).
    pub async fn submit_login_code(&self, code: &str) -> Result<SessionView, ErrorBody> {
        let manager = self.manager()?;
        let signed_in = manager.complete_with_typed_code(code).await;
        self.view(&manager, signed_in)
    }

    /// Logs in with e-mail and password.
    pub async fn password_login(
        &self,
        email: &str,
        password: Secret<String>,
    ) -> Result<SessionView, ErrorBody> {
        let manager = self.manager()?;
        let signed_in = manager.login_with_password(email, password).await;
        self.view(&manager, signed_in)
    }

    /// The session kept from a previous run, if it is still valid.
    pub async fn current_session(&self) -> Result<Option<SessionView>, ErrorBody> {
        let manager = self.manager()?;
        let restored = manager.restore().await.map_err(|e| self.fail(e))?;
        Ok(restored.map(|s| manager.view(&s)))
    }

    /// The user agreed to switch to the account of the login link that arrived.
    pub async fn confirm_account_switch(&self) -> Result<SessionView, ErrorBody> {
        let manager = self.manager()?;
        let signed_in = manager.confirm_switch().await;
        self.view(&manager, signed_in)
    }

    fn view(
        &self,
        manager: &SessionManager,
        signed_in: Result<crate::session::SignedIn, ClientError>,
    ) -> Result<SessionView, ErrorBody> {
        Ok(manager.view(&signed_in.map_err(|e| self.fail(e))?))
    }

    /// Logs out: the session ends on the server and every local trace of the account goes.
    pub async fn logout(&self) -> Result<(), ErrorBody> {
        self.manager()?.logout().await.map_err(|e| self.fail(e))
    }

    /// Sets the new password for the reset link the app received. Signs nobody in.
    pub async fn confirm_password_reset(&self, password: Secret<String>) -> Result<(), ErrorBody> {
        self.manager()?
            .confirm_reset(password)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Changes the password; the account's other sessions end.
    pub async fn change_password(
        &self,
        current: Option<Secret<String>>,
        password: Secret<String>,
    ) -> Result<(), ErrorBody> {
        self.manager()?
            .change_password(current, password)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Ends every other session of the account; how many ended.
    pub async fn revoke_other_sessions(&self) -> Result<usize, ErrorBody> {
        self.manager()?
            .revoke_other_sessions()
            .await
            .map_err(|e| self.fail(e))
    }

    /// Books a demo, in the language in use.
    pub async fn request_demo(
        &self,
        request: DemoRequestBody,
    ) -> Result<econfiance_api::account::DemoBooked, ErrorBody> {
        let request = DemoRequestBody {
            locale: Some(self.language().pick("fr", "en").to_owned()),
            ..request
        };
        self.public(api::account::demo_request(&request)).await
    }

    // --- The dashboard ------------------------------------------------------------------

    async fn snapshot_file(&self) -> Option<std::path::PathBuf> {
        let user = self.session()?.signed_in().await?.user_id;
        Some(self.dirs.dashboard_snapshot(&user))
    }

    /// What the dashboard of the logged-in account showed last time (empty if nothing).
    pub async fn dashboard_snapshot(&self) -> DashboardSnapshot {
        let Some(path) = self.snapshot_file().await else {
            return DashboardSnapshot::default();
        };
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Last time's dashboard of the session kept from a previous run, read on this computer
    /// alone (the keyring and the cache folder; no network), for the first frame at start.
    /// None without a stored session or without figures kept for it.
    pub fn last_known_dashboard(&self) -> Option<LastKnownDashboard> {
        let manager = self.session()?;
        let signed_in = manager.last_known().ok().flatten()?;
        let bytes = std::fs::read(self.dirs.dashboard_snapshot(&signed_in.user_id)).ok()?;
        let snapshot: DashboardSnapshot = serde_json::from_slice(&bytes).ok()?;
        snapshot.summary.as_ref()?;
        Some(LastKnownDashboard {
            session: manager.view(&signed_in),
            snapshot,
        })
    }

    async fn update_snapshot(&self, change: impl FnOnce(&mut DashboardSnapshot)) {
        let Some(path) = self.snapshot_file().await else {
            return;
        };
        let mut snapshot = self.dashboard_snapshot().await;
        change(&mut snapshot);
        if let Ok(bytes) = serde_json::to_vec(&snapshot) {
            // A snapshot that cannot be written only costs a slower next start.
            if let Err(e) = write_atomically(&path, &bytes) {
                tracing::warn!(error = %e, "dashboard snapshot not saved");
            }
        }
    }

    /// The figures of a period (default: the last 30 days, kept for the next start).
    pub async fn dashboard_summary(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        establishment: Option<&str>,
    ) -> Result<Summary, ErrorBody> {
        let summary = self
            .call(api::reviews::summary_of(from, to, establishment))
            .await?;
        // The figures kept for the next start are those of every establishment.
        if from.is_none() && to.is_none() && establishment.is_none() {
            let kept = summary.clone();
            self.update_snapshot(|s| s.summary = Some(kept)).await;
        }
        Ok(summary)
    }

    /// The account and company, as the server knows them (the company's name kept for the
    /// next start's first frame).
    pub async fn me(&self) -> Result<econfiance_api::account::Me, ErrorBody> {
        let me = self.call(api::account::me()).await?;
        let name = me.company.legal_name.clone();
        if self.dashboard_snapshot().await.company_name.as_ref() != Some(&name) {
            self.update_snapshot(|s| s.company_name = Some(name)).await;
        }
        Ok(me)
    }

    /// The trust index (kept for the next start).
    pub async fn trust_index(&self) -> Result<TrustIndex, ErrorBody> {
        let trust = self.call(api::reviews::trust_index()).await?;
        let kept = trust.clone();
        self.update_snapshot(|s| s.trust = Some(kept)).await;
        Ok(trust)
    }

    /// Publishes (or edits) the reply to review `id`; its draft goes once it is saved.
    pub async fn save_reply(&self, id: &str, body: &str) -> Result<Review, ErrorBody> {
        let drafts = ReplyDrafts::new(&self.dirs);
        // The text goes on disk before it leaves, so that a failed send loses nothing. A
        // disk that cannot take it (full, read-only) must not stop the send: the text is
        // still in the window, which says so (the draft's own save failed the same way).
        if let Err(e) = drafts.set(id, body) {
            tracing::warn!(error = %e, "reply draft not saved before sending");
        }
        let review = self.call(api::reviews::put_reply(id, body)).await?;
        // Published: the draft is done with. Failing to remove it must not turn a
        // published reply into an error.
        if let Err(e) = drafts.set(id, "") {
            tracing::warn!(error = %e, "sent reply's draft not removed");
        }
        Ok(review)
    }

    /// Sends the first-login form, or a later edit of the same details; the company's
    /// name is kept for the next start and for replies' `{entreprise}`.
    pub async fn submit_onboarding(
        &self,
        form: &econfiance_api::account::OnboardingBody,
    ) -> Result<econfiance_api::account::Me, ErrorBody> {
        let me = self.call(api::account::onboarding(form)).await?;
        let name = me.company.legal_name.clone();
        self.update_snapshot(|s| s.company_name = Some(name)).await;
        Ok(me)
    }

    /// Acts for another of the person's companies in this session (no new login): the
    /// figures kept from the company left are dropped, so that none shows under the other
    /// company's name; reply drafts stay (each belongs to its review).
    pub async fn switch_company(
        &self,
        company_id: &str,
    ) -> Result<econfiance_api::account::Me, ErrorBody> {
        let body = econfiance_api::team::SwitchCompanyBody {
            company_id: company_id.to_owned(),
        };
        let me = self.call(api::team::switch_company(&body)).await?;
        self.now_acting_for(&me).await;
        Ok(me)
    }

    /// Leaves the session's company (a team joined without wanting to, or left since): the
    /// session then acts for another of the person's companies, as after a switch.
    pub async fn leave_company(&self) -> Result<econfiance_api::account::Me, ErrorBody> {
        let me = self.call(api::team::leave()).await?;
        self.now_acting_for(&me).await;
        Ok(me)
    }

    /// After the session's company changed: the notifications' position and the figures
    /// kept belong to the company left.
    async fn now_acting_for(&self, me: &econfiance_api::account::Me) {
        self.company_switches
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = me.company.legal_name.clone();
        self.update_snapshot(|s| {
            *s = DashboardSnapshot {
                company_name: Some(name),
                ..DashboardSnapshot::default()
            }
        })
        .await;
    }

    /// The company's name for a reply's `{entreprise}`: last known, else asked.
    async fn company_name(&self) -> Result<String, ErrorBody> {
        match self.dashboard_snapshot().await.company_name {
            Some(name) => Ok(name),
            None => Ok(self.me().await?.company.legal_name),
        }
    }

    /// The suggested reply to `review`, from the company's templates and the topics' words
    /// (none when no whole-reply template suits its rating).
    pub async fn suggest_reply(
        &self,
        review: &Review,
    ) -> Result<Option<crate::replies::Suggestion>, ErrorBody> {
        let templates = self.call(api::templates::list()).await?;
        let company = self.company_name().await?;
        let words = Settings::load(&self.dirs.settings_file()).topic_words;
        Ok(crate::replies::suggest(
            review, &templates, &company, &words,
        ))
    }

    /// The words that make a review mention each topic: the owner's, else the app's.
    pub fn suggestion_rules(&self) -> Vec<crate::replies::TopicRule> {
        crate::replies::topic_rules(&Settings::load(&self.dirs.settings_file()).topic_words)
    }

    /// Keeps the owner's words for the topics given (cleaned); none given brings the app's
    /// words back. The rules now in force.
    pub fn set_suggestion_rules(
        &self,
        rules: &[crate::replies::TopicRule],
    ) -> Result<Vec<crate::replies::TopicRule>, ErrorBody> {
        let file = self.dirs.settings_file();
        let mut settings = Settings::load(&file);
        settings.topic_words = crate::replies::cleaned_rules(rules);
        settings.save(&file).map_err(|e| self.fail(e))?;
        Ok(crate::replies::topic_rules(&settings.topic_words))
    }

    /// `template`'s text with its fields filled in for `review`.
    pub async fn fill_reply_template(
        &self,
        template: &econfiance_api::templates::ReplyTemplate,
        review: &Review,
    ) -> Result<String, ErrorBody> {
        let company = self.company_name().await?;
        let fields = crate::replies::Fields::of(review, &company, &template.language);
        Ok(crate::replies::fill(&template.body, &fields, ""))
    }

    /// Keeps the reply being typed for review `id`.
    pub fn save_reply_draft(&self, id: &str, text: &str) -> Result<(), ErrorBody> {
        ReplyDrafts::new(&self.dirs)
            .set(id, text)
            .map_err(|e| self.fail(e))
    }

    /// Saves the CSV of the reviews matching `query` to `path`; the bytes written.
    pub async fn export_reviews(
        &self,
        query: &ReviewQuery,
        path: &std::path::Path,
    ) -> Result<u64, ErrorBody> {
        let bytes = self.call(api::reviews::export(query)).await?;
        self.save_file(path, &bytes, "reviews exported")
    }

    /// Saves everything the platform holds about the account to `path`; the bytes written.
    pub async fn export_my_data(&self, path: &std::path::Path) -> Result<u64, ErrorBody> {
        let bytes = self.call(api::account::export()).await?;
        self.save_file(path, &bytes, "personal data exported")
    }

    // --- Invitations ------------------------------------------------------------------

    /// Reads the customers' CSV at `path` (chosen in the OS's dialog) and has the platform
    /// check every line; nothing is sent.
    pub async fn check_customer_file(
        &self,
        path: &std::path::Path,
    ) -> Result<CsvPreview, ErrorBody> {
        let limit = u64::try_from(MAX_CSV_BYTES).unwrap_or(u64::MAX);
        let bytes = read_chosen_file(path, limit).map_err(|e| self.fail(e))?;
        self.call(api::invitations::check_csv(bytes)).await
    }

    /// Saves last month's report (figures, trust index, chart: a page to print or save as
    /// PDF) to `path`, for the month before `today`, of one establishment or (None) all
    /// those the person sees; the bytes written.
    pub async fn save_monthly_report(
        &self,
        today: jiff::civil::Date,
        establishment: Option<&str>,
        path: &std::path::Path,
    ) -> Result<u64, ErrorBody> {
        let (first, last) = crate::report::previous_month(today);
        let (from, to) = (first.to_string(), last.to_string());
        let summary = self
            .call(api::reviews::summary_of(
                Some(&from),
                Some(&to),
                establishment,
            ))
            .await?;
        let (before_first, before_last) = crate::report::previous_month(first);
        let (before_from, before_to) = (before_first.to_string(), before_last.to_string());
        let before = self
            .call(api::reviews::summary_of(
                Some(&before_from),
                Some(&before_to),
                establishment,
            ))
            .await?;
        let trust = self.call(api::reviews::trust_index()).await?;
        let subject = self.report_subject(establishment).await?;
        let html = crate::report::monthly_report(
            &subject,
            first,
            &summary,
            before.new_reviews,
            &trust,
            self.language(),
        );
        self.save_file(path, html.as_bytes(), "monthly report saved")
    }

    /// Whom a report is of: the company, with the establishment chosen or, for a member
    /// limited to some, those they see (the server lists only those to them).
    async fn report_subject(
        &self,
        establishment: Option<&str>,
    ) -> Result<crate::report::Subject, ErrorBody> {
        let me = self.me().await?;
        let counted = match establishment {
            Some(_) => true,
            None => me.limited_establishments,
        };
        let establishments = if counted {
            self.call(api::reviews::establishments())
                .await?
                .into_iter()
                .filter(|e| establishment.is_none_or(|id| e.id == id))
                .map(|e| e.name)
                .collect()
        } else {
            Vec::new()
        };
        Ok(crate::report::Subject {
            company: me.company.legal_name,
            establishments,
        })
    }

    /// Saves an establishment's review link QR code (none: the main one's) to `path`; the
    /// bytes written.
    pub async fn save_review_qr(
        &self,
        format: QrFormat,
        establishment: Option<String>,
        path: &std::path::Path,
    ) -> Result<u64, ErrorBody> {
        let query = econfiance_api::invitations::EstablishmentQuery { establishment };
        let bytes = self.call(api::invitations::qr_code(format, &query)).await?;
        self.save_file(path, &bytes, "review link QR code saved")
    }

    fn save_file(
        &self,
        path: &std::path::Path,
        bytes: &[u8],
        what: &str,
    ) -> Result<u64, ErrorBody> {
        write_atomically(path, bytes).map_err(|e| self.fail(e))?;
        tracing::info!(bytes = bytes.len(), "{what}");
        Ok(bytes.len() as u64)
    }

    // --- When login is blocked ---------------------------------------------------------

    /// The connection check of "Problème de connexion ?": the server (address, name,
    /// certificate, clock, status), the keyring, the link scheme (`scheme`, as the shell
    /// read it from the OS) and the cache.
    pub async fn connection_check(&self, scheme: HandlerVerdict) -> ConnectionReport {
        let lang = self.language();
        let mut lines = match &self.api {
            Ok(api) => diagnose::check_server(api, lang).await,
            Err(e) => vec![diagnose::CheckLine {
                id: "server".into(),
                status: diagnose::CheckStatus::Failed,
                message: e.message(lang),
                advice: None,
                repairable: false,
            }],
        };
        let probe = tokio::task::spawn_blocking(|| vault::probe(&OsKeyring::new(KEYRING_SERVICE)))
            .await
            .unwrap_or_else(|e| Err(ClientError::KeyringUnavailable(e.to_string())));
        lines.push(diagnose::keyring_line(&probe, lang));
        lines.push(diagnose::scheme_line(&scheme, Os::current(), lang));
        lines.push(diagnose::cache_line(self.cache_size().await, lang));
        for line in &lines {
            tracing::info!(check = %line.id, status = ?line.status, "connection check");
        }
        ConnectionReport { lines }
    }

    /// The cache's size, measured off the async workers (it walks folders).
    pub async fn cache_size(&self) -> u64 {
        let dirs = self.dirs.clone();
        tokio::task::spawn_blocking(move || cache::size(Os::current(), &dirs, &AppDirs::home()))
            .await
            .unwrap_or_default()
    }

    /// "Vider le cache", once the webview has cleared its own data: the cache folder, then —
    /// when `sign_out` — the account, by the one logout. What was freed since `before`.
    pub async fn finish_clearing_cache(
        &self,
        before: u64,
        sign_out: bool,
    ) -> Result<CacheCleared, ClientError> {
        let dirs = self.dirs.clone();
        tokio::task::spawn_blocking(move || {
            cache::clear(Os::current(), &dirs, &AppDirs::home(), Moment::AppRunning)
        })
        .await
        .map_err(|e| ClientError::Storage {
            path: self.dirs.cache.clone(),
            reason: e.to_string(),
        })?;
        let after = self.cache_size().await;
        let mut signed_out = false;
        if sign_out {
            if let Some(manager) = self.session() {
                manager.logout().await?;
                signed_out = true;
            }
        }
        let freed = before.saturating_sub(after);
        tracing::info!(freed, signed_out, "cache cleared");
        Ok(CacheCleared {
            freed_bytes: freed,
            freed: cache::human_size(freed, self.language()),
            signed_out,
        })
    }

    // --- Support ------------------------------------------------------------------------

    /// The support files (draft, unsent messages).
    pub fn support_files(&self) -> SupportFiles {
        SupportFiles::new(&self.dirs)
    }

    /// Asks support to delete the account (it is not self-service).
    pub async fn request_account_deletion(
        &self,
        reason: Option<String>,
    ) -> Result<econfiance_api::account::DeletionTerms, ErrorBody> {
        let body = DeletionRequestBody {
            reason: reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
        };
        self.call(api::account::deletion_request(&body)).await
    }

    /// Sends a message to support. If the platform cannot be reached, the message is kept
    /// on this computer (and the draft cleared, since it is safe): nothing typed is lost.
    pub async fn send_support(&self, request: SupportRequest) -> Result<SupportOutcome, ErrorBody> {
        let api = self.api()?;
        let ticket = request.into_ticket();
        let outcome = match self.send_ticket(api, &ticket).await {
            Ok(sent) => sent,
            Err(e) if e.is_transient() => {
                self.support_files()
                    .keep(ticket)
                    .map_err(|e| self.fail(e))?;
                tracing::info!(code = %e.code(), "support message kept to send later");
                SupportOutcome::Kept {
                    reason: e.message(self.language()),
                }
            }
            Err(e) => return Err(self.fail(e)),
        };
        // Clearing the draft removes its file, which a full disk does not refuse.
        self.support_files()
            .save_draft(&SupportDraft::default())
            .map_err(|e| self.fail(e))?;
        Ok(outcome)
    }

    /// Sends the kept message `id` now; it stays kept if the platform still cannot be
    /// reached.
    pub async fn send_unsent_support(&self, id: &str) -> Result<SupportOutcome, ErrorBody> {
        let files = self.support_files();
        let Some(ticket) = files.unsent().into_iter().find(|t| t.id == id) else {
            return Err(self.fail(ClientError::AlreadySent));
        };
        match self.send_ticket(self.api()?, &ticket).await {
            Ok(sent) => {
                files.forget(id).map_err(|e| self.fail(e))?;
                Ok(sent)
            }
            Err(e) if e.is_transient() => Ok(SupportOutcome::Kept {
                reason: e.message(self.language()),
            }),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Sends a ticket, as the logged-in account when there is one.
    async fn send_ticket(
        &self,
        api: &ApiClient,
        ticket: &UnsentTicket,
    ) -> Result<SupportOutcome, ClientError> {
        let call = api::support::create_ticket(&ticket.body(self.language().pick("fr", "en")));
        let session = self.session();
        let signed_in = match &session {
            Some(manager) => manager.signed_in().await.is_some(),
            None => false,
        };
        let created = match (&session, signed_in) {
            (Some(manager), true) => manager.call(call).await?,
            _ => api.send(&call).await?,
        };
        Ok(SupportOutcome::Sent {
            reference: created.reference,
            respond_by: created.respond_by,
        })
    }
}

/// The bytes of a file the user chose, if it has at most `limit` of them.
pub fn read_chosen_file(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ClientError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| ClientError::ChosenFile {
        reason: e.to_string(),
        limit: None,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // One byte past the limit says the file is larger, whatever its metadata says.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(ClientError::ChosenFile {
            reason: format!("more than {limit} bytes"),
            limit: Some(limit),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_its_host_and_os_with_a_name_when_it_has_none() {
        let device = this_device("PC-Accueil", Os::MacOs);
        assert_eq!(
            (device.name.as_str(), device.os.as_str()),
            ("PC-Accueil", "macOS")
        );
        assert_eq!(this_device("  ", Os::Windows).name, "Ordinateur");
        assert_eq!(
            this_device(&"é".repeat(300), Os::Linux)
                .name
                .chars()
                .count(),
            100
        );
    }

    #[test]
    fn a_chosen_file_is_read_whole_or_refused_with_a_plain_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("clients.csv");
        std::fs::write(&path, b"nom;email\n").expect("write");
        assert_eq!(read_chosen_file(&path, 10).expect("read"), b"nom;email\n");
        let big = read_chosen_file(&path, 9).expect_err("one byte too many");
        assert_eq!(big.code(), econfiance_api::ErrorCode::FileUnusable);
        assert!(big
            .message(Language::Fr)
            .contains("Découpez-le en fichiers de 1 000 clients"));
        let gone = read_chosen_file(&dir.path().join("absent.csv"), 10).expect_err("absent");
        assert!(gone.message(Language::En).contains("could not be read"));
    }
}
