//! The control API under `/__sandbox/` for the Retailys sandbox: reset, generate orders,
//! look at an order's status and history (the API cannot show them), counts, the callback
//! log, and limits, faults and callback settings at run time. Not authenticated, not
//! counted, not rate limited.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::events::fire;
use super::generate::Placed;
use super::guard::{error, json};
use super::orders::{path_id, refused};
use super::state::RState;
use crate::state::lock;
use crate::stats::Stats;

type St = State<Arc<RState>>;

/// `POST /__sandbox/reset`: no orders or subscriptions, counts, windows, log and config
/// as at start.
pub async fn reset(State(state): St) -> Response {
    state.reset();
    json(StatusCode::OK, &json!({"reset": true}))
}

/// What `POST /__sandbox/orders/generate` takes.
#[derive(Debug, Deserialize)]
pub struct Generate {
    count: usize,
    seed: Option<u64>,
}

/// `POST /__sandbox/orders/generate`: storefront orders, firing their `order-new` events.
pub async fn generate(State(state): St, Json(g): Json<Generate>) -> Response {
    let (fired, total) = {
        let mut store = state.store();
        let seed = g.seed.unwrap_or_else(|| state.seed.wrapping_add(store.orders.len() as u64));
        let fired = store.generate(g.count, seed);
        (fired, store.orders.len())
    };
    let ids: Vec<i64> = fired.iter().map(|f| f.order_id).collect();
    fire(&state, fired);
    json(StatusCode::OK, &json!({"created": ids.len(), "ids": ids, "orders_total": total}))
}

/// `POST /__sandbox/orders/place`: one storefront order placed whole (see
/// [`Placed`]), firing its `order-new` event; 400 naming the field when the catalog lacks
/// what it names.
pub async fn place(State(state): St, Json(p): Json<Placed>) -> Response {
    let placed = state.store().place(&p);
    match placed {
        Ok(fired) => {
            let id = fired.order_id;
            fire(&state, vec![fired]);
            json(StatusCode::OK, &json!({"id": id}))
        }
        Err(why) => error(StatusCode::BAD_REQUEST, "The order cannot be placed", &why),
    }
}

/// `GET /__sandbox/orders/{id}`: the status id and history records of an order.
pub async fn order(State(state): St, Path(id): Path<String>) -> Result<Response, Response> {
    let id = path_id(&id)?;
    let store = state.store();
    let s = store.order(id).map_err(refused)?;
    Ok(json(StatusCode::OK, &json!({"id": id, "status_id": s.status_id, "history": s.history})))
}

/// `GET /__sandbox/stats`: `requests_total` and `requests_by_endpoint` keyed like
/// `"GET /v1/System/Orders/{id}"`.
pub async fn stats(State(state): St) -> Response {
    json(StatusCode::OK, &*lock(&state.stats))
}

/// `POST /__sandbox/stats/reset`: zero the request counts only.
pub async fn reset_stats(State(state): St) -> Response {
    *lock(&state.stats) = Stats::default();
    json(StatusCode::OK, &json!({"reset": true}))
}

/// `GET /__sandbox/deliveries`: every callback attempt, and how many are under way.
pub async fn deliveries(State(state): St) -> Response {
    let log = lock(&state.deliveries).clone();
    let pending = state.pending.load(Ordering::SeqCst);
    json(StatusCode::OK, &json!({"deliveries": log, "pending": pending}))
}

/// `GET /__sandbox/config`.
pub async fn get_config(State(state): St) -> Response {
    json(StatusCode::OK, &state.runtime())
}

/// `PUT /__sandbox/config`: a JSON merge patch, say `{"rate_limit": {"per_second": 5}}`.
pub async fn put_config(State(state): St, Json(patch): Json<serde_json::Value>) -> Response {
    match state.runtime().patched(&patch) {
        Ok(next) => {
            state.set_runtime(next.clone());
            json(StatusCode::OK, &next)
        }
        Err(e) => error(StatusCode::BAD_REQUEST, "Invalid config", &e),
    }
}
