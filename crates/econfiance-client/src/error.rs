//! [`ClientError`]: every way a client operation fails, each with a stable code and a
//! message for people, in French or English, saying what happened and what to do.
//!
//! The app sends these across IPC as [`ErrorBody`] `{code, message}`; the UI matches on
//! `code` and shows `message`.

use std::path::PathBuf;

use econfiance_api::{ErrorBody, ErrorCode, LinkError};
use thiserror::Error;

use crate::config::ConfigError;
use crate::Language;

/// A failed client operation. `Display` is for logs (English, technical, no secrets);
/// [`ClientError::message`] is for people.
#[derive(Debug, Error)]
pub enum ClientError {
    /// The server address or CA file settings are wrong.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// The CA file named by `ECONFIANCE_CA_FILE` cannot be read or holds no certificate.
    #[error("cannot use the CA file {path}: {reason}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// No connection could be made (no network, DNS failure, server down, proxy refusing).
    #[error("cannot reach the server: {0}")]
    NetworkUnreachable(String),
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The TLS handshake failed: untrusted or wrong certificate.
    #[error("secure connection failed: {0}")]
    Tls(String),
    /// The server answered with an error status.
    #[error("the server answered with status {status}")]
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// The server answered something this client does not understand.
    #[error("unexpected answer from the server: {0}")]
    UnexpectedResponse(String),
    /// A deep link that the parser refused.
    #[error("refused a malformed link: {0}")]
    LinkMalformed(#[from] LinkError),
    /// A well-formed callback for a request this app did not make (or no longer has).
    #[error("refused a link for a request this app did not make")]
    LinkNotRequestedHere,
    /// No session: log in first.
    #[error("not logged in")]
    NotLoggedIn,
    /// The OS keyring is missing, locked or refused a secret.
    #[error("keyring unavailable: {0}")]
    KeyringUnavailable(String),
    /// The platform refused the request with its own `{code, message}` (already in the
    /// user's language: the client sends `Accept-Language`).
    #[error("the server refused: {code}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The platform's stable code (e.g. `code_expired`).
        code: ErrorCode,
        /// The platform's message for people.
        message: String,
        /// Seconds to wait, for 429 answers.
        retry_after: Option<u64>,
        /// The wrong fields of a form, for `validation_failed` answers.
        fields: Option<Vec<econfiance_api::account::FieldError>>,
    },
    /// The default browser did not open an address (the user can copy it).
    #[error("the browser did not open {0}")]
    BrowserNotOpened(String),
    /// A setting could not be applied (`what`: tray, autostart).
    #[error("the setting {0} could not be applied")]
    PreferenceNotApplied(&'static str),
    /// `econfiance://` could not be associated with the app again.
    #[error("the link scheme could not be registered again")]
    SchemeRepairFailed,
    /// The cache could not be fully cleared; `advice` is this OS's way to do it by hand.
    #[error("the cache could not be fully cleared")]
    CacheClearFailed {
        /// How to clear it with the app closed ([`crate::platform::clear_cache_advice`]).
        advice: String,
    },
    /// Checking for, downloading or installing an update failed.
    #[error("update failed: {0:?}")]
    Update(UpdateFailure),
    /// A kept support message that is no longer kept (sent or dropped meanwhile).
    #[error("the kept support message is gone")]
    AlreadySent,
    /// Reading or writing the app's own files failed.
    #[error("storage failure at {path}: {reason}")]
    Storage {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A file the user chose cannot be used: unreadable, or larger than `limit` bytes.
    #[error("the chosen file cannot be used: {reason}")]
    ChosenFile {
        /// What went wrong.
        reason: String,
        /// Set when the file is too large: the most bytes it may have.
        limit: Option<u64>,
    },
}

/// Why an update did not happen (the updater's own errors, sorted for the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateFailure {
    /// The package's signature or format is not valid: nothing was installed.
    Refused,
    /// No package for this system yet.
    NotForThisSystem,
    /// The update feed's answer cannot be read.
    FeedUnreadable,
    /// The installation did not go through.
    InstallFailed,
    /// This copy cannot verify updates from this server.
    NotConfigured,
    /// Installing was asked before checking.
    NotChecked,
    /// This copy was not installed from a package.
    Manual,
}

impl UpdateFailure {
    fn message(self) -> (&'static str, &'static str) {
        match self {
            UpdateFailure::Refused => (
                "La mise à jour téléchargée ne porte pas une signature valide d'e-confiance : elle a été refusée et rien n'a été installé. Votre version actuelle continue de fonctionner. Réessayez plus tard ; si cela se reproduit, prévenez le support.",
                "The downloaded update does not carry a valid e-confiance signature: it was refused and nothing was installed. Your current version keeps working. Try again later; if it happens again, tell support.",
            ),
            UpdateFailure::NotForThisSystem => (
                "La nouvelle version n'est pas encore publiée pour ce système. Votre version actuelle continue de fonctionner ; réessayez dans quelques jours.",
                "The new version is not published for this system yet. Your current version keeps working; try again in a few days.",
            ),
            UpdateFailure::FeedUnreadable => (
                "La réponse du serveur de mises à jour est illisible. Votre version actuelle continue de fonctionner ; réessayez plus tard.",
                "The update server's answer cannot be read. Your current version keeps working; try again later.",
            ),
            UpdateFailure::InstallFailed => (
                "L'installation de la mise à jour n'a pas abouti (autorisation refusée, ou installation déjà en cours). Rien n'a changé : votre version actuelle continue de fonctionner. Réessayez ; sinon installez le paquet avec le gestionnaire de logiciels de votre système.",
                "The update could not be installed (permission refused, or another installation running). Nothing changed: your current version keeps working. Try again, or install the package with your system's software manager.",
            ),
            UpdateFailure::NotConfigured => (
                "Cette copie de l'application ne peut pas vérifier les mises à jour de ce serveur. Téléchargez la dernière version depuis le site d'e-confiance.",
                "This copy of the app cannot verify updates from this server. Download the latest version from the e-confiance website.",
            ),
            UpdateFailure::NotChecked => (
                "Recherchez d'abord la mise à jour, puis installez-la.",
                "Check for the update first, then install it.",
            ),
            UpdateFailure::Manual => (
                "Cette copie n'a pas été installée depuis un paquet : installez la nouvelle version de la même façon que celle-ci.",
                "This copy was not installed from a package: install the new version the same way as this one.",
            ),
        }
    }
}

impl ClientError {
    /// The stable code the UI matches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::Api { code, .. } => *code,
            ClientError::Config(_) => ErrorCode::ConfigInvalid,
            ClientError::CaFile { .. } => ErrorCode::CaFileUnusable,
            ClientError::NetworkUnreachable(_) => ErrorCode::NetworkUnreachable,
            ClientError::Timeout => ErrorCode::ServerTimeout,
            ClientError::Tls(_) => ErrorCode::TlsFailed,
            ClientError::Server { .. } => ErrorCode::ServerError,
            ClientError::UnexpectedResponse(_) => ErrorCode::UnexpectedResponse,
            ClientError::LinkMalformed(_) => ErrorCode::LinkMalformed,
            ClientError::LinkNotRequestedHere => ErrorCode::LinkNotRequestedHere,
            ClientError::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            ClientError::NotLoggedIn => ErrorCode::NotLoggedIn,
            ClientError::Storage { .. } => ErrorCode::StorageFailed,
            ClientError::ChosenFile { .. } => ErrorCode::FileUnusable,
            ClientError::AlreadySent => ErrorCode::NotFound,
            ClientError::BrowserNotOpened(_) => ErrorCode::BrowserNotOpened,
            ClientError::PreferenceNotApplied(_) => ErrorCode::PreferenceNotApplied,
            ClientError::SchemeRepairFailed => ErrorCode::SchemeRepairFailed,
            ClientError::CacheClearFailed { .. } => ErrorCode::CacheClearFailed,
            ClientError::Update(failure) => match failure {
                UpdateFailure::Refused => ErrorCode::UpdateRefused,
                UpdateFailure::NotForThisSystem => ErrorCode::UpdateNotForThisSystem,
                UpdateFailure::FeedUnreadable => ErrorCode::UpdateFeedUnreadable,
                UpdateFailure::InstallFailed => ErrorCode::UpdateInstallFailed,
                UpdateFailure::NotConfigured => ErrorCode::UpdatesNotConfigured,
                UpdateFailure::NotChecked => ErrorCode::UpdateNotChecked,
                UpdateFailure::Manual => ErrorCode::UpdateManual,
            },
        }
    }

    /// Whether the failure means "try again later" (keep what was typed) rather than "fix
    /// it": the platform could not be reached or failed on its side.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ClientError::NetworkUnreachable(_) | ClientError::Timeout | ClientError::Server { .. }
        )
    }

    /// What happened and what to do, for a business owner, in `lang`.
    pub fn message(&self, lang: Language) -> String {
        let (fr, en) = match self {
            ClientError::Api { message, .. } => return message.clone(),
            ClientError::Config(_) => (
                "L'adresse du serveur e-confiance configurée n'est pas valide ou n'est pas sécurisée. Vérifiez le réglage ECONFIANCE_SERVER_URL ou contactez le support.",
                "The configured e-confiance server address is invalid or not secure. Check the ECONFIANCE_SERVER_URL setting or contact support.",
            ),
            ClientError::CaFile { .. } => (
                "Le certificat de sécurité configuré (ECONFIANCE_CA_FILE) est illisible. Vérifiez ce fichier ou retirez ce réglage.",
                "The configured security certificate (ECONFIANCE_CA_FILE) cannot be read. Check the file or remove this setting.",
            ),
            ClientError::NetworkUnreachable(_) => (
                "Impossible de joindre la plateforme e-confiance. Vérifiez votre connexion internet, puis réessayez.",
                "Cannot reach the e-confiance platform. Check your internet connection, then try again.",
            ),
            ClientError::Timeout => (
                "La plateforme e-confiance ne répond pas pour le moment. Réessayez dans quelques minutes.",
                "The e-confiance platform is not answering right now. Try again in a few minutes.",
            ),
            ClientError::Tls(_) => (
                "La connexion sécurisée à la plateforme a échoué (certificat non reconnu). Vérifiez que l'heure de votre ordinateur est juste ; si un proxy d'entreprise filtre votre connexion, contactez votre service informatique.",
                "The secure connection to the platform failed (certificate not recognised). Check that your computer's clock is right; if a company proxy filters your connection, contact your IT department.",
            ),
            ClientError::Server { .. } => (
                "La plateforme e-confiance rencontre un problème. Réessayez dans quelques minutes ; si cela continue, contactez le support.",
                "The e-confiance platform has a problem. Try again in a few minutes; if it goes on, contact support.",
            ),
            ClientError::UnexpectedResponse(_) => (
                "La plateforme a envoyé une réponse inattendue. Mettez l'application à jour ou contactez le support.",
                "The platform sent an unexpected answer. Update the app or contact support.",
            ),
            ClientError::LinkMalformed(_) => (
                "Ce lien de connexion est incomplet ou abîmé. Rouvrez le lien depuis l'e-mail, ou saisissez le code qu'il contient.",
                "This login link is incomplete or damaged. Open the link from the e-mail again, or type the code it contains.",
            ),
            ClientError::LinkNotRequestedHere => (
                "Ce lien de connexion n'a pas été demandé depuis cette application. Pour vous connecter, saisissez votre adresse e-mail ici et demandez un nouveau lien.",
                "This login link was not requested from this app. To log in, enter your e-mail address here and ask for a new link.",
            ),
            ClientError::NotLoggedIn => (
                "Vous n'êtes pas connecté. Connectez-vous pour continuer.",
                "You are not logged in. Log in to continue.",
            ),
            ClientError::KeyringUnavailable(_) => (
                "Le trousseau de clés de votre ordinateur est verrouillé ou indisponible. Vous restez connecté tant que l'application est ouverte, mais il faudra vous reconnecter ensuite : déverrouillez le trousseau (ou installez-en un) pour rester connecté.",
                "Your computer's keyring is locked or unavailable. You stay logged in while the app is open, but you will have to log in again afterwards: unlock the keyring (or install one) to stay logged in.",
            ),
            ClientError::BrowserNotOpened(url) => {
                return match lang {
                    Language::Fr => format!("Le navigateur ne s'est pas ouvert. Copiez l'adresse {url} dans votre navigateur."),
                    Language::En => format!("The browser did not open. Copy the address {url} into your browser."),
                }
            }
            ClientError::PreferenceNotApplied(what) => {
                return match lang {
                    Language::Fr => format!("Le réglage n'a pas pu être appliqué ({what}). Réessayez ; si cela continue, contactez le support."),
                    Language::En => format!("The setting could not be applied ({what}). Try again; if it goes on, contact support."),
                }
            }
            ClientError::SchemeRepairFailed => (
                "Impossible d'associer les liens econfiance:// à l'application. Réinstallez-la, ou saisissez le code reçu par e-mail.",
                "Could not associate econfiance:// links with the app. Reinstall it, or type the code from the e-mail.",
            ),
            ClientError::CacheClearFailed { advice } => {
                return format!(
                    "{} {advice}",
                    lang.pick(
                        "Le cache n'a pas pu être vidé entièrement.",
                        "The cache could not be fully cleared.",
                    )
                )
            }
            ClientError::Update(failure) => failure.message(),
            ClientError::AlreadySent => (
                "Ce message a déjà été envoyé.",
                "This message was already sent.",
            ),
            ClientError::Storage { .. } => (
                "L'application n'a pas pu enregistrer ses données sur cet ordinateur. Vérifiez l'espace disque disponible, puis réessayez.",
                "The app could not save its data on this computer. Check the free disk space, then try again.",
            ),
            ClientError::ChosenFile { limit: Some(_), .. } => (
                "Ce fichier est trop gros (1 Mo au plus). Découpez-le en fichiers de 1 000 clients au plus, puis choisissez-les un par un.",
                "This file is too large (1 MB at most). Split it into files of 1,000 customers at most, then choose them one by one.",
            ),
            ClientError::ChosenFile { limit: None, .. } => (
                "Ce fichier n'a pas pu être lu. Vérifiez qu'il existe toujours et qu'il n'est pas ouvert dans un autre programme, puis choisissez-le à nouveau.",
                "This file could not be read. Check that it still exists and is not open in another program, then choose it again.",
            ),
        };
        lang.pick(fr, en).to_owned()
    }

    /// The `{code, message}` body that crosses IPC.
    pub fn to_body(&self, lang: Language) -> ErrorBody {
        let mut body = ErrorBody::new(self.code(), self.message(lang));
        if let ClientError::Api {
            retry_after,
            fields,
            ..
        } = self
        {
            body.retry_after = *retry_after;
            body.fields = fields.clone();
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<ClientError> {
        vec![
            ClientError::Config(ConfigError::InvalidUrl("x".into())),
            ClientError::CaFile {
                path: "ca.pem".into(),
                reason: "missing".into(),
            },
            ClientError::NetworkUnreachable("refused".into()),
            ClientError::Timeout,
            ClientError::Tls("unknown issuer".into()),
            ClientError::Server { status: 503 },
            ClientError::UnexpectedResponse("bad json".into()),
            ClientError::LinkMalformed(LinkError::Fragment),
            ClientError::LinkNotRequestedHere,
            ClientError::KeyringUnavailable("locked".into()),
            ClientError::NotLoggedIn,
            ClientError::BrowserNotOpened("https://e-confiance.fr/cgu".into()),
            ClientError::AlreadySent,
            ClientError::PreferenceNotApplied("tray"),
            ClientError::SchemeRepairFailed,
            ClientError::CacheClearFailed {
                advice: "Fermez l'application.".into(),
            },
            ClientError::Update(UpdateFailure::Refused),
            ClientError::Update(UpdateFailure::NotForThisSystem),
            ClientError::Update(UpdateFailure::FeedUnreadable),
            ClientError::Update(UpdateFailure::InstallFailed),
            ClientError::Update(UpdateFailure::NotConfigured),
            ClientError::Update(UpdateFailure::NotChecked),
            ClientError::Update(UpdateFailure::Manual),
            ClientError::Storage {
                path: "settings.json".into(),
                reason: "ENOSPC".into(),
            },
        ]
    }

    #[test]
    fn codes_are_unique_and_snake_case() {
        let errors = all();
        let codes: Vec<_> = errors.iter().map(|e| e.code().as_str()).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len(), "{codes:?}");
        for code in codes {
            assert_ne!(
                code, "unknown",
                "every error of the client has its own code"
            );
        }
    }

    #[test]
    fn every_message_exists_in_both_languages_and_differs() {
        for e in all() {
            let fr = e.message(Language::Fr);
            let en = e.message(Language::En);
            assert_ne!(fr, en, "{}", e.code());
            // Plain words for people: no HTTP status, no technical detail from Display.
            for m in [&fr, &en] {
                assert!(!m.contains("503") && !m.contains("ENOSPC"), "{m}");
                assert!(m.ends_with('.'), "a message is whole sentences: {m}");
            }
        }
    }

    #[test]
    fn body_carries_code_and_localised_message() {
        let body = ClientError::LinkNotRequestedHere.to_body(Language::Fr);
        assert_eq!(body.code, ErrorCode::LinkNotRequestedHere);
        assert!(body
            .message
            .starts_with("Ce lien de connexion n'a pas été demandé"));
    }
}
