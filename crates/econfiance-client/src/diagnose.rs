//! The connection check of "Problème de connexion ?": each step that a login needs, tested
//! in order and told in plain words — can the server's name be found, can it be reached
//! securely (and if not: no network, proxy, certificate, server down), is this computer's
//! clock right, what the platform says of itself, whether the keyring works, whether
//! `econfiance://` links open this app, and how big the cache is.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use econfiance_api::PlatformState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::platform::{HandlerVerdict, Os};
use crate::{ApiClient, ClientError, Language};

/// A clock further off than this is told as a warning…
pub const CLOCK_WARNING_SECONDS: i64 = 60;
/// …and further than this as a failure (links and certificates depend on the time).
pub const CLOCK_FAILURE_SECONDS: i64 = 300;

/// How one step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Works.
    Passed,
    /// Works, but something may get in the way.
    Warning,
    /// Does not work: the advice says what to do.
    Failed,
    /// Information only.
    Info,
}

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckLine {
    /// Stable id: `server`, `clock`, `platform`, `keyring`, `scheme`, `cache`.
    pub id: String,
    /// How it went.
    pub status: CheckStatus,
    /// What was found, for people.
    pub message: String,
    /// What to do about it (absent when nothing is needed).
    pub advice: Option<String>,
    /// Whether the app can repair it itself (the "Réparer" button).
    pub repairable: bool,
}

/// The whole check, in the order a login needs the steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConnectionReport {
    /// The lines.
    pub lines: Vec<CheckLine>,
}

impl ConnectionReport {
    /// The line `id`, if checked.
    pub fn line(&self, id: &str) -> Option<&CheckLine> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// The report as plain text (for the diagnostics sent to support).
    pub fn to_text(&self) -> String {
        self.lines
            .iter()
            .map(|l| {
                let advice = l
                    .advice
                    .as_deref()
                    .map(|a| format!(" — {a}"))
                    .unwrap_or_default();
                format!("[{:?}] {}: {}{advice}", l.status, l.id, l.message)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn line(id: &str, status: CheckStatus, message: String, advice: Option<String>) -> CheckLine {
    CheckLine {
        id: id.to_owned(),
        status,
        message,
        advice,
        repairable: false,
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The proxy the environment sets for HTTPS, if any (reqwest honours the same variables).
fn proxy_in_environment() -> Option<String> {
    ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// The server, clock and platform lines: one request to `GET /v1/status`, after looking
/// the name up, so that each failure is told as what it is.
pub async fn check_server(api: &ApiClient, lang: Language) -> Vec<CheckLine> {
    let url = &api.config().server_url;
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let proxy = proxy_in_environment();
    let unknown_platform = || {
        line(
            "platform",
            CheckStatus::Warning,
            lang.pick(
                "État de la plateforme inconnu : le serveur n'a pas pu être joint.",
                "Platform status unknown: the server could not be reached.",
            )
            .to_owned(),
            None,
        )
    };

    // Through a proxy, the proxy looks the name up: a local failure would mean nothing.
    if proxy.is_none() {
        let lookup = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::net::lookup_host((host.as_str(), port)),
        )
        .await;
        if !matches!(lookup, Ok(Ok(_))) {
            return vec![
                line(
                    "server",
                    CheckStatus::Failed,
                    format!(
                        "{} {host}",
                        lang.pick(
                            "Le nom du serveur est introuvable :",
                            "The server's name cannot be found:"
                        )
                    ),
                    Some(
                        lang.pick(
                            "Vérifiez que cet ordinateur est connecté à internet (ouvrez un site web pour essayer), puis réessayez.",
                            "Check that this computer is connected to the internet (open a website to try), then try again.",
                        )
                        .to_owned(),
                    ),
                ),
                unknown_platform(),
            ];
        }
    }

    let started = Instant::now();
    match api.status_with_date().await {
        Ok((status, date)) => {
            let mut lines = vec![line(
                "server",
                CheckStatus::Passed,
                format!(
                    "{} {host} ({} ms)",
                    lang.pick(
                        "Connexion sécurisée établie avec",
                        "Secure connection established with"
                    ),
                    started.elapsed().as_millis()
                ),
                None,
            )];
            if let Some(server_now) = date {
                lines.push(clock_line(unix_now() - server_now, lang));
            }
            let incident = match lang {
                Language::Fr => status.message_fr.clone(),
                Language::En => status.message_en.clone(),
            }
            .unwrap_or_default();
            lines.push(match status.state {
                PlatformState::Operational => line(
                    "platform",
                    CheckStatus::Passed,
                    lang.pick(
                        "La plateforme fonctionne normalement.",
                        "The platform is working normally.",
                    )
                    .to_owned(),
                    None,
                ),
                PlatformState::Degraded => line(
                    "platform",
                    CheckStatus::Warning,
                    format!(
                        "{} {incident}",
                        lang.pick("Fonctionnement perturbé :", "Service disrupted:")
                    ),
                    Some(
                        lang.pick(
                            "Réessayez un peu plus tard ; l'équipe e-confiance est prévenue.",
                            "Try again a little later; the e-confiance team knows.",
                        )
                        .to_owned(),
                    ),
                ),
                PlatformState::Outage => line(
                    "platform",
                    CheckStatus::Failed,
                    format!(
                        "{} {incident}",
                        lang.pick("Plateforme indisponible :", "Platform unavailable:")
                    ),
                    Some(
                        lang.pick(
                            "Le problème ne vient pas de votre ordinateur : réessayez plus tard.",
                            "The problem is not on your computer: try again later.",
                        )
                        .to_owned(),
                    ),
                ),
            });
            lines
        }
        Err(e) => vec![
            server_failure(&e, &host, proxy.as_deref(), lang),
            unknown_platform(),
        ],
    }
}

fn server_failure(
    error: &ClientError,
    host: &str,
    proxy: Option<&str>,
    lang: Language,
) -> CheckLine {
    let (message, advice) = match (error, proxy) {
        (ClientError::Tls(_), _) => (
            lang.pick(
                "La connexion sécurisée a échoué : le certificat du serveur n'est pas reconnu.",
                "The secure connection failed: the server's certificate is not recognised.",
            ),
            lang.pick(
                "Vérifiez la date et l'heure de cet ordinateur. Sur un réseau d'entreprise, un proxy qui inspecte les connexions peut en être la cause : contactez votre service informatique.",
                "Check this computer's date and time. On a company network, a proxy that inspects connections may be the cause: contact your IT department.",
            ),
        ),
        (ClientError::NetworkUnreachable(_), Some(_)) => (
            lang.pick(
                "Le proxy configuré sur cet ordinateur ne laisse pas passer la connexion.",
                "The proxy configured on this computer does not let the connection through.",
            ),
            lang.pick(
                "Vérifiez les réglages de proxy (variable HTTPS_PROXY) ou contactez votre service informatique.",
                "Check the proxy settings (HTTPS_PROXY variable) or contact your IT department.",
            ),
        ),
        (ClientError::NetworkUnreachable(_), None) => (
            lang.pick(
                "Le serveur ne répond pas : il est peut-être arrêté, ou un pare-feu bloque la connexion.",
                "The server does not answer: it may be down, or a firewall blocks the connection.",
            ),
            lang.pick(
                "Réessayez dans quelques minutes. Si cela continue, contactez le support.",
                "Try again in a few minutes. If it goes on, contact support.",
            ),
        ),
        (ClientError::Timeout, _) => (
            lang.pick("Le serveur met trop de temps à répondre.", "The server takes too long to answer."),
            lang.pick(
                "Votre connexion est peut-être lente, ou la plateforme surchargée : réessayez dans quelques minutes.",
                "Your connection may be slow, or the platform overloaded: try again in a few minutes.",
            ),
        ),
        _ => (
            lang.pick("Le serveur répond, mais en erreur.", "The server answers, but with an error."),
            lang.pick("Réessayez dans quelques minutes ; si cela continue, contactez le support.", "Try again in a few minutes; if it goes on, contact support."),
        ),
    };
    let mut l = line(
        "server",
        CheckStatus::Failed,
        format!("{message} ({host})"),
        Some(advice.to_owned()),
    );
    if let Some(p) = proxy {
        l.message
            .push_str(&format!(" — proxy: {}", strip_credentials(p)));
    }
    l
}

/// A proxy URL without its user-info (it may carry a password).
fn strip_credentials(proxy: &str) -> String {
    match url::Url::parse(proxy) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "?".to_owned(),
    }
}

/// The clock line for `skew` seconds (this computer minus the server).
pub fn clock_line(skew: i64, lang: Language) -> CheckLine {
    let minutes = (skew.abs() + 59) / 60;
    let direction = if skew > 0 {
        lang.pick("en avance", "ahead")
    } else {
        lang.pick("en retard", "behind")
    };
    if skew.abs() <= CLOCK_WARNING_SECONDS {
        return line(
            "clock",
            CheckStatus::Passed,
            lang.pick(
                "L'heure de cet ordinateur est juste.",
                "This computer's clock is right.",
            )
            .to_owned(),
            None,
        );
    }
    let status = if skew.abs() > CLOCK_FAILURE_SECONDS {
        CheckStatus::Failed
    } else {
        CheckStatus::Warning
    };
    line(
        "clock",
        status,
        match lang {
            Language::Fr => format!("L'horloge de cet ordinateur est {direction} d'environ {minutes} min sur celle de la plateforme."),
            Language::En => format!("This computer's clock is about {minutes} min {direction} of the platform's."),
        },
        Some(
            lang.pick(
                "Réglez la date et l'heure automatiquement dans les paramètres de votre ordinateur : les liens de connexion et la connexion sécurisée en dépendent.",
                "Set the date and time automatically in your computer's settings: login links and the secure connection depend on them.",
            )
            .to_owned(),
        ),
    )
}

/// The keyring line, from a probe (write, read, delete).
pub fn keyring_line(probe: &Result<(), ClientError>, lang: Language) -> CheckLine {
    match probe {
        Ok(()) => line(
            "keyring",
            CheckStatus::Passed,
            lang.pick(
                "Le trousseau de clés de l'ordinateur fonctionne : votre session y est gardée en sécurité.",
                "The computer's keyring works: your session is kept safely in it.",
            )
            .to_owned(),
            None,
        ),
        Err(_) => line(
            "keyring",
            CheckStatus::Warning,
            lang.pick(
                "Le trousseau de clés est verrouillé ou absent : vous devrez vous reconnecter à chaque ouverture de l'application.",
                "The keyring is locked or missing: you will have to log in each time the app opens.",
            )
            .to_owned(),
            Some(
                lang.pick(
                    "Déverrouillez le trousseau (sous Linux : « Mots de passe et clés » / GNOME Keyring), puis relancez la vérification.",
                    "Unlock the keyring (on Linux: \"Passwords and Keys\" / GNOME Keyring), then check again.",
                )
                .to_owned(),
            ),
        ),
    }
}

/// The scheme line: whether `econfiance://` links open this app, as the OS said
/// ([`crate::platform::scheme_handler`]). The app can repair the registration itself on
/// Linux and Windows; on macOS the installed bundle declares it.
pub fn scheme_line(verdict: &HandlerVerdict, os: Os, lang: Language) -> CheckLine {
    let repairable = os != Os::MacOs;
    let not_opened = |message: String| {
        let advice = if repairable {
            lang.pick(
                "Cliquez sur « Réparer » ; en attendant, saisissez le code reçu par e-mail.",
                "Click \"Repair\"; meanwhile, type the code from the e-mail.",
            )
        } else {
            lang.pick(
                "Glissez e-confiance dans le dossier Applications, ouvrez-la une fois depuis ce dossier ; en attendant, saisissez le code reçu par e-mail.",
                "Drag e-confiance into the Applications folder and open it once from there; meanwhile, type the code from the e-mail.",
            )
        };
        CheckLine {
            repairable,
            ..line(
                "scheme",
                CheckStatus::Failed,
                message,
                Some(advice.to_owned()),
            )
        }
    };
    match verdict {
        HandlerVerdict::ThisApp | HandlerVerdict::InstalledCopy => line(
            "scheme",
            CheckStatus::Passed,
            lang.pick(
                "Les liens de connexion reçus par e-mail ouvrent bien cette application.",
                "Login links received by e-mail open this app.",
            )
            .to_owned(),
            None,
        ),
        HandlerVerdict::DeclaredByBundle => line(
            "scheme",
            CheckStatus::Passed,
            lang.pick(
                "Les liens de connexion (econfiance://) sont déclarés par l'application installée.",
                "Login links (econfiance://) are registered by the installed app.",
            )
            .to_owned(),
            None,
        ),
        HandlerVerdict::Other(who) => not_opened(format!(
            "{} {who}",
            lang.pick(
                "Les liens de connexion (econfiance://) n'ouvrent pas cette application mais un autre programme :",
                "Login links (econfiance://) do not open this app but another program:",
            )
        )),
        HandlerVerdict::Unknown => line(
            "scheme",
            CheckStatus::Info,
            lang.pick(
                "Impossible de demander au système quelle application ouvre les liens econfiance:// ; si un lien reçu par e-mail n'ouvre pas l'application, saisissez le code.",
                "The system could not be asked which app opens econfiance:// links; if a link from the e-mail does not open the app, type the code.",
            )
            .to_owned(),
            None,
        ),
        HandlerVerdict::Nothing => not_opened(
            lang.pick(
                "Les liens de connexion (econfiance://) n'ouvrent pas cette application.",
                "Login links (econfiance://) do not open this app.",
            )
            .to_owned(),
        ),
    }
}

/// The cache line.
pub fn cache_line(bytes: u64, lang: Language) -> CheckLine {
    line(
        "cache",
        CheckStatus::Info,
        format!(
            "{} {}",
            lang.pick("Taille du cache :", "Cache size:"),
            crate::cache::human_size(bytes, lang)
        ),
        Some(
            lang.pick(
                "Si l'application s'affiche mal ou se comporte bizarrement, videz le cache : vos réglages et brouillons sont conservés.",
                "If the app looks wrong or behaves oddly, clear the cache: your settings and drafts are kept.",
            )
            .to_owned(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_judged_by_how_far_off_it_is() {
        assert_eq!(clock_line(20, Language::Fr).status, CheckStatus::Passed);
        assert_eq!(clock_line(-120, Language::Fr).status, CheckStatus::Warning);
        let ten_minutes = clock_line(600, Language::Fr);
        assert_eq!(ten_minutes.status, CheckStatus::Failed);
        assert!(
            ten_minutes.message.contains("en avance d'environ 10 min"),
            "{}",
            ten_minutes.message
        );
        assert!(clock_line(-600, Language::En)
            .message
            .contains("10 min behind"));
    }

    #[test]
    fn a_proxy_password_is_never_shown() {
        assert_eq!(
            strip_credentials("http://jean:secret@proxy.entreprise.fr:3128"),
            "http://proxy.entreprise.fr:3128/"
        );
    }

    #[test]
    fn only_the_scheme_line_offers_a_repair() {
        for os in [Os::Linux, Os::Windows] {
            assert!(scheme_line(&HandlerVerdict::Nothing, os, Language::Fr).repairable);
            let other = scheme_line(
                &HandlerVerdict::Other("firefox.desktop".into()),
                os,
                Language::En,
            );
            assert!(other.repairable && other.message.contains("firefox.desktop"));
        }
        for os in Os::ALL {
            for verdict in [HandlerVerdict::ThisApp, HandlerVerdict::InstalledCopy] {
                let ok = scheme_line(&verdict, os, Language::Fr);
                assert!(!ok.repairable && ok.status == CheckStatus::Passed);
            }
            // The OS could not be asked: said as such, no repair that would fail too.
            let unknown = scheme_line(&HandlerVerdict::Unknown, os, Language::Fr);
            assert!(!unknown.repairable && unknown.status == CheckStatus::Info);
        }
        // macOS: the bundle declares the scheme, the app cannot re-register it; a correctly
        // installed app is told as working, never as "unknown".
        let mac = scheme_line(&HandlerVerdict::DeclaredByBundle, Os::MacOs, Language::Fr);
        assert_eq!(mac.status, CheckStatus::Passed);
        let missing = scheme_line(&HandlerVerdict::Nothing, Os::MacOs, Language::Fr);
        assert!(!missing.repairable);
        assert!(missing
            .advice
            .as_deref()
            .is_some_and(|a| a.contains("Applications")));
        assert!(!keyring_line(&Ok(()), Language::Fr).repairable);
    }
}
