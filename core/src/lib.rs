//! shopflow-core: the e-shop APIs shopflow automates, as types and decisions, with no IO.
//!
//! The crate turns intentions into data and data into decisions. Builders produce a
//! [`http::RequestSpec`]; parsers turn a status, headers and body into typed results with
//! per-item messages surfaced; [`retry::RetryPolicy`] and [`rate_limit::RateBudget`] tell a
//! shell whether to send, wait, relocate, or stop. Shells (the npm package over `fetch`, the
//! rules host over a Rust HTTP client) are short loops over these; see `docs/architecture.md`.
//!
//! Layout: platform-neutral building blocks at the top level, one module per platform
//! ([`upgates`] now) that depends on them and never the other way round.
//!
//! The crate never panics on input: in WebAssembly a panic kills the module for every later
//! call, so `unwrap`, `expect`, `panic!` and indexing are denied outside tests.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]
#![warn(clippy::missing_errors_doc)]

pub mod ascii_json;
pub mod automation;
pub mod base_url;
pub mod batch;
pub mod date;
pub mod decimal;
pub mod exchange;
pub mod http;
pub mod json;
pub mod kinds;
pub mod lenient;
pub mod notify;
pub mod numtext;
pub mod open_enum;
pub mod pagination;
pub mod rate_limit;
pub mod retailys;
pub mod retry;
pub mod secret;
pub mod shared_budget;
#[cfg(feature = "ts")]
mod ts;
pub mod upgates;
pub mod validation;

pub use date::ApiDate;
pub use decimal::Decimal;
pub use secret::Secret;
