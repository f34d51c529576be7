//! The one evaluation path: a delivery's triggers through the rules, to events, actions and
//! (once the plan says what became of each action) outcomes. `shopflow rules test`, the npm
//! package's `engine.run` (a dry run) and the rules service (`shopflow run`) all run this, so
//! a dry run tests exactly what the service will run.

use std::collections::HashMap;
use std::sync::Arc;

use shopflow_core::automation::model::{Customer, Order};
use shopflow_core::automation::{
    Action, Hook, Outcome, RuleEvent, Seen, Subject, Trigger, TriggerKind, events_for,
};
use shopflow_core::date::ApiDate;

use crate::dry_run::{EventReport, RuleReport, outcome_of};
use crate::ruleset::{HookInput, RuleSet};

/// What the evaluation knows of the shop, in the neutral model.
pub struct Known<'a> {
    /// Orders by number.
    pub orders: &'a HashMap<String, Arc<Order>>,
    /// Customers by id.
    pub customers: &'a HashMap<u64, Arc<Customer>>,
    /// What was seen of an order before, by number.
    pub previous: &'a dyn Fn(&str) -> Option<Seen>,
    /// Since when payments count as new for orders never seen (`None`: every one does).
    pub watching_since: Option<&'a ApiDate>,
}

/// The rules' part: per event, each rule's actions, logs and errors.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Per event, in the delivery's order (outcomes are set by [`Evaluation::decide`]).
    pub events: Vec<EventReport>,
    /// Every action asked for, in order.
    pub actions: Vec<Action>,
    /// Every log line, prefixed with its rule's name when there are several rules.
    pub logs: Vec<String>,
    /// Operations used by all runs.
    pub ops_used: u64,
    /// Records the triggers name that `known` lacks (no hook ran for them).
    pub skipped: Vec<String>,
}

/// Why rule errors failed an event: each rule's name, the error's code and message.
#[must_use]
pub fn error_reason(rules: &[RuleReport]) -> Vec<String> {
    rules
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| format!("{}: {}: {e}", r.rule, e.kind.code())))
        .collect()
}

/// What a hook needs for one event, from what is known.
#[must_use]
pub fn input_for(event: &RuleEvent, known: &Known<'_>) -> Option<HookInput> {
    match (&event.subject, event.hook) {
        (Subject::Order(n), Hook::OrderDeleted) => Some(HookInput::OrderRef(n.clone())),
        (Subject::Customer(id), Hook::CustomerDeleted) => Some(HookInput::CustomerRef(*id)),
        (Subject::Order(n), _) => known.orders.get(n).map(|o| HookInput::Order(Arc::clone(o))),
        (Subject::Customer(id), _) => {
            known.customers.get(id).map(|c| HookInput::Customer(Arc::clone(c)))
        }
    }
}

/// Runs `rules` (named rule files, in order) on every event `triggers` call. A hook no rule
/// defines is not an event anyone asked about, and gives no event.
#[must_use]
pub fn evaluate(
    rules: &[(String, RuleSet)],
    triggers: &[Trigger],
    known: &Known<'_>,
) -> Evaluation {
    let several = rules.len() > 1;
    let mut out = Evaluation::default();
    for trigger in triggers {
        let (order, before) = match &trigger.subject {
            Subject::Order(n) => (known.orders.get(n).map(Arc::as_ref), (known.previous)(n)),
            Subject::Customer(_) => (None, None),
        };
        let events = events_for(trigger, order, before.as_ref(), known.watching_since);
        for event in events.into_iter().filter(|e| rules.iter().any(|(_, r)| r.handles(e.hook))) {
            let Some(input) = input_for(&event, known) else {
                out.skipped.push(format!(
                    "{}: not in the data, so {} did not run",
                    describe(&event.subject),
                    event.hook.function_name()
                ));
                continue;
            };
            let mut reports = Vec::new();
            for (name, rule) in rules.iter().filter(|(_, r)| r.handles(event.hook)) {
                let run = rule.run(&event, input.clone());
                let first = out.actions.len();
                out.actions.extend(run.actions);
                out.ops_used = out.ops_used.saturating_add(run.ops_used);
                out.logs.extend(
                    run.logs
                        .iter()
                        .map(|l| if several { format!("[{name}] {l}") } else { l.clone() }),
                );
                reports.push(RuleReport {
                    rule: name.clone(),
                    actions: (first..out.actions.len()).collect(),
                    logs: run.logs,
                    ops_used: run.ops_used,
                    error: run.error,
                });
            }
            out.events.push(EventReport {
                event,
                rules: reports,
                outcome: Outcome::Filtered,
                reason: None,
            });
        }
        // An order that is not known has nothing for its hooks to read.
        if let Subject::Order(n) = &trigger.subject
            && order.is_none()
            && trigger.kind != TriggerKind::Deleted
        {
            out.skipped.push(format!("order {n}: not in the data, so no hook ran"));
        }
    }
    out
}

fn describe(subject: &Subject) -> String {
    match subject {
        Subject::Order(n) => format!("order {n}"),
        Subject::Customer(id) => format!("customer {id}"),
    }
}

impl Evaluation {
    /// Sets each event's outcome from what became of its actions: `satisfied` (already so)
    /// and `failed` (refused or not made), by action index.
    pub fn decide(&mut self, satisfied: &HashMap<usize, String>, failed: &HashMap<usize, String>) {
        for report in &mut self.events {
            let indexes: Vec<usize> =
                report.rules.iter().flat_map(|r| r.actions.iter().copied()).collect();
            let (outcome, reason) =
                outcome_of(&error_reason(&report.rules), &indexes, satisfied, failed);
            report.outcome = outcome;
            report.reason = reason;
        }
    }
}
