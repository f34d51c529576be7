//! Automation without a platform: the hooks rules react to, the events that call them, the
//! actions rules ask for, and what became of each event.
//!
//! The flow: a webhook batch says *which* orders or customers changed ([`Trigger`]s); the
//! shell fetches them; [`events_for`] decides which hooks each one calls (created, updated
//! with the status change, paid, deleted), using what was known of it before ([`Seen`]);
//! rules turn events into [`Action`]s; a platform planner (`upgates::plan`) merges actions
//! into the fewest requests. Nothing here does IO or reads a clock.

pub mod action;
pub mod event;
pub mod outcome;

pub use action::{Action, ActionTarget, StatusRef};
pub use event::{
    Hook, RuleEvent, Seen, StatusChange, Subject, Trigger, TriggerKind, events_for, triggers,
};
pub use outcome::{EventOutcome, Outcome};
