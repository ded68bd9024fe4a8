//! The types that cross the IPC bridge between the Rust shell and the UI.
//!
//! TypeScript declarations for them (and for the `econfiance-api` types the UI sees) are
//! generated into `ui/src/lib/bindings.ts` by the `typescript_bindings_are_up_to_date` test,
//! which fails when the checked-in file is stale (`UPDATE_BINDINGS=1` rewrites it).

use econfiance_api::ErrorBody;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Language;

/// What the UI needs to know about the running app at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    /// The app's version (`Cargo.toml`).
    pub version: String,
    /// The language in use: the saved choice, else the OS locale's.
    pub language: Language,
    /// The platform server the app talks to (shown in the help, never secret).
    pub server_url: String,
    /// Started with `--safe-mode` (WebKit's rendering fallbacks).
    pub safe_mode: bool,
    /// The colours chosen in the settings, applied at start.
    pub theme: Theme,
    /// How to clear the cache on this OS when the window cannot open
    /// ([`crate::platform::clear_cache_advice`]).
    pub clear_cache_offline: String,
}

/// Where the session's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyringMode {
    /// In the OS keyring: the session survives a restart.
    Keyring,
    /// In memory only (no usable keyring): the session ends with the app.
    MemoryOnly,
}

/// The logged-in session, as the UI shows it (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    /// The account's e-mail.
    pub email: String,
    /// Where the session is kept.
    pub keyring: KeyringMode,
}

/// A login link was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LinkSent {
    /// The address it was sent to.
    pub email: String,
    /// Seconds until the link and its code expire (a small number: JSON number in TS).
    #[ts(type = "number")]
    pub expires_in: i64,
    /// Seconds before "Renvoyer" may ask again (the server's cooldown).
    #[ts(type = "number")]
    pub resend_after: i64,
}

/// The outcome of a deep link, as the UI receives it (event `deep-link`, or from the
/// buffer drained at start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkEvent {
    /// The link answers a request this app made.
    Accepted {
        /// The request it answers.
        request_id: String,
    },
    /// The link completed a login: show the dashboard.
    SignedIn {
        /// The new session.
        session: SessionView,
    },
    /// A login link for the account that is already logged in here: nothing to do but show
    /// the dashboard (the link is not used, so no new session is opened).
    AlreadySignedIn {
        /// The session that goes on.
        session: SessionView,
    },
    /// A login link for another account than the one logged in: ask before switching.
    /// The link waits in Rust; `confirm_account_switch` or `cancel_account_switch` decide.
    SwitchRequested {
        /// The account logged in now.
        current: String,
        /// The account the link logs in.
        requested: String,
    },
    /// A password-reset link this app asked for: show the new-password form. (The token
    /// stays in Rust.)
    ResetRequested {
        /// The account whose password is being reset.
        email: String,
    },
    /// The link was refused; nothing changed. Show the message.
    Rejected {
        /// Why, for people.
        error: ErrorBody,
    },
}

/// The name of the event that carries a [`LinkEvent`] to the UI.
pub const LINK_EVENT: &str = "deep-link";

/// A legal page of the platform that the About box opens in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LegalPage {
    /// Conditions générales d'utilisation.
    Terms,
    /// Politique de confidentialité.
    Privacy,
    /// Mentions légales.
    LegalNotice,
}

impl LegalPage {
    /// Its path on the platform's server.
    pub fn path(self) -> &'static str {
        match self {
            LegalPage::Terms => "/legal/cgu",
            LegalPage::Privacy => "/legal/confidentialite",
            LegalPage::LegalNotice => "/legal/mentions-legales",
        }
    }
}

/// The answer to "Rechercher une mise à jour".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateCheck {
    /// The version running.
    pub current_version: String,
    /// The newer release, if the platform publishes one for this system.
    pub available: Option<AvailableUpdate>,
}

/// A newer release of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AvailableUpdate {
    /// Its version.
    pub version: String,
    /// Its release notes, in the user's language.
    pub notes: String,
    /// Its publication date (RFC 3339), if given.
    pub date: Option<String>,
    /// Whether this copy can install it itself.
    pub install: UpdateInstall,
}

/// How an update gets installed on this copy of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UpdateInstall {
    /// The app downloads it, checks its signature and installs it (installed from a
    /// package: .deb, .rpm, AppImage, Windows installer, macOS app).
    App,
    /// This copy was not installed from a package (e.g. a development build): the new
    /// version is installed the way this one was.
    Manual,
}

/// What "Vider le cache" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CacheCleared {
    /// Bytes freed on disk.
    #[ts(type = "number")]
    pub freed_bytes: u64,
    /// The same for people ("1,2 Mo").
    pub freed: String,
    /// Whether the session was ended too.
    pub signed_out: bool,
}

/// What became of a support message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SupportOutcome {
    /// Sent: the reference to quote and when support answers at the latest.
    Sent {
        /// e.g. `EC-7K3M9Q`.
        reference: String,
        /// RFC 3339.
        respond_by: String,
    },
    /// The platform could not be reached: kept on this computer, to send later.
    Kept {
        /// Why it could not be sent, for people.
        reason: String,
    },
}

/// What the dashboard showed last time, shown at once at the next start while fresh
/// figures load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DashboardSnapshot {
    /// The figures.
    pub summary: Option<econfiance_api::reviews::Summary>,
    /// The trust index.
    pub trust: Option<econfiance_api::reviews::TrustIndex>,
    /// The company's name, the dashboard's title.
    #[serde(default)]
    pub company_name: Option<String>,
}

/// The dashboard of the session kept from a previous run, read on this computer alone (no
/// network): painted at start while the session is checked with the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LastKnownDashboard {
    /// The account it belongs to.
    pub session: SessionView,
    /// Its figures, as last shown.
    pub snapshot: DashboardSnapshot,
}

/// The app's behaviour settings, as the settings screen shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppPreferences {
    /// Which new reviews raise a desktop notification.
    pub notifications: crate::notify::NotificationChoice,
    /// An icon in the system tray; closing the window then keeps the app running.
    pub tray: bool,
    /// Started at login (the OS's autostart entry exists).
    pub autostart: bool,
    /// Light, dark, or the OS's choice.
    pub theme: Theme,
}

/// The window's colours: the OS's choice, or always light, or always dark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the OS (light or dark, as it changes).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The name of the event asking the UI to open a review (a clicked notification).
pub const OPEN_REVIEW_EVENT: &str = "open-review";
