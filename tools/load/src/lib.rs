//! shopflow-load: a bounded load generator for the rules service (`shopflow run`).
//!
//! It sends `Orders.create` webhook deliveries (one order each, cycling through orders the
//! shop has, so every delivery costs the service a real pass) at a fixed rate for a fixed
//! time, on loopback, and measures each delivery's ack latency: from the moment it was *due*
//! to its answer. Measuring from the send instead would let one slow answer hide the
//! deliveries queued behind it (coordinated omission); the schedule is open-loop, so the
//! generator never slows down because the service did.
//!
//! Then it waits for the service to drain (its `/status`: nothing pending) and checks that
//! every acknowledged delivery was received and processed: `lost` is what was acknowledged and
//! never processed. Deliveries may go to many shops of one service (`shopflow run --config`)
//! and to several instances of it (`--store`): they take the targets in turn, and the
//! counters are summed over every instance's `/status` and every shop in it. The figures are for `docs/benchmarks.md` (`./scripts/bench-load`); no
//! test asserts a time.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::time::Instant;

/// Where deliveries go: one shop's webhook on one instance.
#[derive(Debug, Clone)]
pub struct Target {
    /// The webhook URL, secret included (`…/webhooks/Orders.create?shopflow_secret=…`).
    pub webhook: String,
    /// Order numbers the shop has; its deliveries name them in turn.
    pub orders: Vec<String>,
}

/// One load run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Where deliveries go, in turn.
    pub targets: Vec<Target>,
    /// Every instance's `/status` URL: the counters are their sum.
    pub statuses: Vec<String>,
    /// The operator token for `/status`, if the service wants one.
    pub token: Option<String>,
    /// Deliveries a second.
    pub rate: u32,
    /// For how long.
    pub duration: Duration,
    /// How long to wait for the service to process what it acknowledged.
    pub drain_timeout: Duration,
}

/// What a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Deliveries a second asked for.
    pub rate: u32,
    /// Seconds of sending.
    pub seconds: f64,
    /// Deliveries sent.
    pub sent: u64,
    /// Answered 200.
    pub acknowledged: u64,
    /// Not answered 200, by status (`"no answer"` when the request failed).
    pub not_acknowledged: BTreeMap<String, u64>,
    /// Ack latency percentiles and maximum, in milliseconds, from when each was due.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// The slowest.
    pub max_ms: f64,
    /// Deliveries the service counted as received during the run.
    pub received: u64,
    /// Records the service processed (one a delivery) by the end of the drain.
    pub processed: u64,
    /// Deliveries still pending when the drain ended (0 when it drained).
    pub pending: u64,
    /// How long after the last send the service had processed everything, in milliseconds.
    pub drained_ms: Option<u64>,
    /// Acknowledged and never processed.
    pub lost: u64,
}

/// An HTTP client for loopback: many connections kept open (the generator's own connection
/// setup is not what is measured).
///
/// # Errors
/// The client cannot be built.
pub fn client() -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Runs the plan: sends, then drains and counts.
///
/// # Errors
/// The service's `/status` cannot be read, or the plan is empty.
pub async fn run(http: &reqwest::Client, plan: &Plan) -> Result<Report, String> {
    let no_orders = plan.targets.iter().any(|t| t.orders.is_empty());
    if plan.targets.is_empty() || no_orders || plan.rate == 0 || plan.duration.is_zero() {
        return Err(
            "the plan needs targets with orders, a rate above 0 and a duration above 0".to_owned()
        );
    }
    let before = status(http, plan).await?;
    let sent = send_all(http, plan).await;
    let last_send = Instant::now();
    let acknowledged = sent.latencies.len() as u64;
    let (after, drained) = drain(http, plan, &before, acknowledged).await?;
    let delta = |key: &str| counter(&after, key).saturating_sub(counter(&before, key));
    let processed = delta("events_processed");
    let mut latencies = sent.latencies;
    latencies.sort_by(f64::total_cmp);
    Ok(Report {
        rate: plan.rate,
        seconds: plan.duration.as_secs_f64(),
        sent: acknowledged + sent.refused.values().sum::<u64>(),
        acknowledged,
        not_acknowledged: sent.refused,
        p50_ms: percentile(&latencies, 0.50),
        p90_ms: percentile(&latencies, 0.90),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        received: delta(RECEIVED),
        processed,
        pending: counter(&after, "pending_deliveries"),
        drained_ms: drained.map(|at| at.duration_since(last_send).as_millis() as u64),
        lost: acknowledged.saturating_sub(processed),
    })
}

/// What the sending phase saw.
struct Sent {
    /// Ack latencies of the deliveries answered 200, in milliseconds.
    latencies: Vec<f64>,
    /// The others, by status.
    refused: BTreeMap<String, u64>,
}

/// Sends `rate × duration` deliveries, each at its due time, without waiting for answers
/// before sending the next.
async fn send_all(http: &reqwest::Client, plan: &Plan) -> Sent {
    let total = (f64::from(plan.rate) * plan.duration.as_secs_f64()).round() as u64;
    let every = Duration::from_secs_f64(1.0 / f64::from(plan.rate));
    let start = Instant::now();
    // Numbers unique across runs (a run's own from 0, after this run's mark): two runs'
    // deliveries must not look like one resent.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..total {
        let due = start + every.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        let (i, n) = (i as usize, plan.targets.len());
        let Some(target) = plan.targets.get(i % n) else { continue };
        let Some(number) = target.orders.get((i / n) % target.orders.len()) else { continue };
        let body = delivery(number, &format!("{run}-{i}"));
        let (http, url) = (http.clone(), target.webhook.clone());
        tasks.spawn(async move {
            let answer = http.post(&url).json(&body).send().await;
            let took = due.elapsed().as_secs_f64() * 1000.0;
            match answer {
                Ok(r) if r.status().as_u16() == 200 => Ok(took),
                Ok(r) => Err(r.status().as_u16().to_string()),
                Err(_) => Err("no answer".to_owned()),
            }
        });
    }
    let mut sent = Sent { latencies: Vec::new(), refused: BTreeMap::new() };
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Ok(ms)) => sent.latencies.push(ms),
            Ok(Err(why)) => *sent.refused.entry(why).or_insert(0) += 1,
            Err(_) => *sent.refused.entry("task failed".to_owned()).or_insert(0) += 1,
        }
    }
    sent
}

/// An `Orders.create` delivery naming one order, in the shape Upgates sends, numbered: two
/// events of one order are two deliveries, where a store that recognises a resent delivery by
/// its body (PostgreSQL's) would otherwise store them once.
fn delivery(number: &str, seq: &str) -> Value {
    json!({
        "project_name": "load",
        "load_sequence": seq,
        "orders": [{
            "order_number": number,
            "creation_time": "2026-11-23T10:00:00+01:00",
            "status_id": 1,
            "status": "Přijatá"
        }]
    })
}

/// Waits until the service has processed what it acknowledged during the run (or the
/// timeout); returns its last status and when it drained.
async fn drain(
    http: &reqwest::Client,
    plan: &Plan,
    before: &Value,
    acknowledged: u64,
) -> Result<(Value, Option<Instant>), String> {
    let deadline = Instant::now() + plan.drain_timeout;
    loop {
        let now = status(http, plan).await?;
        let processed =
            counter(&now, "events_processed").saturating_sub(counter(before, "events_processed"));
        if counter(&now, "pending_deliveries") == 0 && processed >= acknowledged {
            return Ok((now, Some(Instant::now())));
        }
        if Instant::now() >= deadline {
            return Ok((now, None));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Deliveries received: one shop's `/status` counts them; a many-shop service's lists each
/// shop's records received (one a delivery here).
const RECEIVED: &str = "deliveries_received";

/// Every instance's `/status`, as one array.
async fn status(http: &reqwest::Client, plan: &Plan) -> Result<Value, String> {
    let mut all = Vec::with_capacity(plan.statuses.len());
    for url in &plan.statuses {
        let mut request = http.get(url);
        if let Some(token) = &plan.token {
            request = request.bearer_auth(token);
        }
        let answer = request.send().await.map_err(|e| format!("GET {url}: {e}"))?;
        if !answer.status().is_success() {
            return Err(format!("GET {url} answered {}", answer.status()));
        }
        all.push(answer.json().await.map_err(|e| format!("GET {url}: {e}"))?);
    }
    Ok(Value::Array(all))
}

/// A counter summed over every instance and, in a many-shop service, every shop.
fn counter(statuses: &Value, key: &str) -> u64 {
    let one = |status: &Value| match status["shops"].as_array() {
        Some(shops) => {
            let key = if key == RECEIVED { "events_received" } else { key };
            shops.iter().map(|s| s[key].as_u64().unwrap_or(0)).sum()
        }
        None => status[key].as_u64().unwrap_or(0),
    };
    statuses.as_array().map_or(0, |all| all.iter().map(one).sum())
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&v, 1.0), 100.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
