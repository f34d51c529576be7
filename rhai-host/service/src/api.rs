//! The operator API: everything the service serves that shows shop data or changes what the
//! service does: `/status`, `POST /rules/reload`, the dead letters (`deliveries.rs`) and the
//! run history (`runs.rs`). The dashboard and `shopflow` subcommands talk to it; `http.rs`
//! puts all of it behind the operator token (`access.rs`).

mod deliveries;
mod runs;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::Service;
use super::http::json;

/// The operator API's routes.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/status", get(status))
        .route("/deliveries", get(deliveries::list))
        .route("/deliveries/{id}/retry", post(deliveries::retry))
        .route("/deliveries/{id}/drop", post(deliveries::drop_one))
        .route("/runs/{order}", get(runs::order))
        .route("/rules/reload", post(reload_rules))
}

/// Counters, the last outcomes, the queue, the budget and the rules.
async fn status(State(service): State<Arc<Service>>) -> Response {
    let mut board = service.board();
    board.counters.api_requests = service.shop.requests_sent();
    board.rate_budget = service.shop.budget();
    // The journal, not the worker's last count: a retry or a drop shows at once.
    let journal = service.journal();
    board.pending_deliveries = journal.state.pending.len();
    board.dead_letters = journal.state.set_aside.len();
    drop(journal);
    json(StatusCode::OK, &*board)
}

/// Loads and checks the rule files again: 200 with the rule names now running, or 422 with
/// the problems (the running rules stay).
async fn reload_rules(State(service): State<Arc<Service>>) -> Response {
    // Compiling is CPU work: off the runtime's threads.
    let s = Arc::clone(&service);
    match tokio::task::spawn_blocking(move || s.reload_rules()).await {
        Ok(Ok(rules)) => json(StatusCode::OK, &serde_json::json!({"rules": rules})),
        Ok(Err(problems)) => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &serde_json::json!({"error": "the rules were not reloaded; the running ones stay", "rules_error": problems}),
        ),
        Err(e) => {
            json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"error": e.to_string()}))
        }
    }
}
