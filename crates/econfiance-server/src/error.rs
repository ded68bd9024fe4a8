//! [`ApiError`]: every error answer of the API, as `{code, message}` with an HTTP status,
//! in the request's language. Internal failures are logged and never detailed to clients.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use econfiance_api::ErrorBody;
use econfiance_api::ErrorCode;

/// The language of an answer, from `Accept-Language` (English when it starts with `en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Français (default).
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Reads `Accept-Language`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let first = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim_start()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    /// From a stored locale (`fr` / `en`).
    pub fn from_locale(locale: &str) -> Self {
        if locale.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    /// The stored form.
    pub fn as_locale(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// An average out of 5 with one decimal, as this language writes it: `4,6/5`, `4.6/5`.
    pub fn rating(self, average: f64) -> String {
        let text = format!("{average:.1}/5");
        match self {
            Lang::Fr => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// Picks the text in this language.
    pub fn pick(self, fr: &str, en: &str) -> String {
        match self {
            Lang::Fr => fr.to_owned(),
            Lang::En => en.to_owned(),
        }
    }
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, lang: Lang, fr: &str, en: &str) -> Self {
        Self {
            status,
            code,
            message: lang.pick(fr, en),
            retry_after: None,
        }
    }

    /// The same error with a more precise message (already in the user's language).
    pub fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    /// A field is missing, malformed or out of bounds; `what` says which, in both languages.
    pub fn invalid(lang: Lang, fr: &str, en: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
            lang,
            fr,
            en,
        )
    }

    /// Wrong code or verifier, unknown or dead request.
    pub fn invalid_grant(lang: Lang) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidGrant,
            lang,
            "Ce code n'est pas le bon. Vérifiez-le dans l'e-mail, ou demandez un nouveau lien.",
            "This code is not the right one. Check it in the e-mail, or ask for a new link.",
        )
    }

    /// The code or link has expired.
    pub fn code_expired(lang: Lang) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::CodeExpired,
            lang,
            "Ce lien a expiré. Demandez un nouveau lien.",
            "This link has expired. Ask for a new link.",
        )
    }

    /// The code or link was already used.
    pub fn code_used(lang: Lang) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::CodeUsed,
            lang,
            "Ce lien a déjà été utilisé. Demandez un nouveau lien si vous n'êtes pas connecté.",
            "This link was already used. Ask for a new link if you are not logged in.",
        )
    }

    /// Five wrong codes.
    pub fn too_many_attempts(lang: Lang) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::TooManyAttempts,
            lang,
            "Trop de codes erronés : ce lien est désactivé par sécurité. Demandez un nouveau lien.",
            "Too many wrong codes: this link is disabled for safety. Ask for a new link.",
        )
    }

    /// Wrong e-mail or password.
    pub fn invalid_credentials(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            lang,
            "Adresse e-mail ou mot de passe incorrect. Si vous n'avez pas encore de mot de passe, connectez-vous par lien ou utilisez « J'ai oublié mon mot de passe ».",
            "Wrong e-mail address or password. If you have no password yet, log in with a link or use \"I forgot my password\".",
        )
    }

    /// The session has ended (refresh token unknown, expired, reused or revoked).
    pub fn session_ended(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::SessionEnded,
            lang,
            "Votre session a pris fin. Reconnectez-vous.",
            "Your session has ended. Please log in again.",
        )
    }

    /// The session was ended because its person was removed from the company's team (a
    /// session end with its own code, whose message the app shows).
    pub fn removed_from_team(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::RemovedFromTeam,
            lang,
            "Vous ne faites plus partie de l'équipe de cette entreprise : un propriétaire vous en a retiré. Si c'est une erreur, demandez-lui de vous inviter à nouveau.",
            "You are no longer in this company's team: an owner removed you. If this is a mistake, ask them to invite you again.",
        )
    }

    /// The session was ended because its person left the company's team from another
    /// device (the same code as a removal: the app shows the message).
    pub fn left_team(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::RemovedFromTeam,
            lang,
            "Vous avez quitté l'équipe de cette entreprise depuis un autre appareil. Reconnectez-vous pour continuer avec une autre de vos entreprises.",
            "You left this company's team from another device. Log in again to go on with another of your companies.",
        )
    }

    /// A login for a person who belongs to no company (their invitation expired or was
    /// withdrawn, or they were removed from every team): 403.
    pub fn no_company(lang: Lang) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            lang,
            "Cette adresse ne fait partie d'aucune entreprise sur e-confiance : votre invitation a expiré ou a été retirée. Demandez à la personne qui vous a invité de vous inviter à nouveau.",
            "This address belongs to no company on e-confiance: your invitation expired or was withdrawn. Ask the person who invited you to invite you again.",
        )
    }

    /// No valid access token.
    pub fn unauthorized(lang: Lang) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            lang,
            "Vous n'êtes pas connecté, ou votre session a expiré. Reconnectez-vous.",
            "You are not logged in, or your session has expired. Please log in again.",
        )
    }

    /// The new password is too weak; `hint` says why, in the request's language.
    pub fn weak_password(lang: Lang, hint: &str) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::WeakPassword,
            lang,
            "Ce mot de passe est trop facile à deviner. Choisissez au moins 10 caractères, par exemple quelques mots sans rapport entre eux.",
            "This password is too easy to guess. Choose at least 10 characters, for example a few unrelated words.",
        );
        if !hint.is_empty() {
            e.message = format!("{} {hint}", e.message);
        }
        e
    }

    /// Too many requests.
    pub fn rate_limited(lang: Lang, retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            lang,
            &format!("Trop de demandes en peu de temps. Réessayez dans {retry_after} secondes."),
            &format!("Too many requests in a short time. Try again in {retry_after} seconds."),
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// A link of this kind was sent to this e-mail less than the cooldown ago.
    pub fn resend_too_soon(lang: Lang, retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::ResendTooSoon,
            lang,
            &format!("Un lien vient d'être envoyé à cette adresse. Vérifiez votre boîte mail (et les courriers indésirables) ; vous pourrez en demander un autre dans {retry_after} secondes."),
            &format!("A link was just sent to this address. Check your inbox (and spam folder); you can ask for another one in {retry_after} seconds."),
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// The body is larger than the server accepts.
    pub fn body_too_large(lang: Lang) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTooLarge,
            lang,
            "Le contenu envoyé est trop volumineux. Raccourcissez-le, puis réessayez.",
            "What you sent is too large. Shorten it, then try again.",
        )
    }

    /// The demo slot was booked by someone else first.
    pub fn slot_taken(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::SlotTaken,
            lang,
            "Ce créneau vient d'être réservé par quelqu'un d'autre. Choisissez un autre créneau.",
            "This slot was just booked by someone else. Choose another slot.",
        )
    }

    /// A per-company limit is reached (409): the message says which, and what to do.
    pub fn limit_reached(lang: Lang, fr: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::LimitReached, lang, fr, en)
    }

    /// The session's role may not do this (403): the message says who may.
    pub fn forbidden(lang: Lang, action: econfiance_api::team::Action) -> Self {
        use econfiance_api::team::Action;
        let (fr, en) = match action {
            Action::ManageTeam | Action::Contract => (
                "Seul un propriétaire du compte peut faire cela. Demandez-le à un propriétaire de votre entreprise.",
                "Only an owner of the account can do this. Ask an owner of your company.",
            ),
            _ => (
                "Votre rôle (lecture seule) ne permet pas de faire cela. Demandez à un propriétaire de votre entreprise de changer votre rôle.",
                "Your role (read only) does not allow this. Ask an owner of your company to change your role.",
            ),
        };
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, lang, fr, en)
    }

    /// A member limited to some establishments may not do this for the whole company (403).
    pub fn forbidden_limited(lang: Lang) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            lang,
            "Vous n'avez accès qu'à certains établissements : seul un membre qui les voit tous peut faire cela. Demandez-le à un propriétaire de votre entreprise.",
            "You have access to some establishments only: only a member who sees them all can do this. Ask an owner of your company.",
        )
    }

    /// Leaving the person's only company (409).
    pub fn only_company(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::OnlyCompany,
            lang,
            "C'est votre seule entreprise : vous ne pouvez pas la quitter. Pour fermer votre compte, demandez sa suppression au support.",
            "This is your only company: you cannot leave it. To close your account, ask support to delete it.",
        )
    }

    /// The change would leave the company without an owner (409).
    pub fn last_owner(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::LastOwner,
            lang,
            "L'entreprise doit garder au moins un propriétaire : nommez d'abord un autre membre propriétaire.",
            "The company must keep at least one owner: make another member an owner first.",
        )
    }

    /// The e-mail is already a member of the company (409).
    pub fn already_member(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::AlreadyMember,
            lang,
            "Cette personne fait déjà partie de l'équipe : changez son rôle dans la liste des membres si besoin.",
            "This person is already in the team: change their role in the members list if needed.",
        )
    }

    /// A reply to a review of a closed establishment (409).
    pub fn establishment_closed(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::EstablishmentClosed,
            lang,
            "Cet établissement est fermé : ses avis restent consultables, mais on n'y répond plus. Rouvrez-le dans Paramètres › Établissements pour y répondre.",
            "This establishment is closed: its reviews can still be read, but no longer answered. Reopen it in Settings › Establishments to answer.",
        )
    }

    /// A follow-up to a closed support ticket (409).
    pub fn ticket_closed(lang: Lang) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ErrorCode::TicketClosed,
            lang,
            "Cette demande est close : envoyez une nouvelle demande au support, en citant sa référence si besoin.",
            "This request is closed: send support a new request, quoting its reference if needed.",
        )
    }

    /// Nothing here.
    pub fn not_found(lang: Lang) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            lang,
            "Cette ressource n'existe pas.",
            "This resource does not exist.",
        )
    }

    /// The address exists, but not for this method.
    pub fn method_not_allowed(lang: Lang) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            lang,
            "Cette action n'est pas possible à cette adresse. Mettez l'application à jour ; si cela continue, contactez le support.",
            "This action is not possible at this address. Update the app; if it goes on, contact support.",
        )
    }

    /// A failure of ours: logged with its detail, answered without it.
    pub fn internal(lang: Lang, detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            lang,
            "La plateforme a rencontré une erreur. Réessayez dans quelques minutes ; si cela continue, contactez le support.",
            "The platform ran into an error. Try again in a few minutes; if it goes on, contact support.",
        )
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                retry_after: self.retry_after,
                ..ErrorBody::new(self.code, self.message)
            }),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// Turns any database error into an internal error (logged, not shown).
pub fn db(lang: Lang) -> impl FnOnce(sqlx::Error) -> ApiError {
    move |e| ApiError::internal(lang, e)
}
