//! What happens to an `econfiance://` link the OS delivers.
//!
//! [`handle_link`] parses the raw text strictly and checks that it answers a request this
//! app has pending; the result is a [`LinkEvent`] for the UI. (With a session manager, the
//! whole decision is `SessionManager::receive_link`'s.) [`LinkInbox`] holds events
//! until the UI is ready (a link that starts the app arrives before the window has loaded)
//! and hands them over exactly once.

use std::collections::VecDeque;
use std::sync::Mutex;

use econfiance_api::link::RequestId;
use econfiance_api::DeepLink;

use crate::ipc::LinkEvent;
use crate::{ClientError, Language};

/// How many undelivered events the inbox keeps; older ones are dropped first. A person
/// clicks a handful of links; a flood is an attack or a loop.
pub const INBOX_CAPACITY: usize = 16;

/// Whether a link's text looks like it is meant for this app (its scheme, in any case).
/// Only such command-line arguments are treated as links.
pub fn is_link_candidate(arg: &str) -> bool {
    arg.get(..econfiance_api::link::SCHEME.len() + 1)
        .is_some_and(|head| head.eq_ignore_ascii_case("econfiance:"))
}

/// Parses `raw` and accepts it only when `is_pending` knows its request.
pub fn accept_link(
    raw: &[u8],
    is_pending: impl Fn(&RequestId) -> bool,
) -> Result<DeepLink, ClientError> {
    let link = DeepLink::parse_bytes(raw)?;
    if !is_pending(link.request()) {
        return Err(ClientError::LinkNotRequestedHere);
    }
    Ok(link)
}

/// Turns a delivered link into the event the UI shows. Logs what happened without the secret.
pub fn handle_link(
    raw: &[u8],
    is_pending: impl Fn(&RequestId) -> bool,
    lang: Language,
) -> LinkEvent {
    match accept_link(raw, is_pending) {
        Ok(link) => {
            tracing::info!(link = %link.describe(), "deep link accepted");
            // The desktop app decides links in `SessionManager::receive_link` and comes here
            // only when no server is configured (nothing can be pending); a caller that does
            // not complete links reports them as accepted.
            LinkEvent::Accepted {
                request_id: link.request().to_string(),
            }
        }
        Err(error) => {
            tracing::warn!(code = %error.code(), reason = %error, "deep link refused");
            LinkEvent::Rejected {
                error: error.to_body(lang),
            }
        }
    }
}

/// What the shell must do with an event just received.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The UI is listening: emit it now.
    Emit(LinkEvent),
    /// Kept until the UI drains the inbox.
    Buffered,
}

#[derive(Debug, Default)]
struct InboxState {
    ui_ready: bool,
    pending: VecDeque<LinkEvent>,
}

/// Holds link events until the UI is ready, then lets them through.
///
/// The UI first subscribes to the live event, then calls [`LinkInbox::drain_for_ui`]; from
/// that moment events are emitted directly. A reload of the page calls
/// [`LinkInbox::ui_unloaded`] so that events are buffered again until the new page drains.
#[derive(Debug, Default)]
pub struct LinkInbox {
    state: Mutex<InboxState>,
}

impl LinkInbox {
    /// Records an event and says whether to emit it now.
    pub fn receive(&self, event: LinkEvent) -> Delivery {
        let mut state = self.lock();
        if state.ui_ready {
            return Delivery::Emit(event);
        }
        if state.pending.len() == INBOX_CAPACITY {
            state.pending.pop_front();
        }
        state.pending.push_back(event);
        Delivery::Buffered
    }

    /// Hands every buffered event to the UI, once, and marks the UI ready.
    pub fn drain_for_ui(&self) -> Vec<LinkEvent> {
        let mut state = self.lock();
        state.ui_ready = true;
        state.pending.drain(..).collect()
    }

    /// The page went away (reload, navigation): buffer again until the next drain.
    pub fn ui_unloaded(&self) {
        self.lock().ui_ready = false;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InboxState> {
        // A panic while holding this lock cannot leave the state inconsistent
        // (each operation is a single push, pop or flag write), so poison is ignored.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P";

    fn rejected_code(event: &LinkEvent) -> &'static str {
        match event {
            LinkEvent::Rejected { error } => error.code.as_str(),
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn rejects_callback_for_unknown_request() {
        let event = handle_link(GOOD.as_bytes(), |_| false, Language::Fr);
        assert_eq!(rejected_code(&event), "link_not_requested_here");
    }

    #[test]
    fn rejects_malformed_link_with_its_own_code() {
        for raw in [
            "econfiance://auth/callback?request=rq_0123456789abcdef".as_bytes(),
            b"econfiance://evil/callback",
            b"econfiance://auth/callback?request=rq_0123456789abcdef&code=K7M4-QX2P\xff",
        ] {
            let event = handle_link(raw, |_| true, Language::En);
            assert_eq!(rejected_code(&event), "link_malformed");
        }
    }

    #[test]
    fn accepts_callback_for_a_pending_request() {
        let event = handle_link(
            GOOD.as_bytes(),
            |r| r.as_str() == "rq_0123456789abcdef",
            Language::Fr,
        );
        assert_eq!(
            event,
            LinkEvent::Accepted {
                request_id: "rq_0123456789abcdef".into()
            }
        );
    }

    #[test]
    fn link_candidates_are_recognised_by_scheme_only() {
        assert!(is_link_candidate(GOOD));
        assert!(is_link_candidate("ECONFIANCE:whatever"));
        assert!(!is_link_candidate("--safe-mode"));
        assert!(!is_link_candidate("econf"));
        assert!(!is_link_candidate("https://econfiance.fr"));
        assert!(!is_link_candidate("é"));
    }

    #[test]
    fn inbox_buffers_until_the_ui_drains_then_emits() {
        let inbox = LinkInbox::default();
        let event = |n: &str| LinkEvent::Accepted {
            request_id: n.into(),
        };
        assert_eq!(inbox.receive(event("a")), Delivery::Buffered);
        assert_eq!(inbox.receive(event("b")), Delivery::Buffered);
        assert_eq!(inbox.drain_for_ui(), vec![event("a"), event("b")]);
        assert_eq!(inbox.drain_for_ui(), vec![], "events are handed over once");
        assert_eq!(inbox.receive(event("c")), Delivery::Emit(event("c")));
        inbox.ui_unloaded();
        assert_eq!(inbox.receive(event("d")), Delivery::Buffered);
        assert_eq!(inbox.drain_for_ui(), vec![event("d")]);
    }

    #[test]
    fn inbox_keeps_only_the_latest_events() {
        let inbox = LinkInbox::default();
        for i in 0..(INBOX_CAPACITY + 5) {
            inbox.receive(LinkEvent::Accepted {
                request_id: i.to_string(),
            });
        }
        let drained = inbox.drain_for_ui();
        assert_eq!(drained.len(), INBOX_CAPACITY);
        assert_eq!(
            drained[0],
            LinkEvent::Accepted {
                request_id: "5".into()
            }
        );
    }
}
