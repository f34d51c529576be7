//! Receiving Retailys event callbacks: the core's receiver reads the call (the event and the
//! secret from the path `…/retailys/{event}/{secret}`, the secret compared in constant time;
//! the ids from the query, a form or JSON), and this hands JavaScript the event, or the
//! status to answer with and why. Nothing here echoes the secret.

use serde::Serialize;
use shopflow_core::automation::TriggerKind;
use shopflow_core::retailys::receiver::{CallbackError, read_callback};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::envelope::{ErrorInfo, answer};

/// One callback as JavaScript receives it.
#[derive(Serialize)]
struct Event {
    /// The event's name as the path gave it (`order-new`, `order-change-status`, …).
    event: String,
    /// What happened to the order: `created` (order-new) or `updated` (a status change).
    trigger: &'static str,
    /// The order's id.
    order_id: i64,
    /// The new status, for a status change.
    status_id: Option<i64>,
}

/// The refusal as an error with the status the receiver answers with. The reason names the
/// path's event segment when it is unknown; should that segment be the secret itself (a path
/// with the secret twice), it is not repeated.
fn refusal(e: &CallbackError, secret: &str) -> ErrorInfo {
    let (code, status) = match e {
        CallbackError::WrongSecret => ("UNAUTHORIZED", 401),
        CallbackError::UnknownEvent(_) => ("NOT_FOUND", 404),
        _ => ("VALIDATION", 400),
    };
    let mut message = e.to_string();
    if !secret.is_empty() {
        message = message.replace(secret, "[secret]");
    }
    ErrorInfo { status: Some(status), ..ErrorInfo::new(code, message) }
}

/// A callback call (its URL's path and query without `?`, its body) checked against `secret`
/// and read: `{event, trigger, order_id, status_id}`, or an error whose `status` is the
/// answer to give (401 wrong secret, 404 unknown event, 400 no order id).
#[wasm_bindgen(js_name = readRetailysCallback)]
#[must_use]
pub fn read_retailys_callback(path: &str, query: &str, body: &[u8], secret: &str) -> String {
    answer(
        read_callback(path, query, body, secret)
            .map(|c| Event {
                event: c.event.as_str().to_owned(),
                trigger: match c.trigger().kind {
                    TriggerKind::Created => "created",
                    TriggerKind::Deleted => "deleted",
                    _ => "updated",
                },
                order_id: c.order_id,
                status_id: c.status_id,
            })
            .map_err(|e| refusal(&e, secret)),
    )
}
