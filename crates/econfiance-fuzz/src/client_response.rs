//! Fuzz target `client_response`: any answer a server (or what poses as one) could send.

use econfiance_api::account::{
    Contract, DeletionTerms, DemoBooked, DemoSlots, Me, Ticket, TicketCreated,
};
use econfiance_api::auth::{RequestCreated, SessionInfo, TokenResponse};
use econfiance_api::reviews::{EventPage, Review, ReviewPage, Summary, TrustIndex};
use econfiance_api::PlatformStatus;
use econfiance_client::api::decode_answer;
use econfiance_client::{ClientError, Language};
use serde::de::DeserializeOwned;
use std::sync::OnceLock;

/// The input: byte 0 picks the answer type, bytes 1–2 the status (folded into 100–599),
/// byte 3 whether a `Retry-After` header comes with it, the rest is the body.
///
/// Properties: reading never panics; a success status gives either the value or
/// `unexpected_response`; an error status never gives a value; every error has a code and
/// a message in both languages.
pub fn client_response(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let status = 100 + (u16::from_be_bytes([data[1], data[2]]) % 500);
    let retry_after = data[3] & 1 == 1;
    let body = data[4..].to_vec();
    runtime().block_on(async move {
        match data[0] % 18 {
            0 => check::<PlatformStatus>(status, retry_after, body).await,
            1 => check::<RequestCreated>(status, retry_after, body).await,
            2 => check::<TokenResponse>(status, retry_after, body).await,
            3 => check::<Vec<SessionInfo>>(status, retry_after, body).await,
            4 => check::<Me>(status, retry_after, body).await,
            5 => check::<Contract>(status, retry_after, body).await,
            6 => check::<DeletionTerms>(status, retry_after, body).await,
            7 => check::<DemoSlots>(status, retry_after, body).await,
            8 => check::<DemoBooked>(status, retry_after, body).await,
            9 => check::<TicketCreated>(status, retry_after, body).await,
            10 => check::<Vec<Ticket>>(status, retry_after, body).await,
            11 => check::<Summary>(status, retry_after, body).await,
            12 => check::<TrustIndex>(status, retry_after, body).await,
            13 => check::<ReviewPage>(status, retry_after, body).await,
            14 => check::<Review>(status, retry_after, body).await,
            15 => check::<EventPage>(status, retry_after, body).await,
            16 => check::<serde_json::Value>(status, retry_after, body).await,
            _ => check::<econfiance_api::ErrorBody>(status, retry_after, body).await,
        }
    });
}

async fn check<T: DeserializeOwned>(status: u16, retry_after: bool, body: Vec<u8>) {
    let mut answer = http::Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if retry_after {
        answer = answer.header("retry-after", "30");
    }
    let Ok(answer) = answer.body(body) else {
        return;
    };
    let success = (200..300).contains(&status);
    match decode_answer::<T>(reqwest::Response::from(answer)).await {
        Ok(_) => assert!(success, "an error status {status} gave a value"),
        Err(error) => {
            if success {
                assert!(
                    matches!(error, ClientError::UnexpectedResponse(_)),
                    "a success answer failed otherwise: {error:?}"
                );
            }
            for lang in [Language::Fr, Language::En] {
                let body = error.to_body(lang);
                assert!(
                    !body.message.trim().is_empty(),
                    "an error without a message"
                );
                assert!(
                    !body.message.trim().is_empty(),
                    "an error without a message"
                );
            }
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}
