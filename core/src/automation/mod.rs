//! Automation without a platform: the hooks rules react to, the events that call them, the
//! actions rules ask for, and what became of each event.
//!
//! What rules see is [`model`]: orders and customers in a form no platform owns; each
//! platform maps its records into it (`upgates::neutral`).
//!
//! The flow: a platform's delivery says *which* orders or customers changed ([`Trigger`]s,
//! `upgates::neutral::triggers`); the shell fetches them; [`events_for`] decides which hooks each one calls (created, updated
//! with the status change, paid, deleted), using what was known of it before ([`Seen`]);
//! rules turn events into [`Action`]s; [`merge`] merges every action per record and drops
//! what is so already; a platform's plan (`upgates::plan`) turns that into its fewest
//! requests. Nothing here does IO or reads a clock.

pub mod action;
pub mod event;
pub mod merge;
pub mod model;
pub mod outcome;
pub mod platform;
pub mod seam;

pub use action::{Action, ActionTarget, StatusRef};
pub use event::{Hook, RuleEvent, Seen, StatusChange, Subject, Trigger, TriggerKind, events_for};
pub use outcome::{EventOutcome, Outcome};
