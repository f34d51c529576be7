//! Rules' merged changes as Retailys requests (spec §5). Retailys takes one change per
//! request and one order per request, so each part of an order's change is its own call:
//! `set_status` → `PATCH …/status`, `mark_paid` → `PATCH …/paid` with the order's total,
//! `set_tracking` → `POST …/tracking` with the carrier the rule named (its id from the shop's
//! carriers, `GET /System/Lists/Shippers`) or else the order's, `mark_sent`,
//! `mark_delivered`, `mark_resolved` and `cancel` → `PATCH …/sent|delivered|done|cancel` (in
//! that order: a parcel number before the sent mark, a cancel last), `add_history` →
//! `POST …/history` (`type: apps`, the name and value as the record's name and status). What
//! Retailys cannot do is refused with what to use instead.
//!
//! Retailys has no documented control over e-mails to the customer (spec §5): its requests
//! carry no notify flag, so what an action asked about notifying cannot be passed on; whether
//! Retailys e-mails on these changes is one of the spec's open questions.

use crate::automation::merge::{Merged, OrderChange, OrderNotes, TrackingCarrier};
use crate::automation::model::StateFlag;
use crate::http::{BuildError, RequestSpec};
use crate::retailys::api::{OrderFlag, RetailysApi};
use crate::retailys::requests::{
    HistoryPostRequest, OrderPaidPatchRequest, OrderStatusPatchRequest, PaymentResult,
    TrackingPostRequest,
};

/// One Retailys call for one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetailysCall {
    /// `PATCH …/status`.
    Status(OrderStatusPatchRequest),
    /// `PATCH …/paid`.
    Paid(OrderPaidPatchRequest),
    /// `PATCH …/done|cancel|sent|delivered`.
    Flag(OrderFlag),
    /// `POST …/tracking`.
    Tracking(TrackingPostRequest),
    /// `POST …/history`.
    History(HistoryPostRequest),
}

impl RetailysCall {
    /// The request, checked.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] when the body or the order id is not valid.
    pub fn spec(&self, api: &RetailysApi, order_id: i64) -> Result<RequestSpec, BuildError> {
        match self {
            RetailysCall::Status(b) => api.set_status(order_id, b),
            RetailysCall::Paid(b) => api.set_paid(order_id, b),
            RetailysCall::Flag(flag) => api.set_flag(order_id, *flag),
            RetailysCall::Tracking(b) => api.add_tracking(order_id, b),
            RetailysCall::History(b) => api.add_history(order_id, b),
        }
    }
}

/// A planned call and the actions it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCall {
    /// The order's id.
    pub order_id: i64,
    /// The call.
    pub call: RetailysCall,
    /// Indexes of the actions it makes.
    pub actions: Vec<usize>,
}

/// The requests for a batch of merged changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The calls, order by order.
    pub calls: Vec<PlannedCall>,
    /// Actions whose effect is there already, with why.
    pub satisfied: Vec<(usize, String)>,
    /// Actions that cannot be made, with why.
    pub refused: Vec<(usize, String)>,
}

impl Plan {
    /// How many requests it sends.
    #[must_use]
    pub fn request_count(&self) -> usize {
        self.calls.len()
    }
}

/// The Retailys requests for merged changes.
#[must_use]
pub fn plan_merged(merged: Merged) -> Plan {
    let mut out = Plan { satisfied: merged.satisfied, refused: merged.refused, ..Plan::default() };
    for change in merged.orders {
        order_calls(change, &mut out);
    }
    for notes in merged.notes {
        history_calls(notes, &mut out);
    }
    for c in merged.customers {
        let why = "Retailys customers cannot be written by an app".to_owned();
        out.refused.extend(c.actions.into_iter().map(|i| (i, why.clone())));
    }
    out.refused.sort_by_key(|r| r.0);
    out
}

fn order_id(number: &str) -> Option<i64> {
    number.parse::<i64>().ok().filter(|id| *id > 0)
}

/// The calls for one order's change. Which part carries which action is not known after the
/// merge, so every call carries all of the change's actions, and a refusal refuses them all.
fn order_calls(c: OrderChange, out: &mut Plan) {
    let Some(id) = order_id(&c.number) else {
        let why = format!("{:?} is not a Retailys order id", c.number);
        out.refused.extend(c.actions.iter().map(|&i| (i, why.clone())));
        return;
    };
    if let Some(why) = unsupported(&c) {
        out.refused.extend(c.actions.iter().map(|&i| (i, why.to_owned())));
        return;
    }
    match calls(&c) {
        Ok(calls) => out.calls.extend(calls.into_iter().map(|call| PlannedCall {
            order_id: id,
            call,
            actions: c.actions.clone(),
        })),
        Err(why) => out.refused.extend(c.actions.iter().map(|&i| (i, why.clone()))),
    }
}

/// The calls of one order's change, in the order they are sent; why not, when one part
/// cannot be made (then none is).
fn calls(c: &OrderChange) -> Result<Vec<RetailysCall>, String> {
    let mut calls = Vec::new();
    if let Some((status_id, name)) = &c.status {
        let Some(s) = status_id.and_then(|s| i64::try_from(s).ok()) else {
            return Err(format!("the status {name:?} must be one of the shop's statuses (by id)"));
        };
        calls.push(RetailysCall::Status(OrderStatusPatchRequest::new(s)));
    }
    if c.paid.is_some() {
        let Some(total) = c.total else {
            return Err("the order's total is not known, and Retailys records a payment as an \
                        amount"
                .to_owned());
        };
        let paid = OrderPaidPatchRequest {
            paid: Some(total),
            status: Some(PaymentResult::Success),
            ..OrderPaidPatchRequest::default()
        };
        calls.push(RetailysCall::Paid(paid));
    }
    if let Some(code) = &c.tracking_code {
        let shipper = shipper_id(&c.carrier)?;
        calls.push(RetailysCall::Tracking(TrackingPostRequest::new(shipper, code.clone())));
    }
    let flag = |f: StateFlag| c.flags.iter().any(|x| x.flag == f);
    let flags = [
        (flag(StateFlag::Sent), OrderFlag::Sent),
        (flag(StateFlag::Delivered), OrderFlag::Delivered),
        (c.resolve, OrderFlag::Done),
        (flag(StateFlag::Canceled), OrderFlag::Cancel),
    ];
    calls.extend(
        flags.into_iter().filter(|(wanted, _)| *wanted).map(|(_, f)| RetailysCall::Flag(f)),
    );
    Ok(calls)
}

/// The shipper id of a tracking number's carrier, or why it is not known.
fn shipper_id(carrier: &TrackingCarrier) -> Result<i64, String> {
    match carrier {
        TrackingCarrier::Named(id) => Ok(*id),
        TrackingCarrier::OfOrder(of_order) => {
            of_order.as_deref().and_then(|s| s.parse::<i64>().ok()).ok_or_else(|| {
                "Retailys needs the carrier of a tracking number, and the order's shipping names \
                 none; name one: set_tracking(order, code, carrier)"
                    .to_owned()
            })
        }
        TrackingCarrier::Unknown { name, known } if known.is_empty() => Err(format!(
            "Retailys needs the id of the carrier {name:?}, and the shop's carriers \
             (GET /System/Lists/Shippers) were not read"
        )),
        TrackingCarrier::Unknown { name, known } => {
            Err(format!("the shop has no carrier named {name:?} (it has: {})", known.join(", ")))
        }
    }
}

/// Why a change cannot be made on Retailys at all (what rules check catches before, for
/// files checked with `--platform retailys`).
fn unsupported(c: &OrderChange) -> Option<&'static str> {
    if c.internal_note.is_some() {
        return Some("Retailys has no internal note an app can write; use add_history instead");
    }
    if !c.fields.is_empty() {
        return Some("Retailys orders have no custom fields; use add_history to record a value");
    }
    if c.invoice {
        return Some("Retailys invoices orders itself; there is no request for it");
    }
    None
}

/// One history call per record (Retailys takes one record a request).
fn history_calls(n: OrderNotes, out: &mut Plan) {
    let Some(id) = order_id(&n.number) else {
        let why = format!("{:?} is not a Retailys order id", n.number);
        out.refused.extend(n.actions.iter().map(|&i| (i, why.clone())));
        return;
    };
    for ((name, value), action) in n.records.into_iter().zip(n.actions) {
        let call = RetailysCall::History(HistoryPostRequest::note(name, Some(value)));
        out.calls.push(PlannedCall { order_id: id, call, actions: vec![action] });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::*;
    use crate::automation::merge::{Current, merge};
    use crate::automation::model::{Order, Shipment, Status};
    use crate::automation::{Action, StatusRef};
    use crate::notify::Notify;

    fn plan(actions: &[Action]) -> Plan {
        let order = Order {
            number: "10452".into(),
            total: Some(1250_i64.into()),
            shipment: Some(Shipment { carrier: Some("3".into()), ..Shipment::default() }),
            ..Order::default()
        };
        let orders = HashMap::from([("10452".to_owned(), Arc::new(order))]);
        let none = HashMap::new();
        let statuses =
            [Status { id: Some(5), names: vec!["Vyřizuje se".into()], ..Status::default() }];
        let carriers = [(1, "Česká pošta".to_owned()), (3, "Zásilkovna".to_owned())];
        let never = |_: &str, _: &str, _: &str| false;
        plan_merged(merge(
            actions,
            &Current {
                orders: &orders,
                orders_complete: true,
                customers: &none,
                statuses: Some(&statuses),
                carriers: &carriers,
                today: "2026-11-23".parse().unwrap(),
                noted: &never,
            },
        ))
    }

    #[test]
    fn each_change_is_its_own_call() {
        let o = || "10452".to_owned();
        let p = plan(&[
            Action::SetStatus {
                order: o(),
                status: StatusRef::Name("Vyřizuje se".into()),
                notify: Notify::NONE,
            },
            Action::MarkPaid { order: o(), date: None, notify: Notify::NONE },
            Action::SetTracking {
                order: o(),
                code: "Z123".into(),
                carrier: None,
                notify: Notify::NONE,
            },
            Action::AddHistory { order: o(), name: "shopflow".into(), value: "checked".into() },
        ]);
        assert!(p.refused.is_empty(), "{:?}", p.refused);
        let calls: Vec<&RetailysCall> = p.calls.iter().map(|c| &c.call).collect();
        assert_eq!(calls[0], &RetailysCall::Status(OrderStatusPatchRequest::new(5)));
        let RetailysCall::Paid(paid) = calls[1] else { panic!() };
        assert_eq!(paid.paid.map(|d| d.to_string()).as_deref(), Some("1250"), "the order's total");
        assert_eq!(calls[2], &RetailysCall::Tracking(TrackingPostRequest::new(3, "Z123")));
        assert!(matches!(calls[3], RetailysCall::History(_)));
        let api = RetailysApi::new(
            crate::retailys::BaseUrl::production(),
            crate::retailys::Token::new("t"),
        );
        let spec = p.calls[1].call.spec(&api, p.calls[1].order_id).unwrap();
        assert_eq!(spec.path, "/System/Orders/10452/paid");
    }

    #[test]
    fn what_retailys_cannot_do_is_refused_with_what_instead() {
        let p = plan(&[Action::SetInternalNote { order: "10452".into(), text: "x".into() }]);
        assert!(p.calls.is_empty());
        assert!(p.refused[0].1.contains("add_history"), "{:?}", p.refused);
    }

    #[test]
    fn flags_are_patches_after_the_parcel_number_and_a_cancel_comes_last() {
        let o = || "10452".to_owned();
        let p = plan(&[
            Action::Cancel { order: o(), notify: Notify::CUSTOMER },
            Action::MarkResolved { order: o() },
            Action::MarkSent { order: o(), notify: Notify::NONE },
            Action::SetTracking {
                order: o(),
                code: "RR1".into(),
                carrier: Some("česká POŠTA".into()),
                notify: Notify::NONE,
            },
            Action::MarkDelivered { order: o() },
        ]);
        assert!(p.refused.is_empty(), "{:?}", p.refused);
        let calls: Vec<&RetailysCall> = p.calls.iter().map(|c| &c.call).collect();
        assert_eq!(
            calls,
            [
                &RetailysCall::Tracking(TrackingPostRequest::new(1, "RR1")),
                &RetailysCall::Flag(OrderFlag::Sent),
                &RetailysCall::Flag(OrderFlag::Delivered),
                &RetailysCall::Flag(OrderFlag::Done),
                &RetailysCall::Flag(OrderFlag::Cancel),
            ]
        );
        let api = RetailysApi::new(
            crate::retailys::BaseUrl::production(),
            crate::retailys::Token::new("t"),
        );
        let spec = p.calls[4].call.spec(&api, p.calls[4].order_id).unwrap();
        assert_eq!(
            (spec.method.as_str(), spec.path.as_str()),
            ("PATCH", "/System/Orders/10452/cancel")
        );
    }

    #[test]
    fn an_unknown_carrier_is_refused_by_name() {
        let p = plan(&[Action::SetTracking {
            order: "10452".into(),
            code: "X1".into(),
            carrier: Some("DHL".into()),
            notify: Notify::NONE,
        }]);
        assert!(p.calls.is_empty());
        assert_eq!(
            p.refused,
            [(0, "the shop has no carrier named \"DHL\" (it has: Česká pošta, Zásilkovna)".into())]
        );
    }
}
