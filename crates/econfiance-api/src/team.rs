//! Teams: the people of a company, each with a [`Role`], and the colleagues invited by
//! e-mail. What each role may do is [`Role::may`], read by the server on every route and
//! sent to the app (as [`Abilities`]) so that it hides what the role cannot do.
//!
//! A manager or a reader may be limited to some of the company's establishments: they see
//! and act on those only (reviews, dashboard, export, notifications, customer invitations,
//! review links, alerts).
//!
//! A session belongs to a person acting for one company (the one chosen after login);
//! switching company changes the session's company in place, without logging in again.
//!
//! - `GET /v1/team` → [`Team`] (every role);
//! - `POST /v1/team/invitations` ([`InviteMemberBody`]) → [`MemberInvitation`] (owner);
//! - `POST /v1/team/invitations/{id}/resend` → [`MemberInvitation`] (owner);
//! - `DELETE /v1/team/invitations/{id}` (owner): withdrawn;
//! - `PUT /v1/team/members/{user_id}` ([`ChangeRoleBody`]) → [`Member`] (owner): role and
//!   establishments;
//! - `DELETE /v1/team/members/{user_id}` (owner): removed, their sessions for this
//!   company ended at once;
//! - `POST /v1/team/leave` → `Me`: the person leaves the session's company, which then
//!   acts for another of theirs (refused for their only company, or its last owner);
//! - `PUT /v1/auth/session/company` ([`SwitchCompanyBody`]) → `Me`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A team invitation can be accepted for this many days.
pub const INVITATION_DAYS: i64 = 7;
/// A company keeps at most this many invitations waiting.
pub const MAX_PENDING_INVITATIONS: usize = 50;
/// An invitation is mailed at most this many times (first send and resends).
pub const MAX_SENDS_PER_INVITATION: i64 = 5;
/// A company invites one address at most this many times a day (withdrawn ones count).
pub const MAX_DAILY_INVITATIONS_PER_ADDRESS: i64 = 3;
/// A company sends at most this many team invitations a day.
pub const MAX_DAILY_INVITATIONS: i64 = 100;
/// A member is given at most this many establishments (the company's cap).
pub const MAX_MEMBER_ESTABLISHMENTS: usize = 200;

/// A member's role in a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Propriétaire: everything, including the team, the contract and the deletion request.
    Owner,
    /// Gestionnaire: reviews, replies, invitations, templates, the company's details.
    Manager,
    /// Lecture seule: sees everything, changes nothing.
    Reader,
}

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Write, edit or delete a public reply; flag a review.
    Answer,
    /// Invite customers for reviews.
    InviteCustomers,
    /// Add, change or delete reply templates.
    EditTemplates,
    /// Change the company's details.
    EditCompany,
    /// Invite, change and remove members.
    ManageTeam,
    /// See the contract, ask for the account's deletion.
    Contract,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Owner, Role::Manager, Role::Reader];

    /// Its stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Reader => "reader",
        }
    }

    /// The role spelled `text`, if any.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match self {
            Role::Owner => true,
            Role::Manager => !matches!(action, Action::ManageTeam | Action::Contract),
            Role::Reader => false,
        }
    }

    /// What this role may do, as the app reads it.
    pub fn abilities(self) -> Abilities {
        Abilities {
            answer: self.may(Action::Answer),
            invite_customers: self.may(Action::InviteCustomers),
            edit_templates: self.may(Action::EditTemplates),
            edit_company: self.may(Action::EditCompany),
            manage_team: self.may(Action::ManageTeam),
            contract: self.may(Action::Contract),
        }
    }
}

/// What the session's role may do ([`Role::may`]), for the app to show only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Abilities {
    /// Reply to reviews and flag them.
    pub answer: bool,
    /// Invite customers.
    pub invite_customers: bool,
    /// Change reply templates.
    pub edit_templates: bool,
    /// Change the company's details.
    pub edit_company: bool,
    /// Manage the team.
    pub manage_team: bool,
    /// See the contract and ask for deletion.
    pub contract: bool,
}

/// A company the person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CompanyChoice {
    /// Its id.
    pub company_id: String,
    /// Its name.
    pub name: String,
    /// The person's role there.
    pub role: Role,
}

/// A member of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Member {
    /// The person's id.
    pub user_id: String,
    /// First and last name, when given.
    pub name: Option<String>,
    /// E-mail.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Last use of the app for this company (RFC 3339), if ever.
    pub last_active_at: Option<String>,
    /// Member since (RFC 3339).
    pub joined_at: String,
    /// The establishments they see, by id; empty: all of them (always, for an owner).
    pub establishments: Vec<String>,
}

/// A colleague invited and not yet logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct MemberInvitation {
    /// Id.
    pub id: String,
    /// E-mail invited.
    pub email: String,
    /// Role offered.
    pub role: Role,
    /// Last sent (RFC 3339).
    pub sent_at: String,
    /// Expires (RFC 3339).
    pub expires_at: String,
    /// Whether it has expired (the owner may send it again).
    pub expired: bool,
    /// The establishments offered, by id; empty: all of them.
    pub establishments: Vec<String>,
}

/// `GET /v1/team`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Team {
    /// Members, owners first, then by name.
    pub members: Vec<Member>,
    /// Invitations neither accepted nor withdrawn, newest first.
    pub invitations: Vec<MemberInvitation>,
}

/// Body of `POST /v1/team/invitations`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct InviteMemberBody {
    /// The colleague's e-mail.
    #[schema(max_length = 254)]
    pub email: String,
    /// Their role.
    pub role: Role,
    /// The establishments they will see (ids of the company's); empty or absent: all of
    /// them. An owner always sees all.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub establishments: Vec<String>,
}

/// Body of `PUT /v1/team/members/{user_id}`: the member's role and establishments.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct ChangeRoleBody {
    /// The new role.
    pub role: Role,
    /// The establishments they see (ids of the company's); empty: all of them; absent:
    /// those they saw (an owner always sees all).
    #[serde(default)]
    #[ts(optional)]
    #[schema(max_items = 200)]
    pub establishments: Option<Vec<String>>,
}

/// Body of `PUT /v1/auth/session/company`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, ToSchema)]
pub struct SwitchCompanyBody {
    /// One of the person's companies.
    #[schema(max_length = 64)]
    pub company_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 6] = [
        Action::Answer,
        Action::InviteCustomers,
        Action::EditTemplates,
        Action::EditCompany,
        Action::ManageTeam,
        Action::Contract,
    ];

    #[test]
    fn each_role_may_exactly_its_share() {
        for action in ACTIONS {
            assert!(Role::Owner.may(action), "owner: {action:?}");
            assert!(!Role::Reader.may(action), "reader: {action:?}");
            let manager = !matches!(action, Action::ManageTeam | Action::Contract);
            assert_eq!(Role::Manager.may(action), manager, "manager: {action:?}");
        }
        let reader = Role::Reader.abilities();
        assert!(!reader.answer && !reader.edit_company && !reader.manage_team);
        let manager = Role::Manager.abilities();
        assert!(
            manager.answer && manager.edit_company && !manager.manage_team && !manager.contract
        );
    }

    #[test]
    fn roles_read_back_their_spelling() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
