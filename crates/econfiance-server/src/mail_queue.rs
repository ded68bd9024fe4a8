//! The outgoing-mail queue, in the database: a mail is stored before the request that
//! wrote it answers (so a crash loses nothing acknowledged), then delivered off the request
//! path by whichever instance claims it first, retried with a growing delay, and deleted
//! once delivered or given up (so the table holds only mail still to go).
//!
//! - **Sealed.** Each row holds its mail encrypted and authenticated (XChaCha20-Poly1305)
//!   under a key derived from the server key: a copy of the database alone does not hold
//!   the login links and codes that mails carry.
//! - **Claimed by one instance.** A worker claims due rows by setting `claimed_until` in one
//!   `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING` (PostgreSQL; on
//!   SQLite the statement holds the database's write lock). A claim is a lease: an instance
//!   that dies mid-delivery leaves its rows to be claimed again when it runs out. Each
//!   claim counts an attempt, and a row is settled only by the claim that holds it (same
//!   id, same attempt count), so a late instance cannot delete or reschedule a row another
//!   one has since claimed. Every send is bounded ([`SEND_TIMEOUT`]), and a row whose lease
//!   would run out before its send could end is handed back unsent. A mail is delivered at
//!   least once — twice only if the SMTP server accepted it but the row could not be
//!   deleted (the instance died or lost the database in between), or accepted it just as
//!   the send timed out.
//! - **Expiring.** A login or reset mail carries its link's end of validity inside the
//!   seal: once past it (the SMTP server was down that long), the mail is dropped rather
//!   than sent with a dead link.
//! - **One key for all instances.** A row whose seal does not open is not given up at once
//!   (another instance may hold the right key); the server refuses to start on a database
//!   set up under another server key (see `crate::key_check`).
//! - **Equal work.** A request for an unknown e-mail queues its no-op mail the same way
//!   (built, sealed and stored like a real one, marked inside the seal), which the worker
//!   drops without sending: the request's work and the table's rows do not say which
//!   e-mails have accounts.

use std::sync::Arc;
use std::time::Duration;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::crypto::{self, ServerKey};
use crate::db::{Dialect, Pool};
use crate::mail::{Delivery, MailError, OutgoingMail};

/// How long a claimed row is left to its instance before another may take it.
const LEASE: Duration = Duration::from_secs(300);
/// How often a worker looks for mail other instances queued.
const POLL: Duration = Duration::from_secs(1);
/// Rows claimed at once.
const BATCH: i64 = 16;
/// Attempts before a mail is given up.
const MAX_ATTEMPTS: i64 = 10;
/// The longest one send may take (lettre's own limit is per SMTP command).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(120);
/// Lease left unused at the end of a send, so that the row is settled before it runs out.
const SETTLE_MARGIN: Duration = Duration::from_secs(30);

/// What a row's seal holds.
#[derive(Serialize, Deserialize)]
struct Sealed {
    /// False for an unknown e-mail's no-op mail.
    deliver: bool,
    mail: OutgoingMail,
    /// Past this (Unix milliseconds) the mail is dropped unsent.
    #[serde(default)]
    expires_at_ms: Option<i64>,
    /// The invitation this mail carries: marked refused when the mail server refuses the
    /// mail for good.
    #[serde(default)]
    invitation: Option<String>,
}

/// The key that seals queued mail (derived from the server key, never stored).
#[derive(Clone)]
pub struct SealKey(XChaCha20Poly1305);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    /// The queue's key under `key`.
    pub fn derive(key: &ServerKey) -> Self {
        let bytes = key.digest("mail-queue-seal", &[]);
        Self(XChaCha20Poly1305::new(bytes.as_slice().into()))
    }

    /// `plain` encrypted and authenticated: a random nonce, then the ciphertext.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, MailError> {
        let nonce = crypto::random_bytes::<24>();
        let mut out = nonce.to_vec();
        out.extend(
            self.0
                .encrypt(XNonce::from_slice(&nonce), plain)
                .map_err(|_| MailError::Seal)?,
        );
        Ok(out)
    }

    /// What [`Self::seal`] sealed; an error if it was not sealed by this key or was changed.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, MailError> {
        if sealed.len() < 24 {
            return Err(MailError::Seal);
        }
        let (nonce, cipher) = sealed.split_at(24);
        self.0
            .decrypt(XNonce::from_slice(nonce), cipher)
            .map_err(|_| MailError::Seal)
    }
}

use crate::clock::wall_ms as now_ms;

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The delay before attempt `attempts + 1`: 10 s, 20 s, 40 s… up to an hour.
pub fn retry_delay(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(10u64.saturating_mul(1u64 << exponent)).min(Duration::from_secs(3600))
}

/// The queue: where request handlers put mail.
#[derive(Debug, Clone)]
pub struct MailQueue {
    pool: Pool,
    key: SealKey,
    wake: Arc<Notify>,
}

impl MailQueue {
    /// The queue in `pool`'s database, sealed under `key`.
    pub fn new(pool: Pool, key: &ServerKey) -> Self {
        Self {
            pool,
            key: SealKey::derive(key),
            wake: Arc::default(),
        }
    }

    /// Stores `mail` for delivery; returns once it is stored.
    pub async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        self.put(mail, true, None, None).await
    }

    /// Stores a company's invitation mail in `tx` (the transaction that stores the
    /// invitation: both or neither), worth sending for `valid_for` (its form link's life);
    /// a permanent refusal by the mail server marks invitation `id` refused. Call
    /// [`MailQueue::wake`] once `tx` is committed.
    pub async fn send_invitation_in(
        &self,
        tx: &mut crate::db::Tx<'_>,
        mail: OutgoingMail,
        id: &str,
        valid_for: Duration,
    ) -> Result<(), MailError> {
        let sealed = self.sealed(
            mail,
            true,
            Some(now_ms().saturating_add(ms(valid_for))),
            Some(id.to_owned()),
        )?;
        Self::insert_in(tx, sealed).await
    }

    /// Stores `mail` in `tx` (the transaction that decided to send it: both or neither).
    /// Call [`MailQueue::wake`] once `tx` is committed.
    pub async fn send_in(
        &self,
        tx: &mut crate::db::Tx<'_>,
        mail: OutgoingMail,
    ) -> Result<(), MailError> {
        let sealed = self.sealed(mail, true, None, None)?;
        Self::insert_in(tx, sealed).await
    }

    async fn insert_in(tx: &mut crate::db::Tx<'_>, sealed: Vec<u8>) -> Result<(), MailError> {
        sqlx::query(
            "INSERT INTO mail_queue (sealed, created_at, next_attempt_at) VALUES ($1, $2, $2)",
        )
        .bind(sealed)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map_err(MailError::Queue)?;
        Ok(())
    }

    /// Stores a mail whose content is worth sending for `valid_for` only (a login link).
    /// With `deliver` false it is stored exactly the same way, marked (inside its seal) not
    /// to be delivered: an unknown e-mail's request does the same work as a known one's.
    pub async fn send_expiring(
        &self,
        mail: OutgoingMail,
        deliver: bool,
        valid_for: Duration,
    ) -> Result<(), MailError> {
        self.put(
            mail,
            deliver,
            Some(now_ms().saturating_add(ms(valid_for))),
            None,
        )
        .await
    }

    /// Tells this instance's worker that mail is waiting (others find it when they poll).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// `mail` sealed as a queue row holds it.
    fn sealed(
        &self,
        mail: OutgoingMail,
        deliver: bool,
        expires_at_ms: Option<i64>,
        invitation: Option<String>,
    ) -> Result<Vec<u8>, MailError> {
        let plain = serde_json::to_vec(&Sealed {
            deliver,
            mail,
            expires_at_ms,
            invitation,
        })
        .map_err(|_| MailError::Seal)?;
        self.key.seal(&plain)
    }

    async fn put(
        &self,
        mail: OutgoingMail,
        deliver: bool,
        expires_at_ms: Option<i64>,
        invitation: Option<String>,
    ) -> Result<(), MailError> {
        let sealed = self.sealed(mail, deliver, expires_at_ms, invitation)?;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO mail_queue (sealed, created_at, next_attempt_at) VALUES ($1, $2, $2)",
        )
        .bind(sealed)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(MailError::Queue)?;
        self.wake.notify_one();
        Ok(())
    }

    /// How many mails wait (delivered ones are deleted).
    pub async fn waiting(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_queue")
            .fetch_one(&self.pool)
            .await
    }

    /// Starts this instance's worker, delivering through `delivery`.
    pub fn spawn_worker(&self, delivery: Delivery) {
        let queue = self.clone();
        tokio::spawn(async move {
            loop {
                match queue.deliver_due(&delivery).await {
                    // A full batch: more may be due at once.
                    Ok(n) if n >= BATCH as usize => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "mail queue: cannot claim mail"),
                }
                let _ = tokio::time::timeout(POLL, queue.wake.notified()).await;
            }
        });
    }

    /// Claims the due rows no other instance holds, delivers them, and settles each;
    /// returns how many were claimed.
    pub async fn deliver_due(&self, delivery: &Delivery) -> Result<usize, sqlx::Error> {
        let now = now_ms();
        let skip_locked = Dialect::of(&self.pool).for_update_skip_locked();
        let sql = format!(
            "UPDATE mail_queue SET claimed_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM mail_queue
                          WHERE next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
                          ORDER BY id LIMIT $3{skip_locked})
             RETURNING id, sealed, attempts"
        );
        // Built from constants only; every value is bound.
        let claimed: Vec<(i64, Vec<u8>, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now + ms(LEASE))
            .bind(now)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
        let n = claimed.len();
        let lease_end = now + ms(LEASE);
        for (id, sealed, attempts) in claimed {
            let claim = Claim { id, attempts };
            // Settling one row must not hold back the others: a failure is logged, and the
            // row's lease lets another attempt take it later.
            let settled = if now_ms() + ms(SEND_TIMEOUT + SETTLE_MARGIN) > lease_end {
                self.hand_back(claim).await
            } else {
                let (outcome, invitation) = self.deliver_one(delivery, &sealed).await;
                if let (Err(e), Some(id)) = (&outcome, &invitation) {
                    if e.is_permanent() {
                        self.mark_refused(id).await;
                    }
                }
                self.settle(claim, outcome).await
            };
            if let Err(e) = settled {
                tracing::error!(error = %e, id, "mail queue: cannot settle a row");
            }
        }
        Ok(n)
    }

    /// Delivers one sealed mail; the outcome, and the invitation it carries, if any.
    async fn deliver_one(
        &self,
        delivery: &Delivery,
        sealed: &[u8],
    ) -> (Result<(), MailError>, Option<String>) {
        let opened = self
            .key
            .open(sealed)
            .and_then(|plain| serde_json::from_slice(&plain).map_err(|_| MailError::Seal));
        let Sealed {
            deliver,
            mail,
            expires_at_ms,
            invitation,
        } = match opened {
            Ok(sealed) => sealed,
            Err(e) => return (Err(e), None),
        };
        if !deliver {
            return (Ok(()), invitation);
        }
        if expires_at_ms.is_some_and(|end| now_ms() >= end) {
            tracing::warn!(subject = %mail.subject, "mail expired before it could be delivered");
            return (Ok(()), invitation);
        }
        let sent = match tokio::time::timeout(SEND_TIMEOUT, delivery.deliver(&mail)).await {
            Ok(sent) => sent,
            Err(_) => Err(MailError::Timeout),
        };
        if sent.is_ok() {
            tracing::info!(subject = %mail.subject, "mail delivered");
        }
        (sent, invitation)
    }

    /// Marks invitation `id` refused by the customer's mail server (logged if it cannot be).
    async fn mark_refused(&self, id: &str) {
        let marked = sqlx::query(
            "UPDATE invitations SET refused_at = $1 WHERE id = $2 AND refused_at IS NULL",
        )
        .bind(now_ms() / 1000)
        .bind(id)
        .execute(&self.pool)
        .await;
        if let Err(e) = marked {
            tracing::error!(error = %e, invitation = id, "cannot mark an invitation refused");
        }
    }

    /// Releases a claimed row unsent, due again at once. Its claim still counts as an
    /// attempt: the count only grows, so that a claim is never mistaken for a later one.
    async fn hand_back(&self, claim: Claim) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE mail_queue SET claimed_until = NULL
             WHERE id = $1 AND attempts = $2",
        )
        .bind(claim.id)
        .bind(claim.attempts)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Deletes a delivered (or given-up) row; schedules a failed one's next attempt. Only
    /// while `claim` still holds the row: a claim whose lease ran out and whose row was
    /// claimed again changes nothing.
    async fn settle(
        &self,
        claim: Claim,
        outcome: Result<(), MailError>,
    ) -> Result<(), sqlx::Error> {
        let Claim { id, attempts } = claim;
        let retry = match &outcome {
            Ok(()) => false,
            Err(e) if e.is_permanent() || attempts >= MAX_ATTEMPTS => {
                tracing::error!(error = %e, attempts, "mail given up");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, attempts, "mail not delivered; it will be retried");
                true
            }
        };
        let done = if retry {
            sqlx::query(
                "UPDATE mail_queue SET claimed_until = NULL, next_attempt_at = $1
                 WHERE id = $2 AND attempts = $3",
            )
            .bind(now_ms() + ms(retry_delay(attempts)))
            .bind(id)
            .bind(attempts)
            .execute(&self.pool)
            .await?
        } else {
            sqlx::query("DELETE FROM mail_queue WHERE id = $1 AND attempts = $2")
                .bind(id)
                .bind(attempts)
                .execute(&self.pool)
                .await?
        };
        if done.rows_affected() == 0 {
            tracing::warn!(
                id,
                attempts,
                "mail queue: the row was claimed again meanwhile"
            );
        }
        Ok(())
    }
}

/// One claim of one row: its id and the attempt count the claim gave it.
#[derive(Debug, Clone, Copy)]
struct Claim {
    id: i64,
    attempts: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SealKey {
        SealKey::derive(&ServerKey::from_bytes([byte; 32]))
    }

    #[test]
    fn a_sealed_mail_shows_nothing_and_opens_only_under_its_key_unchanged() {
        let plain = b"Votre code : K7M4-QX2P";
        let sealed = key(1).seal(plain).expect("sealed");
        assert!(!sealed.windows(9).any(|w| w == b"K7M4-QX2P"));
        assert_eq!(key(1).open(&sealed).expect("opens"), plain);
        // Two seals of one mail differ (random nonce).
        assert_ne!(key(1).seal(plain).expect("sealed"), sealed);
        assert!(key(2).open(&sealed).is_err(), "another server key");
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(key(1).open(&changed).is_err(), "a changed byte");
        assert!(key(1).open(&sealed[..10]).is_err(), "cut short");
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay(1), Duration::from_secs(10));
        assert_eq!(retry_delay(2), Duration::from_secs(20));
        assert_eq!(retry_delay(4), Duration::from_secs(80));
        assert_eq!(retry_delay(MAX_ATTEMPTS), Duration::from_secs(3600));
        assert_eq!(retry_delay(60), Duration::from_secs(3600));
    }
}
