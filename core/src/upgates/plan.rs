//! Rules' actions as the fewest Upgates requests.
//!
//! The API budget is the scarce resource (a small shop has 10 requests an hour). The
//! platform-free merge (`automation::merge`) has merged every action on an order into one
//! change and dropped what is there already; here each order's change becomes one item of
//! `PUT /orders` (100 orders a request), and e-mail flags, which apply to a whole request,
//! split orders into requests by what their actions asked. Upgates has no canceled or sent
//! flag: `cancel` and `mark_sent` set the shop's status of type Canceled or Sent, so they,
//! and `set_status`, are one status field between them. History records cannot
//! be batched across orders: one `POST /orders/{n}/history` per order carries all of its
//! records. Each planned item remembers which actions it carries, so per-item results are
//! reported back per action.

use std::collections::BTreeMap;

use crate::automation::Action;
pub use crate::automation::merge::Current;
use crate::automation::merge::{CustomerChange, FlagChange, Merged, OrderChange, merge};
use crate::automation::model::{StateFlag, same_name};
use crate::batch::MAX_ITEMS_PER_REQUEST;
use crate::notify::Notify;
use crate::upgates::customer::write::LoginWrite;
use crate::upgates::customer::{CustomerAccountWrite, CustomersWriteRequest};
use crate::upgates::meta::MetaWrite;
use crate::upgates::order::object::NameValue;
use crate::upgates::order::{
    DocumentWrite, HistoryAddRequest, OrderUpdate, OrderUpdateRequest, PaidDate,
};

/// Items of one request and the actions each carries.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedWrite<R> {
    /// The request.
    pub request: R,
    /// Per item, in the request's order: its key and the indexes of its actions.
    pub items: Vec<PlannedItem>,
}

/// One item of a planned request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    /// The order number or customer e-mail.
    pub key: String,
    /// Indexes into the planned actions.
    pub actions: Vec<usize>,
}

/// One order's history records, as one request.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHistory {
    /// The order.
    pub order_number: String,
    /// Its records.
    pub request: HistoryAddRequest,
    /// Indexes into the planned actions.
    pub actions: Vec<usize>,
}

/// The requests for a list of actions, and what happens to each action that needs none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// `PUT /orders` requests (at most 100 orders each, one set of e-mail flags each).
    pub order_updates: Vec<PlannedWrite<OrderUpdateRequest>>,
    /// `POST /orders/{n}/history` requests, one per order.
    pub histories: Vec<PlannedHistory>,
    /// `PUT /customers` requests (at most 100 each).
    pub customer_updates: Vec<PlannedWrite<CustomersWriteRequest>>,
    /// Actions whose effect is there already, with why.
    pub satisfied: Vec<(usize, String)>,
    /// Actions that cannot be made, with why.
    pub refused: Vec<(usize, String)>,
}

impl Plan {
    /// How many requests it sends.
    #[must_use]
    pub fn request_count(&self) -> usize {
        self.order_updates.len() + self.histories.len() + self.customer_updates.len()
    }
}

/// Plans `actions` against what is known of the shop: the platform-free merge, then the
/// Upgates requests.
#[must_use]
pub fn plan(actions: &[Action], current: &Current<'_>) -> Plan {
    plan_merged(merge(actions, current))
}

/// The Upgates requests for merged changes.
#[must_use]
pub fn plan_merged(merged: Merged) -> Plan {
    let mut out = Plan { satisfied: merged.satisfied, refused: merged.refused, ..Plan::default() };
    order_updates(merged.orders, &mut out);
    out.histories = merged
        .notes
        .into_iter()
        .map(|n| PlannedHistory {
            order_number: n.number,
            request: HistoryAddRequest {
                data: n.records.into_iter().map(|(k, v)| NameValue::new(k, v)).collect(),
            },
            actions: n.actions,
        })
        .collect();
    customer_updates(merged.customers, &mut out);
    out.refused.sort_by_key(|r| r.0);
    out
}

/// `PUT /orders` requests: one item per order, grouped by their e-mail flags (which apply to
/// a whole request), 100 per request, silent requests first (most rules do not notify).
fn order_updates(changes: Vec<OrderChange>, out: &mut Plan) {
    let mut by_notify: BTreeMap<(bool, bool), Vec<(OrderUpdate, PlannedItem)>> = BTreeMap::new();
    for c in changes {
        let status = match status_of(&c) {
            Ok(status) => status,
            Err(why) => {
                out.refused.extend(c.actions.iter().map(|&i| (i, why.clone())));
                continue;
            }
        };
        let mut u = OrderUpdate::new(c.number.clone());
        match status {
            Some((Some(id), _)) => u.status_id = Some(id),
            Some((None, name)) => u.status = Some(name),
            None => {}
        }
        u.paid_date = c.paid.map(PaidDate::On);
        u.resolved_yn = c.resolve.then_some(true);
        u.tracking_code = c.tracking_code;
        u.internal_note = c.internal_note;
        u.metas = c.fields.into_iter().map(|(k, v)| MetaWrite::new(k, v)).collect();
        u.invoice = c.invoice.then(DocumentWrite::generate);
        by_notify
            .entry((c.notify.emails, c.notify.sms))
            .or_default()
            .push((u, PlannedItem { key: c.number, actions: c.actions }));
    }
    for ((emails, sms), items) in by_notify {
        for chunk in items.chunks(MAX_ITEMS_PER_REQUEST) {
            let (updates, planned): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
            out.order_updates.push(PlannedWrite {
                request: OrderUpdateRequest::new(Notify { emails, sms }, updates),
                items: planned,
            });
        }
    }
}

/// The one status an order's change sets: the one asked for, or the shop's status standing for
/// a flag asked for; why not, when there is none for a flag or the change asks for two.
fn status_of(c: &OrderChange) -> Result<Option<(Option<u64>, String)>, String> {
    let mut wanted: Vec<(&str, (Option<u64>, String))> =
        c.status.iter().map(|s| ("set_status", s.clone())).collect();
    for f in &c.flags {
        let (id, name) = flag_status(f)?;
        wanted.push((f.flag.action(), (Some(id), name)));
    }
    let Some((_, first)) = wanted.first() else { return Ok(None) };
    // Asks agree when they name the same status: by id, or by name where it is not resolved.
    let agrees = |s: &(Option<u64>, String)| match (s.0, first.0) {
        (Some(a), Some(b)) => a == b,
        _ => same_name(&s.1, &first.1),
    };
    if wanted.iter().all(|(_, s)| agrees(s)) {
        return Ok(Some(first.clone()));
    }
    let asks: Vec<&str> = wanted.iter().map(|(a, _)| *a).collect();
    Err(format!(
        "{} each set the order's status on Upgates, to different statuses; ask for one",
        asks.join(" and ")
    ))
}

/// The shop's status standing for a flag, or why Upgates cannot set the flag.
fn flag_status(f: &FlagChange) -> Result<(u64, String), String> {
    let kind = match f.flag {
        StateFlag::Canceled => "Canceled",
        StateFlag::Sent => "Sent",
        StateFlag::Delivered => {
            return Err(crate::upgates::CAPABILITIES.refuses("mark_delivered").unwrap_or_default());
        }
    };
    f.status.clone().ok_or_else(|| {
        format!(
            "the shop has no status of type {kind} (or its statuses are not known), and on \
             Upgates {} sets that status",
            f.flag.action()
        )
    })
}

/// `PUT /customers` requests, keyed by login e-mail, 100 per request.
fn customer_updates(changes: Vec<CustomerChange>, out: &mut Plan) {
    let mut items: Vec<(CustomerAccountWrite, PlannedItem)> = Vec::new();
    for c in changes {
        let Some(email) = c.email else {
            let why = format!("customer {} has no e-mail, which PUT /customers needs", c.id);
            out.refused.extend(c.actions.into_iter().map(|i| (i, why.clone())));
            continue;
        };
        let write = CustomerAccountWrite {
            login: Some(LoginWrite { email: Some(email.clone()), ..LoginWrite::default() }),
            note: c.note,
            metas: c.fields.into_iter().map(|(k, v)| MetaWrite::new(k, v)).collect(),
            ..CustomerAccountWrite::default()
        };
        items.push((write, PlannedItem { key: email, actions: c.actions }));
    }
    for chunk in items.chunks(MAX_ITEMS_PER_REQUEST) {
        let (writes, planned): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
        out.customer_updates
            .push(PlannedWrite { request: CustomersWriteRequest::update(writes), items: planned });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::automation::StatusRef;
    use crate::automation::model::{Customer, Order, Status};
    use crate::upgates::neutral;

    fn order(number: &str, status_id: u64) -> Order {
        let o = serde_json::from_value(json!({
            "order_number": number, "status_id": status_id, "status": format!("S{status_id}"),
            "metas": [{"key": "carrier", "type": "input", "value": "zasilkovna"}]
        }))
        .unwrap();
        neutral::order(&Arc::new(o))
    }

    fn statuses() -> Vec<Status> {
        let list = serde_json::from_value::<crate::upgates::order_status::OrderStatusList>(json!({"order_statuses": [
            {"id": 1, "type": "Received", "descriptions": [{"language_id": "cs", "name": "Přijatá"}]},
            {"id": 2, "type": "Canceled", "descriptions": [{"language_id": "cs", "name": "Storno"}]},
            {"id": 3, "type": "Sent", "descriptions": [{"language_id": "cs", "name": "Odeslaná"}]},
            {"id": 4, "type": "Custom", "descriptions": [{"language_id": "cs", "name": "Vyřizuje se"}]}
        ]}))
        .unwrap();
        neutral::statuses(&list.order_statuses)
    }

    fn set_status(order: &str, status: StatusRef) -> Action {
        Action::SetStatus { order: order.into(), status, notify: Notify::NONE }
    }

    struct Shop {
        orders: HashMap<String, Arc<Order>>,
        customers: HashMap<u64, Arc<Customer>>,
        statuses: Vec<Status>,
    }

    impl Shop {
        fn new(n: usize) -> Shop {
            Shop {
                orders: (0..n)
                    .map(|i| (format!("{i}"), Arc::new(order(&format!("{i}"), 1))))
                    .collect(),
                customers: HashMap::new(),
                statuses: statuses(),
            }
        }

        fn plan(&self, actions: &[Action]) -> Plan {
            let never = |_: &str, _: &str, _: &str| false;
            plan(
                actions,
                &Current {
                    orders: &self.orders,
                    orders_complete: true,
                    customers: &self.customers,
                    statuses: Some(&self.statuses),
                    carriers: &[],
                    today: "2026-05-01".parse().unwrap(),
                    noted: &never,
                },
            )
        }
    }

    #[test]
    fn half_of_250_orders_change_status_in_two_requests() {
        let shop = Shop::new(250);
        let actions: Vec<_> = (0..250)
            .filter(|i| i % 2 == 0)
            .map(|i| set_status(&i.to_string(), StatusRef::Name("vyřizuje SE".into())))
            .collect();
        let p = shop.plan(&actions);
        assert_eq!(p.order_updates.len(), 2, "125 orders: 100 + 25");
        assert_eq!(p.order_updates[0].request.orders.len(), 100);
        assert_eq!(
            p.order_updates[0].request.orders[0].status_id,
            Some(4),
            "the name resolved to its id"
        );
        assert!(
            !p.order_updates[0].request.send_emails_yn && !p.order_updates[0].request.send_sms_yn
        );
        assert_eq!(p.request_count(), 2);
        assert!(p.satisfied.is_empty() && p.refused.is_empty());
    }

    #[test]
    fn an_orders_actions_merge_into_one_item() {
        let shop = Shop::new(2);
        let actions = vec![
            set_status("1", StatusRef::Id(4)),
            Action::SetTracking {
                order: "1".into(),
                code: "DR1".into(),
                carrier: Some("PPL".into()),
                notify: Notify::NONE,
            },
            Action::SetMeta { order: "1".into(), key: "checked".into(), value: "yes".into() },
            Action::MarkPaid { order: "1".into(), date: None, notify: Notify::NONE },
        ];
        let p = shop.plan(&actions);
        assert_eq!(p.order_updates.len(), 1);
        let w = &p.order_updates[0];
        assert_eq!(w.items, vec![PlannedItem { key: "1".into(), actions: vec![0, 1, 2, 3] }]);
        let u = &w.request.orders[0];
        assert_eq!((u.status_id, u.tracking_code.as_deref()), (Some(4), Some("DR1")));
        assert_eq!(u.metas, vec![MetaWrite::new("checked", "yes")]);
        assert_eq!(u.paid_date, Some(PaidDate::On("2026-05-01".parse().unwrap())));
    }

    #[test]
    fn what_is_so_already_costs_nothing() {
        let mut shop = Shop::new(1);
        let o = Arc::make_mut(shop.orders.get_mut("0").unwrap());
        o.paid_date = Some("2026-04-01".parse().unwrap());
        o.invoice_number = Some("FV1".into());
        let actions = vec![
            set_status("0", StatusRef::Name("Přijatá".into())),
            Action::MarkPaid { order: "0".into(), date: None, notify: Notify::NONE },
            Action::GenerateInvoice { order: "0".into(), notify: Notify::CUSTOMER },
            Action::SetMeta {
                order: "0".into(),
                key: "carrier".into(),
                value: "zasilkovna".into(),
            },
        ];
        let p = shop.plan(&actions);
        assert_eq!(p.request_count(), 0);
        assert_eq!(p.satisfied.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert!(p.satisfied[0].1.contains("status \"Přijatá\" already"), "{:?}", p.satisfied);
    }

    #[test]
    fn notifying_orders_go_in_their_own_request() {
        let shop = Shop::new(3);
        let actions = vec![
            set_status("0", StatusRef::Id(4)),
            Action::SetStatus {
                order: "1".into(),
                status: StatusRef::Id(4),
                notify: Notify::EMAIL_ONLY,
            },
            set_status("2", StatusRef::Id(4)),
        ];
        let p = shop.plan(&actions);
        assert_eq!(p.order_updates.len(), 2);
        let silent = &p.order_updates[0];
        assert_eq!((silent.request.send_emails_yn, silent.items.len()), (false, 2));
        let loud = &p.order_updates[1];
        assert_eq!((loud.request.send_emails_yn, loud.request.send_sms_yn), (true, false));
        assert_eq!(loud.items[0].key, "1");
    }

    #[test]
    fn unknown_statuses_and_orders_are_refused_with_reasons() {
        let shop = Shop::new(1);
        let actions = vec![
            set_status("0", StatusRef::Name("Zrušená".into())),
            set_status("0", StatusRef::Id(99)),
            set_status("77", StatusRef::Id(4)),
            Action::AddHistory { order: "0".into(), name: String::new(), value: "v".into() },
        ];
        let p = shop.plan(&actions);
        assert_eq!(p.request_count(), 0);
        let why: Vec<_> = p.refused.iter().map(|r| r.1.as_str()).collect();
        assert!(
            why[0].starts_with(
                "the shop has no status named \"Zrušená\" (it has: Přijatá, Storno, Odeslaná, \
                 Vyřizuje se)"
            ),
            "{why:?}"
        );
        assert_eq!(why[1], "the shop has no status with id 99");
        assert_eq!(why[2], "order 77 was not found in the shop");
        assert_eq!(why[3], "the history record's name must not be empty");
    }

    #[test]
    fn history_is_one_request_per_order_and_never_twice() {
        let shop = Shop::new(2);
        let note = |o: &str, n: &str| Action::AddHistory {
            order: o.into(),
            name: n.into(),
            value: "v".into(),
        };
        let actions = vec![note("0", "a"), note("0", "b"), note("0", "a"), note("1", "old")];
        let noted = |o: &str, n: &str, _: &str| o == "1" && n == "old";
        let p = plan(
            &actions,
            &Current {
                orders: &shop.orders,
                orders_complete: true,
                customers: &shop.customers,
                statuses: None,
                carriers: &[],
                today: "2026-05-01".parse().unwrap(),
                noted: &noted,
            },
        );
        assert_eq!(p.histories.len(), 1);
        assert_eq!(p.histories[0].request.data.len(), 2);
        assert_eq!(p.histories[0].actions, [0, 1]);
        assert_eq!(p.satisfied.iter().map(|s| s.0).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn cancel_and_mark_sent_set_the_status_of_their_type() {
        let shop = Shop::new(3);
        let p = shop.plan(&[
            Action::Cancel { order: "0".into(), notify: Notify::EMAIL_ONLY },
            Action::MarkSent { order: "1".into(), notify: Notify::NONE },
            Action::SetTracking {
                order: "1".into(),
                code: "Z9".into(),
                carrier: Some("Zásilkovna".into()),
                notify: Notify::NONE,
            },
            Action::MarkSent { order: "2".into(), notify: Notify::NONE },
            set_status("2", StatusRef::Name("odeslaná".into())),
        ]);
        assert!(p.refused.is_empty(), "{:?}", p.refused);
        let silent = &p.order_updates[0].request.orders;
        assert_eq!(
            silent
                .iter()
                .map(|u| (u.order_number.as_deref().unwrap(), u.status_id))
                .collect::<Vec<_>>(),
            [("1", Some(3)), ("2", Some(3))],
            "the same status asked twice is one"
        );
        assert_eq!(silent[0].tracking_code.as_deref(), Some("Z9"), "the carrier is not sent");
        let loud = &p.order_updates[1];
        assert_eq!(
            (loud.request.send_emails_yn, loud.request.orders[0].status_id),
            (true, Some(2))
        );
    }

    #[test]
    fn flags_upgates_cannot_set_are_refused_with_why() {
        let shop = Shop::new(2);
        let p = shop.plan(&[
            Action::MarkDelivered { order: "0".into() },
            Action::Cancel { order: "1".into(), notify: Notify::NONE },
            set_status("1", StatusRef::Id(4)),
        ]);
        assert_eq!(p.request_count(), 0);
        assert!(p.refused[0].1.contains("use set_status with your shop's delivered status"));
        assert_eq!(
            p.refused[1].1,
            "set_status and cancel each set the order's status on Upgates, to different \
             statuses; ask for one"
        );
        let mut none = Shop::new(1);
        none.statuses.retain(|s| s.flag.is_none());
        let p = none.plan(&[Action::MarkSent { order: "0".into(), notify: Notify::NONE }]);
        assert_eq!(
            p.refused[0].1,
            "the shop has no status of type Sent (or its statuses are not known), and on Upgates \
             mark_sent sets that status"
        );
    }

    #[test]
    fn customers_are_written_by_email() {
        let mut shop = Shop::new(0);
        let c = serde_json::from_value(
            json!({"customer_id": 7, "login": {"email": "jana@example.cz"}, "note": "old"}),
        )
        .unwrap();
        let c: Customer = neutral::customer(&Arc::new(c));
        shop.customers.insert(7, Arc::new(c));
        let actions = vec![
            Action::SetCustomerNote { customer: 7, text: "check the address".into() },
            Action::SetCustomerMeta { customer: 7, key: "review".into(), value: "yes".into() },
            Action::SetCustomerNote { customer: 8, text: "x".into() },
        ];
        let p = shop.plan(&actions);
        assert_eq!(p.customer_updates.len(), 1);
        let w = &p.customer_updates[0];
        assert_eq!(
            w.items,
            vec![PlannedItem { key: "jana@example.cz".into(), actions: vec![0, 1] }]
        );
        assert_eq!(w.request.customers[0].note.as_deref(), Some("check the address"));
        assert_eq!(p.refused, vec![(2, "customer 8 was not found in the shop".to_owned())]);
    }

    #[test]
    fn without_data_nothing_is_filtered() {
        let empty = HashMap::new();
        let none = HashMap::new();
        let never = |_: &str, _: &str, _: &str| false;
        let p = plan(
            &[set_status("5", StatusRef::Name("Odeslaná".into()))],
            &Current {
                orders: &empty,
                orders_complete: false,
                customers: &none,
                statuses: None,
                carriers: &[],
                today: "2026-05-01".parse().unwrap(),
                noted: &never,
            },
        );
        assert_eq!(p.order_updates[0].request.orders[0].status.as_deref(), Some("Odeslaná"));
    }
}
