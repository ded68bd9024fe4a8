//! Rate limits, counted in the database so that several server instances on one database
//! share them: an attacker spreading requests over instances gets no more than one
//! instance's limit. Per client address (a middleware on the auth and public routes) and
//! per e-mail address (checked in the handlers); both answer 429 with `Retry-After` and a
//! `{code, message}` body.
//!
//! Each limit is a GCRA ("generic cell rate algorithm", the leaky bucket as a single
//! timestamp): `burst` requests at once, then one per `period`. A key's state is one row,
//! its theoretical arrival time (TAT) in Unix milliseconds, updated by one atomic upsert
//! that refuses by not updating. Instances read the wall clock, so theirs must agree (NTP)
//! to well under a period.
//!
//! A client address is the peer's IPv4 address, or its IPv6 /64 (one machine, or one
//! attacker, usually holds a whole /64). Per e-mail, the limits count per (e-mail, client
//! address): an address asking for someone else's e-mail exhausts its own allowance, not
//! the owner's. Above them, a cap per e-mail across addresses: `per_email_cap_addresses`
//! (20) other addresses each at their own limit still leave the owner theirs; one more and
//! everyone waits. Rows whose allowance is whole again are deleted every minute
//! ([`Limiter::prune`]), so the table stays bounded by the keys of the last period.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::client_address::ClientIp;
use crate::config::Limits;
use crate::db::Pool;
use crate::error::{ApiError, Lang};
use crate::AppContext;

/// The key of a client address: IPv4 as it is (an IPv4-mapped IPv6 address too), IPv6 by
/// its /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
    }
}

/// The client of a request: the address a trusted proxy forwarded (see
/// [`crate::client_address`]), else the peer's.
pub fn client_of<B>(req: &Request<B>) -> Option<IpAddr> {
    let resolved = req.extensions().get::<ClientIp>().map(|ClientIp(ip)| *ip);
    let peer = || {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
    };
    resolved.or_else(peer)
}

/// `burst` requests at once, then one more every `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Requests allowed at once (at least 1).
    pub burst: u32,
    /// Time for one more (at least 1 ms).
    pub period: Duration,
}

impl Rule {
    fn period_ms(self) -> i64 {
        i64::try_from(self.period.as_millis())
            .unwrap_or(i64::MAX / 4)
            .max(1)
    }

    fn tolerance_ms(self) -> i64 {
        self.period_ms()
            .saturating_mul(i64::from(self.burst.max(1)))
    }
}

/// Whether a request fits its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Counted.
    Allowed,
    /// Refused: the next one fits in this many seconds (at least 1).
    RetryAfter(u64),
}

/// The limits' state in the database.
#[derive(Debug, Clone)]
pub struct Limiter {
    pool: Pool,
}

use crate::clock::wall_ms as now_ms;

impl Limiter {
    /// The limits kept in `pool`'s database.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// Counts one request for `key` under `rule`.
    pub async fn check(&self, key: &str, rule: Rule) -> Result<Verdict, sqlx::Error> {
        self.check_at(key, rule, now_ms()).await
    }

    /// [`Self::check`] at `now` (Unix milliseconds).
    pub async fn check_at(&self, key: &str, rule: Rule, now: i64) -> Result<Verdict, sqlx::Error> {
        let (period, tolerance) = (rule.period_ms(), rule.tolerance_ms());
        // One statement: a new key starts at now + period; a known one moves its TAT on by
        // one period from max(TAT, now) only if that stays within the tolerance. No row
        // back means refused.
        let counted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3)
             ON CONFLICT (key) DO UPDATE
                SET tat = (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3
              WHERE (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 - $2 <= $4
             RETURNING tat",
        )
        .bind(key)
        .bind(now)
        .bind(period)
        .bind(tolerance)
        .fetch_optional(&self.pool)
        .await?;
        if counted.is_some() {
            return Ok(Verdict::Allowed);
        }
        let tat: Option<i64> = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        let wait_ms = tat.map_or(0, |tat| tat + period - tolerance - now);
        let secs = u64::try_from(wait_ms.max(0)).unwrap_or(0).div_ceil(1000);
        Ok(Verdict::RetryAfter(secs.max(1)))
    }

    /// Deletes the keys whose allowance is whole again (their TAT has passed).
    pub async fn prune(&self) -> Result<u64, sqlx::Error> {
        self.prune_at(now_ms()).await
    }

    /// [`Self::prune`] at `now` (Unix milliseconds).
    pub async fn prune_at(&self, now: i64) -> Result<u64, sqlx::Error> {
        sqlx::query("DELETE FROM rate_limits WHERE tat <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
    }

    /// How many keys the database holds.
    pub async fn keys(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits")
            .fetch_one(&self.pool)
            .await
    }

    /// Prunes every minute for the life of the server (when a runtime is there to run it).
    pub fn prune_every_minute(&self) {
        let limiter = self.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every.tick().await;
                    if let Err(e) = limiter.prune().await {
                        tracing::warn!(error = %e, "rate limits: pruning failed");
                    }
                }
            });
        }
    }
}

/// The per-address rule of the auth and public routes.
pub fn per_address_rule(limits: &Limits) -> Rule {
    Rule {
        burst: limits.per_ip_burst.max(1),
        period: Duration::from_millis(limits.per_ip_every_ms.max(1)),
    }
}

/// The rules per (e-mail, address) and per e-mail: one address may make
/// `per_email_burst` requests for an e-mail at once, then one per `per_email_every_secs`;
/// all addresses together `per_email_cap_addresses + 1` times that.
pub fn per_email_rules(limits: &Limits) -> (Rule, Rule) {
    let burst = limits.per_email_burst.max(1);
    let period = Duration::from_secs(limits.per_email_every_secs.max(1));
    let shares = limits.per_email_cap_addresses.saturating_add(1).max(1);
    (
        Rule { burst, period },
        Rule {
            burst: burst.saturating_mul(shares),
            period: period / shares,
        },
    )
}

/// Counts one request for (`purpose`, `email`) from `client`; `Err` carries the 429 answer
/// (or a 500 when the database does not answer).
pub async fn check_email(
    ctx: &AppContext,
    purpose: &str,
    email: &str,
    client: IpAddr,
    lang: Lang,
) -> Result<(), ApiError> {
    let (per_address, per_email) = per_email_rules(&ctx.config.limits);
    let email_key = format!("email:{purpose}:{}", crate::auth::email_key(email));
    let address_key = format!("{email_key}:{}", client_key(client));
    for (key, rule) in [(&address_key, per_address), (&email_key, per_email)] {
        match ctx.limiter.check(key, rule).await {
            Ok(Verdict::Allowed) => {}
            Ok(Verdict::RetryAfter(secs)) => return Err(ApiError::rate_limited(lang, secs)),
            Err(e) => return Err(ApiError::internal(lang, format!("rate limits: {e}"))),
        }
    }
    Ok(())
}

/// The per-address limit of a group of routes (`auth` or `public`: each its own
/// allowance), as a middleware.
pub async fn per_address(
    State((ctx, group)): State<(AppContext, &'static str)>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let lang = Lang::from_headers(req.headers());
    let Some(client) = client_of(&req) else {
        return ApiError::internal(lang, "rate limits: no client address").into_response();
    };
    let key = format!("address:{group}:{}", client_key(client));
    match ctx
        .limiter
        .check(&key, per_address_rule(&ctx.config.limits))
        .await
    {
        Ok(Verdict::Allowed) => next.run(req).await,
        Ok(Verdict::RetryAfter(secs)) => ApiError::rate_limited(lang, secs).into_response(),
        Err(e) => ApiError::internal(lang, format!("rate limits: {e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_an_ipv4_one_itself() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            client_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    async fn limiter() -> (tempfile::TempDir, Limiter) {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = crate::db::open(dir.path(), None).await.expect("db");
        (dir, Limiter::new(pool))
    }

    #[tokio::test]
    async fn a_burst_then_one_per_period_and_the_wait_is_said() {
        let (_dir, limiter) = limiter().await;
        let rule = Rule {
            burst: 3,
            period: Duration::from_secs(10),
        };
        let t = 1_800_000_000_000;
        for _ in 0..3 {
            assert_eq!(
                limiter.check_at("k", rule, t).await.expect("db"),
                Verdict::Allowed
            );
        }
        // The fourth waits one period from now.
        assert_eq!(
            limiter.check_at("k", rule, t).await.expect("db"),
            Verdict::RetryAfter(10)
        );
        // A refused request costs nothing: 2.5 s later, 7.5 s to go (said as 8).
        assert_eq!(
            limiter.check_at("k", rule, t + 2_500).await.expect("db"),
            Verdict::RetryAfter(8)
        );
        assert_eq!(
            limiter.check_at("k", rule, t + 10_000).await.expect("db"),
            Verdict::Allowed
        );
        // Another key has its own allowance.
        assert_eq!(
            limiter.check_at("other", rule, t).await.expect("db"),
            Verdict::Allowed
        );
    }

    #[tokio::test]
    async fn the_table_comes_back_under_a_bound_after_a_pruning_pass() {
        let (_dir, limiter) = limiter().await;
        let rule = Rule {
            burst: 1,
            period: Duration::from_secs(1),
        };
        let t = 1_800_000_000_000;
        for i in 0..2_000 {
            let _ = limiter
                .check_at(&format!("x{i}"), rule, t)
                .await
                .expect("db");
        }
        assert_eq!(limiter.keys().await.expect("db"), 2_000);
        // Still within their period: kept.
        assert_eq!(limiter.prune_at(t + 500).await.expect("db"), 0);
        // A period on, every allowance is whole again: all gone.
        assert_eq!(limiter.prune_at(t + 1_000).await.expect("db"), 2_000);
        assert_eq!(limiter.keys().await.expect("db"), 0);
    }

    #[test]
    fn the_cap_per_email_is_the_share_of_every_address() {
        let limits = Limits {
            per_email_burst: 5,
            per_email_every_secs: 60,
            per_email_cap_addresses: 20,
            ..Limits::default()
        };
        let (per_address, per_email) = per_email_rules(&limits);
        assert_eq!(per_address.burst, 5);
        assert_eq!(per_email.burst, 105);
        assert_eq!(per_email.period, Duration::from_secs(60) / 21);
    }
}
