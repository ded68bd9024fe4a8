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
    /// The session followed, the company it acted for (as [`crate::desktop::Desktop::company_switches`]
    /// counts), and its position in that company's feed.
    position: Option<(String, u64, i64)>,
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
        // A position read for another session, or before a switch of company, is not one
        // in this feed: the feed starts again from now (nothing old is announced).
        let company = desktop.company_switches();
        let after = self
            .position
            .as_ref()
            .filter(|(session, switches, _)| {
                *session == signed_in.session_id && *switches == company
            })
            .map(|(_, _, seq)| *seq);
        match manager.call(crate::api::reviews::events(after)).await {
            Ok(page) => {
                self.position = Some((signed_in.session_id, company, page.last_seq));
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
