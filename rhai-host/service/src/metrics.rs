//! What `GET /metrics` shows: Prometheus text (format 0.0.4), rendered by
//! `metrics-exporter-prometheus` from a recorder this service owns (not the process-wide one,
//! so two services in one process, as in tests, never mix their figures).
//!
//! Counters already kept for `/status` (deliveries, outcomes, requests) are copied in when
//! the page is asked for, so the two never disagree; the ack latency is recorded as it
//! happens. No shop data: no order numbers, no reasons, no rule names, only counts.

use std::collections::BTreeMap;

use metrics::{Histogram, Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use super::Service;
use super::board::Counters;

/// How long a webhook or callback took from arriving to its journaled 200, in seconds.
const ACK_LATENCY: &str = "shopflow_ack_latency_seconds";

/// Requests sent to the shop, by the HTTP status of their answer.
const API_RESPONSES: &str = "shopflow_api_responses_total";

/// Buckets of the ack latency: the fsync dominates (about a millisecond on an SSD); past a
/// second the shop's own timeout comes into view.
const ACK_BUCKETS: [f64; 12] =
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

const META: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// The service's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// Time from a delivery's arrival to its journaled 200.
    pub ack_latency: Histogram,
}

impl Metrics {
    /// A recorder with the ack latency's buckets.
    ///
    /// # Errors
    /// The buckets are refused (never with the constants above).
    pub fn new() -> Result<Metrics, String> {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(ACK_LATENCY.to_owned()), &ACK_BUCKETS)
            .map_err(|e| format!("metrics: {e}"))?
            .build_recorder();
        let handle = recorder.handle();
        describe(&recorder);
        let ack_latency = recorder.register_histogram(&Key::from_static_name(ACK_LATENCY), &META);
        Ok(Metrics { recorder, handle, ack_latency })
    }

    /// The page: the board's counters, the queue and the budget as they are now.
    pub fn render(&self, service: &Service) -> String {
        let counters = service.board().counters.clone();
        let pending = service.journal().state.pending.len();
        self.counters(&counters, service.shop.requests_sent());
        self.answers(&service.shop.answers());
        self.gauge("shopflow_pending_deliveries", pending as f64);
        // Retailys reports no budget: the gauge is then absent, not a made-up figure.
        if let Some(left) = service.shop.budget().and_then(|b| b.total_remaining) {
            self.gauge("shopflow_api_budget_remaining", left as f64);
        }
        self.handle.render()
    }

    fn counters(&self, c: &Counters, requests: u64) {
        self.counter("shopflow_deliveries_received_total", &[], c.deliveries_received);
        self.counter("shopflow_deliveries_refused_total", &[], c.deliveries_refused);
        self.counter("shopflow_events_received_total", &[], c.events_received);
        for (outcome, n) in [
            ("applied", c.outcomes_applied),
            ("filtered", c.outcomes_filtered),
            ("failed", c.outcomes_failed),
        ] {
            self.counter("shopflow_events_total", &[("outcome", outcome)], n);
        }
        self.counter("shopflow_api_requests_total", &[], requests);
    }

    /// The shop's answers by HTTP status (`status="none"`: no answer came).
    fn answers(&self, answers: &BTreeMap<Option<u16>, u64>) {
        for (status, &n) in answers {
            let status = status.map_or_else(|| "none".to_owned(), |s| s.to_string());
            let key = Key::from_parts(API_RESPONSES, vec![Label::new("status", status)]);
            self.recorder.register_counter(&key, &META).absolute(n);
        }
    }

    fn counter(&self, name: &'static str, labels: &[(&'static str, &'static str)], value: u64) {
        let labels: Vec<Label> =
            labels.iter().map(|&(k, v)| Label::from_static_parts(k, v)).collect();
        let key = Key::from_parts(name, labels);
        self.recorder.register_counter(&key, &META).absolute(value);
    }

    fn gauge(&self, name: &'static str, value: f64) {
        self.recorder.register_gauge(&Key::from_static_name(name), &META).set(value);
    }
}

/// The `# HELP` lines.
fn describe(r: &PrometheusRecorder) {
    let help: [(&'static str, &'static str); 9] = [
        (
            "shopflow_deliveries_received_total",
            "Webhook and callback deliveries journaled and acknowledged.",
        ),
        (
            "shopflow_deliveries_refused_total",
            "Deliveries refused: wrong secret, unknown event, or a body that cannot be read.",
        ),
        (
            "shopflow_events_received_total",
            "Records (orders, customers) in the deliveries acknowledged.",
        ),
        ("shopflow_events_total", "Hook calls by outcome: applied, filtered or failed."),
        ("shopflow_api_requests_total", "Requests sent to the shop's API."),
        (
            API_RESPONSES,
            "Requests sent to the shop's API by the HTTP status of the answer (none: no answer).",
        ),
        ("shopflow_pending_deliveries", "Deliveries journaled and not yet finished (the queue)."),
        (
            "shopflow_api_budget_remaining",
            "Requests the shop's API still allows (Upgates; absent on Retailys).",
        ),
        (ACK_LATENCY, "Time from a delivery's arrival to its journaled 200, in seconds."),
    ];
    for (name, text) in help {
        match name {
            ACK_LATENCY => {
                r.describe_histogram(name.into(), Some(metrics::Unit::Seconds), text.into())
            }
            n if n.ends_with("_total") => r.describe_counter(name.into(), None, text.into()),
            _ => r.describe_gauge(name.into(), None, text.into()),
        }
    }
}
