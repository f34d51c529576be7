//! Rules' actions as requests for the package's `Client` to send (`applyActions`).
//!
//! The core's planner decides the requests (merged per order, 100 orders per `PUT`, split by
//! what each action asked about notifying, one history request per order, effects that are
//! there already dropped); this export only reads the actions and what the caller knows of
//! the shop, and writes the plan with each request's body in the shape the `Client`'s
//! methods take and each item's actions by index, so outcomes can be reported per action.

use serde::Serialize;
use shopflow_core::automation::seam::Platform;
use shopflow_core::automation::{Action, ActionTarget};
use shopflow_core::json;
use shopflow_core::upgates::Upgates;
use shopflow_core::upgates::customer::CustomersWriteRequest;
use shopflow_core::upgates::order::OrderUpdateRequest;
use shopflow_core::upgates::order::object::NameValue;
use shopflow_core::upgates::plan::{Current, PlannedItem};
use shopflow_rules::{NeutralData, ShopData};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::answer::{ErrorInfo, answer};
use crate::host::parse_today;

/// The plan as JavaScript sends it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanView {
    /// `PUT /orders`: the request body and, per order in it, its actions.
    order_updates: Vec<WriteView<OrderUpdateRequest>>,
    /// `POST /orders/{n}/history`: one record per order.
    histories: Vec<HistoryView>,
    /// `PUT /customers`.
    customer_updates: Vec<WriteView<CustomersWriteRequest>>,
    /// Actions whose effect is there already.
    satisfied: Vec<Reasoned>,
    /// Actions that cannot be made.
    refused: Vec<Reasoned>,
}

#[derive(Serialize)]
struct WriteView<R> {
    request: R,
    items: Vec<ItemView>,
}

#[derive(Serialize)]
struct ItemView {
    /// Order number or customer e-mail, as the write's per-item results name it.
    key: String,
    /// Indexes into the actions passed in.
    actions: Vec<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryView {
    order_number: String,
    /// The record's name/value pairs.
    data: Vec<NameValue>,
    actions: Vec<usize>,
}

#[derive(Serialize)]
struct Reasoned {
    action: usize,
    reason: String,
}

fn items(planned: Vec<PlannedItem>) -> Vec<ItemView> {
    planned.into_iter().map(|i| ItemView { key: i.key, actions: i.actions }).collect()
}

fn reasoned(list: Vec<(usize, String)>) -> Vec<Reasoned> {
    list.into_iter().map(|(action, reason)| Reasoned { action, reason }).collect()
}

/// Why an action on a record `data` lacks is refused, in the package's words. The planner
/// says "not found in the shop", which is true in the rules service (it reads every record
/// from the shop); here it only knows the records the caller passed in.
fn absent_from_data(action: &Action, shop: &NeutralData, orders_complete: bool) -> Option<String> {
    // An invalid action is refused for that first, whatever its record.
    action.check().ok()?;
    match action.target() {
        ActionTarget::Order(n) if orders_complete && !shop.orders.contains_key(&n) => {
            Some(format!("order {n} is not in data.orders (the records passed in)"))
        }
        ActionTarget::Customer(id) if !shop.customers.contains_key(&id) => {
            Some(format!("customer {id} is not in data.customers (the records passed in)"))
        }
        _ => None,
    }
}

/// Plans `actions` (JSON array of actions as `engine.run` returns them) against `data`
/// (`ShopData`'s JSON: the orders and customers as fetched, the shop's `order_statuses`, the
/// records already in orders' `history`).
/// Orders in `data` let actions already in effect be dropped (and actions on orders it lacks
/// be refused); without orders nothing is filtered. Customer actions need the customer in
/// `data` (its e-mail is the key of `PUT /customers`). `today` is what `mark_paid` without a
/// date means.
#[wasm_bindgen(js_name = planActions)]
#[must_use]
pub fn plan_actions(actions: &[u8], data: &[u8], today: &str) -> String {
    answer(plan_view(actions, data, today))
}

fn plan_view(actions: &[u8], data: &[u8], today: &str) -> Result<PlanView, ErrorInfo> {
    let actions: Vec<Action> =
        json::from_slice(actions).map_err(|e| ErrorInfo::json("the actions:", &e))?;
    let data = ShopData::from_json(data).map_err(|e| ErrorInfo::json("the data:", &e))?;
    let today = parse_today(today)?;
    let orders_complete = !data.orders.is_empty();
    let shop = data.neutral();
    // The package does not read orders' histories (a request per order): only records the
    // caller put in `data.history` count as added before.
    let noted = |order: &str, name: &str, value: &str| data.noted(order, name, value);
    let p = Upgates::plan_actions(
        &actions,
        &Current {
            orders: &shop.orders,
            orders_complete,
            customers: &shop.customers,
            statuses: shop.statuses.as_deref(),
            carriers: &shop.carriers,
            today,
            noted: &noted,
        },
    );
    Ok(PlanView {
        order_updates: p
            .order_updates
            .into_iter()
            .map(|w| WriteView { request: w.request, items: items(w.items) })
            .collect(),
        histories: p
            .histories
            .into_iter()
            .map(|h| HistoryView {
                order_number: h.order_number,
                data: h.request.data,
                actions: h.actions,
            })
            .collect(),
        customer_updates: p
            .customer_updates
            .into_iter()
            .map(|w| WriteView { request: w.request, items: items(w.items) })
            .collect(),
        satisfied: reasoned(p.satisfied),
        refused: reasoned(
            p.refused
                .into_iter()
                .map(|(i, why)| {
                    let absent =
                        actions.get(i).and_then(|a| absent_from_data(a, &shop, orders_complete));
                    (i, absent.unwrap_or(why))
                })
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn planned(actions: &Value, data: &Value) -> Value {
        let text =
            plan_actions(actions.to_string().as_bytes(), data.to_string().as_bytes(), "2026-05-01");
        serde_json::from_str::<Value>(&text).unwrap()
    }

    #[test]
    fn actions_become_merged_requests_with_explicit_notify_flags() {
        let actions = json!([
            {"action": "set_status", "order": "1", "status": 4},
            {"action": "set_tracking", "order": "1", "code": "DR1", "notify": {"emails": true, "sms": false}},
            {"action": "set_status", "order": "2", "status": 4},
            {"action": "add_history", "order": "2", "name": "shopflow", "value": "held"},
            {"action": "add_history", "order": "2", "name": "shopflow", "value": "checked"},
            {"action": "mark_paid", "order": "3"},
        ]);
        let data = json!({"orders": [
            {"order_number": "1", "status_id": 1}, {"order_number": "2", "status_id": 1},
            {"order_number": "3", "paid_date": "2026-04-01"}
        ]});
        let p = &planned(&actions, &data)["ok"];
        let puts = p["orderUpdates"].as_array().unwrap();
        assert_eq!(puts.len(), 2, "silent and e-mailing orders go separately: {p}");
        assert_eq!(puts[0]["request"]["send_emails_yn"], false);
        assert_eq!(puts[0]["request"]["send_sms_yn"], false);
        assert_eq!(puts[0]["items"], json!([{"key": "2", "actions": [2]}]));
        assert_eq!(puts[1]["request"]["send_emails_yn"], true);
        assert_eq!(puts[1]["items"], json!([{"key": "1", "actions": [0, 1]}]));
        assert_eq!(puts[1]["request"]["orders"][0]["tracking_code"], "DR1");
        assert_eq!(p["histories"][0]["orderNumber"], "2");
        assert_eq!(p["histories"][0]["data"].as_array().unwrap().len(), 2);
        assert_eq!(p["satisfied"][0]["action"], 5, "order 3 is paid already");
    }

    /// The planner only knows the records passed in: an action on one they lack is refused
    /// as missing from them, not as missing from the shop.
    #[test]
    fn records_missing_from_the_data_are_named_as_such() {
        let actions = json!([
            {"action": "set_status", "order": "9", "status": 4},
            {"action": "set_customer_note", "customer": 7, "text": "x"},
            {"action": "set_status", "order": "1", "status": 4},
        ]);
        let p =
            &planned(&actions, &json!({"orders": [{"order_number": "1", "status_id": 1}]}))["ok"];
        assert_eq!(
            p["refused"][0]["reason"],
            "order 9 is not in data.orders (the records passed in)"
        );
        assert_eq!(
            p["refused"][1]["reason"],
            "customer 7 is not in data.customers (the records passed in)"
        );
        assert_eq!(p["refused"].as_array().unwrap().len(), 2, "{p}");
    }

    #[test]
    fn bad_actions_are_located() {
        let out =
            planned(&json!([{"action": "set_status", "order": "1", "status": true}]), &json!({}));
        assert_eq!(out["err"]["code"], "VALIDATION");
        // An action is a tagged enum, which serde reads whole: the place is the line and
        // column, not a path into it.
        assert_eq!(
            (out["err"]["line"].as_u64(), out["err"]["column"].as_u64()),
            (Some(1), Some(51))
        );
        let message = out["err"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("the actions: at . (line 1, column 51)")
                && message.contains("StatusRef"),
            "{out}"
        );
    }
}
