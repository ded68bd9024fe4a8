//! Rate limits: per client address (a tower_governor layer on the auth routes) and per
//! e-mail address (a keyed governor limiter checked in the handlers). Both answer 429 with
//! `Retry-After` and a `{code, message}` body.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::PeerIpKeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::config::Limits;
use crate::error::{ApiError, Lang};

/// Limits per e-mail address (case-insensitive), per purpose.
#[derive(Debug)]
pub struct EmailLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl EmailLimiter {
    /// A limiter allowing `limits.per_email_burst` at once, then one per period.
    pub fn new(limits: &Limits) -> Self {
        let burst = NonZeroU32::new(limits.per_email_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs(limits.per_email_every_secs.max(1));
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request for (`purpose`, `email`); `Err` carries the 429 answer.
    pub fn check(&self, purpose: &str, email: &str, lang: Lang) -> Result<(), ApiError> {
        let key = format!("{purpose}:{}", email.trim().to_lowercase());
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::rate_limited(lang, wait.as_secs().max(1))
        })
    }
}

/// The per-address layer for the auth routes.
pub fn per_ip_layer(
    limits: &Limits,
) -> GovernorLayer<
    PeerIpKeyExtractor,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
> {
    let config = GovernorConfigBuilder::default()
        .per_millisecond(limits.per_ip_every_ms.max(1))
        .burst_size(limits.per_ip_burst.max(1))
        .finish();
    let config = Arc::new(config.unwrap_or_default());
    GovernorLayer::new(config).error_handler(|error| too_many(&error))
}

fn too_many(error: &GovernorError) -> Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            ApiError::rate_limited(Lang::Fr, (*wait_time).max(1)).into_response()
        }
        other => ApiError::internal(Lang::Fr, format!("rate limiter: {other:?}")).into_response(),
    }
}
