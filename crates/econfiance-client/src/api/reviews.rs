//! The dashboard's and the inbox's endpoints: figures (of all establishments or one), the
//! establishments, trust index, reviews, replies, flags, the CSV export and the feed of new
//! reviews.

use econfiance_api::establishments::{Establishment, EstablishmentBody};
use econfiance_api::reviews::{
    EventPage, FlagBody, ReplyBody, Review, ReviewPage, ReviewQuery, Summary, TrustIndex,
};
use reqwest::Method;

use super::call::{segment, Call};

/// `GET /v1/dashboard/summary` (default period: the last 30 days).
pub fn summary(from: Option<&str>, to: Option<&str>) -> Call<Summary> {
    summary_of(from, to, None)
}

/// `GET /v1/dashboard/summary?establishment=…`: one establishment's figures (all of them
/// without one).
pub fn summary_of(
    from: Option<&str>,
    to: Option<&str>,
    establishment: Option<&str>,
) -> Call<Summary> {
    Call::get("/v1/dashboard/summary")
        .param("from", from.filter(|d| !d.trim().is_empty()))
        .param("to", to.filter(|d| !d.trim().is_empty()))
        .param(
            "establishment",
            establishment.filter(|e| !e.trim().is_empty()),
        )
}

/// `GET /v1/establishments`.
pub fn establishments() -> Call<Vec<Establishment>> {
    Call::get("/v1/establishments")
}

/// `POST /v1/establishments`.
pub fn create_establishment(body: &EstablishmentBody) -> Call<Establishment> {
    Call::to(Method::POST, "/v1/establishments").json(body)
}

/// `PUT /v1/establishments/{id}`.
pub fn update_establishment(id: &str, body: &EstablishmentBody) -> Call<Establishment> {
    Call::to(Method::PUT, format!("/v1/establishments/{}", segment(id))).json(body)
}

/// `GET /v1/company/trust-index`.
pub fn trust_index() -> Call<TrustIndex> {
    Call::get("/v1/company/trust-index")
}

/// `GET /v1/reviews` with filters and paging.
pub fn list(query: &ReviewQuery) -> Call<ReviewPage> {
    Call::get("/v1/reviews").params(&query.without_blanks())
}

/// `GET /v1/reviews/{id}`.
pub fn one(id: &str) -> Call<Review> {
    Call::get(format!("/v1/reviews/{}", segment(id)))
}

/// `PUT /v1/reviews/{id}/reply`.
pub fn put_reply(id: &str, body: &str) -> Call<Review> {
    Call::to(Method::PUT, format!("/v1/reviews/{}/reply", segment(id))).json(&ReplyBody {
        body: body.to_owned(),
    })
}

/// `DELETE /v1/reviews/{id}/reply`.
pub fn delete_reply(id: &str) -> Call<()> {
    Call::empty(Method::DELETE, format!("/v1/reviews/{}/reply", segment(id)))
}

/// `POST /v1/reviews/{id}/flags`.
pub fn flag(id: &str, reason: &str) -> Call<()> {
    Call::empty(Method::POST, format!("/v1/reviews/{}/flags", segment(id))).json(&FlagBody {
        reason: reason.to_owned(),
    })
}

/// `GET /v1/reviews/export.csv` with the same filters as the list.
pub fn export(query: &ReviewQuery) -> Call<Vec<u8>> {
    Call::file("/v1/reviews/export.csv").params(&query.without_blanks())
}

/// `GET /v1/reviews/events?after=N` (without `after`: just the newest position).
pub fn events(after: Option<i64>) -> Call<EventPage> {
    Call::get("/v1/reviews/events").param("after", after)
}
