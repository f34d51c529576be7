//! Sandbox configuration: what is fixed when it starts, and the limits, faults and webhook
//! timings that `PUT /__sandbox/config` changes while it runs.
//!
//! Every limit and fault is off or generous by default, so a fresh sandbox behaves like a
//! healthy shop on a large tariff; tests switch on exactly what they exercise.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use shopflow_core::Secret;

/// How the sandbox starts.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// The API user's login.
    pub login: String,
    /// The API user's key.
    pub api_key: Secret,
    /// Where state is kept across restarts (written atomically after each change).
    pub state_file: Option<PathBuf>,
    /// Storefront orders to generate at start when there is no saved state.
    pub seed_orders: usize,
    /// Seed for generated data.
    pub seed: u64,
    /// The shop's name (`project_name` in webhooks).
    pub project_name: String,
    /// Allowed CORS origin for the browser playground (`*` for any).
    pub cors_origin: String,
    /// Limits, faults and webhook timings.
    pub runtime: RuntimeConfig,
    /// Shops hosted besides this one at start: `shop-1` to `shop-N` under `/shops/NAME/`
    /// (login `shop-K`, key `shop-K-key`; `shops.rs`). More can be added while it runs.
    pub shops: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            login: "sandbox".to_owned(),
            api_key: Secret::new("sandbox-key"),
            state_file: None,
            seed_orders: 0,
            seed: 1,
            project_name: "sandbox".to_owned(),
            cors_origin: "*".to_owned(),
            runtime: RuntimeConfig::default(),
            shops: 0,
        }
    }
}

/// What can change while the sandbox runs (`GET`/`PUT /__sandbox/config`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuntimeConfig {
    /// Hourly and daily request budgets (fixed clock windows, hour first).
    pub rate_limit: RateLimitConfig,
    /// Requests served at once; more are answered 429. `null` turns the cap off.
    pub concurrency: Option<usize>,
    /// Items a POST or PUT may carry; more are answered 413 and nothing is processed.
    pub max_items: usize,
    /// Failed logins per window and IP before every request from it is answered 403.
    pub bad_logins: BadLoginConfig,
    /// When set, every API request is answered 301 with `{"api_url": <this>}`.
    pub relocate_to: Option<String>,
    /// Injected failures.
    pub faults: FaultConfig,
    /// Webhook delivery timings.
    pub webhooks: WebhookTiming,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            rate_limit: RateLimitConfig::default(),
            concurrency: Some(shopflow_core::upgates::CONCURRENCY_LIMIT),
            max_items: shopflow_core::batch::MAX_ITEMS_PER_REQUEST,
            bad_logins: BadLoginConfig::default(),
            relocate_to: None,
            faults: FaultConfig::default(),
            webhooks: WebhookTiming::default(),
        }
    }
}

/// The request budget. Generous by default (so `X-Rate-Limit-*` headers are there to read);
/// `enabled: false` removes both the limit and the headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Whether budgets apply.
    pub enabled: bool,
    /// Requests per clock hour.
    pub hour: u64,
    /// Requests per day on top of the hourly ones.
    pub day: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig { enabled: true, hour: 1000, day: 10_000 }
    }
}

/// The login lockout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BadLoginConfig {
    /// Failed logins allowed in the window.
    pub limit: u32,
    /// The floating window, in seconds.
    pub window_secs: u64,
}

impl Default for BadLoginConfig {
    fn default() -> Self {
        BadLoginConfig { limit: 5, window_secs: 3600 }
    }
}

/// Injected failures, decided per API request from a seeded generator, so a run with the
/// same seed and the same requests fails the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seed of the generator (setting the config restarts the sequence).
    pub seed: u64,
    /// Share of requests answered with `error_status`.
    pub error_rate: f64,
    /// The status of injected errors.
    pub error_status: u16,
    /// Share of requests delayed by `slow_ms` before they are handled.
    pub slow_rate: f64,
    /// The delay of slow requests.
    pub slow_ms: u64,
    /// Share of connections closed without an answer.
    pub drop_rate: f64,
    /// `METHOD /path` of a request (say `POST /api/v2/orders`) that is handled and whose
    /// answer is then lost: the connection closes without it. Once per time it is set: the
    /// write happened, and the client cannot know.
    pub lose_answer_of: Option<String>,
    /// The next this many API requests are answered 429 with a `Retry-After` of
    /// `throttle_secs` from then, as an HTTP date in GMT (what Upgates sends).
    pub throttle_next: u32,
    /// How long a throttled request is told to wait.
    pub throttle_secs: u64,
    /// Order numbers whose history records the shop refuses: `POST /orders/{n}/history`
    /// answers 422, as a shop does for an order it will not take a record on, until the
    /// number is removed again.
    pub refuse_writes_of: Vec<String>,
    /// Order numbers the shop refuses to list: `GET /orders?order_numbers=…` naming one of
    /// them answers 400, so every order of that request goes unread (a whole request refused).
    pub refuse_reads_of: Vec<String>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 1,
            error_rate: 0.0,
            error_status: 503,
            slow_rate: 0.0,
            slow_ms: 2000,
            drop_rate: 0.0,
            lose_answer_of: None,
            throttle_next: 0,
            throttle_secs: 1,
            refuse_writes_of: Vec::new(),
            refuse_reads_of: Vec::new(),
        }
    }
}

/// Webhook delivery timings (Upgates: ack within 1 s, retry every 5 minutes, deactivate
/// after 12 hours without success).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookTiming {
    /// How long records gather before a call.
    pub coalesce_ms: u64,
    /// How long a receiver has to answer 200 or 204.
    pub timeout_ms: u64,
    /// Wait between failed calls.
    pub retry_interval_ms: u64,
    /// Without a success for this long, the webhook is deactivated.
    pub give_up_ms: u64,
    /// Records per call.
    pub max_batch: usize,
}

impl Default for WebhookTiming {
    fn default() -> Self {
        WebhookTiming {
            coalesce_ms: 200,
            timeout_ms: 1000,
            retry_interval_ms: 5 * 60 * 1000,
            give_up_ms: 12 * 60 * 60 * 1000,
            max_batch: 5000,
        }
    }
}

impl RuntimeConfig {
    /// This config with a JSON merge patch applied (objects merge, everything else
    /// replaces), so `PUT /__sandbox/config` can change one field.
    ///
    /// # Errors
    /// When the patched config has unknown fields or values of the wrong type.
    pub fn patched(&self, patch: &serde_json::Value) -> Result<RuntimeConfig, String> {
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        merge(&mut current, patch);
        let next: RuntimeConfig = serde_json::from_value(current).map_err(|e| e.to_string())?;
        next.check()?;
        Ok(next)
    }

    fn check(&self) -> Result<(), String> {
        let f = &self.faults;
        for (name, rate) in
            [("error_rate", f.error_rate), ("slow_rate", f.slow_rate), ("drop_rate", f.drop_rate)]
        {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("faults.{name} must be between 0 and 1, found {rate}"));
            }
        }
        if !(500..=599).contains(&f.error_status) {
            return Err(format!(
                "faults.error_status must be a 5xx status, found {}",
                f.error_status
            ));
        }
        if self.webhooks.max_batch == 0 || self.max_items == 0 {
            return Err("webhooks.max_batch and max_items must be at least 1".to_owned());
        }
        Ok(())
    }
}

fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_merge_and_are_checked() {
        let c = RuntimeConfig::default();
        let p = c
            .patched(&serde_json::json!({"rate_limit": {"hour": 5}, "concurrency": null}))
            .unwrap();
        assert_eq!((p.rate_limit.hour, p.rate_limit.day, p.concurrency), (5, 10_000, None));
        assert!(c.patched(&serde_json::json!({"faults": {"error_rate": 2.0}})).is_err());
        assert!(c.patched(&serde_json::json!({"nonsense": 1})).is_err());
    }
}
