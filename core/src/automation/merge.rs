//! Every rule's actions merged per record, without a platform: the last action on a field
//! wins, actions whose effect is there already are *satisfied* (they cost no request), and
//! actions on records or statuses the shop does not have are *refused* with the reason. A
//! platform's plan (`upgates::plan`, `retailys::plan`) turns the merged changes into its
//! fewest requests; what only one platform needs (the status standing for a flag, a tracking
//! number's carrier) is looked up here in what the caller passed, and used or not there.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::automation::model::{Customer, Order, StateFlag, Status, same_name};
use crate::automation::{Action, ActionTarget, StatusRef};
use crate::date::ApiDate;
use crate::notify::Notify;

/// What the merge knows of the shop, in the neutral model.
pub struct Current<'a> {
    /// Orders as fetched, by number.
    pub orders: &'a HashMap<String, Arc<Order>>,
    /// Whether `orders` holds every order the actions name: then a missing one does not exist
    /// (its actions are refused). Otherwise (a dry run without data) nothing is filtered.
    pub orders_complete: bool,
    /// Customers as fetched, by id.
    pub customers: &'a HashMap<u64, Arc<Customer>>,
    /// The shop's statuses, to resolve names and refuse unknown ones; `None` passes names on.
    pub statuses: Option<&'a [Status]>,
    /// The shop's carriers, `(id, name)`, for a tracking number's carrier named by a rule
    /// (Retailys: `GET /System/Lists/Shippers`). Empty when not read: a named carrier is then
    /// unknown, which only a platform needing the carrier refuses.
    pub carriers: &'a [(i64, String)],
    /// The day a `mark_paid` without a date means.
    pub today: ApiDate,
    /// Whether a history record `(order, name, value)` was added before: it is not added twice.
    pub noted: &'a dyn Fn(&str, &str, &str) -> bool,
}

/// One order's changes that are not there yet, and the actions they carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderChange {
    /// The order.
    pub number: String,
    /// `(id, name)`: the id when the statuses are known, else the name as asked.
    pub status: Option<(Option<u64>, String)>,
    /// Paid on this day.
    pub paid: Option<ApiDate>,
    /// Resolved.
    pub resolve: bool,
    /// Tracking code.
    pub tracking_code: Option<String>,
    /// The tracking code's carrier, for platforms that need one (Retailys).
    pub carrier: TrackingCarrier,
    /// Flags to set, in [`StateFlag`]'s order.
    pub flags: Vec<FlagChange>,
    /// Internal note.
    pub internal_note: Option<String>,
    /// Custom fields to set.
    pub fields: Vec<(String, String)>,
    /// Generate the invoice.
    pub invoice: bool,
    /// Whom the shop tells: the union of what the carried actions asked.
    pub notify: Notify,
    /// The order's total, when known (Retailys records a payment as an amount).
    pub total: Option<crate::decimal::Decimal>,
    /// Indexes of the actions it carries, ascending.
    pub actions: Vec<usize>,
}

/// A flag to set on an order, with the shop's status standing for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagChange {
    /// The flag.
    pub flag: StateFlag,
    /// `(id, name)` of the shop's first status whose type is the flag, when the statuses are
    /// known and one is (Upgates sets it; Retailys has the flag itself).
    pub status: Option<(u64, String)>,
}

/// Whose parcel a tracking code is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackingCarrier {
    /// The order's shipping carrier, by its id on the platform, when the order names one.
    OfOrder(Option<String>),
    /// The carrier the rule named, found among the shop's carriers: its id.
    Named(i64),
    /// The rule named a carrier the shop's carriers lack (or they were not read).
    Unknown {
        /// The name asked for.
        name: String,
        /// The names the shop has.
        known: Vec<String>,
    },
}

impl Default for TrackingCarrier {
    fn default() -> Self {
        TrackingCarrier::OfOrder(None)
    }
}

/// One order's new history records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderNotes {
    /// The order.
    pub number: String,
    /// `(name, value)` records, each once.
    pub records: Vec<(String, String)>,
    /// Indexes of the actions, one per record.
    pub actions: Vec<usize>,
}

/// One customer's changes that are not there yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerChange {
    /// The customer.
    pub id: u64,
    /// Their login e-mail, when known.
    pub email: Option<String>,
    /// The note.
    pub note: Option<String>,
    /// Custom fields to set.
    pub fields: Vec<(String, String)>,
    /// Indexes of the actions it carries, ascending.
    pub actions: Vec<usize>,
}

/// The merged changes, in the order the rules first asked for each record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Orders with something to change.
    pub orders: Vec<OrderChange>,
    /// Orders with history records to add.
    pub notes: Vec<OrderNotes>,
    /// Customers with something to change.
    pub customers: Vec<CustomerChange>,
    /// Actions whose effect is there already, with why.
    pub satisfied: Vec<(usize, String)>,
    /// Actions that cannot be made, with why.
    pub refused: Vec<(usize, String)>,
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

fn want_key(map: &mut BTreeMap<String, Wanted<String>>, key: &str, value: &str, i: usize) {
    match map.get_mut(key) {
        Some(w) => {
            value.clone_into(&mut w.value);
            w.actions.push(i);
        }
        None => {
            map.insert(key.to_owned(), Wanted { value: value.to_owned(), actions: vec![i] });
        }
    }
}

/// Everything asked of one order.
#[derive(Default)]
struct OrderWants {
    status: Option<Wanted<(Option<u64>, String)>>,
    paid: Option<Wanted<ApiDate>>,
    resolved: Option<Wanted<()>>,
    /// The code and the carrier's name, when one was given.
    tracking: Option<Wanted<(String, Option<String>)>>,
    /// Flags, each with the actions that asked for it.
    flags: BTreeMap<StateFlag, Vec<usize>>,
    note: Option<Wanted<String>>,
    fields: BTreeMap<String, Wanted<String>>,
    invoice: Option<Wanted<()>>,
    notes: Vec<(usize, String, String)>,
    notify: BTreeMap<usize, Notify>,
}

/// Everything asked of one customer.
#[derive(Default)]
struct CustomerWants {
    note: Option<Wanted<String>>,
    fields: BTreeMap<String, Wanted<String>>,
}

/// Merges `actions` against what is known of the shop.
#[must_use]
pub fn merge(actions: &[Action], current: &Current<'_>) -> Merged {
    let mut out = Merged::default();
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
                let w = customers.entry(id).or_default();
                match action {
                    Action::SetCustomerNote { text, .. } => want(&mut w.note, text.clone(), i),
                    Action::SetCustomerMeta { key, value, .. } => {
                        want_key(&mut w.fields, key, value, i)
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
                    orders.push((number.clone(), OrderWants::default()));
                    orders.len() - 1
                });
                let Some((_, w)) = orders.get_mut(at) else { continue };
                if let Err(why) = want_of_order(w, action, i, current) {
                    out.refused.push((i, why));
                }
            }
        }
    }
    for (number, w) in orders {
        let order = current.orders.get(&number).map(Arc::as_ref);
        order_notes(&number, &w.notes, current, &mut out);
        if let Some(change) = order_change(number, &w, order, current, &mut out) {
            out.orders.push(change);
        }
    }
    for (id, w) in customers {
        customer_change(id, w, current, &mut out);
    }
    // Reported in the order the rules asked.
    out.satisfied.sort_by_key(|s| s.0);
    out.refused.sort_by_key(|r| r.0);
    out
}

/// Records what `action` (number `i`) asks of an order; `Err` refuses it.
fn want_of_order(
    w: &mut OrderWants,
    action: &Action,
    i: usize,
    current: &Current<'_>,
) -> Result<(), String> {
    if !action.notify().is_none() {
        w.notify.insert(i, action.notify());
    }
    match action {
        Action::SetStatus { status, .. } => {
            want(&mut w.status, resolve(status, current.statuses)?, i)
        }
        Action::MarkPaid { date, .. } => want(&mut w.paid, date.unwrap_or(current.today), i),
        Action::MarkResolved { .. } => want(&mut w.resolved, (), i),
        Action::SetTracking { code, carrier, .. } => {
            want(&mut w.tracking, (code.clone(), carrier.clone()), i)
        }
        Action::Cancel { .. } => w.flags.entry(StateFlag::Canceled).or_default().push(i),
        Action::MarkSent { .. } => w.flags.entry(StateFlag::Sent).or_default().push(i),
        Action::MarkDelivered { .. } => w.flags.entry(StateFlag::Delivered).or_default().push(i),
        Action::SetInternalNote { text, .. } => want(&mut w.note, text.clone(), i),
        Action::SetMeta { key, value, .. } => want_key(&mut w.fields, key, value, i),
        Action::GenerateInvoice { .. } => want(&mut w.invoice, (), i),
        Action::AddHistory { name, value, .. } => w.notes.push((i, name.clone(), value.clone())),
        _ => {}
    }
    Ok(())
}

/// The changes of one order that are not there yet; what is there already goes to
/// `satisfied`.
fn order_change(
    number: String,
    w: &OrderWants,
    order: Option<&Order>,
    current: &Current<'_>,
    out: &mut Merged,
) -> Option<OrderChange> {
    let mut c =
        OrderChange { number, total: order.and_then(|o| o.total), ..OrderChange::default() };
    let mut keep = |actions: &[usize], done: Option<String>, out: &mut Merged| match done {
        Some(why) => {
            out.satisfied.extend(actions.iter().map(|&i| (i, why.clone())));
            false
        }
        None => {
            c.actions.extend_from_slice(actions);
            true
        }
    };
    if let Some(s) = &w.status {
        let (id, name) = &s.value;
        let same = order.is_some_and(|o| match id {
            Some(id) => o.status_id == Some(*id),
            None => o.status.as_deref().is_some_and(|n| same_name(n, name)),
        });
        if keep(&s.actions, same.then(|| format!("the order is in status {name:?} already")), out) {
            c.status = Some(s.value.clone());
        }
    }
    if let Some(p) = &w.paid {
        let paid =
            order.and_then(|o| o.paid_date).map(|d| format!("the order is paid already ({d})"));
        if keep(&p.actions, paid, out) {
            c.paid = Some(p.value);
        }
    }
    if let Some(r) = &w.resolved {
        let done =
            order.is_some_and(|o| o.resolved).then(|| "the order is resolved already".to_owned());
        c.resolve = keep(&r.actions, done, out);
    }
    if let Some(t) = &w.tracking {
        let (code, carrier) = &t.value;
        let same = order.is_some_and(|o| o.tracking_code.as_deref() == Some(code.as_str()));
        let why = same.then(|| format!("the tracking code is {code:?} already"));
        if keep(&t.actions, why, out) {
            c.tracking_code = Some(code.clone());
            c.carrier = tracking_carrier(carrier.as_deref(), order, current.carriers);
        }
    }
    for (&flag, actions) in &w.flags {
        let done = order
            .is_some_and(|o| has_flag(o, flag, current.statuses))
            .then(|| format!("the order is {} already", flag.words()));
        if keep(actions, done, out) {
            c.flags.push(FlagChange { flag, status: status_for(flag, current.statuses) });
        }
    }
    if let Some(n) = &w.note {
        let same = order.is_some_and(|o| o.internal_note.as_deref().unwrap_or_default() == n.value);
        if keep(&n.actions, same.then(|| "the internal note says that already".to_owned()), out) {
            c.internal_note = Some(n.value.clone());
        }
    }
    for (key, f) in &w.fields {
        let same = order.is_some_and(|o| {
            o.custom_fields
                .iter()
                .any(|x| &x.key == key && x.value.as_deref() == Some(f.value.as_str()))
        });
        let why = same.then(|| format!("the field {key:?} is {:?} already", f.value));
        if keep(&f.actions, why, out) {
            c.fields.push((key.clone(), f.value.clone()));
        }
    }
    if let Some(inv) = &w.invoice {
        let done = order
            .and_then(|o| o.invoice_number.as_deref())
            .map(|n| format!("the order has invoice {n} already"));
        c.invoice = keep(&inv.actions, done, out);
    }
    c.actions.sort_unstable();
    c.notify = w
        .notify
        .iter()
        .filter(|(i, _)| c.actions.contains(i))
        .fold(Notify::NONE, |acc, (_, n)| acc.or(*n));
    (!c.actions.is_empty()).then_some(c)
}

/// Whether the order has `flag`, by its own flag or by the status it is in.
fn has_flag(order: &Order, flag: StateFlag, statuses: Option<&[Status]>) -> bool {
    let status = |id| statuses?.iter().find(|s| s.id == Some(id));
    order.has(flag) || order.status_id.and_then(status).is_some_and(|s| s.flag == Some(flag))
}

/// The shop's first status standing for `flag`, as `(id, name)`.
fn status_for(flag: StateFlag, statuses: Option<&[Status]>) -> Option<(u64, String)> {
    let s = statuses?.iter().find(|s| s.flag == Some(flag))?;
    Some((s.id?, s.name().unwrap_or_default().to_owned()))
}

/// The carrier of a tracking code: the one `asked` by name among `carriers`, else the
/// order's.
fn tracking_carrier(
    asked: Option<&str>,
    order: Option<&Order>,
    carriers: &[(i64, String)],
) -> TrackingCarrier {
    let Some(name) = asked else {
        let of_order = order.and_then(|o| o.shipment.as_ref()).and_then(|s| s.carrier.clone());
        return TrackingCarrier::OfOrder(of_order);
    };
    match carriers.iter().find(|(_, n)| same_name(n, name)) {
        Some((id, _)) => TrackingCarrier::Named(*id),
        None => TrackingCarrier::Unknown {
            name: name.to_owned(),
            known: carriers.iter().map(|(_, n)| n.clone()).collect(),
        },
    }
}

/// An order's new history records: records added before, or twice in this batch, are
/// satisfied.
fn order_notes(
    number: &str,
    notes: &[(usize, String, String)],
    current: &Current<'_>,
    out: &mut Merged,
) {
    let mut n = OrderNotes { number: number.to_owned(), ..OrderNotes::default() };
    for (i, name, value) in notes {
        if (current.noted)(number, name, value) {
            out.satisfied.push((*i, format!("the history record {name:?} was added before")));
        } else if n.records.iter().any(|(a, b)| a == name && b == value) {
            out.satisfied
                .push((*i, format!("the history record {name:?} is in this request already")));
        } else {
            n.records.push((name.clone(), value.clone()));
            n.actions.push(*i);
        }
    }
    if !n.records.is_empty() {
        out.notes.push(n);
    }
}

fn customer_change(id: u64, w: CustomerWants, current: &Current<'_>, out: &mut Merged) {
    let Some(customer) = current.customers.get(&id) else {
        let all = w
            .note
            .iter()
            .flat_map(|n| n.actions.iter())
            .chain(w.fields.values().flat_map(|f| f.actions.iter()));
        out.refused.extend(all.map(|&i| (i, format!("customer {id} was not found in the shop"))));
        return;
    };
    let mut c = CustomerChange { id, email: customer.email.clone(), ..CustomerChange::default() };
    if let Some(n) = w.note {
        if customer.note.as_deref().unwrap_or_default() == n.value {
            out.satisfied.extend(
                n.actions.iter().map(|&i| (i, "the customer's note says that already".to_owned())),
            );
        } else {
            c.note = Some(n.value);
            c.actions.extend(n.actions);
        }
    }
    for (key, f) in w.fields {
        if customer
            .custom_fields
            .iter()
            .any(|x| x.key == key && x.value.as_deref() == Some(f.value.as_str()))
        {
            out.satisfied.extend(
                f.actions.iter().map(|&i| {
                    (i, format!("the customer's field {key:?} is {:?} already", f.value))
                }),
            );
        } else {
            c.fields.push((key, f.value));
            c.actions.extend(f.actions);
        }
    }
    if !c.actions.is_empty() {
        c.actions.sort_unstable();
        out.customers.push(c);
    }
}

/// A status reference as `(id, name)` to write: names resolve to ids when the statuses are
/// known, and unknown ones are refused.
fn resolve(
    status: &StatusRef,
    statuses: Option<&[Status]>,
) -> Result<(Option<u64>, String), String> {
    match (status, statuses) {
        (StatusRef::Id(id), None) => Ok((Some(*id), format!("#{id}"))),
        (StatusRef::Name(name), None) => Ok((None, name.clone())),
        (StatusRef::Id(id), Some(list)) => match list.iter().find(|s| s.id == Some(*id)) {
            Some(s) => Ok((Some(*id), s.name().unwrap_or_default().to_owned())),
            None => Err(format!("the shop has no status with id {id}")),
        },
        (StatusRef::Name(name), Some(list)) => match list.iter().find(|s| s.has_name(name)) {
            Some(s) => Ok((s.id, name.clone())),
            None => Err(format!(
                "the shop has no status named {name:?} (it has: {})",
                list.iter().filter_map(Status::name).collect::<Vec<_>>().join(", ")
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::model::Shipment;

    fn shop(order: Order) -> (HashMap<String, Arc<Order>>, HashMap<u64, Arc<Customer>>) {
        (HashMap::from([(order.number.clone(), Arc::new(order))]), HashMap::new())
    }

    fn merged(actions: &[Action], order: Order) -> Merged {
        let (orders, customers) = shop(order);
        let never = |_: &str, _: &str, _: &str| false;
        let status = |id, name: &str, flag| Status { id: Some(id), names: vec![name.into()], flag };
        let statuses = [
            status(4, "Vyřizuje se", None),
            status(2, "Storno", Some(StateFlag::Canceled)),
            status(3, "Odeslaná", Some(StateFlag::Sent)),
        ];
        let carriers = [(3, "Zásilkovna".to_owned()), (2, "PPL".to_owned())];
        merge(
            actions,
            &Current {
                orders: &orders,
                orders_complete: true,
                customers: &customers,
                statuses: Some(&statuses),
                carriers: &carriers,
                today: "2026-05-01".parse().unwrap(),
                noted: &never,
            },
        )
    }

    fn order() -> Order {
        Order { number: "1".into(), tracking_code: Some("OLD".into()), ..Order::default() }
    }

    #[test]
    fn the_last_action_on_a_field_wins_and_carries_every_asker() {
        let t = |code: &str| Action::SetTracking {
            order: "1".into(),
            code: code.into(),
            carrier: None,
            notify: Notify::NONE,
        };
        let m = merged(&[t("A"), t("B")], order());
        assert_eq!(m.orders.len(), 1);
        assert_eq!(m.orders[0].tracking_code.as_deref(), Some("B"));
        assert_eq!(m.orders[0].actions, [0, 1]);
    }

    #[test]
    fn what_is_so_already_is_satisfied_and_unknowns_are_refused() {
        let actions = [
            Action::SetTracking {
                order: "1".into(),
                code: "OLD".into(),
                carrier: None,
                notify: Notify::NONE,
            },
            Action::SetStatus {
                order: "1".into(),
                status: StatusRef::Name("vyřizuje se".into()),
                notify: Notify::EMAIL_ONLY,
            },
            Action::SetStatus {
                order: "1".into(),
                status: StatusRef::Name("Zrušená".into()),
                notify: Notify::NONE,
            },
            Action::MarkResolved { order: "2".into() },
        ];
        let m = merged(&actions, order());
        assert_eq!(m.satisfied.iter().map(|s| s.0).collect::<Vec<_>>(), [0]);
        assert_eq!(m.refused.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(m.orders[0].status, Some((Some(4), "vyřizuje se".into())));
        assert_eq!(m.orders[0].notify, Notify::EMAIL_ONLY, "only what a carried action asked");
    }

    #[test]
    fn flags_carry_the_status_standing_for_them_and_are_satisfied_when_set() {
        let m = merged(
            &[
                Action::Cancel { order: "1".into(), notify: Notify::EMAIL_ONLY },
                Action::MarkDelivered { order: "1".into() },
                Action::Cancel { order: "1".into(), notify: Notify::NONE },
            ],
            order(),
        );
        let c = &m.orders[0];
        assert_eq!(
            c.flags,
            [
                FlagChange { flag: StateFlag::Canceled, status: Some((2, "Storno".into())) },
                FlagChange { flag: StateFlag::Delivered, status: None },
            ]
        );
        assert_eq!((c.actions.as_slice(), c.notify), ([0, 1, 2].as_slice(), Notify::EMAIL_ONLY));

        // Sent by its own flag (Retailys), canceled by the status it is in (Upgates).
        let o = Order { sent: true, status_id: Some(2), ..order() };
        let m = merged(
            &[
                Action::MarkSent { order: "1".into(), notify: Notify::NONE },
                Action::Cancel { order: "1".into(), notify: Notify::NONE },
            ],
            o,
        );
        assert!(m.orders.is_empty());
        let why: Vec<&str> = m.satisfied.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(why, ["the order is marked sent already", "the order is canceled already"]);
    }

    #[test]
    fn a_named_carrier_is_found_without_regard_to_case_or_said_unknown() {
        let t = |carrier: Option<&str>| {
            let o = Order {
                shipment: Some(Shipment { carrier: Some("2".into()), ..Shipment::default() }),
                ..order()
            };
            let a = Action::SetTracking {
                order: "1".into(),
                code: "Z1".into(),
                carrier: carrier.map(str::to_owned),
                notify: Notify::NONE,
            };
            merged(&[a], o).orders.remove(0).carrier
        };
        assert_eq!(t(None), TrackingCarrier::OfOrder(Some("2".into())));
        assert_eq!(t(Some(" ZÁSILKOVNA ")), TrackingCarrier::Named(3));
        assert_eq!(
            t(Some("DHL")),
            TrackingCarrier::Unknown {
                name: "DHL".into(),
                known: vec!["Zásilkovna".into(), "PPL".into()]
            }
        );
    }
}
