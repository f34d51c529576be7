//! Request counts for `GET /__sandbox/stats`: tests and benchmarks count API calls here.

use std::collections::BTreeMap;

use serde::Serialize;

/// Requests to the API since the last reset.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    /// Every API request, whatever its outcome (Upgates counts every one against the budget).
    pub requests_total: u64,
    /// By `"METHOD /api/v2/path-template"`.
    pub requests_by_endpoint: BTreeMap<String, u64>,
    /// Requests refused with 429 because the hour's or the day's budget was spent: a client
    /// that keeps the budget never gets one (tests assert that it is 0).
    pub refused_over_budget: u64,
}

impl Stats {
    /// Counts a request to an endpoint.
    pub fn count(&mut self, endpoint: String) {
        self.requests_total += 1;
        *self.requests_by_endpoint.entry(endpoint).or_default() += 1;
    }
}
