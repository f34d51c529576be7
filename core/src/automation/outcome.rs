//! What became of an event: applied, filtered or failed, with the reason.

use serde::{Deserialize, Serialize};

use crate::automation::action::Action;
use crate::automation::event::RuleEvent;

/// The outcome of running the rules on one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Its actions were made in the shop.
    Applied,
    /// No rule asked for anything, or everything asked for was so already: a normal result.
    Filtered,
    /// A rule failed, or the shop refused an action.
    Failed,
}

/// One event's outcome, with its actions and, unless applied, the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventOutcome {
    /// The event.
    pub event: RuleEvent,
    /// What became of it.
    pub outcome: Outcome,
    /// The actions its rules asked for.
    pub actions: Vec<Action>,
    /// Why it was filtered or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
