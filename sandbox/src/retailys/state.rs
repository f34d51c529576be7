//! What a running Retailys sandbox shares: the store, the run-time config, the per-address
//! rate window, request counts, the fault dice and the callback log.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use shopflow_core::Secret;

use super::events::Delivery;
use super::store::Store;
use crate::config::FaultConfig;
use crate::faults::FaultDice;
use crate::state::lock;
use crate::stats::Stats;

/// What `PUT /__sandbox/config` can change while the sandbox runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RetailysRuntime {
    /// Requests per second per client address.
    pub rate_limit: RateLimit,
    /// Injected failures (the Upgates sandbox's; `lose_answer_of` and `throttle_*` are not
    /// used here).
    pub faults: FaultConfig,
    /// How callbacks are made.
    pub callbacks: CallbackConfig,
}

/// The per-address limit (§1.7: 100 calls a second from one IP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    /// Whether it applies.
    pub enabled: bool,
    /// Requests allowed in one second.
    pub per_second: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { enabled: true, per_second: 100 }
    }
}

/// Callback timing and where relative paths point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallbackConfig {
    /// How long a receiver has to answer.
    pub timeout_ms: u64,
    /// The app's base URL, for subscriptions whose `path` is not an absolute URL.
    pub base_url: Option<String>,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        CallbackConfig { timeout_ms: 5000, base_url: None }
    }
}

impl RetailysRuntime {
    /// This config with a JSON merge patch applied (objects merge, other values replace).
    ///
    /// # Errors
    /// Unknown fields, wrong types, or rates outside 0–1.
    pub fn patched(&self, patch: &serde_json::Value) -> Result<Self, String> {
        let mut current = serde_json::to_value(self).map_err(|e| e.to_string())?;
        merge(&mut current, patch);
        let next: Self = serde_json::from_value(current).map_err(|e| e.to_string())?;
        let f = &next.faults;
        if [f.error_rate, f.drop_rate, f.slow_rate].iter().any(|r| !(0.0..=1.0).contains(r)) {
            return Err("faults rates must be between 0 and 1".to_owned());
        }
        if !(500..=599).contains(&f.error_status) {
            return Err("faults.error_status must be a 5xx status".to_owned());
        }
        Ok(next)
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

/// One-second windows per client address; a window opens with its first request.
#[derive(Debug, Default)]
pub struct RateWindows(HashMap<IpAddr, (Instant, u32)>);

impl RateWindows {
    /// Takes one request from `ip`'s window, or says how long until it ends.
    pub fn take(&mut self, ip: IpAddr, limit: u32, now: Instant) -> Result<(), Duration> {
        let second = Duration::from_secs(1);
        // Forget closed windows so the map does not grow with every address ever seen.
        self.0.retain(|_, (start, _)| now.duration_since(*start) < second);
        let (start, used) = self.0.entry(ip).or_insert((now, 0));
        if *used >= limit {
            return Err(second.saturating_sub(now.duration_since(*start)));
        }
        *used += 1;
        Ok(())
    }
}

/// The shared state.
#[derive(Debug)]
pub struct RState {
    store: Mutex<Store>,
    runtime: Mutex<RetailysRuntime>,
    /// The runtime config the sandbox started with (a reset restores it).
    pub initial_runtime: RetailysRuntime,
    /// The API token.
    pub token: Secret,
    /// Seed for generated orders.
    pub seed: u64,
    /// Request counts.
    pub stats: Mutex<Stats>,
    /// The per-address limit.
    pub rate: Mutex<RateWindows>,
    /// Injected failures.
    pub faults: Mutex<FaultDice>,
    /// Every callback attempt.
    pub deliveries: Mutex<Vec<Delivery>>,
    /// Callbacks not finished yet.
    pub pending: AtomicUsize,
    /// The client callbacks go out with.
    pub client: Client<HttpConnector, Full<Bytes>>,
}

impl RState {
    /// State for a fresh instance opened by `token`, with no orders.
    pub fn new(token: Secret, seed: u64, runtime: RetailysRuntime) -> Self {
        RState {
            store: Mutex::new(Store::new()),
            faults: Mutex::new(FaultDice::new(runtime.faults.clone())),
            runtime: Mutex::new(runtime.clone()),
            initial_runtime: runtime,
            token,
            seed,
            stats: Mutex::new(Stats::default()),
            rate: Mutex::new(RateWindows::default()),
            deliveries: Mutex::new(Vec::new()),
            pending: AtomicUsize::new(0),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// The store (held briefly: no awaits while it is locked).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// The current run-time config.
    pub fn runtime(&self) -> RetailysRuntime {
        lock(&self.runtime).clone()
    }

    /// Replaces the run-time config, restarting the fault sequence and the rate windows.
    pub fn set_runtime(&self, next: RetailysRuntime) {
        *lock(&self.faults) = FaultDice::new(next.faults.clone());
        *lock(&self.rate) = RateWindows::default();
        *lock(&self.runtime) = next;
    }

    /// Back to the start: empty store, counts, windows, callback log and config.
    pub fn reset(&self) {
        *self.store() = Store::new();
        *lock(&self.stats) = Stats::default();
        lock(&self.deliveries).clear();
        self.set_runtime(self.initial_runtime.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_refuses_past_the_limit_then_reopens() {
        let mut w = RateWindows::default();
        let ip = IpAddr::from([127, 0, 0, 1]);
        let t0 = Instant::now();
        assert!(w.take(ip, 2, t0).is_ok() && w.take(ip, 2, t0).is_ok());
        assert!(w.take(ip, 2, t0 + Duration::from_millis(500)).is_err());
        assert!(w.take(ip, 2, t0 + Duration::from_millis(1001)).is_ok());
    }

    #[test]
    fn patches_merge_and_are_checked() {
        let c = RetailysRuntime::default();
        let p = c.patched(&serde_json::json!({"rate_limit": {"per_second": 5}})).unwrap();
        assert_eq!((p.rate_limit.enabled, p.rate_limit.per_second), (true, 5));
        assert!(c.patched(&serde_json::json!({"faults": {"error_rate": 2.0}})).is_err());
        assert!(c.patched(&serde_json::json!({"nonsense": 1})).is_err());
    }
}
