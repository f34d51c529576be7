//! The operator API: everything the service serves that shows shop data or changes what the
//! service does (`/status`, ...). The dashboard and `shopflow` subcommands talk to it.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::Service;
use super::http::json;

/// The operator API's routes.
pub fn routes() -> Router<Arc<Service>> {
    Router::new().route("/status", get(status))
}

/// Counters, the last outcomes, the queue, the budget and the rules.
async fn status(State(service): State<Arc<Service>>) -> Response {
    let mut board = service.board();
    board.counters.api_requests = service.shop.requests_sent();
    board.rate_budget = service.shop.budget();
    json(StatusCode::OK, &*board)
}
