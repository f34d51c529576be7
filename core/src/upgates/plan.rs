//! Rules' actions as the fewest Upgates requests.
//!
//! The API budget is the scarce resource (a small shop has 10 requests an hour), so every
//! action on an order is merged into one item (`PUT /orders` carries 100 orders), actions
//! whose effect is there already are dropped, and e-mail flags, which apply to a whole
//! request, split orders into requests by what their actions asked. History records cannot
//! be batched across orders: one `POST /orders/{n}/history` per order carries all of its
//! records. Each planned item remembers which actions it carries, so per-item results are
//! reported back per action.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::automation::{Action, ActionTarget, StatusRef};
use crate::batch::MAX_ITEMS_PER_REQUEST;
use crate::date::ApiDate;
use crate::notify::Notify;
use crate::upgates::customer::write::LoginWrite;
use crate::upgates::customer::{Customer, CustomerAccountWrite, CustomersWriteRequest};
use crate::upgates::meta::MetaWrite;
use crate::upgates::order::object::NameValue;
use crate::upgates::order::{
    DocumentWrite, HistoryAddRequest, Order, OrderUpdate, OrderUpdateRequest, PaidDate,
};
use crate::upgates::order_status::OrderStatus;

/// What the planner knows of the shop.
pub struct Current<'a> {
    /// Orders as fetched, by number (shared with the rules that read them).
    pub orders: &'a HashMap<String, Arc<Order>>,
    /// Whether `orders` holds every order the actions name: then a missing one does not exist
    /// (its actions are refused). Otherwise (a dry run without data) nothing is filtered.
    pub orders_complete: bool,
    /// Customers as fetched, by id (their e-mail is the key of `PUT /customers`).
    pub customers: &'a HashMap<u64, Arc<Customer>>,
    /// The shop's statuses, to resolve names and refuse unknown ones; `None` passes names on.
    pub statuses: Option<&'a [OrderStatus]>,
    /// The day a `mark_paid` without a date means.
    pub today: ApiDate,
    /// Whether a history record `(order, name, value)` was added before: it is not added twice.
    pub noted: &'a dyn Fn(&str, &str, &str) -> bool,
}

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

/// One field's wanted value and the actions that asked for it (the last one wins).
struct Wanted<T> {
    value: T,
    actions: Vec<usize>,
}

fn want<T>(slot: &mut Option<Wanted<T>>, value: T, i: usize) {
    match slot {
        Some(w) => {
            w.value = value;
            w.actions.push(i);
        }
        None => *slot = Some(Wanted { value, actions: vec![i] }),
    }
}

/// Everything asked of one order.
#[derive(Default)]
struct OrderWants {
    first: usize,
    status: Option<Wanted<(Option<u64>, String)>>,
    paid: Option<Wanted<ApiDate>>,
    resolved: Option<Wanted<()>>,
    tracking: Option<Wanted<String>>,
    note: Option<Wanted<String>>,
    metas: BTreeMap<String, Wanted<String>>,
    invoice: Option<Wanted<()>>,
    notes: Vec<(usize, String, String)>,
    notify: BTreeMap<usize, Notify>,
}

/// Plans `actions` against what is known of the shop.
#[must_use]
pub fn plan(actions: &[Action], current: &Current<'_>) -> Plan {
    let mut out = Plan::default();
    let mut orders: Vec<(String, OrderWants)> = Vec::new();
    let mut order_index: HashMap<String, usize> = HashMap::new();
    let mut customers: BTreeMap<u64, CustomerWants> = BTreeMap::new();

    for (i, action) in actions.iter().enumerate() {
        if let Err(why) = action.check() {
            out.refused.push((i, why));
            continue;
        }
        match action.target() {
            ActionTarget::Customer(id) => {
                let entry = customers.entry(id).or_default();
                match action {
                    Action::SetCustomerNote { text, .. } => want(&mut entry.0, text.clone(), i),
                    Action::SetCustomerMeta { key, value, .. } => {
                        let slot = entry.1.entry(key.clone());
                        match slot {
                            std::collections::btree_map::Entry::Occupied(mut o) => {
                                o.get_mut().value.clone_from(value);
                                o.get_mut().actions.push(i);
                            }
                            std::collections::btree_map::Entry::Vacant(v) => {
                                v.insert(Wanted { value: value.clone(), actions: vec![i] });
                            }
                        }
                    }
                    _ => {}
                }
            }
            ActionTarget::Order(number) => {
                if current.orders_complete && !current.orders.contains_key(&number) {
                    out.refused.push((i, format!("order {number} was not found in the shop")));
                    continue;
                }
                let at = *order_index.entry(number.clone()).or_insert_with(|| {
                    orders.push((number.clone(), OrderWants { first: i, ..OrderWants::default() }));
                    orders.len() - 1
                });
                let Some((_, w)) = orders.get_mut(at) else { continue };
                if !action.notify().is_none() {
                    w.notify.insert(i, action.notify());
                }
                match action {
                    Action::SetStatus { status, .. } => match resolve(status, current.statuses) {
                        Ok(resolved) => want(&mut w.status, resolved, i),
                        Err(why) => out.refused.push((i, why)),
                    },
                    Action::MarkPaid { date, .. } => {
                        want(&mut w.paid, date.unwrap_or(current.today), i);
                    }
                    Action::MarkResolved { .. } => want(&mut w.resolved, (), i),
                    Action::SetTracking { code, .. } => want(&mut w.tracking, code.clone(), i),
                    Action::SetInternalNote { text, .. } => want(&mut w.note, text.clone(), i),
                    Action::SetMeta { key, value, .. } => match w.metas.get_mut(key) {
                        Some(m) => {
                            m.value.clone_from(value);
                            m.actions.push(i);
                        }
                        None => {
                            w.metas.insert(
                                key.clone(),
                                Wanted { value: value.clone(), actions: vec![i] },
                            );
                        }
                    },
                    Action::GenerateInvoice { .. } => want(&mut w.invoice, (), i),
                    Action::AddHistory { name, value, .. } => {
                        w.notes.push((i, name.clone(), value.clone()));
                    }
                    _ => {}
                }
            }
        }
    }

    let mut by_notify: BTreeMap<(bool, bool), Vec<(OrderUpdate, PlannedItem)>> = BTreeMap::new();
    orders.sort_by_key(|(_, w)| w.first);
    for (number, w) in orders {
        let order = current.orders.get(&number).map(Arc::as_ref);
        let (update, carried, notify) = order_update(&number, &w, order, &mut out);
        history(&number, &w.notes, current, &mut out);
        if let Some(update) = update {
            by_notify
                .entry((notify.emails, notify.sms))
                .or_default()
                .push((update, PlannedItem { key: number, actions: carried }));
        }
    }
    // Silent requests first: most rules do not notify.
    for ((emails, sms), items) in by_notify {
        for chunk in items.chunks(MAX_ITEMS_PER_REQUEST) {
            let (updates, planned): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
            out.order_updates.push(PlannedWrite {
                request: OrderUpdateRequest::new(Notify { emails, sms }, updates),
                items: planned,
            });
        }
    }
    customer_updates(customers, current, &mut out);
    // Reported in the order the rules asked.
    out.satisfied.sort_by_key(|s| s.0);
    out.refused.sort_by_key(|r| r.0);
    out
}

/// The merged `PUT /orders` item for one order, the actions it carries, and its e-mail flags;
/// actions already in effect go to `satisfied`.
fn order_update(
    number: &str,
    w: &OrderWants,
    order: Option<&Order>,
    out: &mut Plan,
) -> (Option<OrderUpdate>, Vec<usize>, Notify) {
    let mut u = OrderUpdate::new(number);
    let mut carried: Vec<usize> = Vec::new();
    let mut keep = |actions: &[usize], done: Option<String>, out: &mut Plan| -> bool {
        match done {
            Some(why) => {
                out.satisfied.extend(actions.iter().map(|&i| (i, why.clone())));
                false
            }
            None => {
                carried.extend_from_slice(actions);
                true
            }
        }
    };
    if let Some(s) = &w.status {
        let (id, name) = &s.value;
        let same = order.is_some_and(|o| match id {
            Some(id) => o.status_id == Some(*id),
            None => o.status.as_deref().is_some_and(|n| n.to_lowercase() == name.to_lowercase()),
        });
        if keep(&s.actions, same.then(|| format!("the order is in status {name:?} already")), out) {
            match id {
                Some(id) => u.status_id = Some(*id),
                None => u.status = Some(name.clone()),
            }
        }
    }
    if let Some(p) = &w.paid {
        let paid =
            order.and_then(|o| o.paid_date).map(|d| format!("the order is paid already ({d})"));
        if keep(&p.actions, paid, out) {
            u.paid_date = Some(PaidDate::On(p.value));
        }
    }
    if let Some(r) = &w.resolved {
        let done = order
            .is_some_and(|o| o.resolved_yn)
            .then(|| "the order is resolved already".to_owned());
        if keep(&r.actions, done, out) {
            u.resolved_yn = Some(true);
        }
    }
    if let Some(t) = &w.tracking {
        let same = order.is_some_and(|o| o.tracking_code.as_deref() == Some(t.value.as_str()));
        if keep(
            &t.actions,
            same.then(|| format!("the tracking code is {:?} already", t.value)),
            out,
        ) {
            u.tracking_code = Some(t.value.clone());
        }
    }
    if let Some(n) = &w.note {
        let same = order.is_some_and(|o| o.internal_note.as_deref().unwrap_or_default() == n.value);
        if keep(&n.actions, same.then(|| "the internal note says that already".to_owned()), out) {
            u.internal_note = Some(n.value.clone());
        }
    }
    for (key, m) in &w.metas {
        let same = order.is_some_and(|o| {
            o.metas.iter().any(|x| &x.key == key && x.value.as_deref() == Some(m.value.as_str()))
        });
        if keep(
            &m.actions,
            same.then(|| format!("the field {key:?} is {:?} already", m.value)),
            out,
        ) {
            u.metas.push(MetaWrite::new(key.clone(), m.value.clone()));
        }
    }
    if let Some(inv) = &w.invoice {
        let done = order
            .and_then(|o| o.invoice_number.as_deref())
            .map(|n| format!("the order has invoice {n} already"));
        if keep(&inv.actions, done, out) {
            u.invoice = Some(DocumentWrite::generate());
        }
    }
    carried.sort_unstable();
    let notify = w
        .notify
        .iter()
        .filter(|(i, _)| carried.contains(i))
        .fold(Notify::NONE, |acc, (_, n)| acc.or(*n));
    if carried.is_empty() { (None, carried, notify) } else { (Some(u), carried, notify) }
}

/// One history request for the order's new records (records added before, or twice in
/// this batch, are satisfied).
fn history(number: &str, notes: &[(usize, String, String)], current: &Current<'_>, out: &mut Plan) {
    let mut data: Vec<NameValue> = Vec::new();
    let mut actions = Vec::new();
    for (i, name, value) in notes {
        if (current.noted)(number, name, value) {
            out.satisfied.push((*i, format!("the history record {name:?} was added before")));
        } else if data
            .iter()
            .any(|d| d.name.as_deref() == Some(name) && d.value.as_deref() == Some(value))
        {
            out.satisfied
                .push((*i, format!("the history record {name:?} is in this request already")));
        } else {
            data.push(NameValue::new(name.clone(), value.clone()));
            actions.push(*i);
        }
    }
    if !data.is_empty() {
        out.histories.push(PlannedHistory {
            order_number: number.to_owned(),
            request: HistoryAddRequest { data },
            actions,
        });
    }
}

type CustomerWants = (Option<Wanted<String>>, BTreeMap<String, Wanted<String>>);

fn customer_updates(
    customers: BTreeMap<u64, CustomerWants>,
    current: &Current<'_>,
    out: &mut Plan,
) {
    let mut items: Vec<(CustomerAccountWrite, PlannedItem)> = Vec::new();
    for (id, (note, metas)) in customers {
        let all: Vec<usize> = note
            .iter()
            .flat_map(|n| n.actions.iter().copied())
            .chain(metas.values().flat_map(|m| m.actions.iter().copied()))
            .collect();
        let Some(customer) = current.customers.get(&id) else {
            out.refused.extend(
                all.into_iter().map(|i| (i, format!("customer {id} was not found in the shop"))),
            );
            continue;
        };
        let Some(email) = customer.email() else {
            out.refused.extend(
                all.into_iter().map(|i| {
                    (i, format!("customer {id} has no e-mail, which PUT /customers needs"))
                }),
            );
            continue;
        };
        let mut write = CustomerAccountWrite {
            login: Some(LoginWrite { email: Some(email.to_owned()), ..LoginWrite::default() }),
            ..CustomerAccountWrite::default()
        };
        let mut carried = Vec::new();
        if let Some(n) = note {
            if customer.note.as_deref().unwrap_or_default() == n.value {
                out.satisfied.extend(
                    n.actions
                        .iter()
                        .map(|&i| (i, "the customer's note says that already".to_owned())),
                );
            } else {
                write.note = Some(n.value);
                carried.extend(n.actions);
            }
        }
        for (key, m) in metas {
            if customer
                .metas
                .iter()
                .any(|x| x.key == key && x.value.as_deref() == Some(m.value.as_str()))
            {
                out.satisfied.extend(m.actions.iter().map(|&i| {
                    (i, format!("the customer's field {key:?} is {:?} already", m.value))
                }));
            } else {
                write.metas.push(MetaWrite::new(key, m.value));
                carried.extend(m.actions);
            }
        }
        if !carried.is_empty() {
            carried.sort_unstable();
            items.push((write, PlannedItem { key: email.to_owned(), actions: carried }));
        }
    }
    for chunk in items.chunks(MAX_ITEMS_PER_REQUEST) {
        let (writes, planned): (Vec<_>, Vec<_>) = chunk.iter().cloned().unzip();
        out.customer_updates
            .push(PlannedWrite { request: CustomersWriteRequest::update(writes), items: planned });
    }
}

/// A status reference as `(id, name)` to write: names resolve to ids when the statuses are
/// known, and unknown ones are refused.
fn resolve(
    status: &StatusRef,
    statuses: Option<&[OrderStatus]>,
) -> Result<(Option<u64>, String), String> {
    match (status, statuses) {
        (StatusRef::Id(id), None) => Ok((Some(*id), format!("#{id}"))),
        (StatusRef::Name(name), None) => Ok((None, name.clone())),
        (StatusRef::Id(id), Some(list)) => match list.iter().find(|s| s.id == Some(*id)) {
            Some(s) => Ok((
                Some(*id),
                s.name_in("cs").or_else(|| s.any_name()).unwrap_or_default().to_owned(),
            )),
            None => Err(format!("the shop has no status with id {id}")),
        },
        (StatusRef::Name(name), Some(list)) => match list.iter().find(|s| s.has_name(name)) {
            Some(s) => Ok((s.id, name.clone())),
            None => Err(format!(
                "the shop has no status named {name:?} (it has: {})",
                list.iter().filter_map(|s| s.any_name()).collect::<Vec<_>>().join(", ")
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn order(number: &str, status_id: u64) -> Order {
        serde_json::from_value(json!({
            "order_number": number, "status_id": status_id, "status": format!("S{status_id}"),
            "metas": [{"key": "carrier", "type": "input", "value": "zasilkovna"}]
        }))
        .unwrap()
    }

    fn statuses() -> Vec<OrderStatus> {
        serde_json::from_value::<crate::upgates::order_status::OrderStatusList>(json!({"order_statuses": [
            {"id": 1, "type": "Received", "descriptions": [{"language_id": "cs", "name": "Přijatá"}]},
            {"id": 4, "type": "Custom", "descriptions": [{"language_id": "cs", "name": "Vyřizuje se"}]}
        ]}))
        .unwrap()
        .order_statuses
    }

    fn set_status(order: &str, status: StatusRef) -> Action {
        Action::SetStatus { order: order.into(), status, notify: Notify::NONE }
    }

    struct Shop {
        orders: HashMap<String, Arc<Order>>,
        customers: HashMap<u64, Arc<Customer>>,
        statuses: Vec<OrderStatus>,
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
            Action::SetTracking { order: "1".into(), code: "DR1".into(), notify: Notify::NONE },
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
                "the shop has no status named \"Zrušená\" (it has: Přijatá, Vyřizuje se)"
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
    fn customers_are_written_by_email() {
        let mut shop = Shop::new(0);
        let c: Customer = serde_json::from_value(
            json!({"customer_id": 7, "login": {"email": "jana@example.cz"}, "note": "old"}),
        )
        .unwrap();
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
                today: "2026-05-01".parse().unwrap(),
                noted: &never,
            },
        );
        assert_eq!(p.order_updates[0].request.orders[0].status.as_deref(), Some("Odeslaná"));
    }
}
