//! shopflow-wasm: the shopflow core for JavaScript, as the npm package `shopflow`.
//!
//! A thin face: every export takes JSON text and returns JSON text, either
//! `{"ok": <value>}` or `{"err": {"code", "message", …}}`; the package's JavaScript turns
//! errors into `Error` subclasses. `ClientCore` (Upgates) and `RetailysCore` run the core's
//! exchange (the one client loop, one driver for both) and send with gloo-net (`fetch`),
//! waiting on JavaScript timers. No decision lives here that is not in shopflow-core.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]
// An error is made at most once per call and leaves as JSON text; boxing it would only add
// an allocation to the failure path.
#![allow(clippy::result_large_err)]

mod client;
/// The answer format, shared with the rules module.
pub(crate) use shopflow_wasm_envelope as envelope;
mod parse;
mod request;
mod retailys;

pub use client::ClientCore;
pub use parse::{legacy_to_v2, page, parse, reconcile, validate};
pub use retailys::{RetailysCore, read_retailys_callback};
/// Receiving webhooks, linked from the `shopflow/webhooks` entry's crate: the same exports,
/// so a body is checked and normalized one way whichever entry a receiver imports.
pub use shopflow_wasm_webhooks::{
    check_secret, verify_webhook, webhook_edits_of, webhook_edits_of_text, webhook_event_from_url,
    webhook_url,
};

use wasm_bindgen::prelude::wasm_bindgen;

/// The most items one write request may carry.
#[wasm_bindgen(js_name = maxItemsPerRequest)]
#[must_use]
pub fn max_items_per_request() -> usize {
    shopflow_core::batch::MAX_ITEMS_PER_REQUEST
}

/// Requests the API serves at once; more are answered 429.
#[wasm_bindgen(js_name = concurrencyLimit)]
#[must_use]
pub fn concurrency_limit() -> usize {
    shopflow_core::upgates::CONCURRENCY_LIMIT
}
