//! A webhook batch through the rules without touching the shop: which hooks run, what each
//! asks for, and the requests that would be sent. The rules part is the service's own
//! evaluation path (`evaluate`); only the sending is left out.
//!
//! The batch and the data are in Upgates' shapes (what the examples and the playground
//! hold); the plan is the chosen platform's, on the same records in the neutral model, so a
//! rule meant for Retailys shows the Retailys requests and refusals it would meet.

use std::collections::HashMap;

use serde::Serialize;
use shopflow_core::automation::merge::Current;
use shopflow_core::automation::platform::Capabilities;
use shopflow_core::automation::seam::Platform;
use shopflow_core::automation::{Action, Outcome, RuleEvent};
use shopflow_core::date::ApiDate;
use shopflow_core::retailys::{self, Retailys};
use shopflow_core::upgates::Upgates;
use shopflow_core::upgates::plan::Plan;
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
    /// `PUT`, `POST` or `PATCH`.
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
}

/// What a platform's plan comes to, in words: its requests, and what became of the actions
/// that need none.
struct Planned {
    requests: Vec<RequestSummary>,
    satisfied: HashMap<usize, String>,
    refused: HashMap<usize, String>,
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

/// Runs `rules` (named rule files, in order) over `batch` with `data`, and plans the writes
/// for `platform`: the service's evaluation path ([`evaluate`]) with nothing sent.
#[must_use]
pub fn dry_run(
    rules: &[(String, RuleSet)],
    batch: &WebhookBatch,
    data: &ShopData,
    today: ApiDate,
    platform: &Capabilities,
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

    let noted = |order: &str, name: &str, value: &str| data.noted(order, name, value);
    let current = Current {
        orders: &shop.orders,
        orders_complete: !data.orders.is_empty(),
        customers: &shop.customers,
        statuses: shop.statuses.as_deref(),
        carriers: &shop.carriers,
        today,
        noted: &noted,
    };
    let planned = plan(&evaluation.actions, &current, platform);
    evaluation.decide(&planned.satisfied, &planned.refused);
    DryRun {
        events: evaluation.events,
        actions: evaluation.actions,
        logs: evaluation.logs,
        ops_used: evaluation.ops_used,
        skipped: evaluation.skipped,
        requests: planned.requests,
    }
}

/// The actions planned by `platform`'s planner.
fn plan(actions: &[Action], current: &Current<'_>, platform: &Capabilities) -> Planned {
    let reasons = |list: Vec<(usize, String)>| list.into_iter().collect();
    if platform.platform == retailys::CAPABILITIES.platform {
        let p = Retailys::plan_actions(actions, current);
        let mut refused = reasons(p.refused);
        let requests = retailys_requests(&p.calls, &mut refused);
        return Planned { requests, satisfied: reasons(p.satisfied), refused };
    }
    let p = Upgates::plan_actions(actions, current);
    let requests = summarize(&p);
    Planned { requests, satisfied: reasons(p.satisfied), refused: reasons(p.refused) }
}

/// Retailys calls in words, each as its request builder writes it; a call the builder refuses
/// would fail when sent, and so do its actions here.
fn retailys_requests(
    calls: &[retailys::plan::PlannedCall],
    refused: &mut HashMap<usize, String>,
) -> Vec<RequestSummary> {
    // The token only goes into a header, which a summary does not show.
    let api = retailys::api::RetailysApi::new(
        retailys::BaseUrl::production(),
        retailys::Token::new("dry-run"),
    );
    let mut out = Vec::new();
    for c in calls {
        match c.call.spec(&api, c.order_id) {
            Ok(spec) => {
                out.push(RequestSummary { method: spec.method.as_str(), path: spec.path, items: 1 })
            }
            Err(e) => refused.extend(c.actions.iter().map(|&i| (i, e.to_string()))),
        }
    }
    out
}

/// An Upgates plan's requests in words.
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::limits::Limits;

    fn rules(source: &str, platform: &Capabilities) -> Vec<(String, RuleSet)> {
        let rule = RuleSet::compile_for(source, Limits::default(), Arc::new(|| 0.0), platform);
        vec![("rule".to_owned(), rule.unwrap())]
    }

    fn run(source: &str, platform: &Capabilities, data: serde_json::Value) -> DryRun {
        let batch = shopflow_core::upgates::webhook::parse_webhook(
            br#"{"orders": [{"order_number": "2026000101"}]}"#,
            Some(&"Orders.create".parse().unwrap()),
        )
        .unwrap();
        let data = ShopData::from_json(data.to_string().as_bytes()).unwrap();
        dry_run(&rules(source, platform), &batch, &data, "2026-05-01".parse().unwrap(), platform)
    }

    const SHIP: &str = r#"fn on_order_created(order) {
        set_tracking(order, "Z1", "zásilkovna");
        mark_sent(order);
        add_history(order, "shopflow", "odesláno");
    }"#;

    #[test]
    fn the_plan_is_the_chosen_platforms() {
        let data = json!({
            "orders": [{"order_number": "2026000101", "status_id": 1}],
            "order_statuses": [{"id": 3, "type": "Sent", "descriptions": [{"language_id": "cs", "name": "Odeslaná"}]}],
            "shippers": [{"id": 3, "name": "Zásilkovna"}]
        });
        let r = run(SHIP, &retailys::CAPABILITIES, data.clone());
        let paths: Vec<(&str, &str)> =
            r.requests.iter().map(|q| (q.method, q.path.as_str())).collect();
        assert_eq!(
            paths,
            [
                ("POST", "/System/Orders/2026000101/tracking"),
                ("PATCH", "/System/Orders/2026000101/sent"),
                ("POST", "/System/Orders/2026000101/history"),
            ]
        );
        assert_eq!(r.events[0].outcome, Outcome::Applied);

        let r = run(SHIP, &shopflow_core::upgates::CAPABILITIES, data);
        let paths: Vec<&str> = r.requests.iter().map(|q| q.path.as_str()).collect();
        assert_eq!(paths, ["/orders", "/orders/2026000101/history"]);
    }

    #[test]
    fn what_retailys_refuses_fails_the_event_and_history_in_the_data_is_not_added_again() {
        let data = json!({
            "orders": [{"order_number": "2026000101"}],
            "history": {"2026000101": [{"name": "shopflow", "value": "odesláno"}]}
        });
        let r = run(SHIP, &retailys::CAPABILITIES, data);
        assert_eq!(r.events[0].outcome, Outcome::Failed);
        let why = r.events[0].reason.as_deref().unwrap_or_default();
        assert!(
            why.contains("the shop's carriers (GET /System/Lists/Shippers) were not read"),
            "{why}"
        );
        assert!(r.requests.is_empty(), "{:?}", r.requests);

        let note = r#"fn on_order_created(order) { add_history(order, "shopflow", "odesláno"); }"#;
        let data = json!({
            "orders": [{"order_number": "2026000101"}],
            "history": {"2026000101": [{"name": "shopflow", "value": "odesláno"}]}
        });
        let r = run(note, &retailys::CAPABILITIES, data);
        assert_eq!(r.events[0].outcome, Outcome::Filtered);
        assert!(r.requests.is_empty());
    }
}
