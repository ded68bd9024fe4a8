//! Reply templates: answers the owner writes once, names, and picks in the reply editor,
//! with fields filled in for each review. The same templates drive the suggested reply:
//! a template with a rating range is the suggestion's body for reviews in that range, and
//! a template with a [`Topic`] adds its sentence when the review mentions that topic.
//!
//! - `GET /v1/reply-templates` → `Vec<`[`ReplyTemplate`]`>` (starter templates the first
//!   time);
//! - `POST /v1/reply-templates` ([`TemplateBody`]) → [`ReplyTemplate`];
//! - `PUT /v1/reply-templates/{id}` ([`TemplateBody`]) → [`ReplyTemplate`];
//! - `DELETE /v1/reply-templates/{id}`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A company keeps at most this many templates.
pub const MAX_TEMPLATES: usize = 100;
/// A template's name is at most this many characters.
pub const MAX_NAME_CHARS: usize = 80;
/// A template's text is at most this many characters (a reply's own limit).
pub const MAX_BODY_CHARS: usize = 4096;

/// What a review talks about, as the suggested reply recognises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// The welcome, the staff.
    Accueil,
    /// The price.
    Prix,
    /// Waiting, delivery times.
    Delai,
    /// The quality of the product or the work.
    Qualite,
}

impl Topic {
    /// Every topic, in the order sentences are added.
    pub const ALL: [Topic; 4] = [Topic::Accueil, Topic::Prix, Topic::Delai, Topic::Qualite];

    /// The name stored and sent (`accueil`, `prix`, `delai`, `qualite`).
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Accueil => "accueil",
            Topic::Prix => "prix",
            Topic::Delai => "delai",
            Topic::Qualite => "qualite",
        }
    }

    /// The topic of a stored name.
    pub fn parse(text: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// One reply template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ReplyTemplate {
    /// Id.
    pub id: String,
    /// The owner's name for it ("Merci, avis positif").
    pub name: String,
    /// Its text, with fields: `{prénom}`, `{entreprise}`, `{date}` (or `{first_name}`,
    /// `{company}`).
    pub body: String,
    /// The language it is written in (`fr` or `en`): suggestions use templates in the
    /// review's language.
    pub language: String,
    /// The lowest rating it suits (1–5).
    pub min_rating: u8,
    /// The highest rating it suits (1–5).
    pub max_rating: u8,
    /// When set, the template is one sentence about this topic, added to the suggested
    /// reply of a review that mentions it; when not, it is a whole reply.
    pub topic: Option<Topic>,
}

/// Body of `POST /v1/reply-templates` and `PUT /v1/reply-templates/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct TemplateBody {
    /// Its name (1 to 80 characters).
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// Its text (1 to 4,096 characters).
    #[schema(min_length = 1, max_length = 4096)]
    pub body: String,
    /// `fr` or `en`.
    #[schema(pattern = "^(fr|en)$")]
    pub language: String,
    /// The lowest rating it suits (1–5, default 1).
    #[serde(default = "one", deserialize_with = "crate::whole::u8_whole")]
    #[schema(minimum = 1, maximum = 5)]
    pub min_rating: u8,
    /// The highest rating it suits (1–5, default 5, not below `min_rating`).
    #[serde(default = "five", deserialize_with = "crate::whole::u8_whole")]
    #[schema(minimum = 1, maximum = 5)]
    pub max_rating: u8,
    /// A topic sentence rather than a whole reply.
    #[serde(default)]
    pub topic: Option<Topic>,
}

fn one() -> u8 {
    1
}

fn five() -> u8 {
    5
}
