//! Helpers shared by the rules tests.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Instant;

use shopflow_core::automation::model::Order;
use shopflow_core::upgates::neutral;
use shopflow_rules::{Clock, Limits, RuleError, RuleSet};

/// Milliseconds since the first call.
pub fn clock() -> Clock {
    let start = Instant::now();
    Arc::new(move || start.elapsed().as_secs_f64() * 1000.0)
}

pub fn compile(source: &str) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::compile(source, Limits::default(), clock())
}

/// An Upgates order (as the API sends it) as rules see it.
pub fn order(json: serde_json::Value) -> Arc<Order> {
    Arc::new(neutral::order(&Arc::new(serde_json::from_value(json).unwrap())))
}
