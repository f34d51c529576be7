//! A webhook batch through the rules without touching the shop: which hooks run, what each
//! asks for, and the requests that would be sent.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use shopflow_core::automation::{
    Action, Outcome, RuleEvent, Subject, TriggerKind, events_for, triggers,
};
use shopflow_core::date::ApiDate;
use shopflow_core::upgates::customer::Customer;
use shopflow_core::upgates::order::Order;
use shopflow_core::upgates::plan::{Current, Plan, plan};
use shopflow_core::upgates::webhook::WebhookBatch;

use crate::error::RuleError;
use crate::ruleset::{HookInput, RuleSet};
use crate::shop_data::ShopData;

/// One rule file's part in an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleReport {
    /// The rule file's name.
    pub rule: String,
    /// Indexes into [`DryRun::actions`].
    pub actions: Vec<usize>,
    /// Its `print`/`debug` output.
    pub logs: Vec<String>,
    /// Operations used.
    pub ops_used: u64,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RuleError>,
}

/// One event of the batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    /// The hook and its subject.
    pub event: RuleEvent,
    /// Each rule file that defines the hook.
    pub rules: Vec<RuleReport>,
    /// What would become of it.
    pub outcome: Outcome,
    /// Why it would be filtered or fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One request the plan would send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestSummary {
    /// `PUT` or `POST`.
    pub method: &'static str,
    /// The API path.
    pub path: String,
    /// Orders or customers (or history records) it carries.
    pub items: usize,
}

/// A dry run's result.
#[derive(Debug, Clone, Serialize)]
pub struct DryRun {
    /// Per event, in the batch's order.
    pub events: Vec<EventReport>,
    /// Every action asked for, in order.
    pub actions: Vec<Action>,
    /// Every log line, prefixed with its rule's name when there are several rules.
    pub logs: Vec<String>,
    /// Operations used by all runs.
    pub ops_used: u64,
    /// Records the batch names that the data does not hold (no hook ran for them).
    pub skipped: Vec<String>,
    /// The requests that would be sent.
    pub requests: Vec<RequestSummary>,
    /// The plan itself.
    #[serde(skip)]
    pub plan: Plan,
}

/// An event's outcome from what happened to its actions: a rule error or a failed action
/// fails it; no actions, or only ones already in effect, filter it.
#[must_use]
pub fn outcome_of(
    errors: &[String],
    actions: &[usize],
    satisfied: &HashMap<usize, String>,
    failed: &HashMap<usize, String>,
) -> (Outcome, Option<String>) {
    if !errors.is_empty() {
        return (Outcome::Failed, Some(errors.join("; ")));
    }
    if actions.is_empty() {
        return (Outcome::Filtered, Some("no rule asked for anything".to_owned()));
    }
    let failures: Vec<&str> =
        actions.iter().filter_map(|i| failed.get(i).map(String::as_str)).collect();
    if !failures.is_empty() {
        return (Outcome::Failed, Some(failures.join("; ")));
    }
    if actions.iter().all(|i| satisfied.contains_key(i)) {
        let why: Vec<&str> =
            actions.iter().filter_map(|i| satisfied.get(i).map(String::as_str)).collect();
        return (Outcome::Filtered, Some(format!("already so: {}", why.join("; "))));
    }
    (Outcome::Applied, None)
}

/// What a hook needs for one event, from the data.
pub fn input_for(
    event: &RuleEvent,
    orders: &HashMap<String, Arc<Order>>,
    customers: &HashMap<u64, Arc<Customer>>,
) -> Option<HookInput> {
    use shopflow_core::automation::Hook;
    match (&event.subject, event.hook) {
        (Subject::Order(n), Hook::OrderDeleted) => Some(HookInput::OrderRef(n.clone())),
        (Subject::Customer(id), Hook::CustomerDeleted) => Some(HookInput::CustomerRef(*id)),
        (Subject::Order(n), _) => orders.get(n).map(|o| HookInput::Order(Arc::clone(o))),
        (Subject::Customer(id), _) => customers.get(id).map(|c| HookInput::Customer(Arc::clone(c))),
    }
}

/// Runs `rules` (named rule files, in order) over `batch` with `data`, and plans the writes.
#[must_use]
pub fn dry_run(
    rules: &[(String, RuleSet)],
    batch: &WebhookBatch,
    data: &ShopData,
    today: ApiDate,
) -> DryRun {
    let orders = data.orders_by_number();
    let customers = data.customers_by_id();
    let several = rules.len() > 1;
    let mut events = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    let mut logs = Vec::new();
    let mut ops_used = 0u64;
    let mut skipped = Vec::new();
    let mut errors_by_event: Vec<Vec<String>> = Vec::new();

    for trigger in triggers(batch) {
        let found = match &trigger.subject {
            Subject::Order(n) => orders.get(n).map(|o| o.as_ref()),
            Subject::Customer(_) => None,
        };
        let before = match &trigger.subject {
            Subject::Order(n) => data.previous.get(n),
            Subject::Customer(_) => None,
        };
        let evs = events_for(&trigger, found, before, None);
        // A hook no rule defines is not an event anyone asked about.
        for event in evs.into_iter().filter(|e| rules.iter().any(|(_, r)| r.handles(e.hook))) {
            let Some(input) = input_for(&event, &orders, &customers) else {
                let what = match &event.subject {
                    Subject::Order(n) => format!("order {n}"),
                    Subject::Customer(id) => format!("customer {id}"),
                };
                skipped.push(format!(
                    "{what}: not in the data, so {} did not run",
                    event.hook.function_name()
                ));
                continue;
            };
            let mut reports = Vec::new();
            let mut errors = Vec::new();
            for (name, rule) in rules.iter().filter(|(_, r)| r.handles(event.hook)) {
                let run = rule.run(&event, input.clone());
                let first = actions.len();
                actions.extend(run.actions);
                ops_used = ops_used.saturating_add(run.ops_used);
                logs.extend(
                    run.logs
                        .iter()
                        .map(|l| if several { format!("[{name}] {l}") } else { l.clone() }),
                );
                if let Some(e) = &run.error {
                    errors.push(format!("{name}: {e}"));
                }
                reports.push(RuleReport {
                    rule: name.clone(),
                    actions: (first..actions.len()).collect(),
                    logs: run.logs,
                    ops_used: run.ops_used,
                    error: run.error,
                });
            }
            errors_by_event.push(errors);
            events.push(EventReport {
                event,
                rules: reports,
                outcome: Outcome::Filtered,
                reason: None,
            });
        }
        // An order the data does not hold has nothing for its hooks to read.
        if let Subject::Order(n) = &trigger.subject
            && found.is_none()
            && trigger.kind != TriggerKind::Deleted
        {
            skipped.push(format!("order {n}: not in the data, so no hook ran"));
        }
    }

    let never = |_: &str, _: &str, _: &str| false;
    let planned = plan(
        &actions,
        &Current {
            orders: &orders,
            orders_complete: !data.orders.is_empty(),
            customers: &customers,
            statuses: data.order_statuses.as_deref(),
            today,
            noted: &never,
        },
    );
    let satisfied: HashMap<usize, String> = planned.satisfied.iter().cloned().collect();
    let refused: HashMap<usize, String> = planned.refused.iter().cloned().collect();
    for (report, errors) in events.iter_mut().zip(&errors_by_event) {
        let indexes: Vec<usize> =
            report.rules.iter().flat_map(|r| r.actions.iter().copied()).collect();
        let (outcome, reason) = outcome_of(errors, &indexes, &satisfied, &refused);
        report.outcome = outcome;
        report.reason = reason;
    }
    DryRun {
        events,
        actions,
        logs,
        ops_used,
        skipped,
        requests: summarize(&planned),
        plan: planned,
    }
}

/// The plan's requests in words.
#[must_use]
pub fn summarize(p: &Plan) -> Vec<RequestSummary> {
    let mut out = Vec::new();
    for w in &p.order_updates {
        out.push(RequestSummary {
            method: "PUT",
            path: "/orders".to_owned(),
            items: w.items.len(),
        });
    }
    for h in &p.histories {
        out.push(RequestSummary {
            method: "POST",
            path: format!("/orders/{}/history", h.order_number),
            items: h.request.data.len(),
        });
    }
    for w in &p.customer_updates {
        out.push(RequestSummary {
            method: "PUT",
            path: "/customers".to_owned(),
            items: w.items.len(),
        });
    }
    out
}
