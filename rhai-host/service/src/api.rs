//! The operator API: everything the service serves that shows shop data or changes what the
//! service does (`/status`, the dead letters in `deliveries.rs`, the run history in `runs.rs`, ...). The dashboard and
//! `shopflow` subcommands talk to it.

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
