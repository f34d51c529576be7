//! The dead letters in the operator API: `GET /deliveries` lists the deliveries set aside,
//! `POST /deliveries/{id}/retry` puts one back to pending (the worker takes it at once) and
//! `POST /deliveries/{id}/drop` forgets it. Both are journaled before they are answered.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::Service;
use crate::http::json;
use crate::journal::DeadLetter;

/// A dead letter as the operator sees it: the delivery's identity and why it is aside, not
/// its body (up to the body cap; the shop's order data is what `orders` names).
#[derive(Debug, Serialize)]
struct Listed {
    id: u64,
    event: String,
    received_at: String,
    tries: u32,
    reason: String,
    orders: Vec<String>,
    set_aside_at: String,
}

impl From<&DeadLetter> for Listed {
    fn from(d: &DeadLetter) -> Self {
        Listed {
            id: d.delivery.id,
            event: d.delivery.event.clone(),
            received_at: d.delivery.received_at.clone(),
            tries: d.tries.count,
            reason: d.tries.reason.clone(),
            orders: d.tries.orders.clone(),
            set_aside_at: d.set_aside_at.clone(),
        }
    }
}

/// `GET /deliveries`: the set-aside deliveries, oldest first.
pub(super) async fn list(State(service): State<Arc<Service>>) -> Response {
    let listed: Vec<Listed> =
        service.journal().state.set_aside.values().map(Listed::from).collect();
    json(StatusCode::OK, &serde_json::json!({ "deliveries": listed }))
}

/// `POST /deliveries/{id}/retry`.
pub(super) async fn retry(State(service): State<Arc<Service>>, Path(id): Path<String>) -> Response {
    let answer = act(&service, &id, "retried", |j, id| j.retry(id));
    service.wake.notify_one();
    answer
}

/// `POST /deliveries/{id}/drop`.
pub(super) async fn drop_one(
    State(service): State<Arc<Service>>,
    Path(id): Path<String>,
) -> Response {
    act(&service, &id, "dropped", |j, id| j.drop_dead(id))
}

/// Applies `f` to dead letter `id`: 400 for an id that is not a number, 409 when another
/// instance works the shop (`--store`: its dead letters are in that instance's hands), 404
/// for one that is not set aside, 500 when the journal cannot be written (nothing changed
/// then).
fn act(
    service: &Service,
    id: &str,
    done: &str,
    f: impl FnOnce(&mut crate::journal::Journal, u64) -> Result<bool, String>,
) -> Response {
    let Ok(n) = id.parse::<u64>() else {
        let error = format!("a delivery id is a whole number, not {id:?}");
        return json(StatusCode::BAD_REQUEST, &serde_json::json!({ "error": error }));
    };
    let mut journal = service.journal();
    if let Err(e) = journal.works_here() {
        return json(StatusCode::CONFLICT, &serde_json::json!({ "error": e }));
    }
    let result = f(&mut journal, n);
    match result {
        Ok(true) => json(StatusCode::OK, &serde_json::json!({ "id": n, "result": done })),
        Ok(false) => {
            let error =
                format!("no delivery {n} is set aside (GET /deliveries lists those that are)");
            json(StatusCode::NOT_FOUND, &serde_json::json!({ "error": error }))
        }
        Err(e) => json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({ "error": e })),
    }
}
