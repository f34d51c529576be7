//! Whether and when to try a request again.
//!
//! The shells loop on [`RetryPolicy::decide`]: send, classify the outcome, ask, and either
//! accept, wait and resend, follow a relocation, look up a create before resending, or stop.
//! The rules encode what the e-shop APIs punish: credentials are never retried (five bad
//! logins lock the account), a rate limit is waited out only as long as the caller allows,
//! and a write whose outcome is unknown is resent only when that cannot do it twice.

use std::time::Duration;

use crate::date::ApiDate;
use crate::http::ResendSafety;
use chrono::{DateTime, Utc};

/// What happened to one attempt, as the platform module classified it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The server answered with something to use (a 200, per-item failures included).
    Success,
    /// The shop moved; the new API base URL came in the body.
    Relocated(String),
    /// Too many requests; `retry_after` is when the server said to come back.
    RateLimited {
        /// The instant from `Retry-After`, if the header was there and readable.
        retry_after: Option<DateTime<Utc>>,
    },
    /// A failure that may pass (5xx except 501, a dropped connection, a timeout). The
    /// server may or may not have done the work.
    Transient,
    /// A failure that repeating cannot fix (400, 401, 403, 404, 405, 413, 501).
    Permanent,
}

/// What to do on a rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OnRateLimit {
    /// Wait until `Retry-After`, if that is no longer than `max_wait`.
    Wait {
        /// The longest wait to accept.
        max_wait: Duration,
    },
    /// Give up at once and report the limit.
    Fail,
}

/// How many times and how long to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (at least 1).
    pub max_attempts: u32,
    /// The first backoff; it doubles per attempt.
    pub base_delay: Duration,
    /// The longest single backoff.
    pub max_delay: Duration,
    /// What a 429 does.
    pub on_rate_limit: OnRateLimit,
    /// Wait for a 429 that has no `Retry-After` (the concurrency limit, which clears as soon
    /// as another request finishes).
    pub concurrency_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            on_rate_limit: OnRateLimit::Wait { max_wait: Duration::from_secs(60) },
            concurrency_backoff: Duration::from_secs(1),
        }
    }
}

/// The answer for one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Use the response.
    Accept,
    /// Send the same request again after this wait.
    Retry {
        /// How long to wait first.
        after: Duration,
    },
    /// Store this new API base URL and send the request there.
    Relocate {
        /// The new base URL (validate it before use).
        api_url: String,
    },
    /// The create may have happened: look these keys up, then resend only the items that
    /// were not created.
    LookupThenResend {
        /// Keys to look up (external order numbers).
        keys: Vec<String>,
        /// How long to wait before the lookup.
        after: Duration,
    },
    /// Stop and report the failure.
    Stop(StopReason),
}

/// Why a retry loop ended without success.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The failure is not one that repeating can fix.
    NotRetryable,
    /// `max_attempts` were used.
    AttemptsExhausted,
    /// A rate limit, and the policy says not to wait.
    RateLimited,
    /// A rate limit that lasts longer than the policy's `max_wait`.
    WaitTooLong {
        /// How long the server asked to wait.
        needed: Duration,
    },
    /// The outcome is unknown and resending could do the work twice.
    UnsafeToResend,
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1 for the first) that ended in
    /// `outcome`. `now` is the caller's clock; `jitter` is a random number in `[0, 1)`
    /// from the caller, which spreads retries of many clients apart.
    #[must_use]
    pub fn decide(
        &self,
        attempt: u32,
        outcome: &Outcome,
        resend: &ResendSafety,
        now: DateTime<Utc>,
        jitter: f64,
    ) -> Decision {
        let out_of_attempts = attempt >= self.max_attempts.max(1);
        match outcome {
            Outcome::Success => Decision::Accept,
            Outcome::Permanent => Decision::Stop(StopReason::NotRetryable),
            Outcome::Relocated(url) if !out_of_attempts => {
                Decision::Relocate { api_url: url.clone() }
            }
            Outcome::RateLimited { retry_after } => {
                let OnRateLimit::Wait { max_wait } = self.on_rate_limit else {
                    return Decision::Stop(StopReason::RateLimited);
                };
                if out_of_attempts {
                    return Decision::Stop(StopReason::AttemptsExhausted);
                }
                // A 429 means the server did nothing, so any request may be resent.
                let wait = match retry_after {
                    Some(at) => (*at - now).to_std().unwrap_or(Duration::ZERO),
                    None => spread(self.concurrency_backoff, jitter),
                };
                if wait > max_wait {
                    Decision::Stop(StopReason::WaitTooLong { needed: wait })
                } else {
                    Decision::Retry { after: wait }
                }
            }
            Outcome::Transient if out_of_attempts => Decision::Stop(StopReason::AttemptsExhausted),
            Outcome::Transient => {
                let after = self.backoff(attempt, jitter);
                match resend {
                    ResendSafety::Idempotent => Decision::Retry { after },
                    ResendSafety::LookupFirst(keys) if !keys.is_empty() => {
                        Decision::LookupThenResend { keys: keys.clone(), after }
                    }
                    ResendSafety::LookupFirst(_) | ResendSafety::Never => {
                        Decision::Stop(StopReason::UnsafeToResend)
                    }
                }
            }
            Outcome::Relocated(_) => Decision::Stop(StopReason::AttemptsExhausted),
        }
    }

    /// Exponential backoff for attempt `attempt` with "equal jitter": half fixed, half
    /// random, so retries never pile up at zero.
    #[must_use]
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let full = self.base_delay.saturating_mul(1 << exp).min(self.max_delay);
        spread(full, jitter)
    }
}

fn spread(full: Duration, jitter: f64) -> Duration {
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
    full / 2 + full.mul_f64(jitter / 2.0)
}

/// Reads a `Retry-After` value: an HTTP date (what Upgates documents, in GMT), an ISO 8601
/// datetime, or a number of seconds (what Retailys and most servers send).
#[must_use]
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u32>() {
        return now.checked_add_signed(chrono::Duration::seconds(i64::from(secs)));
    }
    if let Ok(t) = httpdate::parse_http_date(v) {
        return Some(DateTime::<Utc>::from(t));
    }
    // An ISO datetime; documented as GMT, so a missing offset means UTC.
    let iso: ApiDate = v.parse().ok()?;
    Some(iso.to_utc(chrono::FixedOffset::east_opt(0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn retry_after_in_every_form() {
        let want: DateTime<Utc> = "2026-11-23T10:00:30Z".parse().unwrap();
        assert_eq!(parse_retry_after("30", now()), Some(want));
        assert_eq!(parse_retry_after("Mon, 23 Nov 2026 10:00:30 GMT", now()), Some(want));
        assert_eq!(parse_retry_after("2026-11-23T10:00:30+00:00", now()), Some(want));
        assert_eq!(parse_retry_after("2026-11-23 10:00:30", now()), Some(want));
        assert_eq!(parse_retry_after("soon", now()), None);
    }

    #[test]
    fn credentials_and_client_errors_are_never_retried() {
        let d = RetryPolicy::default().decide(
            1,
            &Outcome::Permanent,
            &ResendSafety::Idempotent,
            now(),
            0.5,
        );
        assert_eq!(d, Decision::Stop(StopReason::NotRetryable));
    }

    #[test]
    fn transient_failures_back_off_for_idempotent_requests_only() {
        let p = RetryPolicy::default();
        let d1 = p.decide(1, &Outcome::Transient, &ResendSafety::Idempotent, now(), 0.0);
        let d2 = p.decide(2, &Outcome::Transient, &ResendSafety::Idempotent, now(), 0.0);
        assert_eq!(d1, Decision::Retry { after: Duration::from_millis(250) });
        assert_eq!(d2, Decision::Retry { after: Duration::from_millis(500) });
        assert_eq!(
            p.decide(4, &Outcome::Transient, &ResendSafety::Idempotent, now(), 0.0),
            Decision::Stop(StopReason::AttemptsExhausted)
        );
        assert_eq!(
            p.decide(1, &Outcome::Transient, &ResendSafety::Never, now(), 0.0),
            Decision::Stop(StopReason::UnsafeToResend)
        );
    }

    #[test]
    fn creates_are_looked_up_before_resending() {
        let keys = vec!["EXT-1".to_owned()];
        let d = RetryPolicy::default().decide(
            1,
            &Outcome::Transient,
            &ResendSafety::LookupFirst(keys.clone()),
            now(),
            0.0,
        );
        assert!(matches!(d, Decision::LookupThenResend { keys: k, .. } if k == keys));
        let none = RetryPolicy::default().decide(
            1,
            &Outcome::Transient,
            &ResendSafety::LookupFirst(vec![]),
            now(),
            0.0,
        );
        assert_eq!(none, Decision::Stop(StopReason::UnsafeToResend));
    }

    #[test]
    fn rate_limits_wait_until_retry_after_or_stop() {
        let at = Some("2026-11-23T10:00:30Z".parse().unwrap());
        let limited = Outcome::RateLimited { retry_after: at };
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(1, &limited, &ResendSafety::Never, now(), 0.9),
            Decision::Retry { after: Duration::from_secs(30) }
        );
        let short = RetryPolicy {
            on_rate_limit: OnRateLimit::Wait { max_wait: Duration::from_secs(10) },
            ..p.clone()
        };
        assert_eq!(
            short.decide(1, &limited, &ResendSafety::Idempotent, now(), 0.0),
            Decision::Stop(StopReason::WaitTooLong { needed: Duration::from_secs(30) })
        );
        let fail = RetryPolicy { on_rate_limit: OnRateLimit::Fail, ..p };
        assert_eq!(
            fail.decide(1, &limited, &ResendSafety::Idempotent, now(), 0.0),
            Decision::Stop(StopReason::RateLimited)
        );
    }

    #[test]
    fn a_past_retry_after_retries_at_once() {
        let past =
            Outcome::RateLimited { retry_after: Some("2026-11-23T09:00:00Z".parse().unwrap()) };
        assert_eq!(
            RetryPolicy::default().decide(1, &past, &ResendSafety::Idempotent, now(), 0.0),
            Decision::Retry { after: Duration::ZERO }
        );
    }

    #[test]
    fn relocation_is_followed() {
        let d = RetryPolicy::default().decide(
            1,
            &Outcome::Relocated("https://x".into()),
            &ResendSafety::Never,
            now(),
            0.0,
        );
        assert_eq!(d, Decision::Relocate { api_url: "https://x".into() });
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(30, 1.0), Duration::from_secs(30));
    }
}
