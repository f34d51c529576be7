//! shopflow-wasm-rules: the rules engine for JavaScript, as the npm package entry
//! `shopflow/rules`.
//!
//! A module of its own rather than more exports of `shopflow-wasm`: Rhai roughly doubles a
//! module's size, and a shop's webhook receiver that only calls the API should not download
//! it. Like the client's module it is a thin face over the Rust crates: JSON text or bytes in,
//! `{"ok": value}` or `{"err": {code, message, …}}` out, and the package's JavaScript turns
//! errors into `Error` subclasses. What a rule may do, how long it may run and what its
//! actions become is decided in `shopflow-rules` and `shopflow-core`, not here.

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

/// The answer format, shared with the client module.
pub(crate) use shopflow_wasm_envelope as answer;
mod clock;
mod host;
mod plan;
mod problems;
mod report;

pub use host::RuleHost;
pub use plan::plan_actions;
