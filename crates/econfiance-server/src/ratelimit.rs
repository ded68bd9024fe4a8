//! Rate limits: per client address (a tower_governor layer on the auth routes) and per
//! e-mail address (keyed governor limiters checked in the handlers). Both answer 429 with
//! `Retry-After` and a `{code, message}` body.
//!
//! A client address is the peer's IPv4 address, or its IPv6 /64 (one machine, or one
//! attacker, usually holds a whole /64). Per e-mail, the limits count per (e-mail, client
//! address): an address asking for someone else's e-mail exhausts its own allowance, not
//! the owner's. Above them, a cap per e-mail across addresses: `per_email_cap_addresses`
//! (20) other addresses each at their own limit still leave the owner theirs; one more and
//! everyone waits. Keys that are back to a full allowance are dropped every minute
//! ([`prune_every_minute`]), so the limiters' memory stays bounded.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::client_address::ClientIp;
use crate::config::Limits;
use crate::error::{ApiError, Lang};

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

/// The client's [`client_key`] (behind a trusted proxy, the address it forwarded: see
/// [`crate::client_address`]), for the per-address layer.
#[derive(Debug, Clone, Copy)]
pub struct ClientKeyExtractor;

impl KeyExtractor for ClientKeyExtractor {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        let resolved = req.extensions().get::<ClientIp>().map(|ClientIp(ip)| *ip);
        let peer = || {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
        };
        resolved
            .or_else(peer)
            .map(client_key)
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

/// Limits per (purpose, e-mail, client address), under a cap per (purpose, e-mail).
#[derive(Debug)]
pub struct EmailLimiter {
    per_address: DefaultKeyedRateLimiter<String>,
    per_email: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl EmailLimiter {
    /// One address may make `per_email_burst` requests for an e-mail at once, then one per
    /// `per_email_every_secs`; all addresses together `per_email_cap_addresses + 1` times
    /// that.
    pub fn new(limits: &Limits) -> Self {
        let burst = limits.per_email_burst.max(1);
        let period = Duration::from_secs(limits.per_email_every_secs.max(1));
        let shares = limits.per_email_cap_addresses.saturating_add(1).max(1);
        Self {
            per_address: RateLimiter::keyed(quota(burst, period)),
            per_email: RateLimiter::keyed(quota(burst.saturating_mul(shares), period / shares)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request for (`purpose`, `email`) from `client`; `Err` carries the 429
    /// answer.
    pub fn check(
        &self,
        purpose: &str,
        email: &str,
        client: IpAddr,
        lang: Lang,
    ) -> Result<(), ApiError> {
        let email_key = format!("{purpose}:{}", email.trim().to_lowercase());
        let address_key = format!("{email_key}:{}", client_key(client));
        let refused = |not_until: governor::NotUntil<_>| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::rate_limited(lang, wait.as_secs().max(1))
        };
        self.per_address.check_key(&address_key).map_err(refused)?;
        self.per_email.check_key(&email_key).map_err(refused)
    }

    /// Drops the keys whose allowance is whole again.
    pub fn retain_recent(&self) {
        self.per_address.retain_recent();
        self.per_email.retain_recent();
    }

    /// How many keys the limiters hold.
    pub fn len(&self) -> usize {
        self.per_address.len() + self.per_email.len()
    }

    /// Whether the limiters hold no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn quota(burst: u32, period: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period.max(Duration::from_millis(1)))
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// The per-address layer for the auth routes (its limiter pruned every minute).
pub fn per_ip_layer(
    limits: &Limits,
) -> GovernorLayer<
    ClientKeyExtractor,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
> {
    let config = GovernorConfigBuilder::default()
        .per_millisecond(limits.per_ip_every_ms.max(1))
        .burst_size(limits.per_ip_burst.max(1))
        .key_extractor(ClientKeyExtractor)
        .finish();
    // `finish` refuses only a zero burst or period, which `max(1)` rules out.
    let config = Arc::new(config.expect("a burst and a period of at least one"));
    let limiter = config.limiter().clone();
    prune_every_minute(move || limiter.retain_recent());
    GovernorLayer::new(config).error_handler(|error| too_many(&error))
}

/// Runs `prune` every minute for the life of the server (when a runtime is there to run it).
pub fn prune_every_minute(prune: impl Fn() + Send + 'static) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                prune();
            }
        });
    }
}

fn too_many(error: &GovernorError) -> Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            ApiError::rate_limited(Lang::Fr, (*wait_time).max(1)).into_response()
        }
        other => ApiError::internal(Lang::Fr, format!("rate limiter: {other:?}")).into_response(),
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

    #[test]
    fn the_limiters_memory_comes_back_under_a_bound_after_a_pruning_pass() {
        let limits = Limits {
            per_email_burst: 1,
            per_email_every_secs: 1,
            per_email_cap_addresses: 0,
            ..Limits::default()
        };
        let limiter = EmailLimiter::new(&limits);
        let client: IpAddr = "192.0.2.1".parse().expect("ip");
        for i in 0..100_000 {
            let _ = limiter.check("login", &format!("x{i}@exemple.fr"), client, Lang::Fr);
        }
        assert!(limiter.len() >= 100_000, "{} keys", limiter.len());
        // Governor keeps a key until two periods after its last use (its allowance is then
        // indistinguishable from a new key's): past that, pruning drops them all.
        std::thread::sleep(Duration::from_millis(2100));
        limiter.retain_recent();
        assert!(
            limiter.len() <= 1_000,
            "{} keys after pruning",
            limiter.len()
        );
    }
}
