//! The team's commands: members and invitations (Paramètres › Équipe), and switching to
//! another of the person's companies (all in the client's `api::team` and `Desktop`).

use econfiance_api::account::Me;
use econfiance_api::team::{
    ChangeRoleBody, InviteMemberBody, Member, MemberInvitation, Role, Team,
};
use econfiance_api::ErrorBody;
use econfiance_client::api::team;
use tauri::State;

use crate::AppState;

/// The company's members and the invitations still open.
#[tauri::command]
pub async fn team_members(state: State<'_, AppState>) -> Result<Team, ErrorBody> {
    state.call(team::team()).await
}

/// Invites a colleague by e-mail with a role and the establishments they will see (empty: all).
#[tauri::command]
pub async fn invite_member(
    state: State<'_, AppState>,
    email: String,
    role: Role,
    establishments: Vec<String>,
) -> Result<MemberInvitation, ErrorBody> {
    state
        .call(team::invite(&InviteMemberBody {
            email,
            role,
            establishments,
        }))
        .await
}

/// Sends an open invitation again, for another week.
#[tauri::command]
pub async fn resend_member_invitation(
    state: State<'_, AppState>,
    id: String,
) -> Result<MemberInvitation, ErrorBody> {
    state.call(team::resend(&id)).await
}

/// Withdraws an open invitation.
#[tauri::command]
pub async fn withdraw_member_invitation(
    state: State<'_, AppState>,
    id: String,
) -> Result<(), ErrorBody> {
    state.call(team::withdraw(&id)).await
}

/// Changes a member's role and the establishments they see (empty: all).
#[tauri::command]
pub async fn change_member_role(
    state: State<'_, AppState>,
    user_id: String,
    role: Role,
    establishments: Vec<String>,
) -> Result<Member, ErrorBody> {
    state
        .call(team::change_role(
            &user_id,
            &ChangeRoleBody {
                role,
                establishments: Some(establishments),
            },
        ))
        .await
}

/// Removes a member: their sessions for this company end at once.
#[tauri::command]
pub async fn remove_member(state: State<'_, AppState>, user_id: String) -> Result<(), ErrorBody> {
    state.call(team::remove(&user_id)).await
}

/// Leaves the session's company; the session then acts for another of the person's companies (refused for their only one).
#[tauri::command]
pub async fn leave_company(state: State<'_, AppState>) -> Result<Me, ErrorBody> {
    state.leave_company().await
}

/// Acts for another of the person's companies, without logging in again.
#[tauri::command]
pub async fn switch_company(
    state: State<'_, AppState>,
    company_id: String,
) -> Result<Me, ErrorBody> {
    state.switch_company(&company_id).await
}
