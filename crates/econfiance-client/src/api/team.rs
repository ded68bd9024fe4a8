//! The team's endpoints: members, invitations, and switching company.

use econfiance_api::account::Me;
use econfiance_api::team::{
    ChangeRoleBody, InviteMemberBody, Member, MemberInvitation, SwitchCompanyBody, Team,
};
use reqwest::Method;

use super::call::{segment, Call};

/// `GET /v1/team`.
pub fn team() -> Call<Team> {
    Call::get("/v1/team")
}

/// `POST /v1/team/invitations`.
pub fn invite(body: &InviteMemberBody) -> Call<MemberInvitation> {
    Call::to(Method::POST, "/v1/team/invitations").json(body)
}

/// `POST /v1/team/invitations/{id}/resend`.
pub fn resend(id: &str) -> Call<MemberInvitation> {
    Call::to(
        Method::POST,
        format!("/v1/team/invitations/{}/resend", segment(id)),
    )
}

/// `DELETE /v1/team/invitations/{id}`.
pub fn withdraw(id: &str) -> Call<()> {
    Call::empty(
        Method::DELETE,
        format!("/v1/team/invitations/{}", segment(id)),
    )
}

/// `PUT /v1/team/members/{user_id}`.
pub fn change_role(user_id: &str, body: &ChangeRoleBody) -> Call<Member> {
    Call::to(
        Method::PUT,
        format!("/v1/team/members/{}", segment(user_id)),
    )
    .json(body)
}

/// `DELETE /v1/team/members/{user_id}`.
pub fn remove(user_id: &str) -> Call<()> {
    Call::empty(
        Method::DELETE,
        format!("/v1/team/members/{}", segment(user_id)),
    )
}

/// `POST /v1/team/leave`: the person leaves the session's company.
pub fn leave() -> Call<Me> {
    Call::to(Method::POST, "/v1/team/leave")
}

/// `PUT /v1/auth/session/company`.
pub fn switch_company(body: &SwitchCompanyBody) -> Call<Me> {
    Call::to(Method::PUT, "/v1/auth/session/company").json(body)
}
