//! Webhook delivery: records gather for a short window, go out in calls of at most 5000,
//! and a call that does not get 200 or 204 within the timeout is retried at an interval
//! until the give-up time, when the webhook is deactivated. Every attempt is logged.
//!
//! Each webhook has its own queue and worker, so a slow receiver delays only itself. A
//! batch stays at the front of its queue until delivered: records are never lost to a
//! failed call, and new records wait behind it, in order.
//!
//! Dependencies go one way, state → delivery: this module does not know the sandbox's
//! state. It works for any [`Host`] (`state.rs` implements it for the shared state), which
//! gives it only what delivery needs: its [`Hub`], the shop holding the webhooks, the
//! current timing, and a way to save the shop after a webhook is deactivated.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde_json::Value;
use shopflow_core::ApiDate;
use shopflow_core::secret::redact_url;

use crate::clock;
use crate::config::WebhookTiming;
use crate::locks::lock;
use crate::shop::{Emitted, Shop};

/// What delivery needs from the sandbox around it.
pub trait Host: Send + Sync + 'static {
    /// The queues, workers and log of deliveries.
    fn hub(&self) -> &Hub;
    /// Reads the shop (its webhooks, its project name).
    fn shop(&self) -> RwLockReadGuard<'_, Shop>;
    /// Changes the shop (delivery outcomes, deactivation).
    fn shop_mut(&self) -> RwLockWriteGuard<'_, Shop>;
    /// The current delivery timing.
    fn webhook_timing(&self) -> WebhookTiming;
    /// Saves the shop, if it is saved anywhere.
    fn persist(&self) -> impl Future<Output = Result<(), String>> + Send;
}

/// One delivery attempt, as `GET /__sandbox/deliveries` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryAttempt {
    /// Sequence number.
    pub id: u64,
    /// The webhook.
    pub webhook_id: u64,
    /// Its event.
    pub event: String,
    /// Where it went (credentials redacted).
    pub url: String,
    /// 1 for the first call of a batch, 2 for its first retry, …
    pub attempt: u32,
    /// Records in the call.
    pub records: usize,
    /// The receiver's status, if it answered in time.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// How long the call took.
    pub duration_ms: u64,
    /// `delivered`, `failed` (will retry) or `gave_up` (webhook deactivated).
    pub outcome: &'static str,
    /// When.
    pub at: ApiDate,
}

#[derive(Debug, Default)]
struct Queue {
    records: VecDeque<Value>,
    running: bool,
    wake: Arc<tokio::sync::Notify>,
}

/// The queues, workers and log of webhook deliveries.
#[derive(Debug)]
pub struct Hub {
    queues: std::sync::Mutex<HashMap<u64, Queue>>,
    log: std::sync::Mutex<Vec<DeliveryAttempt>>,
    next_id: AtomicU64,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            queues: std::sync::Mutex::default(),
            log: std::sync::Mutex::default(),
            next_id: AtomicU64::new(0),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }
}

impl Hub {
    /// Queues records for every active webhook of their event, starting workers as needed.
    pub fn fire<H: Host>(state: &Arc<H>, emitted: Vec<Emitted>) {
        if emitted.is_empty() {
            return;
        }
        let mut by_hook: HashMap<u64, Vec<Value>> = HashMap::new();
        {
            let shop = state.shop();
            for e in emitted {
                for hook in shop.webhooks_for(&e.event) {
                    if let Some(id) = hook.id {
                        by_hook.entry(id).or_default().push(e.record.clone());
                    }
                }
            }
        }
        let mut queues = lock(&state.hub().queues);
        for (id, records) in by_hook {
            let q = queues.entry(id).or_default();
            q.records.extend(records);
            q.wake.notify_one();
            if !q.running {
                q.running = true;
                tokio::spawn(worker(Arc::clone(state), id));
            }
        }
    }

    /// Every attempt so far.
    #[must_use]
    pub fn log(&self) -> Vec<DeliveryAttempt> {
        lock(&self.log).clone()
    }

    /// Records waiting per webhook.
    #[must_use]
    pub fn pending(&self) -> HashMap<u64, usize> {
        lock(&self.queues).iter().map(|(id, q)| (*id, q.records.len())).collect()
    }

    /// Drops every queue and the log (workers notice and stop).
    pub fn clear(&self) {
        for q in lock(&self.queues).values_mut() {
            q.records.clear();
            q.wake.notify_one();
        }
        lock(&self.log).clear();
    }

    fn record(&self, mut attempt: DeliveryAttempt) {
        attempt.id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        lock(&self.log).push(attempt);
    }
}

/// The list key of an event's payload: `Orders.create` → `orders`.
fn payload_key(event: &str) -> String {
    let entity = event.split('.').next().unwrap_or(event);
    let mut key = String::new();
    for (i, c) in entity.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            key.push('_');
        }
        key.extend(c.to_lowercase());
    }
    key
}

/// Delivers one webhook's queue until it is empty, then waits for more.
async fn worker<H: Host>(state: Arc<H>, id: u64) {
    loop {
        let wake = {
            let mut queues = lock(&state.hub().queues);
            let Some(q) = queues.get_mut(&id) else { return };
            if q.records.is_empty() {
                if state.shop().webhook(id).is_none_or(|w| !w.active_yn) {
                    q.running = false;
                    return;
                }
                Some(Arc::clone(&q.wake))
            } else {
                None
            }
        };
        if let Some(wake) = wake {
            // Wake on new records, or check again now and then (a reset may have
            // removed the webhook while we slept).
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
            continue;
        }
        let timing = state.webhook_timing();
        tokio::time::sleep(Duration::from_millis(timing.coalesce_ms)).await;
        if !deliver_front(&state, id).await {
            let mut queues = lock(&state.hub().queues);
            if let Some(q) = queues.get_mut(&id) {
                q.records.clear();
                q.running = false;
            }
            return;
        }
    }
}

/// Delivers the batch at the front of a queue, retrying as configured. `false` when the
/// webhook is gone or was deactivated (its queue is dropped).
async fn deliver_front<H: Host>(state: &Arc<H>, id: u64) -> bool {
    let timing = state.webhook_timing();
    let batch: Vec<Value> = {
        let queues = lock(&state.hub().queues);
        match queues.get(&id) {
            Some(q) => q.records.iter().take(timing.max_batch).cloned().collect(),
            None => return false,
        }
    };
    if batch.is_empty() {
        return true;
    }
    let first_failure = Instant::now();
    let mut attempt = 0;
    loop {
        let Some(hook) = state.shop().webhook(id).cloned().filter(|w| w.active_yn) else {
            return false;
        };
        let event = hook.event.as_ref().map(ToString::to_string).unwrap_or_default();
        let project = state.shop().project_name().to_owned();
        let body = serde_json::json!({ "project_name": project, payload_key(&event): batch });
        let timing = state.webhook_timing();
        attempt += 1;
        let started = Instant::now();
        let result = post(
            &state.hub().client,
            hook.url.expose(),
            &body,
            Duration::from_millis(timing.timeout_ms),
        )
        .await;
        let at = clock::now();
        let delivered = matches!(result, Ok(200 | 204));
        let status = result.as_ref().ok().copied();
        let give_up =
            !delivered && first_failure.elapsed() >= Duration::from_millis(timing.give_up_ms);
        state.hub().record(DeliveryAttempt {
            id: 0,
            webhook_id: id,
            event: event.clone(),
            url: redact_url(hook.url.expose()),
            attempt,
            records: batch.len(),
            status,
            error: match &result {
                Ok(s) if !delivered => Some(format!("answered {s}, not 200 or 204")),
                Ok(_) => None,
                Err(e) => Some(e.clone()),
            },
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            outcome: if delivered {
                "delivered"
            } else if give_up {
                "gave_up"
            } else {
                "failed"
            },
            at,
        });
        state.shop_mut().record_delivery(id, status, delivered, at);
        if delivered {
            let mut queues = lock(&state.hub().queues);
            if let Some(q) = queues.get_mut(&id) {
                let n = batch.len().min(q.records.len());
                q.records.drain(..n);
            }
            return true;
        }
        if give_up {
            state.shop_mut().deactivate_webhook(id);
            let _ = state.persist().await;
            return false;
        }
        tokio::time::sleep(Duration::from_millis(timing.retry_interval_ms)).await;
    }
}

/// POSTs a payload; the status, or why there was none. Credentials in the URL's userinfo
/// become Basic auth, as a real shop's HTTP client would send them.
async fn post(
    client: &Client<HttpConnector, Full<Bytes>>,
    url: &str,
    body: &Value,
    timeout: Duration,
) -> Result<u16, String> {
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(
            "the sandbox delivers over plain http only (register an http:// URL)".to_owned()
        );
    };
    let (authority, path) = rest.find(['/', '?']).map_or((rest, "/"), |i| rest.split_at(i));
    let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let bytes = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    let mut req = hyper::Request::post(format!("http://{host}{path}"))
        .header("Content-Type", "application/json")
        .header("User-Agent", "Upgates-Webhooks (shopflow sandbox)");
    if let Some(u) = userinfo {
        req = req.header("Authorization", format!("Basic {}", STANDARD.encode(u)));
    }
    let req = req
        .body(Full::new(Bytes::from(bytes)))
        .map_err(|_| format!("not a valid URL: {}", redact_url(url)))?;
    match tokio::time::timeout(timeout, client.request(req)).await {
        Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
        Ok(Err(e)) => Err(format!("could not call the receiver: {e}")),
        Ok(Ok(resp)) => Ok(resp.status().as_u16()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_keys() {
        assert_eq!(payload_key("Orders.create"), "orders");
        assert_eq!(payload_key("Customers.update"), "customers");
        assert_eq!(payload_key("OrderStatuses.delete"), "order_statuses");
    }
}
