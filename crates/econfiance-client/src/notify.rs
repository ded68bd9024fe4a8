//! Which new reviews raise a desktop notification, and what it says.

use econfiance_api::reviews::{EventKind, Review};
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

/// Follows the server's events feed for the logged-in session and says which new reviews
/// to notify. The first answer of a session only sets the position in the feed, so that
/// only reviews arriving after login are notified; another session starts again.
#[derive(Debug, Default)]
pub struct FeedFollower {
    /// The session followed and its position in the feed.
    position: Option<(String, i64)>,
}

impl FeedFollower {
    /// Asks the feed once; the new reviews the user's choice keeps.
    pub async fn next(&mut self, desktop: &crate::desktop::Desktop) -> Vec<Review> {
        let Some(manager) = desktop.session() else {
            return Vec::new();
        };
        let Some(signed_in) = manager.signed_in().await else {
            self.position = None;
            return Vec::new();
        };
        let after = self
            .position
            .as_ref()
            .filter(|(session, _)| *session == signed_in.session_id)
            .map(|(_, seq)| *seq);
        match manager.call(crate::api::reviews::events(after)).await {
            Ok(page) => {
                self.position = Some((signed_in.session_id, page.last_seq));
                if after.is_none() {
                    return Vec::new();
                }
                let choice =
                    crate::storage::Settings::load(&desktop.dirs.settings_file()).notifications;
                page.events
                    .into_iter()
                    .filter(|e| e.kind == EventKind::ReviewCreated && choice.wants(e.review.rating))
                    .map(|e| e.review)
                    .collect()
            }
            Err(e) => {
                tracing::info!(code = %e.code(), "events feed not reachable");
                Vec::new()
            }
        }
    }
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
