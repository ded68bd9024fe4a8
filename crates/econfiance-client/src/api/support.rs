//! The support endpoints: sending a message (logged in or not) and one's own tickets.

use econfiance_api::account::{Ticket, TicketBody, TicketCreated, TicketReplyBody};
use reqwest::Method;

use super::call::{segment, Call};

/// `POST /v1/support/tickets`, logged in or not.
pub fn create_ticket(body: &TicketBody) -> Call<TicketCreated> {
    Call::to(Method::POST, "/v1/support/tickets").json(body)
}

/// `GET /v1/support/tickets`: one's own tickets.
pub fn tickets() -> Call<Vec<Ticket>> {
    Call::get("/v1/support/tickets")
}

/// `POST /v1/support/tickets/{reference}/messages`: a follow-up to one's own open ticket.
pub fn follow_up(reference: &str, message: &str) -> Call<Ticket> {
    Call::to(
        Method::POST,
        format!("/v1/support/tickets/{}/messages", segment(reference)),
    )
    .json(&TicketReplyBody {
        message: message.to_owned(),
    })
}
