//! A webhook batch through the rules without touching the shop: which hooks run, what each
//! asks for, and the requests that would be sent. The rules part is the service's own
//! evaluation path (`evaluate`); only the sending is left out.

use std::collections::HashMap;

use serde::Serialize;
use shopflow_core::automation::seam::Platform;
use shopflow_core::automation::{Action, Outcome, RuleEvent};
use shopflow_core::date::ApiDate;
use shopflow_core::upgates::Upgates;
use shopflow_core::upgates::plan::{Current, Plan};
use shopflow_core::upgates::webhook::WebhookBatch;

use crate::error::RuleError;
use crate::evaluate::{Known, evaluate};
use crate::ruleset::RuleSet;
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

/// Runs `rules` (named rule files, in order) over `batch` with `data`, and plans the writes:
/// the service's evaluation path ([`evaluate`]) with nothing sent.
#[must_use]
pub fn dry_run(
    rules: &[(String, RuleSet)],
    batch: &WebhookBatch,
    data: &ShopData,
    today: ApiDate,
) -> DryRun {
    let shop = data.neutral();
    let previous = |n: &str| data.previous.get(n).cloned();
    let known = Known {
        orders: &shop.orders,
        customers: &shop.customers,
        previous: &previous,
        watching_since: None,
    };
    let mut evaluation = evaluate(rules, &Upgates::triggers(batch), &known);

    let never = |_: &str, _: &str, _: &str| false;
    let planned = Upgates::plan_actions(
        &evaluation.actions,
        &Current {
            orders: &shop.orders,
            orders_complete: !data.orders.is_empty(),
            customers: &shop.customers,
            statuses: shop.statuses.as_deref(),
            today,
            noted: &never,
        },
    );
    let satisfied: HashMap<usize, String> = planned.satisfied.iter().cloned().collect();
    let refused: HashMap<usize, String> = planned.refused.iter().cloned().collect();
    evaluation.decide(&satisfied, &refused);
    DryRun {
        events: evaluation.events,
        actions: evaluation.actions,
        logs: evaluation.logs,
        ops_used: evaluation.ops_used,
        skipped: evaluation.skipped,
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
