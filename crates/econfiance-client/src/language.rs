//! The app's language: French first, English when the OS locale is English, switchable.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Français, the default.
    #[default]
    Fr,
    /// English, for OS locales `en`, `en-*`, `en_*`.
    En,
}

impl Language {
    /// Picks the language for an OS locale such as `fr-FR`, `en_GB.UTF-8` or `C`:
    /// English for English locales, French for everything else.
    pub fn from_locale(locale: Option<&str>) -> Self {
        match locale {
            Some(l) if l.len() >= 2 && l[..2].eq_ignore_ascii_case("en") => {
                let rest = &l[2..];
                if rest.is_empty() || rest.starts_with(['-', '_', '.']) {
                    Language::En
                } else {
                    Language::Fr
                }
            }
            _ => Language::Fr,
        }
    }

    /// Chooses between a French and an English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Fr => fr,
            Language::En => en,
        }
    }
}

/// The language in use, shared by every part that speaks to the user or the server (the
/// API client and its clones): changed in one place, read everywhere.
#[derive(Debug, Clone, Default)]
pub struct LanguageSetting(std::sync::Arc<std::sync::RwLock<Language>>);

impl LanguageSetting {
    /// The language now.
    pub fn get(&self) -> Language {
        *self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Switches to `language`.
    pub fn set(&self, language: Language) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = language;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_set_on_one_copy_is_read_on_every_other() {
        let one = LanguageSetting::default();
        let other = one.clone();
        assert_eq!(other.get(), Language::Fr);
        one.set(Language::En);
        assert_eq!(other.get(), Language::En);
    }

    #[test]
    fn english_locales_give_english() {
        for l in ["en", "en-US", "en_GB.UTF-8", "EN-gb"] {
            assert_eq!(Language::from_locale(Some(l)), Language::En, "{l}");
        }
    }

    #[test]
    fn everything_else_gives_french() {
        for l in [
            Some("fr-FR"),
            Some("fr_CA.UTF-8"),
            Some("de-DE"),
            Some("C"),
            Some("eng"),
            Some(""),
            None,
        ] {
            assert_eq!(Language::from_locale(l), Language::Fr, "{l:?}");
        }
    }
}
