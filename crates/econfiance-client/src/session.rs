//! The login flows and the session, without UI: magic link bound by PKCE (the request is
//! kept in the vault so that a link opened later — even after a restart — completes), the
//! typed code, password login, restoring the session at start, handing out access tokens
//! (refreshing one at a time, saving each rotated refresh token), and logout.

use std::time::{SystemTime, UNIX_EPOCH};

use econfiance_api::auth::{
    DeviceInfo, LoginRequestBody, PasswordChangeBody, RequestCreated, ResetConfirmBody,
    ResetRequestBody, SessionInfo, TokenRequest, TokenResponse, PKCE_METHOD,
};
use econfiance_api::{DeepLink, ErrorCode, Secret};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::api::{self, Call};
use crate::ipc::{KeyringMode, LinkEvent, SessionView};
use crate::pkce::PkcePair;
use crate::storage::AppDirs;
use crate::vault::{PendingKind, PendingRequest, StoredSession, Vault, VaultMode};
use crate::{ApiClient, ClientError};

/// An access token is renewed when less than this many seconds are left.
const ACCESS_MARGIN_SECONDS: i64 = 30;

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedIn {
    /// The account.
    pub user_id: String,
    /// Its e-mail.
    pub email: String,
    /// This device's session on the server.
    pub session_id: String,
}

struct Active {
    stored: StoredSession,
    access: Secret<String>,
    access_expires_at: i64,
}

/// The account's session on this device.
pub struct SessionManager {
    api: ApiClient,
    vault: Vault,
    device: DeviceInfo,
    /// Where the accounts' local traces live (dashboard snapshot, reply drafts), deleted
    /// with the session on every way out ([`SessionManager::forget_account`]).
    dirs: Option<AppDirs>,
    /// A login link for another account, waiting for the user's answer (request id, code);
    /// never sent to JavaScript.
    pending_switch: std::sync::Mutex<Option<(String, Secret<String>)>>,
    /// A reset link waiting for its new password (request id, token); never sent to
    /// JavaScript.
    pending_reset: std::sync::Mutex<Option<(String, Secret<String>)>>,
    // One lock for the session: refreshes happen one at a time (a second caller waits and
    // then finds the fresh token).
    active: Mutex<Option<Active>>,
    /// Held while a login or reset request is on its way and not yet in the vault: the
    /// server mails its link before it answers, so a link may arrive first; it waits here
    /// instead of being refused as not requested.
    requesting: Mutex<()>,
}

/// A waiting link's slot (a panic while holding it cannot leave it half-written).
fn lock<T>(slot: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl SessionManager {
    /// A manager over `api`, keeping secrets in `vault`, introducing itself as `device`.
    pub fn new(api: ApiClient, vault: Vault, device: DeviceInfo) -> Self {
        Self {
            api,
            vault,
            device,
            dirs: None,
            pending_switch: std::sync::Mutex::new(None),
            pending_reset: std::sync::Mutex::new(None),
            active: Mutex::new(None),
            requesting: Mutex::new(()),
        }
    }

    /// The same manager, deleting each account's local traces under `dirs` when its
    /// session ends here.
    pub fn with_account_files(mut self, dirs: AppDirs) -> Self {
        self.dirs = Some(dirs);
        self
    }

    /// The one way an account leaves this computer, whatever the path (logout, account
    /// switch, "Vider le cache" with sign-out, a session ended on the server, a password
    /// reset): the session goes from the keyring, and its local traces from the disk.
    fn forget_account(&self) -> Result<(), ClientError> {
        let user = self.vault.session().ok().flatten().map(|s| s.user_id);
        self.vault.forget_session()?;
        if let (Some(dirs), Some(user)) = (&self.dirs, user) {
            dirs.forget_account(&user)?;
        }
        Ok(())
    }

    /// The API client (its language is the session's).
    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    /// The vault (where secrets are kept, and whether that is the keyring).
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Asks for a magic link; the request (and its PKCE verifier) is kept in the vault.
    pub async fn request_login_link(&self, email: &str) -> Result<RequestCreated, ClientError> {
        self.request_bound(PendingKind::Login, email).await
    }

    /// Asks the server for a login or reset link bound to this app by PKCE, and keeps the
    /// request (with its verifier) in the vault.
    async fn request_bound(
        &self,
        kind: PendingKind,
        email: &str,
    ) -> Result<RequestCreated, ClientError> {
        let _in_flight = self.requesting.lock().await;
        let pkce = PkcePair::generate()?;
        let email = email.trim().to_owned();
        let locale = Some(self.api.language().pick("fr", "en").to_owned());
        let (challenge, method) = (pkce.challenge, PKCE_METHOD.to_owned());
        let created = match kind {
            PendingKind::Login => {
                let body = LoginRequestBody {
                    email: email.clone(),
                    code_challenge: challenge,
                    code_challenge_method: method,
                    device: self.device.clone(),
                    locale,
                };
                self.api.send(&api::auth::login_request(&body)).await?
            }
            PendingKind::Reset => {
                let body = ResetRequestBody {
                    email: email.clone(),
                    code_challenge: challenge,
                    code_challenge_method: method,
                    device: self.device.clone(),
                    locale,
                };
                self.api.send(&api::auth::reset_request(&body)).await?
            }
        };
        self.vault.add_pending(
            PendingRequest {
                kind,
                request_id: created.request_id.clone(),
                verifier: pkce.verifier,
                email,
                expires_at: now() + created.expires_in,
            },
            now(),
        )?;
        Ok(created)
    }

    /// The pending request `request_id` of `kind`, if this app has it.
    fn pending_of(
        &self,
        kind: PendingKind,
        request_id: &str,
    ) -> Result<Option<PendingRequest>, ClientError> {
        Ok(self
            .vault
            .pending(now())?
            .into_iter()
            .find(|p| p.kind == kind && p.request_id == request_id))
    }

    /// Forgets a request the server says can never complete (used, expired, dead).
    fn forget_if_dead(
        &self,
        kind: PendingKind,
        request_id: &str,
        error: &ClientError,
    ) -> Result<(), ClientError> {
        if matches!(
            error.code(),
            ErrorCode::CodeUsed | ErrorCode::CodeExpired | ErrorCode::TooManyAttempts
        ) {
            self.vault.take_pending(kind, request_id, now())?;
        }
        Ok(())
    }

    /// Whether `request_id` is a request this app made and can still complete (a keyring
    /// that cannot be read answers `false`: for display only — links are decided by
    /// [`SessionManager::receive_link`], which tells that failure as such).
    pub fn is_pending(&self, request_id: &str) -> bool {
        self.vault.is_pending(request_id, now())
    }

    /// Completes the login request `request_id` with `code` (from a link or typed).
    pub async fn complete_login(
        &self,
        request_id: &str,
        code: &str,
    ) -> Result<SignedIn, ClientError> {
        let pending = self
            .pending_of(PendingKind::Login, request_id)?
            .ok_or(ClientError::LinkNotRequestedHere)?;
        let request = TokenRequest::LoginCode {
            request_id: request_id.to_owned(),
            code: Secret::new(code.to_owned()),
            code_verifier: pending.verifier.clone(),
        };
        match self.api.send(&api::auth::token(&request)).await {
            Ok(tokens) => {
                self.vault.forget_pending_of(&pending.email, now())?;
                self.start(tokens).await
            }
            Err(e) => {
                self.forget_if_dead(PendingKind::Login, request_id, &e)?;
                Err(e)
            }
        }
    }

    /// Completes a login with a code typed by hand: tries the pending requests, newest
    /// first (after "Renvoyer", the code of an older mail is still good).
    pub async fn complete_with_typed_code(&self, code: &str) -> Result<SignedIn, ClientError> {
        let pending: Vec<PendingRequest> = self
            .vault
            .pending(now())?
            .into_iter()
            .filter(|p| p.kind == PendingKind::Login)
            .collect();
        let mut last = ClientError::LinkNotRequestedHere;
        for p in pending {
            match self.complete_login(&p.request_id, code).await {
                Ok(signed_in) => return Ok(signed_in),
                Err(e @ ClientError::Api { .. }) => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Asks for a password-reset link, bound to this app like a login (PKCE); the request
    /// is kept in the vault so that only this app accepts the reset link.
    pub async fn request_password_reset(&self, email: &str) -> Result<RequestCreated, ClientError> {
        self.request_bound(PendingKind::Reset, email).await
    }

    /// The e-mail of a pending reset request, if `request_id` is one.
    pub fn pending_reset_email(&self, request_id: &str) -> Option<String> {
        self.pending_of(PendingKind::Reset, request_id)
            .ok()
            .flatten()
            .map(|p| p.email)
    }

    /// Sets the new password of a pending reset request. Signs nobody in: the server ends
    /// every session, this one included, so the local session is forgotten too.
    pub async fn complete_password_reset(
        &self,
        request_id: &str,
        token: &Secret<String>,
        new_password: Secret<String>,
    ) -> Result<(), ClientError> {
        let pending = self
            .pending_of(PendingKind::Reset, request_id)?
            .ok_or(ClientError::LinkNotRequestedHere)?;
        let body = ResetConfirmBody {
            request_id: request_id.to_owned(),
            token: token.clone(),
            code_verifier: Some(pending.verifier.clone()),
            new_password,
        };
        match self.api.send(&api::auth::reset_confirm(&body)).await {
            Ok(()) => {
                self.vault
                    .take_pending(PendingKind::Reset, request_id, now())?;
                *self.active.lock().await = None;
                self.forget_account()?;
                Ok(())
            }
            Err(e) => {
                self.forget_if_dead(PendingKind::Reset, request_id, &e)?;
                Err(e)
            }
        }
    }

    /// Logs in with e-mail and password.
    pub async fn login_with_password(
        &self,
        email: &str,
        password: Secret<String>,
    ) -> Result<SignedIn, ClientError> {
        let request = TokenRequest::Password {
            email: email.trim().to_owned(),
            password,
            device: self.device.clone(),
        };
        let tokens = self.api.send(&api::auth::token(&request)).await?;
        self.start(tokens).await
    }

    async fn start(&self, tokens: TokenResponse) -> Result<SignedIn, ClientError> {
        let stored = StoredSession {
            server: self.api.config().server_url.to_string(),
            user_id: tokens.user.id.clone(),
            email: tokens.user.email.clone(),
            session_id: tokens.session_id.clone(),
            refresh_token: tokens.refresh_token.clone(),
        };
        self.vault.save_session(&stored)?;
        let signed_in = SignedIn {
            user_id: stored.user_id.clone(),
            email: stored.email.clone(),
            session_id: stored.session_id.clone(),
        };
        *self.active.lock().await = Some(Active {
            stored,
            access: tokens.access_token,
            access_expires_at: now() + tokens.expires_in,
        });
        tracing::info!(session = %signed_in.session_id, "logged in");
        Ok(signed_in)
    }

    /// At start: the session kept in the vault, refreshed; `None` when there is none (or it
    /// ended on the server, in which case it is forgotten). A session ended because its
    /// person was removed from the team meanwhile is forgotten too, but comes back as that
    /// error, whose message says why (the app shows it on the login screen).
    pub async fn restore(&self) -> Result<Option<SignedIn>, ClientError> {
        let Some(stored) = self.vault.session()? else {
            return Ok(None);
        };
        if stored.server != self.api.config().server_url.as_str() {
            // A session of another server (configuration changed): not ours to use.
            return Ok(None);
        }
        let mut active = self.active.lock().await;
        match self.refresh_locked(&mut active, stored).await {
            Ok(signed_in) => Ok(Some(signed_in)),
            Err(e) if e.code() == ErrorCode::RemovedFromTeam => Err(e),
            Err(e) if e.code().ends_session() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The account of the session kept from a previous run, read from the vault without
    /// asking the server (where it may have ended since): what the app paints at start
    /// while [`Self::restore`] checks it.
    pub fn last_known(&self) -> Result<Option<SignedIn>, ClientError> {
        let Some(stored) = self.vault.session()? else {
            return Ok(None);
        };
        if stored.server != self.api.config().server_url.as_str() {
            return Ok(None);
        }
        Ok(Some(SignedIn {
            user_id: stored.user_id,
            email: stored.email,
            session_id: stored.session_id,
        }))
    }

    /// A valid access token, refreshed when needed (one refresh at a time).
    pub async fn access_token(&self) -> Result<Secret<String>, ClientError> {
        let mut active = self.active.lock().await;
        let stored = match active.as_ref() {
            Some(a) if a.access_expires_at - ACCESS_MARGIN_SECONDS > now() => {
                return Ok(a.access.clone())
            }
            Some(a) => a.stored.clone(),
            None => return Err(ClientError::NotLoggedIn),
        };
        self.refresh_locked(&mut active, stored).await?;
        active
            .as_ref()
            .map(|a| a.access.clone())
            .ok_or(ClientError::NotLoggedIn)
    }

    async fn refresh_locked(
        &self,
        active: &mut Option<Active>,
        stored: StoredSession,
    ) -> Result<SignedIn, ClientError> {
        let request = TokenRequest::RefreshToken {
            refresh_token: stored.refresh_token.clone(),
        };
        match self.api.send(&api::auth::token(&request)).await {
            Ok(tokens) => {
                let next = StoredSession {
                    refresh_token: tokens.refresh_token.clone(),
                    ..stored
                };
                // Saved before use: if this write is lost in a crash, the server's grace
                // period hands out the same successor to the old token.
                self.vault.save_session(&next)?;
                let signed_in = SignedIn {
                    user_id: next.user_id.clone(),
                    email: next.email.clone(),
                    session_id: next.session_id.clone(),
                };
                *active = Some(Active {
                    stored: next,
                    access: tokens.access_token,
                    access_expires_at: now() + tokens.expires_in,
                });
                Ok(signed_in)
            }
            Err(e) => {
                if e.code().ends_session() {
                    tracing::info!("the session ended on the server; forgetting it");
                    *active = None;
                    self.forget_account()?;
                }
                Err(e)
            }
        }
    }

    /// Sends `call` on behalf of this session: with a valid access token, and when the
    /// server says the token is no longer valid (expired early, revoked), refreshes once and
    /// sends it again — and if the session itself has ended, it is forgotten and
    /// `session_ended` comes back. Every signed-in endpoint goes through here.
    pub async fn call<T>(&self, call: Call<T>) -> Result<T, ClientError> {
        let access = self.access_token().await?;
        match self.api.send_as(&call, &access).await {
            Err(e) if e.code() == ErrorCode::Unauthorized => {
                self.expire_access().await;
                let access = self.access_token().await?;
                self.api.send_as(&call, &access).await
            }
            other => other,
        }
    }

    async fn expire_access(&self) {
        if let Some(active) = self.active.lock().await.as_mut() {
            active.access_expires_at = 0;
        }
    }

    /// Ends every session of this account but this one; returns how many ended.
    pub async fn revoke_other_sessions(&self) -> Result<usize, ClientError> {
        let others: Vec<SessionInfo> = self
            .call(api::auth::sessions())
            .await?
            .into_iter()
            .filter(|s| !s.current)
            .collect();
        for other in &others {
            match self.call(api::auth::revoke_session(&other.id)).await {
                // Ended meanwhile (expired, logged out): what was asked is done.
                Err(e) if e.code() == ErrorCode::NotFound => {}
                other => other?,
            }
        }
        Ok(others.len())
    }

    /// Who is logged in on this device right now (without asking the server).
    pub async fn signed_in(&self) -> Option<SignedIn> {
        self.active.lock().await.as_ref().map(|a| SignedIn {
            user_id: a.stored.user_id.clone(),
            email: a.stored.email.clone(),
            session_id: a.stored.session_id.clone(),
        })
    }

    /// The pending login request `request_id`'s e-mail, if this app made it.
    pub fn pending_login_email(&self, request_id: &str) -> Option<String> {
        self.pending_of(PendingKind::Login, request_id)
            .ok()
            .flatten()
            .map(|p| p.email)
    }

    /// Drops a pending login request (a link for the account already logged in).
    pub fn drop_pending_login(&self, request_id: &str) -> Result<(), ClientError> {
        self.vault
            .take_pending(PendingKind::Login, request_id, now())
            .map(|_| ())
    }

    /// Changes the password (the current one is needed when the account has one). The
    /// server ends the account's other sessions; this one goes on.
    pub async fn change_password(
        &self,
        current: Option<Secret<String>>,
        new_password: Secret<String>,
    ) -> Result<(), ClientError> {
        let body = PasswordChangeBody {
            current_password: current,
            new_password,
        };
        self.call(api::account::change_password(&body)).await
    }

    /// The session as the UI shows it.
    pub fn view(&self, signed_in: &SignedIn) -> SessionView {
        SessionView {
            email: signed_in.email.clone(),
            keyring: match self.vault.mode() {
                VaultMode::Keyring => KeyringMode::Keyring,
                VaultMode::MemoryOnly { .. } => KeyringMode::MemoryOnly,
            },
        }
    }

    /// What a link the OS delivered does, decided here once: parsed once, the vault read
    /// once, and then — a login for the account logged in (nothing spent), for another
    /// account (the user is asked), or with nobody logged in (completed); a reset (its form
    /// shown); anything else refused, a keyring that cannot be read told as such. The
    /// secrets a waiting link carries stay here.
    pub async fn receive_link(&self, raw: &[u8]) -> LinkEvent {
        match self.decide_link(raw).await {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(code = %error.code(), reason = %error, "deep link refused");
                LinkEvent::Rejected {
                    error: error.to_body(self.api.language()),
                }
            }
        }
    }

    async fn decide_link(&self, raw: &[u8]) -> Result<LinkEvent, ClientError> {
        let link = DeepLink::parse_bytes(raw)?;
        // A request still on its way is in the vault once this lock is free.
        drop(self.requesting.lock().await);
        let pending = self.vault.pending(now())?;
        let requested = |kind: PendingKind| {
            pending
                .iter()
                .find(|p| p.kind == kind && p.request_id == link.request().as_str())
                .map(|p| p.email.clone())
                .ok_or(ClientError::LinkNotRequestedHere)
        };
        match &link {
            DeepLink::LoginCallback { request, code } => {
                let requested = requested(PendingKind::Login)?;
                tracing::info!(request = %request, "completing a login from a link");
                match self.signed_in().await {
                    Some(current) if current.email.eq_ignore_ascii_case(&requested) => {
                        // Already logged in as this account: keep the session, spend nothing.
                        if let Err(e) = self.drop_pending_login(request.as_str()) {
                            tracing::warn!(error = %e, "could not forget the unused request");
                        }
                        Ok(LinkEvent::AlreadySignedIn {
                            session: self.view(&current),
                        })
                    }
                    Some(current) => {
                        *lock(&self.pending_switch) =
                            Some((request.to_string(), Secret::new(code.expose().to_owned())));
                        Ok(LinkEvent::SwitchRequested {
                            current: current.email,
                            requested,
                        })
                    }
                    None => {
                        let signed_in =
                            self.complete_login(request.as_str(), code.expose()).await?;
                        Ok(LinkEvent::SignedIn {
                            session: self.view(&signed_in),
                        })
                    }
                }
            }
            DeepLink::PasswordReset { request, token } => {
                let email = requested(PendingKind::Reset)?;
                tracing::info!(request = %request, "password reset link accepted");
                *lock(&self.pending_reset) =
                    Some((request.to_string(), Secret::new(token.expose().to_owned())));
                Ok(LinkEvent::ResetRequested { email })
            }
        }
    }

    /// The user agreed to switch to the account of the login link that arrived.
    pub async fn confirm_switch(&self) -> Result<SignedIn, ClientError> {
        let waiting = lock(&self.pending_switch).take();
        let (request_id, code) = waiting.ok_or(ClientError::LinkNotRequestedHere)?;
        self.switch_account(&request_id, code.expose()).await
    }

    /// The user kept the current account: the waiting link is forgotten (it can be opened
    /// again from the e-mail while it is valid).
    pub fn cancel_switch(&self) {
        *lock(&self.pending_switch) = None;
    }

    /// Sets the new password for the reset link that arrived. Signs nobody in; a refused
    /// password (too weak) keeps the link usable.
    pub async fn confirm_reset(&self, new_password: Secret<String>) -> Result<(), ClientError> {
        let waiting = lock(&self.pending_reset).clone();
        let (request_id, token) = waiting.ok_or(ClientError::LinkNotRequestedHere)?;
        self.complete_password_reset(&request_id, &token, new_password)
            .await?;
        *lock(&self.pending_reset) = None;
        Ok(())
    }

    /// Switches to another account: the current one logs out (its traces deleted, as on
    /// every way out), then the login request `request_id` completes with `code`.
    pub async fn switch_account(
        &self,
        request_id: &str,
        code: &str,
    ) -> Result<SignedIn, ClientError> {
        self.logout().await?;
        self.complete_login(request_id, code).await
    }

    /// Logs out: revokes the session on the server, then forgets it here whatever the
    /// server said (a server that cannot be reached must not keep anyone logged in), with
    /// the account's local traces ([`SessionManager::forget_account`]).
    pub async fn logout(&self) -> Result<(), ClientError> {
        let revoked = match self.access_token().await {
            Ok(access) => self.api.send_as(&api::auth::logout(), &access).await,
            Err(e) => Err(e),
        };
        *self.active.lock().await = None;
        self.forget_account()?;
        match revoked {
            Ok(()) => Ok(()),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::SessionEnded
                        | ErrorCode::RemovedFromTeam
                        | ErrorCode::Unauthorized
                        | ErrorCode::NotLoggedIn
                ) =>
            {
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "logged out locally; the server could not be told");
                Ok(())
            }
        }
    }
}
