//! The control API under `/__sandbox/`: reset, generate orders, counts, deliveries,
//! notifications, and limits and faults at run time. Tests and benchmarks use it; it is not
//! part of the Upgates API and is neither authenticated nor counted.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::respond::{api_error, json};
use crate::state::{AppState, lock};

/// `POST /__sandbox/reset`: the shop as it started (statuses, no orders, customers or
/// webhooks), counts, budget, lockouts, deliveries and config cleared.
pub async fn reset(State(state): State<Arc<AppState>>) -> Response {
    let name = state.shop().project_name().to_owned();
    *state.shop_mut() = crate::shop::Shop::new(&name);
    crate::state::reset_counters(&state);
    state.set_runtime(state.initial_runtime.clone());
    match state.persist().await {
        Ok(()) => json(StatusCode::OK, &json!({"reset": true})),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// What `POST /__sandbox/orders/generate` takes.
#[derive(Debug, Deserialize)]
pub struct Generate {
    count: usize,
    seed: Option<u64>,
}

/// `POST /__sandbox/orders/generate`: storefront orders, firing their webhooks.
pub async fn generate(State(state): State<Arc<AppState>>, Json(g): Json<Generate>) -> Response {
    let seed =
        g.seed.unwrap_or_else(|| state.seed.wrapping_add(state.shop().orders().len() as u64));
    let before = state.shop().orders().len();
    let emitted = {
        let mut shop = state.shop_mut();
        crate::generate::generate(&mut shop, g.count, seed)
    };
    if let Err(e) = state.persist().await {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    let created = state.shop().orders().len() - before;
    let fired = emitted.len();
    state.fire(emitted);
    json(
        StatusCode::OK,
        &json!({"created": created, "webhook_records": fired, "orders_total": before + created}),
    )
}

/// `GET /__sandbox/stats`.
pub async fn stats(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &*lock(&state.stats))
}

/// `POST /__sandbox/stats/reset`: zero the request counts only.
pub async fn reset_stats(State(state): State<Arc<AppState>>) -> Response {
    *lock(&state.stats) = crate::stats::Stats::default();
    json(StatusCode::OK, &json!({"reset": true}))
}

/// `GET /__sandbox/deliveries`: every delivery attempt, and records still waiting.
pub async fn deliveries(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &json!({"deliveries": state.hub.log(), "pending": state.hub.pending()}))
}

/// `GET /__sandbox/notifications`: e-mails and SMS a real shop would have sent.
pub async fn notifications(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &json!({"notifications": state.shop().notifications()}))
}

/// `GET /__sandbox/writes`: what each write said about notifying customers.
pub async fn writes(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &json!({"writes": state.shop().writes()}))
}

/// `GET /__sandbox/config`.
pub async fn get_config(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &state.runtime())
}

/// `PUT /__sandbox/config`: a JSON merge patch of limits, faults and webhook timings.
pub async fn put_config(
    State(state): State<Arc<AppState>>,
    Json(patch): Json<serde_json::Value>,
) -> Response {
    match state.runtime().patched(&patch) {
        Ok(next) => {
            if next.rate_limit != state.runtime().rate_limit {
                lock(&state.rate).clear();
            }
            if next.bad_logins != state.runtime().bad_logins {
                lock(&state.bad_logins).clear();
            }
            state.set_runtime(next.clone());
            json(StatusCode::OK, &next)
        }
        Err(e) => api_error(StatusCode::BAD_REQUEST, &e),
    }
}
