//! The company's team: members with a role (`econfiance_api::team::Role`), colleagues
//! invited by e-mail, and the company each session acts for.
//!
//! A session belongs to a person acting for one company: at login, the company they last
//! used (or their first); `PUT /v1/auth/session/company` switches it in place. An
//! invitation creates the person's account (without a company) and is accepted at their
//! first login, by link or password, while it is neither expired nor withdrawn. Removing a
//! member ends their sessions for that company at once; their next refresh says why.
//! A member may leave a company they belong to (`POST /v1/team/leave`) while they belong to
//! another, so that nobody stays in a team they did not want. Every change of roles is
//! serialised per company, so that two owners demoting each other
//! at once cannot leave the company without one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use econfiance_api::account::Me;
use econfiance_api::team::{
    Action, ChangeRoleBody, CompanyChoice, InviteMemberBody, Member, MemberInvitation, Role,
    SwitchCompanyBody, Team, INVITATION_DAYS, MAX_DAILY_INVITATIONS,
    MAX_DAILY_INVITATIONS_PER_ADDRESS, MAX_MEMBER_ESTABLISHMENTS, MAX_PENDING_INVITATIONS,
    MAX_SENDS_PER_INVITATION,
};

use crate::auth::sessions::AuthSession;
use crate::clock::rfc3339;
use crate::crypto;
use crate::db::Tx;
use crate::error::{db, ApiError, Lang};
use crate::extract::ApiJson;
use crate::AppContext;

/// The `revoked_reason` of a session ended because an owner removed its person from the
/// team.
pub const REMOVED_FROM_TEAM: &str = "removed_from_team";
/// The `revoked_reason` of a session ended because its person left the team themselves
/// (from another device).
pub const LEFT_TEAM: &str = "left_team";
/// An invitation can be sent again this many seconds after the last time.
const RESEND_COOLDOWN_SECONDS: i64 = 60;

/// Routes of this module.
pub fn router() -> Router<AppContext> {
    Router::new()
        .route("/v1/team", get(team))
        .route("/v1/team/invitations", post(invite))
        .route("/v1/team/invitations/{id}", delete(withdraw))
        .route("/v1/team/invitations/{id}/resend", post(resend))
        .route(
            "/v1/team/members/{user_id}",
            put(change_role).delete(remove),
        )
        .route("/v1/team/leave", post(leave))
        .route("/v1/auth/session/company", put(switch_company))
}

/// Makes `user_id` a member of `company_id` with `role` (nothing when they already are);
/// whether they became one now.
pub async fn add_member(
    tx: &mut Tx<'_>,
    company_id: &str,
    user_id: &str,
    role: Role,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO memberships (company_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (company_id, user_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// At login: each invitation of `user_id` still open becomes a membership.
pub async fn accept_invitations(
    tx: &mut Tx<'_>,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let open: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, company_id, role FROM team_invitations
         WHERE user_id = $1 AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    for (id, company_id, role) in open {
        // Under the team's lock: what the invitation offers is read as an owner last set it.
        crate::db::serialize_on(tx, &format!("team:{company_id}")).await?;
        let role = Role::parse(&role).unwrap_or(Role::Reader);
        // Someone already in the team keeps their place as it is.
        if add_member(tx, &company_id, user_id, role, now).await? && role != Role::Owner {
            sqlx::query(
                "INSERT INTO member_establishments (company_id, user_id, establishment_id)
                 SELECT $1, $2, establishment_id FROM team_invitation_establishments WHERE invitation_id = $3
                 ON CONFLICT DO NOTHING",
            )
            .bind(&company_id)
            .bind(user_id)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query("UPDATE team_invitations SET accepted_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        tracing::info!(user = %user_id, company = %company_id, "team invitation accepted");
    }
    Ok(())
}

/// The company a new session of `user_id` acts for: the one their sessions used last,
/// else the one they joined first; none when they belong to no company.
pub async fn first_company(tx: &mut Tx<'_>, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT m.company_id FROM memberships m
         LEFT JOIN (SELECT company_id, MAX(last_used_at) AS used FROM sessions WHERE user_id = $1 GROUP BY company_id) s
           ON s.company_id = m.company_id
         WHERE m.user_id = $2
         ORDER BY COALESCE(s.used, 0) DESC, m.created_at, m.company_id LIMIT 1",
    )
    .bind(user_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Every company `user_id` belongs to, by name.
pub async fn companies_of(
    pool: &crate::db::Pool,
    user_id: &str,
) -> Result<Vec<CompanyChoice>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.id, c.name, m.role FROM memberships m JOIN companies c ON c.id = m.company_id
         WHERE m.user_id = $1 ORDER BY c.name, c.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(company_id, name, role)| CompanyChoice {
            company_id,
            name,
            role: Role::parse(&role).unwrap_or(Role::Reader),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: String,
    role: String,
    created_at: i64,
    last_active_at: Option<i64>,
}

impl MemberRow {
    fn view(self, establishments: Vec<String>) -> Member {
        let name = display_name(self.first_name.as_deref(), self.last_name.as_deref());
        Member {
            establishments,
            user_id: self.user_id,
            name,
            email: self.email,
            role: Role::parse(&self.role).unwrap_or(Role::Reader),
            last_active_at: self.last_active_at.map(rfc3339),
            joined_at: rfc3339(self.created_at),
        }
    }
}

/// "First Last", when either is known.
pub fn display_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

const MEMBER_COLUMNS: &str = "u.id AS user_id, u.first_name, u.last_name, u.email, m.role, m.created_at,
    (SELECT MAX(s.last_used_at) FROM sessions s WHERE s.user_id = u.id AND s.company_id = m.company_id) AS last_active_at
    FROM memberships m JOIN users u ON u.id = m.user_id";

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    email: String,
    role: String,
    sent_at: i64,
    expires_at: i64,
}

impl InvitationRow {
    fn view(self, now: i64, establishments: Vec<String>) -> MemberInvitation {
        MemberInvitation {
            establishments,
            id: self.id,
            email: self.email,
            role: Role::parse(&self.role).unwrap_or(Role::Reader),
            sent_at: rfc3339(self.sent_at),
            expires_at: rfc3339(self.expires_at),
            expired: self.expires_at <= now,
        }
    }
}

/// Each member's (or invitation's) establishments in `company_id`, by name: `sql` selects
/// (owner id, establishment id) pairs with `$1` the company.
async fn establishments_by(
    pool: &crate::db::Pool,
    sql: &'static str,
    company_id: &str,
) -> Result<std::collections::HashMap<String, Vec<String>>, sqlx::Error> {
    let pairs: Vec<(String, String)> = sqlx::query_as(sql).bind(company_id).fetch_all(pool).await?;
    let mut map = std::collections::HashMap::<String, Vec<String>>::new();
    for (owner, establishment) in pairs {
        map.entry(owner).or_default().push(establishment);
    }
    Ok(map)
}

const MEMBERS_ESTABLISHMENTS: &str = "SELECT me.user_id, me.establishment_id FROM member_establishments me
    JOIN establishments e ON e.id = me.establishment_id WHERE me.company_id = $1 ORDER BY e.name, e.id";
const INVITATIONS_ESTABLISHMENTS: &str = "SELECT ie.invitation_id, ie.establishment_id FROM team_invitation_establishments ie
    JOIN establishments e ON e.id = ie.establishment_id WHERE e.company_id = $1 ORDER BY e.name, e.id";

/// The establishments a member or an invitation is given, checked: ids of the company's
/// (at most [`MAX_MEMBER_ESTABLISHMENTS`], repeats dropped), none for an owner (who sees
/// every one).
async fn checked_establishments(
    tx: &mut Tx<'_>,
    company_id: &str,
    role: Role,
    ids: &[String],
    lang: Lang,
) -> Result<Vec<String>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if role == Role::Owner {
        return Err(ApiError::invalid(
            lang,
            "Un propriétaire voit tous les établissements : choisissez « Tous les établissements », ou un autre rôle.",
            "An owner sees every establishment: choose \"All establishments\", or another role.",
        ));
    }
    if ids.len() > MAX_MEMBER_ESTABLISHMENTS {
        return Err(crate::reviews::bad_establishment(lang));
    }
    let mut kept: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if kept.contains(id) {
            continue;
        }
        let known: Option<String> = if id.chars().count() > crate::reviews::MAX_ESTABLISHMENT_ID {
            None
        } else {
            sqlx::query_scalar("SELECT id FROM establishments WHERE id = $1 AND company_id = $2")
                .bind(id)
                .bind(company_id)
                .fetch_optional(&mut **tx)
                .await
                .map_err(db(lang))?
        };
        kept.push(known.ok_or_else(|| crate::reviews::bad_establishment(lang))?);
    }
    Ok(kept)
}

const INVITATION_COLUMNS: &str =
    "i.id, u.email, i.role, i.sent_at, i.expires_at FROM team_invitations i JOIN users u ON u.id = i.user_id";

#[utoipa::path(tag = "team", get, path = "/v1/team", security(("bearer" = [])),
    responses((status = 200, body = Team), (status = 401, body = econfiance_api::ErrorBody)))]
/// The company's members and the invitations still open (every role sees them).
pub async fn team(
    State(ctx): State<AppContext>,
    auth: AuthSession,
) -> Result<Json<Team>, ApiError> {
    let lang = auth.lang;
    let members: Vec<MemberRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBER_COLUMNS} WHERE m.company_id = $1
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, u.last_name, u.first_name, u.email"
    )))
    .bind(&auth.company_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let invitations: Vec<InvitationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} WHERE i.company_id = $1 AND i.accepted_at IS NULL AND i.withdrawn_at IS NULL
         ORDER BY i.created_at DESC, i.id"
    )))
    .bind(&auth.company_id)
    .fetch_all(&ctx.db)
    .await
    .map_err(db(lang))?;
    let mut given = establishments_by(&ctx.db, MEMBERS_ESTABLISHMENTS, &auth.company_id)
        .await
        .map_err(db(lang))?;
    let mut offered = establishments_by(&ctx.db, INVITATIONS_ESTABLISHMENTS, &auth.company_id)
        .await
        .map_err(db(lang))?;
    let now = ctx.clock.now();
    Ok(Json(Team {
        members: members
            .into_iter()
            .map(|m| {
                let e = given.remove(&m.user_id).unwrap_or_default();
                m.view(e)
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| {
                let e = offered.remove(&i.id).unwrap_or_default();
                i.view(now, e)
            })
            .collect(),
    }))
}

async fn one_invitation(
    tx: &mut Tx<'_>,
    company_id: &str,
    id: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} WHERE i.id = $1 AND i.company_id = $2 AND i.accepted_at IS NULL AND i.withdrawn_at IS NULL"
    )))
    .bind(id)
    .bind(company_id)
    .fetch_optional(&mut **tx)
    .await
}

/// The inviter's name and the company's, for the mail.
async fn mail_names(tx: &mut Tx<'_>, auth: &AuthSession) -> Result<(String, String), sqlx::Error> {
    let (first, last, email, company): (Option<String>, Option<String>, String, String) =
        sqlx::query_as(
            "SELECT u.first_name, u.last_name, u.email, c.name FROM users u, companies c WHERE u.id = $1 AND c.id = $2",
        )
        .bind(&auth.user_id)
        .bind(&auth.company_id)
        .fetch_one(&mut **tx)
        .await?;
    let inviter = display_name(first.as_deref(), last.as_deref()).unwrap_or(email);
    Ok((inviter, company))
}

async fn queue_invitation_mail(
    ctx: &AppContext,
    tx: &mut Tx<'_>,
    auth: &AuthSession,
    mail_lang: Lang,
    to: &str,
    role: Role,
    expires_at: i64,
) -> Result<(), ApiError> {
    let lang = auth.lang;
    let (inviter, company) = mail_names(tx, auth).await.map_err(db(lang))?;
    let mail = crate::mail::team_invitation_mail(
        mail_lang,
        to,
        &crate::mail::TeamInvitation {
            inviter: &inviter,
            company: &company,
            role,
            expires: &crate::clock::paris_display(expires_at, mail_lang == Lang::En),
            app_url: &ctx.public_url,
        },
    );
    ctx.mailer
        .send_in(tx, mail)
        .await
        .map_err(|e| ApiError::internal(lang, format!("team invitation mail not queued: {e}")))
}

#[utoipa::path(tag = "team", post, path = "/v1/team/invitations", request_body = InviteMemberBody, security(("bearer" = [])),
    responses((status = 201, body = MemberInvitation),
        (status = 400, description = "`invalid_request`: the e-mail is not an address, an establishment is not the company's, or establishments are given to an owner.", body = econfiance_api::ErrorBody),
        (status = 403, description = "`forbidden`: only an owner invites colleagues.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`already_member`: the person is in the team; `limit_reached`: 50 invitations waiting, this address invited 3 times today, 100 invitations today, or the open invitation to this address mailed 5 times.", body = econfiance_api::ErrorBody),
        (status = 429, description = "`resend_too_soon`: an invitation to this address was mailed less than a minute ago.", body = econfiance_api::ErrorBody)))]
/// Invite a colleague with a role: their account is made (without a company) when the
/// e-mail has none, and a mail tells them how to log in. An invitation still open to the
/// same person is sent again instead, with the role now chosen.
pub async fn invite(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<InviteMemberBody>,
) -> Result<(StatusCode, Json<MemberInvitation>), ApiError> {
    let lang = auth.lang;
    auth.require(Action::ManageTeam)?;
    let email = crate::auth::valid_email(&body.email, lang)?;
    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("team:{}", auth.company_id))
        .await
        .map_err(db(lang))?;
    let establishments = checked_establishments(
        &mut tx,
        &auth.company_id,
        body.role,
        &body.establishments,
        lang,
    )
    .await?;
    // The person's account: theirs when the e-mail has one, else made now (without a
    // company; two companies inviting the same new address at once share it).
    sqlx::query(
        "INSERT INTO users (id, email, locale, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(crypto::random_id("us"))
    .bind(&email)
    .bind(lang.as_locale())
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(db(lang))?;
    let (user_id, locale): (String, String) =
        sqlx::query_as("SELECT id, locale FROM users WHERE lower(email) = $1")
            .bind(crate::auth::email_key(&email))
            .fetch_one(&mut *tx)
            .await
            .map_err(db(lang))?;
    if role_of(&mut tx, &auth.company_id, &user_id)
        .await
        .map_err(db(lang))?
        .is_some()
    {
        return Err(ApiError::already_member(lang));
    }
    // Invited again while an invitation is open: that one is sent again (its wait and its
    // cap hold), with the role now chosen.
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM team_invitations
         WHERE company_id = $1 AND user_id = $2 AND accepted_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(&auth.company_id)
    .bind(&user_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db(lang))?;
    let (id, expires_at) = match open {
        Some(id) => {
            let expires_at = send_again(&mut tx, &auth, &id, now).await?;
            sqlx::query("UPDATE team_invitations SET role = $1 WHERE id = $2")
                .bind(body.role.as_str())
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(db(lang))?;
            (id, expires_at)
        }
        None => {
            check_daily_caps(&mut tx, &auth, &user_id, now).await?;
            let id = crypto::random_id("ti");
            let expires_at = now + INVITATION_DAYS * 86_400;
            sqlx::query(
                "INSERT INTO team_invitations (id, company_id, user_id, role, invited_by, created_at, sent_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(&auth.company_id)
            .bind(&user_id)
            .bind(body.role.as_str())
            .bind(&auth.user_id)
            .bind(now)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await
            .map_err(db(lang))?;
            (id, expires_at)
        }
    };
    offer_establishments(&mut tx, &id, &establishments)
        .await
        .map_err(db(lang))?;
    let mail_lang = Lang::from_locale(&locale);
    queue_invitation_mail(
        &ctx, &mut tx, &auth, mail_lang, &email, body.role, expires_at,
    )
    .await?;
    let view = one_invitation(&mut tx, &auth.company_id, &id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::internal(lang, "the invitation just written is gone"))?
        .view(now, establishments);
    tx.commit().await.map_err(db(lang))?;
    tracing::info!(company = %auth.company_id, invitation = %id, "team member invited");
    Ok((StatusCode::CREATED, Json(view)))
}

/// What invitation `id` offers: `establishments` (none: all), in place of what it did.
async fn offer_establishments(
    tx: &mut Tx<'_>,
    id: &str,
    establishments: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM team_invitation_establishments WHERE invitation_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for establishment in establishments {
        sqlx::query(
            "INSERT INTO team_invitation_establishments (invitation_id, establishment_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(establishment)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Marks open invitation `id` sent once more, for another week: refused within a minute
/// of the last send, and past [`MAX_SENDS_PER_INVITATION`] sends. Its new expiry.
async fn send_again(
    tx: &mut Tx<'_>,
    auth: &AuthSession,
    id: &str,
    now: i64,
) -> Result<i64, ApiError> {
    let lang = auth.lang;
    let (sent_at, sends): (i64, i64) =
        sqlx::query_as("SELECT sent_at, send_count FROM team_invitations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .map_err(db(lang))?;
    let wait = sent_at + RESEND_COOLDOWN_SECONDS - now;
    if wait > 0 {
        return Err(ApiError::resend_too_soon(lang, wait as u64));
    }
    if sends >= MAX_SENDS_PER_INVITATION {
        return Err(ApiError::limit_reached(
            lang,
            &format!("Cette invitation a déjà été envoyée {MAX_SENDS_PER_INVITATION} fois : vérifiez l'adresse avec votre collègue (et ses courriers indésirables), ou retirez-la et invitez-le demain."),
            &format!("This invitation was already sent {MAX_SENDS_PER_INVITATION} times: check the address with your colleague (and their spam folder), or withdraw it and invite them tomorrow."),
        ));
    }
    let expires_at = now + INVITATION_DAYS * 86_400;
    let moved = sqlx::query(
        "UPDATE team_invitations SET sent_at = $1, expires_at = $2, send_count = send_count + 1
         WHERE id = $3 AND sent_at = $4",
    )
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .bind(sent_at)
    .execute(&mut **tx)
    .await
    .map_err(db(lang))?
    .rows_affected();
    if moved == 0 {
        return Err(ApiError::resend_too_soon(
            lang,
            RESEND_COOLDOWN_SECONDS as u64,
        ));
    }
    Ok(expires_at)
}

/// A new invitation's caps: invitations waiting, invitations to this person today
/// (withdrawn ones count, so that inviting and withdrawing in a loop cannot flood them),
/// and the company's invitations today.
async fn check_daily_caps(
    tx: &mut Tx<'_>,
    auth: &AuthSession,
    user_id: &str,
    now: i64,
) -> Result<(), ApiError> {
    let lang = auth.lang;
    let (waiting, to_person, today): (i64, i64, i64) = sqlx::query_as(
        "SELECT
           (SELECT COUNT(*) FROM team_invitations WHERE company_id = $1 AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2),
           (SELECT COUNT(*) FROM team_invitations WHERE company_id = $3 AND user_id = $4 AND created_at > $5),
           (SELECT COUNT(*) FROM team_invitations WHERE company_id = $6 AND created_at > $7)",
    )
    .bind(&auth.company_id)
    .bind(now)
    .bind(&auth.company_id)
    .bind(user_id)
    .bind(now - 86_400)
    .bind(&auth.company_id)
    .bind(now - 86_400)
    .fetch_one(&mut **tx)
    .await
    .map_err(db(lang))?;
    if waiting >= MAX_PENDING_INVITATIONS as i64 {
        return Err(ApiError::limit_reached(
            lang,
            &format!("{MAX_PENDING_INVITATIONS} invitations attendent déjà une réponse : retirez celles qui ne servent plus avant d'en envoyer d'autres."),
            &format!("{MAX_PENDING_INVITATIONS} invitations are already waiting for an answer: withdraw those no longer needed before sending more."),
        ));
    }
    if to_person >= MAX_DAILY_INVITATIONS_PER_ADDRESS {
        return Err(ApiError::limit_reached(
            lang,
            "Cette adresse a déjà été invitée plusieurs fois aujourd'hui : réessayez demain, ou renvoyez l'invitation en cours.",
            "This address was already invited several times today: try again tomorrow, or send the open invitation again.",
        ));
    }
    if today >= MAX_DAILY_INVITATIONS {
        return Err(ApiError::limit_reached(
            lang,
            &format!("Votre entreprise a envoyé {MAX_DAILY_INVITATIONS} invitations d'équipe aujourd'hui : réessayez demain."),
            &format!("Your company sent {MAX_DAILY_INVITATIONS} team invitations today: try again tomorrow."),
        ));
    }
    Ok(())
}

#[utoipa::path(tag = "team", post, path = "/v1/team/invitations/{id}/resend", security(("bearer" = [])),
    params(("id" = String, Path, description = "The invitation")),
    responses((status = 200, body = MemberInvitation),
        (status = 403, description = "`forbidden`: only an owner invites colleagues.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: no open invitation of this company has this id.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`limit_reached`: already mailed 5 times.", body = econfiance_api::ErrorBody),
        (status = 429, description = "`resend_too_soon`: sent less than a minute ago.", body = econfiance_api::ErrorBody)))]
/// Send an open invitation again, for another week.
pub async fn resend(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<Json<MemberInvitation>, ApiError> {
    let lang = auth.lang;
    auth.require(Action::ManageTeam)?;
    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    let found = one_invitation(&mut tx, &auth.company_id, &id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    let expires_at = send_again(&mut tx, &auth, &id, now).await?;
    let locale: String = sqlx::query_scalar("SELECT locale FROM users WHERE lower(email) = $1")
        .bind(crate::auth::email_key(&found.email))
        .fetch_one(&mut *tx)
        .await
        .map_err(db(lang))?;
    let role = Role::parse(&found.role).unwrap_or(Role::Reader);
    queue_invitation_mail(
        &ctx,
        &mut tx,
        &auth,
        Lang::from_locale(&locale),
        &found.email,
        role,
        expires_at,
    )
    .await?;
    let view = one_invitation(&mut tx, &auth.company_id, &id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::internal(lang, "the invitation just written is gone"))?;
    let offered: Vec<String> = sqlx::query_scalar(
        "SELECT ie.establishment_id FROM team_invitation_establishments ie
         JOIN establishments e ON e.id = ie.establishment_id WHERE ie.invitation_id = $1 ORDER BY e.name, e.id",
    )
    .bind(&id)
    .fetch_all(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    Ok(Json(view.view(now, offered)))
}

#[utoipa::path(tag = "team", delete, path = "/v1/team/invitations/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "The invitation")),
    responses((status = 204),
        (status = 403, description = "`forbidden`: only an owner invites colleagues.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: no open invitation of this company has this id.", body = econfiance_api::ErrorBody)))]
/// Withdraw an open invitation: its link no longer lets anyone in.
pub async fn withdraw(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    auth.require(Action::ManageTeam)?;
    let gone = sqlx::query(
        "UPDATE team_invitations SET withdrawn_at = $1
         WHERE id = $2 AND company_id = $3 AND accepted_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(ctx.clock.now())
    .bind(&id)
    .bind(&auth.company_id)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?
    .rows_affected();
    if gone == 0 {
        return Err(ApiError::not_found(lang));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The member's role in `company_id`, when they are one, read inside the team's lock.
async fn role_of(
    tx: &mut Tx<'_>,
    company_id: &str,
    user_id: &str,
) -> Result<Option<Role>, sqlx::Error> {
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE company_id = $1 AND user_id = $2")
            .bind(company_id)
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(role.as_deref().and_then(Role::parse))
}

async fn owners(tx: &mut Tx<'_>, company_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE company_id = $1 AND role = 'owner'")
        .bind(company_id)
        .fetch_one(&mut **tx)
        .await
}

#[utoipa::path(tag = "team", put, path = "/v1/team/members/{user_id}", request_body = ChangeRoleBody, security(("bearer" = [])),
    params(("user_id" = String, Path, description = "The member")),
    responses((status = 200, body = Member),
        (status = 400, description = "`invalid_request`: an establishment that is not the company's, or establishments given to an owner.", body = econfiance_api::ErrorBody),
        (status = 403, description = "`forbidden`: only an owner changes roles.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: nobody of this company has this id.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`last_owner`: the company would have no owner left.", body = econfiance_api::ErrorBody)))]
/// Change a member's role and the establishments they see (the company keeps at least one
/// owner; an owner sees every establishment).
pub async fn change_role(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(user_id): Path<String>,
    ApiJson(body): ApiJson<ChangeRoleBody>,
) -> Result<Json<Member>, ApiError> {
    let lang = auth.lang;
    auth.require(Action::ManageTeam)?;
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("team:{}", auth.company_id))
        .await
        .map_err(db(lang))?;
    let current = role_of(&mut tx, &auth.company_id, &user_id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    if current == Role::Owner
        && body.role != Role::Owner
        && owners(&mut tx, &auth.company_id).await.map_err(db(lang))? <= 1
    {
        return Err(ApiError::last_owner(lang));
    }
    // Absent (an app that knows no establishments): the member keeps theirs — but an owner
    // always sees every one.
    let asked = match (&body.establishments, body.role) {
        (Some(given), _) => Some(given.clone()),
        (None, Role::Owner) => Some(Vec::new()),
        (None, _) => None,
    };
    if let Some(asked) = asked {
        let checked =
            checked_establishments(&mut tx, &auth.company_id, body.role, &asked, lang).await?;
        crate::scope::set_member(&mut tx, &auth.company_id, &user_id, &checked)
            .await
            .map_err(db(lang))?;
    }
    let establishments = crate::scope::of_member(&mut tx, &auth.company_id, &user_id)
        .await
        .map_err(db(lang))?;
    sqlx::query("UPDATE memberships SET role = $1 WHERE company_id = $2 AND user_id = $3")
        .bind(body.role.as_str())
        .bind(&auth.company_id)
        .bind(&user_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    let row: MemberRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBER_COLUMNS} WHERE m.company_id = $1 AND m.user_id = $2"
    )))
    .bind(&auth.company_id)
    .bind(&user_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    tracing::info!(company = %auth.company_id, member = %user_id, role = body.role.as_str(),
        establishments = establishments.len(), "role and establishments changed");
    Ok(Json(row.view(establishments)))
}

/// Ends `user_id`'s sessions acting for `company_id` at once (`reason`, said at their
/// next refresh), in `tx`: a removal's and a departure's common step.
async fn end_sessions(
    tx: &mut Tx<'_>,
    user_id: &str,
    company_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2
         WHERE user_id = $3 AND company_id = $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(user_id)
    .bind(company_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM access_tokens WHERE session_id IN
         (SELECT id FROM sessions WHERE user_id = $1 AND company_id = $2 AND revoked_at IS NOT NULL)",
    )
    .bind(user_id)
    .bind(company_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[utoipa::path(tag = "team", delete, path = "/v1/team/members/{user_id}", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "The member")),
    responses((status = 204),
        (status = 403, description = "`forbidden`: only an owner removes members.", body = econfiance_api::ErrorBody),
        (status = 404, description = "`not_found`: nobody of this company has this id.", body = econfiance_api::ErrorBody),
        (status = 409, description = "`last_owner`: the company would have no owner left.", body = econfiance_api::ErrorBody)))]
/// Remove a member: their sessions for this company end at once (their app returns to
/// the login screen and says why); their replies stay, signed with their name.
pub async fn remove(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let lang = auth.lang;
    auth.require(Action::ManageTeam)?;
    let now = ctx.clock.now();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("team:{}", auth.company_id))
        .await
        .map_err(db(lang))?;
    let current = role_of(&mut tx, &auth.company_id, &user_id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    if current == Role::Owner && owners(&mut tx, &auth.company_id).await.map_err(db(lang))? <= 1 {
        return Err(ApiError::last_owner(lang));
    }
    crate::scope::set_member(&mut tx, &auth.company_id, &user_id, &[])
        .await
        .map_err(db(lang))?;
    sqlx::query("DELETE FROM memberships WHERE company_id = $1 AND user_id = $2")
        .bind(&auth.company_id)
        .bind(&user_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    end_sessions(&mut tx, &user_id, &auth.company_id, REMOVED_FROM_TEAM, now)
        .await
        .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    tracing::info!(company = %auth.company_id, member = %user_id, "member removed; their sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(tag = "team", post, path = "/v1/team/leave", security(("bearer" = [])),
    responses((status = 200, body = Me),
        (status = 409, description = "`only_company`: this is the person's only company (to close the account, they ask support for its deletion); `last_owner`: the company would have no owner left.", body = econfiance_api::ErrorBody)))]
/// Leave the session's company — a team joined without wanting to, or left since: this
/// session then acts for another of the person's companies (its account view comes back),
/// and their other sessions for the company left end, as a removal's do.
pub async fn leave(State(ctx): State<AppContext>, auth: AuthSession) -> Result<Json<Me>, ApiError> {
    let lang = auth.lang;
    let now = ctx.clock.now();
    let company = auth.company_id.clone();
    let mut tx = crate::db::begin(&ctx.db).await.map_err(db(lang))?;
    crate::db::serialize_on(&mut tx, &format!("team:{company}"))
        .await
        .map_err(db(lang))?;
    let role = role_of(&mut tx, &company, &auth.user_id)
        .await
        .map_err(db(lang))?
        .ok_or_else(|| ApiError::unauthorized(lang))?;
    let next: Option<String> = sqlx::query_scalar(
        "SELECT company_id FROM memberships WHERE user_id = $1 AND company_id <> $2
         ORDER BY created_at, company_id LIMIT 1",
    )
    .bind(&auth.user_id)
    .bind(&company)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db(lang))?;
    let Some(next) = next else {
        return Err(ApiError::only_company(lang));
    };
    if role == Role::Owner && owners(&mut tx, &company).await.map_err(db(lang))? <= 1 {
        return Err(ApiError::last_owner(lang));
    }
    crate::scope::set_member(&mut tx, &company, &auth.user_id, &[])
        .await
        .map_err(db(lang))?;
    sqlx::query("DELETE FROM memberships WHERE company_id = $1 AND user_id = $2")
        .bind(&company)
        .bind(&auth.user_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    sqlx::query("UPDATE sessions SET company_id = $1 WHERE id = $2")
        .bind(&next)
        .bind(&auth.session_id)
        .execute(&mut *tx)
        .await
        .map_err(db(lang))?;
    end_sessions(&mut tx, &auth.user_id, &company, LEFT_TEAM, now)
        .await
        .map_err(db(lang))?;
    tx.commit().await.map_err(db(lang))?;
    tracing::info!(company = %company, member = %auth.user_id, "member left the team");
    crate::account::load_me(&ctx, &auth.user_id, &next, lang)
        .await
        .map(Json)
}

#[utoipa::path(tag = "team", put, path = "/v1/auth/session/company", request_body = SwitchCompanyBody, security(("bearer" = [])),
    responses((status = 200, body = Me),
        (status = 404, description = "`not_found`: the person is not a member of this company.", body = econfiance_api::ErrorBody)))]
/// Act for another of the person's companies, in this session, without logging in again.
pub async fn switch_company(
    State(ctx): State<AppContext>,
    auth: AuthSession,
    ApiJson(body): ApiJson<SwitchCompanyBody>,
) -> Result<Json<Me>, ApiError> {
    let lang = auth.lang;
    let moved = sqlx::query(
        "UPDATE sessions SET company_id = $1
         WHERE id = $2 AND EXISTS (SELECT 1 FROM memberships WHERE company_id = $3 AND user_id = $4)",
    )
    .bind(&body.company_id)
    .bind(&auth.session_id)
    .bind(&body.company_id)
    .bind(&auth.user_id)
    .execute(&ctx.db)
    .await
    .map_err(db(lang))?
    .rows_affected();
    if moved == 0 {
        return Err(ApiError::not_found(lang));
    }
    tracing::info!(session = %auth.session_id, company = %body.company_id, "session switched company");
    crate::account::load_me(&ctx, &auth.user_id, &body.company_id, lang)
        .await
        .map(Json)
}
