//! Fuzz target `deep_link`: the bytes an OS could hand the app as a link.

use econfiance_api::DeepLink;
use econfiance_client::links::handle_link;
use econfiance_client::{ipc::LinkEvent, Language};

/// Parses `data` as a deep link. Properties: no panic; an accepted link writes back to a
/// URL that parses to the same link (what is checked is what is used); a link that answers
/// no pending request is refused with a message in each language; and no refusal message
/// repeats the link's secret (its code or token).
pub fn deep_link(data: &[u8]) {
    let parsed = DeepLink::parse_bytes(data);
    if let Ok(link) = &parsed {
        let again = DeepLink::parse(&link.to_url()).expect("a parsed link's URL parses again");
        assert_eq!(&again, link, "a link survives its own round trip");
        let _ = link.describe();
    }
    for lang in [Language::Fr, Language::En] {
        match handle_link(data, |_| false, lang) {
            LinkEvent::Rejected { error } => {
                assert!(
                    error.code != econfiance_api::ErrorCode::Unknown && !error.message.is_empty()
                );
                if let Ok(link) = &parsed {
                    assert_eq!(error.code, "link_not_requested_here");
                    assert!(
                        !error.message.contains(&link.to_url()),
                        "the refusal repeats the link"
                    );
                }
            }
            other => panic!("a link nobody asked for was not refused: {other:?}"),
        }
    }
}
