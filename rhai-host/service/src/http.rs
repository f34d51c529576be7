//! The service's HTTP side: webhook and Retailys callback receivers, `/metrics`, `/healthz`
//! and `/readyz`, the demo's connection details, the operator API (`api.rs`), and the
//! dashboard's static files.
//!
//! A delivery is acknowledged only after it has been read and is in the journal on disk: a
//! body that cannot be read gets 400 (the shop sends it again) and is not stored. The secret
//! is checked in constant time by the core; a wrong one gets 401 and nothing is stored. While
//! the service stops, deliveries get 503 and the shop sends them again later.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{SecondsFormat, Utc};
use shopflow_core::retailys::receiver::{CallbackError, read_callback};
use shopflow_core::upgates::webhook::{
    WebhookBatch, WebhookEvent, WebhookRecords, parse_webhook, verify_webhook,
};
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};

use super::retailys::CallbackBody;
use super::{Service, Shop};

/// The largest delivery accepted. Upgates sends at most 5000 records a call; the sandbox's
/// 5000-record `Orders.create` body measures 545,037 bytes (532 KiB, about 109 bytes a
/// record; `cli/tests/operations.rs` prints it). 4 MiB leaves over seven times that for
/// longer numbers and fields a real shop adds, and refuses (413) anything far larger before
/// it is read.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// The router: `POST /webhooks/{Entity.action}?shopflow_secret=...`, the operator API
/// (`api.rs`, behind the operator token), `GET /demo.json` (demo only), and the dashboard
/// from `www` at `/`; CORS only for the origins listed (`cors`).
pub fn router(service: Arc<Service>, www: Option<PathBuf>, cors: Option<CorsLayer>) -> Router {
    let operator = super::api::routes().route_layer(axum::middleware::from_fn_with_state(
        Arc::clone(&service),
        super::access::require_token,
    ));
    let api = Router::new()
        .route("/webhooks/{event}", post(receive))
        .route("/retailys/{event}/{secret}", get(callback).post(callback).put(callback))
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/demo.json", get(demo))
        .merge(operator)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        // A body announced as too large is refused (413) before any of it is read.
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .with_state(service);
    // Outermost, so a browser's preflight is answered before the token is asked for.
    let api = match cors {
        Some(cors) => api.layer(cors),
        None => api,
    };
    match www {
        Some(dir) if dir.join("index.html").is_file() => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        _ => api.fallback(get(no_dashboard)),
    }
}

async fn no_dashboard() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "The dashboard is not built (npm --prefix www run build, or ./scripts/run). /status has the service's state.\n",
    )
        .into_response()
}

pub(crate) fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn receive(
    State(service): State<Arc<Service>>,
    Path(event): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    if service.stopping() {
        return stopping();
    }
    if !matches!(service.shop, Shop::Upgates(_)) {
        return json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"error": "this service runs a Retailys shop; its callbacks go to /retailys/{event}/{secret}"}),
        );
    }
    if !verify_webhook(&uri.to_string(), service.secret.expose()) {
        service.board().counters.deliveries_refused += 1;
        return json(
            StatusCode::UNAUTHORIZED,
            &serde_json::json!({"error": "the webhook secret is missing or wrong"}),
        );
    }
    let Some(event) = event.parse::<WebhookEvent>().ok().filter(WebhookEvent::is_known) else {
        service.board().counters.deliveries_refused += 1;
        return json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"error": format!("no such webhook event: {event}")}),
        );
    };
    // Read before it is acknowledged: what cannot be read would fail in the worker after the
    // 200, and the shop would never send it again. A 400 makes it retry.
    let read = parse_webhook(&body, Some(&event)).map_err(|e| e.to_string()).and_then(|batch| {
        Ok((records(&batch), String::from_utf8(body.to_vec()).map_err(|e| e.to_string())?))
    });
    match read {
        Ok((records, text)) => store(service, event.to_string(), text, records, arrived).await,
        Err(reason) => {
            service.board().counters.deliveries_refused += 1;
            json(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"error": format!("the body cannot be read, so it is not acknowledged: {reason}")}),
            )
        }
    }
}

/// 503 while stopping: the shop sends the delivery again, to this service once it is back.
fn stopping() -> Response {
    let mut r = json(
        StatusCode::SERVICE_UNAVAILABLE,
        &serde_json::json!({"error": "the service is stopping; send it again later"}),
    );
    r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
    r
}

/// A Retailys event callback (`/retailys/{event}/{secret}`, GET, POST or PUT): read by the
/// core, journaled, then answered. A wrong secret is 401 and stores nothing; a call without
/// an order id is 400 (so Retailys may send it again) and is counted as refused.
async fn callback(
    State(service): State<Arc<Service>>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    if service.stopping() {
        return stopping();
    }
    let Shop::Retailys(_) = &service.shop else {
        return json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"error": "this service runs an Upgates shop; Retailys callbacks are not taken"}),
        );
    };
    let read = read_callback(uri.path(), uri.query().unwrap_or(""), &body, service.secret.expose());
    let callback = match read {
        Ok(c) => c,
        Err(e) => {
            service.board().counters.deliveries_refused += 1;
            let status = match e {
                CallbackError::WrongSecret => StatusCode::UNAUTHORIZED,
                CallbackError::UnknownEvent(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::BAD_REQUEST,
            };
            return json(status, &serde_json::json!({"error": e.to_string()}));
        }
    };
    let (event, body) = CallbackBody::of(&callback);
    match serde_json::to_string(&body) {
        Ok(text) => store(service, event, text, 1, arrived).await,
        Err(e) => {
            json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"error": e.to_string()}))
        }
    }
}

/// Journals a delivery (synced to disk, together with the deliveries arriving alongside it:
/// `ingest.rs`) and only then answers 200; 503 when it could not be stored, so the shop sends
/// it again.
async fn store(
    service: Arc<Service>,
    event: String,
    text: String,
    records: u64,
    arrived: Instant,
) -> Response {
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    match service.ingest.receive(event, text, at).await {
        Ok(id) => {
            {
                let mut board = service.board();
                board.counters.deliveries_received += 1;
                board.counters.events_received += records;
            }
            service.wake.notify_one();
            service.metrics.ack_latency.record(arrived.elapsed().as_secs_f64());
            json(StatusCode::OK, &serde_json::json!({"received": id, "records": records}))
        }
        Err(e) => {
            tracing::error!(error = %e, "a delivery could not be journaled (answered 503, not acknowledged)");
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                &serde_json::json!({"error": "the delivery could not be stored; send it again"}),
            )
        }
    }
}

/// Records in a read delivery.
fn records(batch: &WebhookBatch) -> u64 {
    let n = match &batch.records {
        WebhookRecords::Orders { orders } => orders.len(),
        WebhookRecords::Customers { customers } => customers.len(),
        WebhookRecords::Products { products, variants } => products.len() + variants.len(),
        WebhookRecords::Invoices { invoices } => invoices.len(),
        WebhookRecords::Other { records } => {
            records.values().filter_map(serde_json::Value::as_array).map(Vec::len).sum()
        }
        _ => 1,
    };
    n as u64
}

/// Prometheus text (format 0.0.4): counts only, no shop data.
async fn metrics(State(service): State<Arc<Service>>) -> Response {
    let page = service.metrics.render(&service);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], page).into_response()
}

/// 200 while the process serves requests.
pub(crate) async fn healthz() -> Response {
    json(StatusCode::OK, &serde_json::json!({"status": "ok"}))
}

/// 200 when a delivery can be taken now (the journal is writable and the service is not
/// stopping), else 503 with the reason.
async fn readyz(State(service): State<Arc<Service>>) -> Response {
    if service.stopping() {
        return json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"status": "stopping", "reason": "the service is stopping"}),
        );
    }
    // The journal's lock may be held through an fsync: not on the runtime's threads.
    let s = Arc::clone(&service);
    match tokio::task::spawn_blocking(move || s.journal().writable()).await {
        Ok(Ok(())) => json(StatusCode::OK, &serde_json::json!({"status": "ready"})),
        Ok(Err(reason)) => json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"status": "journal", "reason": reason}),
        ),
        Err(e) => json(
            StatusCode::SERVICE_UNAVAILABLE,
            &serde_json::json!({"status": "error", "reason": e.to_string()}),
        ),
    }
}

async fn demo(State(service): State<Arc<Service>>) -> Response {
    match &service.demo {
        Some(d) => json(StatusCode::OK, d),
        None => {
            json(StatusCode::NOT_FOUND, &serde_json::json!({"error": "not running the demo shop"}))
        }
    }
}
