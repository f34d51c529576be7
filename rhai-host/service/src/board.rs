//! What `GET /status` shows: counters since start and the last outcomes, newest last.

use std::collections::VecDeque;

use serde::Serialize;
use shopflow_core::automation::{Action, Outcome, RuleEvent};
use shopflow_core::rate_limit::RateBudget;

/// Outcomes kept for `/status`.
const KEEP: usize = 200;

/// Counters since the service started.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counters {
    /// Records (orders, customers) in webhook deliveries received.
    pub events_received: u64,
    /// Of those, finished (every hook they call has an outcome).
    pub events_processed: u64,
    /// Hook calls that ended applied.
    pub outcomes_applied: u64,
    /// Hook calls that asked for nothing, or for what was so already.
    pub outcomes_filtered: u64,
    /// Hook calls that failed (a rule error or a refused write).
    pub outcomes_failed: u64,
    /// Actions made in the shop.
    pub actions_applied: u64,
    /// Actions that were so already (no request needed).
    pub actions_satisfied: u64,
    /// Actions the shop refused or that could not be sent.
    pub actions_failed: u64,
    /// Requests sent to the shop's API.
    pub api_requests: u64,
    /// Webhook deliveries received.
    pub deliveries_received: u64,
    /// Deliveries refused (bad secret, unknown event, a body that cannot be read; not a body
    /// over the size cap, which is refused before the service sees it).
    pub deliveries_refused: u64,
}

/// One hook call's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRecord {
    /// When it was decided (RFC 3339).
    pub at: String,
    /// The hook and its subject (`{hook, subject: {order}}`).
    pub event: RuleEvent,
    /// Applied, filtered or failed.
    pub outcome: Outcome,
    /// The actions its rules asked for.
    pub actions: Vec<Action>,
    /// Why it was filtered or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A delivery that could not be read at all.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryFailure {
    /// When.
    pub at: String,
    /// The event its URL named.
    pub event: String,
    /// Why.
    pub reason: String,
}

/// The status board.
#[derive(Debug, Default, Serialize)]
pub struct Board {
    /// Counters.
    #[serde(flatten)]
    pub counters: Counters,
    /// The last outcomes, oldest first.
    pub last_outcomes: VecDeque<OutcomeRecord>,
    /// Deliveries that could not be read.
    pub delivery_failures: VecDeque<DeliveryFailure>,
    /// Deliveries journaled and not yet finished (read from the journal when `/status` is
    /// asked for, like the two below: never kept up to date by hand).
    pub pending_deliveries: usize,
    /// Deliveries set aside (dead letters) for an operator to retry or drop.
    pub dead_letters: usize,
    /// The shop's request budget as it stands (from the client).
    pub rate_budget: Option<RateBudget>,
    /// The last problem reaching the shop, if the last pass had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop_error: Option<String>,
    /// Rule files and the hooks each defines.
    pub rules: Vec<RuleInfo>,
    /// When the rules in use were loaded (RFC 3339).
    pub rules_loaded_at: String,
    /// Why the last reload of the rule files failed (each problem as `FILE:LINE:COLUMN:
    /// code: message`); the rules loaded before keep running. Cleared by a good reload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_error: Option<String>,
}

/// A loaded rule file.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    /// Its name.
    pub name: String,
    /// Its hooks.
    pub hooks: Vec<&'static str>,
}

impl RuleInfo {
    /// What the board shows of `rules`.
    pub fn of(rules: &[(String, shopflow_rules::RuleSet)]) -> Vec<RuleInfo> {
        rules
            .iter()
            .map(|(name, r)| RuleInfo {
                name: name.clone(),
                hooks: r.hooks().iter().map(|h| h.function_name()).collect(),
            })
            .collect()
    }
}

impl Board {
    /// Adds an outcome, dropping the oldest past the limit.
    pub fn record(&mut self, r: OutcomeRecord) {
        match r.outcome {
            Outcome::Applied => self.counters.outcomes_applied += 1,
            Outcome::Filtered => self.counters.outcomes_filtered += 1,
            Outcome::Failed => self.counters.outcomes_failed += 1,
        }
        if self.last_outcomes.len() >= KEEP {
            self.last_outcomes.pop_front();
        }
        self.last_outcomes.push_back(r);
    }

    /// Adds a delivery that could not be read.
    pub fn delivery_failed(&mut self, f: DeliveryFailure) {
        if self.delivery_failures.len() >= KEEP {
            self.delivery_failures.pop_front();
        }
        self.delivery_failures.push_back(f);
    }
}
