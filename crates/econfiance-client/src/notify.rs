//! Which new reviews raise a desktop notification, and what it says.

use econfiance_api::reviews::Review;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Language;

/// The user's choice in the settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotificationChoice {
    /// Every new review.
    #[default]
    All,
    /// Only reviews of 3 stars and below (the ones to answer first).
    LowRatings,
    /// None.
    None,
}

impl NotificationChoice {
    /// Whether a new review of `rating` stars is notified.
    pub fn wants(self, rating: u8) -> bool {
        match self {
            NotificationChoice::All => true,
            NotificationChoice::LowRatings => rating <= 3,
            NotificationChoice::None => false,
        }
    }
}

/// The notification of a new review: its title line and its text (plain text; the review's
/// own words are cut short and never interpreted).
pub fn text_for(review: &Review, lang: Language) -> (String, String) {
    let stars = format!(
        "{}{}",
        "★".repeat(usize::from(review.rating.min(5))),
        "☆".repeat(usize::from(5 - review.rating.min(5)))
    );
    let summary = format!("{} {stars}", lang.pick("Nouvel avis", "New review"));
    let mut title: String = review.title.chars().take(80).collect();
    if review.title.chars().count() > 80 {
        title.push('…');
    }
    let author: String = review.author_name.chars().take(40).collect();
    (summary, format!("{author} : « {title} »"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_filters_by_stars() {
        assert!(NotificationChoice::All.wants(5));
        assert!(NotificationChoice::LowRatings.wants(3));
        assert!(!NotificationChoice::LowRatings.wants(4));
        assert!(!NotificationChoice::None.wants(1));
    }
}
