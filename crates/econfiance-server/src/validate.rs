//! Field rules of forms (demo requests, onboarding, support tickets), and the one answer
//! that reports every field error at once, each in French and English.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use econfiance_api::account::{FieldError, ValidationErrorBody};

use crate::error::{ApiError, Lang};

/// Collects field errors; [`Fields::finish`] answers 422 with all of them.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// Records an error on `field`.
    pub fn error(&mut self, field: &str, code: &str, fr: &str, en: &str) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message_fr: fr.to_owned(),
            message_en: en.to_owned(),
        });
    }

    /// A required text of 1..=`max` characters as sent (the document's `maxLength`), not
    /// blank, without control characters; returns it trimmed.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.error(
                field,
                "required",
                "Ce champ est obligatoire.",
                "This field is required.",
            );
        } else if value.chars().count() > max {
            self.error(
                field,
                "too_long",
                &format!("Ce champ est trop long ({max} caractères au plus)."),
                &format!("This field is too long ({max} characters at most)."),
            );
        } else if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.error(
                field,
                "invalid",
                "Ce champ contient des caractères non autorisés.",
                "This field contains characters that are not allowed.",
            );
        }
        trimmed.to_owned()
    }

    /// An optional text: empty means None.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(self.text(field, v, max)),
            _ => None,
        }
    }

    /// An e-mail address.
    pub fn email(&mut self, field: &str, value: &str) -> String {
        match crate::auth::valid_email(value, Lang::Fr) {
            Ok(email) => email,
            Err(_) => {
                self.error(
                    field,
                    "invalid_email",
                    "Cette adresse e-mail n'est pas valide : elle doit ressembler à nom@entreprise.fr.",
                    "This e-mail address is not valid: it should look like name@company.com.",
                );
                value.trim().to_owned()
            }
        }
    }

    /// A French phone number, normalised to `+33 X XX XX XX XX`.
    pub fn phone(&mut self, field: &str, value: &str) -> String {
        match normalise_french_phone(value) {
            Some(p) => p,
            None => {
                self.error(
                    field,
                    "invalid_phone",
                    "Ce numéro de téléphone n'est pas valide : il doit ressembler à 01 23 45 67 89.",
                    "This phone number is not valid: it should look like +33 1 23 45 67 89.",
                );
                value.trim().to_owned()
            }
        }
    }

    /// Whether any error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when no field is wrong, else the answer listing every error.
    pub fn finish(self, lang: Lang) -> Result<(), FieldsRejection> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(FieldsRejection {
                errors: self.errors,
                lang,
            })
        }
    }
}

/// 422 with every field error.
#[derive(Debug)]
pub struct FieldsRejection {
    errors: Vec<FieldError>,
    lang: Lang,
}

impl IntoResponse for FieldsRejection {
    fn into_response(self) -> Response {
        let n = self.errors.len();
        let message = match self.lang {
            Lang::Fr if n == 1 => "Un champ est à corriger.".to_owned(),
            Lang::Fr => format!("{n} champs sont à corriger."),
            Lang::En if n == 1 => "One field needs correcting.".to_owned(),
            Lang::En => format!("{n} fields need correcting."),
        };
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ValidationErrorBody {
                code: econfiance_api::ErrorCode::ValidationFailed,
                message,
                fields: self.errors,
            }),
        )
            .into_response()
    }
}

/// Either kind of failure of a form handler.
#[derive(Debug)]
pub enum FormError {
    /// Field errors.
    Fields(FieldsRejection),
    /// Any other API error.
    Api(ApiError),
}

impl From<FieldsRejection> for FormError {
    fn from(e: FieldsRejection) -> Self {
        FormError::Fields(e)
    }
}

impl From<ApiError> for FormError {
    fn from(e: ApiError) -> Self {
        FormError::Api(e)
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        match self {
            FormError::Fields(e) => e.into_response(),
            FormError::Api(e) => e.into_response(),
        }
    }
}

/// SIRET: 14 digits (spaces allowed), Luhn checksum — except La Poste's establishments
/// (SIREN 356 000 000), whose SIRET digit sum is a multiple of 5.
pub fn is_valid_siret(raw: &str) -> bool {
    let digits: Vec<u32> = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(10).unwrap_or(99))
        .collect();
    if digits.len() != 14 || digits.iter().any(|d| *d > 9) {
        return false;
    }
    let siren: String = digits[..9]
        .iter()
        .map(|d| char::from(b'0' + *d as u8))
        .collect();
    if siren == "356000000" {
        return digits.iter().sum::<u32>().is_multiple_of(5);
    }
    luhn(&digits)
}

/// Luhn checksum over digits (rightmost is the check digit).
pub fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let double = d * 2;
                if double > 9 {
                    double - 9
                } else {
                    double
                }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A French postal code: 5 digits, department 01–95 or 97–98 (overseas).
pub fn is_valid_postal_code(raw: &str) -> bool {
    let code = raw.trim();
    code.len() == 5
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches!(code[..2].parse::<u32>(), Ok(1..=95) | Ok(97..=98))
}

/// `+33 X XX XX XX XX` from `01 23 45 67 89`, `0123456789`, `+33 1 23 45 67 89`, `0033…`.
pub fn normalise_french_phone(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+33") {
        rest.to_owned()
    } else if let Some(rest) = compact.strip_prefix("0033") {
        rest.to_owned()
    } else if let Some(rest) = compact.strip_prefix('0') {
        rest.to_owned()
    } else {
        return None;
    };
    let national = national
        .strip_prefix('0')
        .map(str::to_owned)
        .unwrap_or(national);
    if national.len() != 9
        || !national.bytes().all(|b| b.is_ascii_digit())
        || national.starts_with('0')
    {
        return None;
    }
    let b = national.as_bytes();
    Some(format!(
        "+33 {} {}{} {}{} {}{} {}{}",
        b[0] as char,
        b[1] as char,
        b[2] as char,
        b[3] as char,
        b[4] as char,
        b[5] as char,
        b[6] as char,
        b[7] as char,
        b[8] as char
    ))
}

/// A website address: http(s) with a dotted host; `www.x.fr` gets `https://`.
pub fn normalise_website(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let with_scheme = if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?;
    if !host.contains('.')
        || url.username() != ""
        || url.password().is_some()
        || with_scheme.len() > 300
    {
        return None;
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_luhn_passes_and_fails() {
        // SIRET of well-known French establishments (public registry data).
        for good in ["73282932000074", "552 100 554 00021", "44306184100047"] {
            assert!(is_valid_siret(good), "{good}");
        }
        for bad in [
            "73282932000075",
            "1234567890123",
            "7328293200007A",
            "",
            "732829320000744",
        ] {
            assert!(!is_valid_siret(bad), "{bad}");
        }
    }

    #[test]
    fn la_poste_siret_uses_the_digit_sum_rule() {
        // SIREN 356 000 000: the SIRET's digit sum must be a multiple of 5, Luhn or not.
        assert!(is_valid_siret("35600000000001")); // sum 15, fails Luhn: valid for La Poste
        assert!(!is_valid_siret("35600000000014")); // passes Luhn, sum 19: not valid for La Poste
    }

    #[test]
    fn postal_codes_are_french() {
        for good in ["75001", "13008", "97400", "01000", "20000"] {
            assert!(is_valid_postal_code(good), "{good}");
        }
        for bad in [
            "7500", "750011", "00123", "96000", "99000", "2A000", "ABCDE",
        ] {
            assert!(!is_valid_postal_code(bad), "{bad}");
        }
    }

    #[test]
    fn french_phones_are_normalised() {
        assert_eq!(
            normalise_french_phone("01 23 45 67 89").as_deref(),
            Some("+33 1 23 45 67 89")
        );
        assert_eq!(
            normalise_french_phone("+33 6.12.34.56.78").as_deref(),
            Some("+33 6 12 34 56 78")
        );
        assert_eq!(normalise_french_phone("0033 (0)6 12 34 56 78"), None);
        assert_eq!(normalise_french_phone("+33 (0)612345678"), None);
        assert_eq!(
            normalise_french_phone("0612345678").as_deref(),
            Some("+33 6 12 34 56 78")
        );
        for bad in ["12345", "06 12 34 56 7", "+44 20 7946 0958", "0012345678"] {
            assert_eq!(normalise_french_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn websites_need_a_real_host() {
        assert_eq!(
            normalise_website("www.boulangerie.fr").as_deref(),
            Some("https://www.boulangerie.fr/")
        );
        assert_eq!(
            normalise_website("http://exemple.fr/a").as_deref(),
            Some("http://exemple.fr/a")
        );
        for bad in [
            "localhost",
            "javascript:alert(1)",
            "https://user:pw@x.fr",
            "",
        ] {
            assert_eq!(normalise_website(bad), None, "{bad}");
        }
    }
}
