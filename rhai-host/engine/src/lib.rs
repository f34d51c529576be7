//! Automation rules in Rhai: a hardened engine, typed read-only orders and customers, the
//! actions rules ask for, and dry runs over webhook batches.
//!
//! A rule file defines any of the hooks (`on_order_created(order)`,
//! `on_order_updated(order, change)`, `on_order_paid(order)`, `on_order_deleted(ref)`,
//! `on_customer_created(customer)`, `on_customer_updated(customer)`,
//! `on_customer_deleted(ref)`). [`RuleSet::compile`] parses and checks it once (unknown hooks,
//! wrong arities and unknown functions are reported with line and column);
//! [`RuleSet::run`] calls one hook for one event within the [`Limits`] and returns the
//! actions it asked for, its `print`/`debug` output and the operations it used.
//!
//! No IO and no clock of its own: the wall-clock budget reads the [`Clock`] it is given, so
//! the crate builds for wasm32 and the npm package runs the same rules as the service.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Rules run inside the npm package too, where a panic kills the module for every later call.
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

mod actions;
mod check;
pub mod dry_run;
mod engine;
pub mod error;
pub mod evaluate;
pub mod limits;
mod properties;
mod ruleset;
pub mod shop_data;
mod views;
pub mod vocabulary;

pub use dry_run::{DryRun, EventReport, dry_run, outcome_of};
pub use error::{ErrorKind, RuleError};
pub use evaluate::{Evaluation, Known, evaluate, input_for};
pub use limits::{Clock, Limits};
pub use ruleset::{HookInput, RuleRun, RuleSet, WeakRuleSet};
pub use shop_data::{NeutralData, ShopData};
