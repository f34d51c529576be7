//! The run history in the operator API: `GET /runs/{order}?limit=N`, the order's runs
//! newest first (20 unless asked, at most [`MAX_LIMIT`]), read from the history's file or
//! table (on PostgreSQL any instance answers, whoever works the shop).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::Service;
use crate::http::json;

/// Runs an answer carries at most.
const MAX_LIMIT: usize = 500;

/// The query: how many runs.
#[derive(Debug, Deserialize)]
pub(super) struct Limit {
    limit: Option<String>,
}

/// `GET /runs/{order}`.
pub(super) async fn order(
    State(service): State<Arc<Service>>,
    Path(order): Path<String>,
    Query(q): Query<Limit>,
) -> Response {
    let limit = match q.limit.as_deref().map(str::parse::<usize>) {
        None => 20,
        Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            let error = format!(
                "limit is a whole number from 1 to {MAX_LIMIT}, not {:?}",
                q.limit.unwrap_or_default()
            );
            return json(StatusCode::BAD_REQUEST, &serde_json::json!({ "error": error }));
        }
    };
    let reader = service.runs().reader();
    match reader.read(order.clone(), limit).await {
        Ok(runs) => json(StatusCode::OK, &serde_json::json!({ "order": order, "runs": runs })),
        Err(e) => json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({ "error": e })),
    }
}
