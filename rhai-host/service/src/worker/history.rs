//! A pass's runs for the run history (`crate::runs`): per order, the deliveries that named
//! it, its hook calls as the evaluation reported them (each rule's actions, `log()` lines and
//! error: the engine already attributes logs to the rule and event they came from), the
//! outcome, and the pass's request count with how many orders shared it.

use std::collections::BTreeMap;

use shopflow_core::automation::{Action, Outcome, Subject};
use shopflow_rules::Evaluation;
use shopflow_rules::dry_run::RuleReport;

use super::Work;
use crate::journal::Delivery;
use crate::runs::{HookRun, PassCost, Run, RunEvent};

/// The runs of a pass whose outcomes are decided, one per order, in order number order.
pub(super) fn runs_of(
    evaluation: &Evaluation,
    work: &Work,
    deliveries: &[Delivery],
    requests: u64,
    at: &str,
) -> Vec<Run> {
    let mut hooks: BTreeMap<&str, Vec<HookRun>> = BTreeMap::new();
    for report in &evaluation.events {
        let Subject::Order(n) = &report.event.subject else { continue };
        hooks.entry(n.as_str()).or_default().push(HookRun {
            hook: text(&report.event.hook),
            rules: report.rules.iter().map(|r| rule_run(evaluation, r)).collect(),
            outcome: text(&report.outcome),
            reason: report.reason.clone(),
        });
    }
    let cost = PassCost { requests, orders_in_pass: hooks.len() };
    hooks
        .into_iter()
        .map(|(order, hooks)| Run {
            at: at.to_owned(),
            order: order.to_owned(),
            events: events(work, deliveries, order),
            outcome: overall(&hooks),
            hooks,
            cost,
        })
        .collect()
}

/// A rule's report with its actions themselves, not their indexes into the pass's list.
fn rule_run(evaluation: &Evaluation, r: &RuleReport) -> serde_json::Value {
    let actions: Vec<&Action> =
        r.actions.iter().filter_map(|&i| evaluation.actions.get(i)).collect();
    let mut v = serde_json::to_value(r).unwrap_or_default();
    v["actions"] = serde_json::to_value(actions).unwrap_or_default();
    v
}

/// The deliveries of the pass that named the order.
fn events(work: &Work, deliveries: &[Delivery], order: &str) -> Vec<RunEvent> {
    let ids = work.from.get(&Subject::Order(order.to_owned())).cloned().unwrap_or_default();
    deliveries
        .iter()
        .filter(|d| ids.contains(&d.id))
        .map(|d| RunEvent {
            delivery: d.id,
            event: d.event.clone(),
            received_at: d.received_at.clone(),
        })
        .collect()
}

/// Failed if any hook call failed, else applied if any applied, else filtered.
fn overall(hooks: &[HookRun]) -> String {
    let is = |o: Outcome| hooks.iter().any(|h| h.outcome == text(&o));
    let outcome = if is(Outcome::Failed) {
        Outcome::Failed
    } else if is(Outcome::Applied) {
        Outcome::Applied
    } else {
        Outcome::Filtered
    };
    text(&outcome)
}

/// A unit enum's serde name (`order_created`, `applied`).
fn text(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
