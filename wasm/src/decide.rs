//! `decide(...)`: what to do after one attempt, from the core's classification and retry
//! policy; and the request budget between responses.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use shopflow_core::http::{ResendSafety, Response};
use shopflow_core::rate_limit::{Admission, RateBudget};
use shopflow_core::retry::{Decision, OnRateLimit, Outcome, RetryPolicy, StopReason};
use shopflow_core::upgates::response::{classify, error_for, rate_budget};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::envelope::{ErrorInfo, answer, ok};

/// The retry policy as the package's options give it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Policy {
    max_attempts: u32,
    base_delay_ms: u64,
    max_delay_ms: u64,
    /// `wait` or `throw`.
    on_rate_limit: String,
    max_wait_ms: u64,
    concurrency_backoff_ms: u64,
}

impl Default for Policy {
    fn default() -> Self {
        let p = RetryPolicy::default();
        Policy {
            max_attempts: p.max_attempts,
            base_delay_ms: duration_ms(p.base_delay),
            max_delay_ms: duration_ms(p.max_delay),
            on_rate_limit: "wait".to_owned(),
            max_wait_ms: 60_000,
            concurrency_backoff_ms: duration_ms(p.concurrency_backoff),
        }
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Policy {
    fn core(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            base_delay: Duration::from_millis(self.base_delay_ms),
            max_delay: Duration::from_millis(self.max_delay_ms),
            concurrency_backoff: Duration::from_millis(self.concurrency_backoff_ms),
            on_rate_limit: if self.on_rate_limit == "throw" {
                OnRateLimit::Fail
            } else {
                OnRateLimit::Wait { max_wait: Duration::from_millis(self.max_wait_ms) }
            },
        }
    }
}

/// What the loop does next.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Next {
    /// `accept`, `retry`, `relocate`, `lookup` or `stop`.
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    after_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_url: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keys: Vec<String>,
    /// The error to throw (for `stop`), or the one being retried.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorInfo>,
    /// The budget the response reported, when it reported one.
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<RateBudget>,
}

/// The caller's clock (`Date.now()`); a value out of range reads as the epoch.
fn at(ms: f64) -> DateTime<Utc> {
    // `as` saturates for out-of-range floats, and NaN becomes 0: no panic.
    Utc.timestamp_millis_opt(ms as i64).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// After attempt `attempt` (1 for the first) of a request whose resend safety is `resend`
/// (`idempotent`, `lookupFirst`, `never`) with lookup keys `lookup_json`, which ended with
/// `status` (0 when no answer came: a network error or timeout), `headers_json`
/// (`[[name, value], …]`) and `body`: what to do, per the core's policy `policy_json`.
/// `now_ms` is the caller's clock, `jitter` a random number in [0, 1).
#[wasm_bindgen]
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn decide(
    policy_json: &str,
    attempt: u32,
    resend: &str,
    lookup_json: &str,
    status: u16,
    headers_json: &str,
    body: &[u8],
    now_ms: f64,
    jitter: f64,
) -> String {
    let policy: Policy = serde_json::from_str(policy_json).unwrap_or_default();
    let headers: Vec<(String, String)> = serde_json::from_str(headers_json).unwrap_or_default();
    let lookup: Vec<String> = serde_json::from_str(lookup_json).unwrap_or_default();
    let now = at(now_ms);
    let resend = match resend {
        "idempotent" => ResendSafety::Idempotent,
        "lookupFirst" => ResendSafety::LookupFirst(lookup),
        _ => ResendSafety::Never,
    };
    let (outcome, error, budget) = if status == 0 {
        (
            Outcome::Transient,
            Some(ErrorInfo::new(
                "NETWORK",
                "no answer from the shop (connection failed or timed out)",
            )),
            None,
        )
    } else {
        let resp = Response::new(status, &headers, body);
        let b = rate_budget(&resp, now);
        (
            classify(&resp, now),
            error_for(&resp, now).as_ref().map(ErrorInfo::from),
            b.is_known().then_some(b),
        )
    };
    let mut next = Next { error, budget, ..Next::default() };
    match policy.core().decide(attempt, &outcome, &resend, now, jitter) {
        Decision::Accept => next.action = "accept",
        Decision::Retry { after } => {
            next.action = "retry";
            next.after_ms = Some(duration_ms(after));
        }
        Decision::Relocate { api_url } => {
            next.action = "relocate";
            next.api_url = Some(api_url);
        }
        Decision::LookupThenResend { keys, after } => {
            next.action = "lookup";
            next.keys = keys;
            next.after_ms = Some(duration_ms(after));
        }
        Decision::Stop(reason) => {
            next.action = "stop";
            let mut e =
                next.error.take().unwrap_or_else(|| ErrorInfo::new("SERVER", "the request failed"));
            match reason {
                StopReason::WaitTooLong { needed } => {
                    e.message = format!(
                        "{} (waiting {} s would exceed maxWait)",
                        e.message,
                        needed.as_secs()
                    );
                }
                StopReason::UnsafeToResend => {
                    e.message = format!(
                        "{}; not resent, because the shop may already have done it",
                        e.message
                    );
                }
                StopReason::AttemptsExhausted => {
                    e.message = format!("{} (gave up after {attempt} attempts)", e.message);
                }
                _ => {}
            }
            next.error = Some(e);
        }
        _ => next.action = "stop",
    }
    ok(&next)
}

/// Whether one more request may go now under `budget_json`: `{"waitUntilMs": null}` to go,
/// or the instant when the budget refills.
#[wasm_bindgen(js_name = budgetAdmit)]
#[must_use]
pub fn budget_admit(budget_json: &str, now_ms: f64) -> String {
    let budget: RateBudget = serde_json::from_str(budget_json).unwrap_or_default();
    let wait = match budget.admit(at(now_ms)) {
        Admission::Go => None,
        Admission::WaitUntil(t) => Some(t.timestamp_millis()),
    };
    ok(&serde_json::json!({ "waitUntilMs": wait }))
}

/// The budget after one more request was sent.
#[wasm_bindgen(js_name = budgetRecord)]
#[must_use]
pub fn budget_record(budget_json: &str, now_ms: f64) -> String {
    let mut budget: RateBudget = serde_json::from_str(budget_json).unwrap_or_default();
    budget.record_sent(at(now_ms));
    answer::<_, ErrorInfo>(Ok(budget))
}
