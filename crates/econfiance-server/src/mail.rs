//! Outgoing mail: composed here, queued in the database by request handlers
//! ([`crate::mail_queue`]), delivered off the request path through SMTP (lettre) or — in
//! sandbox mode — into the outbox table, browsable at `/dev/mailbox`.
//!
//! Every mail has a text and an HTML part, in French or English. No mail ever carries an
//! `econfiance://` link: mail clients strip or flag them, so mails link to the https
//! landing page, which opens the app.

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maud::{html, Markup, DOCTYPE};
use serde::{Deserialize, Serialize};

use crate::db::Pool;

use crate::clock::Clock;
use crate::config::MailConfig;
use crate::error::Lang;

/// A mail ready to go.
#[derive(Clone, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
    /// A calendar invitation (`invitation.ics`), if any.
    pub ics: Option<String>,
}

impl std::fmt::Debug for OutgoingMail {
    // Bodies hold codes and links: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// How mails are delivered.
#[derive(Clone)]
pub enum Delivery {
    /// Into the sandbox outbox.
    Outbox {
        /// The database.
        pool: Pool,
        /// Its clock.
        clock: Clock,
    },
    /// Over SMTP.
    Smtp {
        /// The transport (boxed: it is much larger than the outbox variant).
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        /// The sender.
        from: Mailbox,
    },
}

impl Delivery {
    /// Prepares delivery for `config`.
    pub fn new(config: MailConfig, pool: Pool, clock: Clock) -> Result<Self, MailError> {
        Ok(match config {
            MailConfig::Outbox => Delivery::Outbox { pool, clock },
            MailConfig::Smtp { url, from } => Delivery::Smtp {
                transport: Box::new(
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
                        .map_err(MailError::SmtpUrl)?
                        .build(),
                ),
                from: from.parse().map_err(MailError::Sender)?,
            },
        })
    }

    /// Delivers one mail now.
    pub async fn deliver(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        match self {
            Delivery::Outbox { pool, clock } => sqlx::query(
                "INSERT INTO outbox (recipient, subject, text_body, html_body, ics, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&mail.to)
            .bind(&mail.subject)
            .bind(&mail.text)
            .bind(&mail.html)
            .bind(&mail.ics)
            .bind(clock.now())
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(MailError::Outbox),
            Delivery::Smtp { transport, from } => {
                let message = build_message(from, mail)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(MailError::Smtp)
            }
        }
    }
}

fn build_message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    // The recipient was validated on input; lettre refuses anything that would inject headers.
    let to: Mailbox = mail.to.parse().map_err(MailError::Recipient)?;
    let body = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(mail.html.clone()),
        );
    let body = match &mail.ics {
        Some(ics) => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
                .map_err(MailError::ContentType)?;
            MultiPart::mixed().multipart(body).singlepart(
                Attachment::new("invitation.ics".to_owned()).body(ics.clone(), calendar),
            )
        }
        None => body,
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(body)
        .map_err(MailError::Build)
}

/// Why a mail could not be prepared or delivered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The SMTP URL cannot be used.
    #[error("invalid SMTP URL: {0}")]
    SmtpUrl(lettre::transport::smtp::Error),
    /// The sender address is not one.
    #[error("invalid sender address: {0}")]
    Sender(lettre::address::AddressError),
    /// The recipient address is not one (checked on input; lettre checks again).
    #[error("invalid recipient: {0}")]
    Recipient(lettre::address::AddressError),
    /// A content type of the message.
    #[error("content type: {0}")]
    ContentType(lettre::message::header::ContentTypeErr),
    /// The message could not be assembled.
    #[error("message: {0}")]
    Build(lettre::error::Error),
    /// The sandbox's outbox could not be written.
    #[error("outbox: {0}")]
    Outbox(sqlx::Error),
    /// The SMTP server did not take the mail.
    #[error("SMTP: {0}")]
    Smtp(lettre::transport::smtp::Error),
    /// A queued mail could not be sealed, or its seal does not open (another server key, or
    /// changed bytes).
    #[error("the queued mail's seal")]
    Seal,
    /// The send took longer than the queue allows.
    #[error("the send timed out")]
    Timeout,
    /// The queue's table could not be written.
    #[error("mail queue: {0}")]
    Queue(sqlx::Error),
}

impl MailError {
    /// Whether trying again cannot help: the SMTP server refused the mail for good (a 5xx
    /// answer), the mail cannot be built, or its seal does not open.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Smtp(e) => e.is_permanent(),
            // A seal that does not open may be another instance's (a wrong key file):
            // retried, and given up only after every attempt.
            MailError::Outbox(_) | MailError::Queue(_) | MailError::Seal | MailError::Timeout => {
                false
            }
            _ => true,
        }
    }
}

fn layout(lang: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.as_locale()) {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: Arial, sans-serif; color: #1c2433; max-width: 560px; margin: 0 auto; padding: 24px;" {
                p style="color: #1d3a6e; font-weight: bold; font-size: 18px;" { "e-confiance" }
                (body)
                p style="color: #5b6478; font-size: 12px; margin-top: 32px;" {
                    (lang.pick("L'équipe e-confiance", "The e-confiance team"))
                }
            }
        }
    }
    .into_string()
}

/// A mail to `to`, its HTML part `body` in the mails' layout, without an invitation.
fn compose(lang: Lang, to: &str, subject: String, text: String, body: Markup) -> OutgoingMail {
    let html = layout(lang, &subject, body);
    OutgoingMail {
        to: to.to_owned(),
        subject,
        text,
        html,
        ics: None,
    }
}

/// Facts about the device that asked, for the mail.
pub struct DeviceLine<'a> {
    /// Device name.
    pub name: &'a str,
    /// Operating system.
    pub os: &'a str,
}

/// The magic-link mail: the https landing link and the code to type.
pub fn login_mail(
    lang: Lang,
    to: &str,
    device: &DeviceLine<'_>,
    link: &str,
    code: &str,
) -> OutgoingMail {
    let subject = lang.pick(
        "Votre lien de connexion e-confiance",
        "Your e-confiance login link",
    );
    let intro = match lang {
        Lang::Fr => format!(
            "Pour vous connecter à e-confiance sur « {} » ({}), ouvrez ce lien :",
            device.name, device.os
        ),
        Lang::En => format!(
            "To log in to e-confiance on \"{}\" ({}), open this link:",
            device.name, device.os
        ),
    };
    let code_line = lang.pick(
        "Ou saisissez ce code dans l'application :",
        "Or type this code in the app:",
    );
    let validity = lang.pick(
        "Ce lien et ce code sont valables 15 minutes et ne servent qu'une fois.",
        "This link and this code are valid for 15 minutes and work only once.",
    );
    let not_you = lang.pick(
        "Si vous n'avez rien demandé, ignorez cet e-mail : personne ne peut se connecter sans l'application qui a fait la demande.",
        "If you did not ask for this, ignore this e-mail: nobody can log in without the app that made the request.",
    );
    let hello = lang.pick("Bonjour,", "Hello,");
    let open = lang.pick("Se connecter", "Log in");
    let text =
        format!("{hello}\n\n{intro}\n{link}\n\n{code_line} {code}\n\n{validity}\n{not_you}\n");
    compose(
        lang,
        to,
        subject,
        text,
        html! {
            p { (hello) }
            p { (intro) }
            p { a href=(link) style="display:inline-block;background:#1d3a6e;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;" { (open) } }
            p { (code_line) " " strong style="font-size:20px;letter-spacing:2px;" { (code) } }
            p { (validity) }
            p style="color:#5b6478;" { (not_you) }
        },
    )
}

/// The password-reset mail: the https landing link (which opens the app or the form).
pub fn reset_mail(lang: Lang, to: &str, device: &DeviceLine<'_>, link: &str) -> OutgoingMail {
    let subject = lang.pick(
        "Réinitialisation de votre mot de passe e-confiance",
        "Resetting your e-confiance password",
    );
    let intro = match lang {
        Lang::Fr => format!("Une réinitialisation de votre mot de passe a été demandée depuis « {} » ({}). Pour choisir un nouveau mot de passe, ouvrez ce lien :", device.name, device.os),
        Lang::En => format!("A password reset was requested from \"{}\" ({}). To choose a new password, open this link:", device.name, device.os),
    };
    let validity = lang.pick(
        "Ce lien est valable 15 minutes et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.",
        "This link is valid for 15 minutes and works only once. If you did not ask for this, ignore this e-mail: your password stays unchanged.",
    );
    let hello = lang.pick("Bonjour,", "Hello,");
    let button = lang.pick("Choisir un nouveau mot de passe", "Choose a new password");
    let text = format!("{hello}\n\n{intro}\n{link}\n\n{validity}\n");
    compose(
        lang,
        to,
        subject,
        text,
        html! {
            p { (hello) }
            p { (intro) }
            p { a href=(link) style="display:inline-block;background:#1d3a6e;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;" { (button) } }
            p { (validity) }
        },
    )
}

/// Sent after a password was reset or changed.
pub fn password_changed_mail(
    lang: Lang,
    to: &str,
    when: &str,
    sessions_ended: bool,
) -> OutgoingMail {
    let subject = lang.pick(
        "Votre mot de passe e-confiance a été modifié",
        "Your e-confiance password was changed",
    );
    let what = match lang {
        Lang::Fr => format!("Le mot de passe de votre compte e-confiance a été modifié le {when}."),
        Lang::En => format!("The password of your e-confiance account was changed on {when}."),
    };
    let sessions = if sessions_ended {
        lang.pick(
            "Par sécurité, toutes vos sessions ont été fermées : reconnectez-vous sur chaque appareil.",
            "For your safety, all your sessions were ended: log in again on each device.",
        )
    } else {
        lang.pick(
            "Par sécurité, vos autres sessions ont été fermées.",
            "For your safety, your other sessions were ended.",
        )
    };
    let not_you = lang.pick(
        "Si ce n'est pas vous, contactez immédiatement le support e-confiance.",
        "If this was not you, contact e-confiance support at once.",
    );
    let hello = lang.pick("Bonjour,", "Hello,");
    let text = format!("{hello}\n\n{what}\n{sessions}\n\n{not_you}\n");
    compose(
        lang,
        to,
        subject,
        text,
        html! { p { (hello) } p { (what) } p { (sessions) } p { strong { (not_you) } } },
    )
}

/// The demo booking's confirmation, with its calendar invitation.
pub fn demo_confirmation_mail(
    lang: Lang,
    to: &str,
    name: &str,
    when: &str,
    ics: String,
) -> OutgoingMail {
    let subject = lang.pick(
        "Votre démonstration e-confiance est réservée",
        "Your e-confiance demo is booked",
    );
    let hello = format!("{} {name},", lang.pick("Bonjour", "Hello"));
    let what = match lang {
        Lang::Fr => format!("Votre démonstration d'e-confiance est réservée le {when}. Elle dure 30 minutes ; un conseiller vous appelle au numéro indiqué."),
        Lang::En => format!("Your e-confiance demo is booked on {when}. It lasts 30 minutes; an adviser will call you on the number you gave."),
    };
    let next = lang.pick(
        "Après la démonstration, l'équipe e-confiance ouvre votre compte et vous envoie un e-mail pour vous connecter. L'invitation ci-jointe ajoute le rendez-vous à votre agenda.",
        "After the demo, the e-confiance team opens your account and sends you an e-mail to log in. The attached invitation adds the appointment to your calendar.",
    );
    let text = format!("{hello}\n\n{what}\n\n{next}\n");
    OutgoingMail {
        ics: Some(ics),
        ..compose(
            lang,
            to,
            subject,
            text,
            html! { p { (hello) } p { (what) } p { (next) } },
        )
    }
}

/// Sent when an account is opened after a demo: how to log in, how to set a password.
pub fn welcome_mail(lang: Lang, to: &str, company: &str, app_url: &str) -> OutgoingMail {
    let subject = lang.pick(
        "Bienvenue sur e-confiance : votre compte est ouvert",
        "Welcome to e-confiance: your account is open",
    );
    let what = match lang {
        Lang::Fr => {
            format!("Le compte e-confiance de « {company} » est ouvert. Pour vous connecter :")
        }
        Lang::En => format!("The e-confiance account of \"{company}\" is open. To log in:"),
    };
    let steps = [
        lang.pick("Installez l'application e-confiance sur votre ordinateur.", "Install the e-confiance app on your computer."),
        lang.pick(&format!("Saisissez votre adresse e-mail ({to}) et cliquez sur « Recevoir mon lien de connexion »."), &format!("Enter your e-mail address ({to}) and click \"Send me my login link\".")),
        lang.pick("Ouvrez le lien reçu par e-mail (ou saisissez son code) : vous arrivez sur votre tableau de bord après avoir complété les informations de votre entreprise.", "Open the link you receive (or type its code): you reach your dashboard after filling in your company's details."),
    ];
    let password = lang.pick(
        "Vous n'avez pas encore de mot de passe : la connexion par lien suffit. Pour en choisir un, utilisez « J'ai oublié mon mot de passe » sur l'écran de connexion, ou les paramètres une fois connecté.",
        "You have no password yet: logging in by link is enough. To choose one, use \"I forgot my password\" on the login screen, or the settings once logged in.",
    );
    let download = match lang {
        Lang::Fr => format!("Télécharger l'application : {app_url}/download"),
        Lang::En => format!("Download the app: {app_url}/download"),
    };
    let text = format!(
        "{what}\n1. {}\n2. {}\n3. {}\n\n{password}\n\n{download}\n",
        steps[0], steps[1], steps[2]
    );
    compose(
        lang,
        to,
        subject,
        text,
        html! { p { (what) } ol { @for s in &steps { li { (s) } } } p { (password) } p { (download) } },
    )
}

/// What a team invitation mail says.
pub struct TeamInvitation<'a> {
    /// Who invites.
    pub inviter: &'a str,
    /// To which company.
    pub company: &'a str,
    /// With which role.
    pub role: econfiance_api::team::Role,
    /// Until when (Paris time, written out).
    pub expires: &'a str,
    /// The platform's public address (for the download page).
    pub app_url: &'a str,
}

/// A colleague's invitation to a company's team: what the role allows, and how to log in
/// (the usual login by link, with the invited address).
pub fn team_invitation_mail(lang: Lang, to: &str, invite: &TeamInvitation<'_>) -> OutgoingMail {
    use econfiance_api::team::Role;
    let TeamInvitation {
        inviter,
        company,
        role,
        expires,
        app_url,
    } = invite;
    let subject = match lang {
        Lang::Fr => format!("{inviter} vous invite dans l'équipe de « {company} » sur e-confiance"),
        Lang::En => format!("{inviter} invites you to the team of \"{company}\" on e-confiance"),
    };
    let (role_fr, role_en) = match role {
        Role::Owner => ("propriétaire : vous pourrez tout faire, y compris gérer l'équipe et le contrat", "owner: you will be able to do everything, including managing the team and the contract"),
        Role::Manager => ("gestionnaire : vous pourrez répondre aux avis, inviter des clients, gérer les modèles de réponse et les informations de l'entreprise", "manager: you will be able to answer reviews, invite customers, and keep the reply templates and the company's details"),
        Role::Reader => ("lecture seule : vous pourrez consulter les avis et les chiffres, sans rien modifier", "read only: you will be able to see the reviews and figures, without changing anything"),
    };
    let what = match lang {
        Lang::Fr => format!("{inviter} vous invite à rejoindre l'équipe de « {company} » sur e-confiance, avec le rôle {role_fr}."),
        Lang::En => format!("{inviter} invites you to join the team of \"{company}\" on e-confiance, with the role {role_en}."),
    };
    let steps = [
        lang.pick("Installez l'application e-confiance sur votre ordinateur.", "Install the e-confiance app on your computer."),
        lang.pick(&format!("Saisissez cette adresse e-mail ({to}) et cliquez sur « Recevoir mon lien de connexion »."), &format!("Enter this e-mail address ({to}) and click \"Send me my login link\".")),
        lang.pick("Ouvrez le lien reçu (ou saisissez son code), puis indiquez votre nom et votre téléphone.", "Open the link you receive (or type its code), then give your name and phone."),
    ];
    let expiry = match lang {
        Lang::Fr => format!("Cette invitation est valable jusqu'au {expires}. Passé ce délai, demandez à {inviter} de vous l'envoyer à nouveau. Si vous ne connaissez pas {inviter}, ignorez ce message."),
        Lang::En => format!("This invitation is valid until {expires}. After that, ask {inviter} to send it again. If you do not know {inviter}, ignore this message."),
    };
    let download = match lang {
        Lang::Fr => format!("Télécharger l'application : {app_url}/download"),
        Lang::En => format!("Download the app: {app_url}/download"),
    };
    let text = format!(
        "{what}\n1. {}\n2. {}\n3. {}\n\n{expiry}\n\n{download}\n",
        steps[0], steps[1], steps[2]
    );
    compose(
        lang,
        to,
        subject,
        text,
        html! { p { (what) } ol { @for s in &steps { li { (s) } } } p { (expiry) } p { (download) } },
    )
}

/// Confirms a support ticket, with its reference and the 48-hour promise.
pub fn ticket_confirmation_mail(
    lang: Lang,
    to: &str,
    reference: &str,
    subject_line: &str,
    respond_by: &str,
) -> OutgoingMail {
    let subject = match lang {
        Lang::Fr => format!("Demande {reference} reçue par le support e-confiance"),
        Lang::En => format!("Request {reference} received by e-confiance support"),
    };
    let what = match lang {
        Lang::Fr => format!("Nous avons bien reçu votre demande « {subject_line} » (référence {reference}). Le support vous répond sous 48 heures, avant le {respond_by}."),
        Lang::En => format!("We received your request \"{subject_line}\" (reference {reference}). Support answers within 48 hours, before {respond_by}."),
    };
    let text = format!("{what}\n");
    compose(lang, to, subject, text, html! { p { (what) } })
}

/// Support's answer to a ticket.
pub fn ticket_answer_mail(lang: Lang, to: &str, reference: &str, answer: &str) -> OutgoingMail {
    let subject = match lang {
        Lang::Fr => format!("Réponse du support e-confiance à votre demande {reference}"),
        Lang::En => format!("e-confiance support's answer to your request {reference}"),
    };
    let intro = lang.pick("Voici la réponse du support :", "Here is support's answer:");
    let text = format!("{intro}\n\n{answer}\n");
    compose(
        lang,
        to,
        subject,
        text,
        html! { p { (intro) } blockquote { @for line in answer.lines() { (line) br; } } },
    )
}

/// The small print that ends a mail: why it came, and the link that stops such mails.
fn small_print(why: &str, link: &str) -> Markup {
    html! { p style="color:#5b6478;font-size:12px;" { (why) " " a href=(link) { (link) } } }
}

/// A new review at or below the user's alert rating: its stars, title, an excerpt, and
/// the link that stops alert mails.
#[allow(clippy::too_many_arguments)]
pub fn review_alert_mail(
    lang: Lang,
    to: &str,
    company: &str,
    rating: i64,
    title: &str,
    body: &str,
    author: &str,
    stop_link: &str,
) -> OutgoingMail {
    let subject = match (lang, rating) {
        (Lang::Fr, 1) => format!("Nouvel avis 1 étoile pour {company}"),
        (Lang::Fr, n) => format!("Nouvel avis {n} étoiles pour {company}"),
        (Lang::En, 1) => format!("New 1-star review for {company}"),
        (Lang::En, n) => format!("New {n}-star review for {company}"),
    };
    let excerpt: String = body.chars().take(300).collect();
    let excerpt = if excerpt.len() < body.len() {
        format!("{excerpt}…")
    } else {
        excerpt
    };
    let by = match lang {
        Lang::Fr => format!("Avis de {author} :"),
        Lang::En => format!("Review by {author}:"),
    };
    let next = lang.pick(
        "Ouvrez e-confiance pour y répondre : une réponse rapide et courtoise rassure les clients qui la liront.",
        "Open e-confiance to answer it: a quick, courteous answer reassures the customers who will read it.",
    );
    let stop = lang.pick(
        "Vous recevez cet e-mail car vos alertes sont activées (Paramètres › Notifications et démarrage). Pour ne plus en recevoir :",
        "You get this e-mail because your alerts are on (Settings › Notifications and start). To stop them:",
    );
    let stars = "★".repeat(usize::try_from(rating.clamp(0, 5)).unwrap_or(0));
    let text =
        format!("{subject}\n\n{by} {stars}\n{title}\n{excerpt}\n\n{next}\n\n{stop}\n{stop_link}\n");
    compose(
        lang,
        to,
        subject,
        text,
        html! {
            p { (by) " " strong { (stars) } }
            p { strong { (title) } br; (excerpt) }
            p { (next) }
            (small_print(&stop, stop_link))
        },
    )
}

/// The weekly digest: the week's new reviews, their average, the reviews unanswered, of
/// `company` (its name, followed by the establishments counted when they are not all).
pub fn digest_mail(
    lang: Lang,
    to: &str,
    company: &str,
    new_reviews: i64,
    average: Option<f64>,
    unanswered: i64,
    stop_link: &str,
) -> OutgoingMail {
    let subject = match (lang, new_reviews) {
        (Lang::Fr, 0) => {
            format!("Votre semaine sur e-confiance : aucun nouvel avis pour {company}")
        }
        (Lang::Fr, 1) => format!("Votre semaine sur e-confiance : 1 nouvel avis pour {company}"),
        (Lang::Fr, n) => {
            format!("Votre semaine sur e-confiance : {n} nouveaux avis pour {company}")
        }
        (Lang::En, 0) => format!("Your week on e-confiance: no new review for {company}"),
        (Lang::En, 1) => format!("Your week on e-confiance: 1 new review for {company}"),
        (Lang::En, n) => format!("Your week on e-confiance: {n} new reviews for {company}"),
    };
    let average = average.map_or_else(|| "–".to_owned(), |a| lang.rating(a));
    let lines = match lang {
        Lang::Fr => [
            format!("Nouveaux avis ces 7 derniers jours : {new_reviews}"),
            format!("Note moyenne de ces avis : {average}"),
            format!("Avis publiés encore sans réponse : {unanswered}"),
        ],
        Lang::En => [
            format!("New reviews over the last 7 days: {new_reviews}"),
            format!("Average rating of these reviews: {average}"),
            format!("Published reviews still unanswered: {unanswered}"),
        ],
    };
    let next = lang.pick(
        "Ouvrez e-confiance pour lire les avis et répondre à ceux qui attendent.",
        "Open e-confiance to read the reviews and answer those waiting.",
    );
    let stop = lang.pick(
        "Vous recevez ce récapitulatif car il est activé (Paramètres › Notifications et démarrage). Pour ne plus en recevoir :",
        "You get this digest because it is on (Settings › Notifications and start). To stop it:",
    );
    let text = format!("{}\n\n{next}\n\n{stop}\n{stop_link}\n", lines.join("\n"));
    compose(
        lang,
        to,
        subject,
        text,
        html! {
            ul { @for line in &lines { li { (line) } } }
            p { (next) }
            (small_print(&stop, stop_link))
        },
    )
}

/// A company's invitation to a customer: a link to the review form, and one to stop the
/// company's invitations. Sent in the customer's language.
pub fn invitation_mail(
    lang: Lang,
    to: &str,
    customer: &str,
    company: &str,
    form_link: &str,
    unsubscribe_link: &str,
) -> OutgoingMail {
    let subject = match lang {
        Lang::Fr => format!("{company} aimerait connaître votre avis"),
        Lang::En => format!("{company} would like your opinion"),
    };
    let hello = match lang {
        Lang::Fr => format!("Bonjour {customer},"),
        Lang::En => format!("Hello {customer},"),
    };
    let ask = match lang {
        Lang::Fr => format!("Merci de votre confiance. {company} vous invite à dire en quelques mots comment s'est passée votre expérience : votre avis aide les autres clients et l'entreprise."),
        Lang::En => format!("Thank you for your custom. {company} invites you to say in a few words how your experience went: your review helps other customers and the business."),
    };
    let open = lang.pick("Donner mon avis", "Write my review");
    let validity = lang.pick(
        "Ce lien est personnel et reste valable 30 jours. Votre avis sera publié sur e-confiance avec la mention « avis vérifié », sous le nom que vous choisirez.",
        "This link is personal and works for 30 days. Your review will be published on e-confiance marked \"verified review\", under the name you choose.",
    );
    let stop = match lang {
        Lang::Fr => {
            format!("Vous ne souhaitez plus recevoir d'invitation de {company} ? Ouvrez ce lien :")
        }
        Lang::En => format!("You no longer want invitations from {company}? Open this link:"),
    };
    let text = format!(
        "{hello}\n\n{ask}\n\n{open} : {form_link}\n\n{validity}\n\n{stop}\n{unsubscribe_link}\n"
    );
    compose(
        lang,
        to,
        subject,
        text,
        html! {
            p { (hello) }
            p { (ask) }
            p { a href=(form_link) style="display:inline-block;background:#1d3a6e;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;" { (open) } }
            p { (validity) }
            (small_print(&stop, unsubscribe_link))
        },
    )
}
