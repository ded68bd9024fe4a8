//! The support endpoints: sending a message (logged in or not) and one's own tickets.

use econfiance_api::account::{Ticket, TicketBody, TicketCreated};
use reqwest::Method;

use super::call::Call;

/// `POST /v1/support/tickets`, logged in or not.
pub fn create_ticket(body: &TicketBody) -> Call<TicketCreated> {
    Call::to(Method::POST, "/v1/support/tickets").json(body)
}

/// `GET /v1/support/tickets`: one's own tickets.
pub fn tickets() -> Call<Vec<Ticket>> {
    Call::get("/v1/support/tickets")
}
