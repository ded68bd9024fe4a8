//! The login protocol on the server (design brief, "Login protocol").
//!
//! - [`requests`]: login and password-reset requests (PKCE-bound, same answer for unknown
//!   e-mails, mail sent off the request path);
//! - [`tokens`]: the token endpoint (login code, password, refresh with rotation and grace);
//! - [`sessions`]: bearer authentication, logout, listing and revoking sessions;
//! - [`passwords`]: confirming a reset, changing one's password, the strength rule.

pub mod passwords;
pub mod requests;
pub mod sessions;
pub mod tokens;

use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::error::{ApiError, Lang};
use crate::AppContext;

/// Routes of the auth API.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route(
            "/v1/auth/login-requests",
            post(requests::create_login_request),
        )
        .route(
            "/v1/auth/password-resets",
            post(requests::create_reset_request),
        )
        .route(
            "/v1/auth/password-resets/confirm",
            post(passwords::confirm_reset),
        )
        .route("/v1/auth/token", post(tokens::token))
        .route("/v1/auth/logout", post(sessions::logout))
        .route("/v1/auth/sessions", get(sessions::list))
        .route("/v1/auth/sessions/{id}", delete(sessions::revoke))
        .route("/v1/me/password", put(passwords::change_password))
}

/// Checks an e-mail address enough to reject garbage and header injection: one `@`, a
/// dotted domain, no spaces, control or invisible characters, at most 254 characters as
/// sent (the document's `maxLength`). Returns it trimmed.
pub fn valid_email(raw: &str, lang: Lang) -> Result<String, ApiError> {
    let email = raw.trim();
    let ok = raw.chars().count() <= 254
        && !email.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || invisible(c)
                || c == '<'
                || c == '>'
                || c == '"'
                || c == ','
        })
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if ok {
        Ok(email.to_owned())
    } else {
        Err(ApiError::invalid(
            lang,
            "Cette adresse e-mail n'est pas valide. Vérifiez-la : elle doit ressembler à nom@entreprise.fr.",
            "This e-mail address is not valid. Check it: it should look like name@company.com.",
        ))
    }
}

/// The one form under which an address is compared, everywhere: trimmed, ASCII letters in
/// lower case, every other character as typed. The database compares `lower(email)` with
/// it (ASCII-only on both engines), and the per-e-mail limits count under it, so two
/// spellings are either the same account and the same allowance, or neither.
pub fn email_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// Characters that show nothing (Unicode's default-ignorable code points: zero-width
/// spaces and joiners, the soft hyphen, direction marks and overrides, variation
/// selectors, tags): an address holding one looks like another one.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Checks the device description: 1–100 characters each, no control characters.
pub fn valid_device(device: &econfiance_api::auth::DeviceInfo, lang: Lang) -> Result<(), ApiError> {
    let fine = |s: &str| {
        !s.trim().is_empty() && s.chars().count() <= 100 && !s.chars().any(char::is_control)
    };
    if fine(&device.name) && fine(&device.os) && fine(&device.app_version) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            lang,
            "La description de l'appareil est invalide. Mettez l'application à jour.",
            "The device description is invalid. Update the app.",
        ))
    }
}
