//! Hooks and the events that call them.

use serde::{Deserialize, Serialize};

use crate::automation::model::Order;
use crate::date::ApiDate;

/// A hook a rule script may define. A script without it is not interested in that event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// `on_order_created(order)`.
    OrderCreated,
    /// `on_order_updated(order, change)`.
    OrderUpdated,
    /// `on_order_paid(order)`: the first time the order is seen paid.
    OrderPaid,
    /// `on_order_deleted(ref)`.
    OrderDeleted,
    /// `on_customer_created(customer)`.
    CustomerCreated,
    /// `on_customer_updated(customer)`.
    CustomerUpdated,
    /// `on_customer_deleted(ref)`.
    CustomerDeleted,
}

impl Hook {
    /// Every hook.
    pub const ALL: [Hook; 7] = [
        Hook::OrderCreated,
        Hook::OrderUpdated,
        Hook::OrderPaid,
        Hook::OrderDeleted,
        Hook::CustomerCreated,
        Hook::CustomerUpdated,
        Hook::CustomerDeleted,
    ];

    /// The script function it calls.
    #[must_use]
    pub fn function_name(self) -> &'static str {
        match self {
            Hook::OrderCreated => "on_order_created",
            Hook::OrderUpdated => "on_order_updated",
            Hook::OrderPaid => "on_order_paid",
            Hook::OrderDeleted => "on_order_deleted",
            Hook::CustomerCreated => "on_customer_created",
            Hook::CustomerUpdated => "on_customer_updated",
            Hook::CustomerDeleted => "on_customer_deleted",
        }
    }

    /// How many parameters the function takes.
    #[must_use]
    pub fn arity(self) -> usize {
        match self {
            Hook::OrderUpdated => 2,
            _ => 1,
        }
    }

    /// The hook a function name stands for.
    #[must_use]
    pub fn from_function_name(name: &str) -> Option<Hook> {
        Hook::ALL.into_iter().find(|h| h.function_name() == name)
    }

    /// Whether the hook needs the order or customer itself (not just its reference), so the
    /// shell must fetch it.
    #[must_use]
    pub fn needs_record(self) -> bool {
        !matches!(self, Hook::OrderDeleted | Hook::CustomerDeleted)
    }
}

/// What an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// An order, by number.
    Order(String),
    /// A customer, by id.
    Customer(u64),
}

/// The status and payment before and after an update, where known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusChange {
    /// The status before, when the order was seen before.
    pub previous_status: Option<String>,
    /// Its id.
    pub previous_status_id: Option<u64>,
    /// The status now.
    pub status: Option<String>,
    /// Its id.
    pub status_id: Option<u64>,
    /// Whether it was paid before (unknown when never seen).
    pub was_paid: Option<bool>,
    /// Whether it is paid now.
    pub paid: bool,
}

impl StatusChange {
    /// Whether the status is known to have changed.
    #[must_use]
    pub fn status_changed(&self) -> bool {
        match (self.previous_status_id, self.status_id) {
            (Some(a), Some(b)) => a != b,
            _ => match (&self.previous_status, &self.status) {
                (Some(a), Some(b)) => a != b,
                _ => false,
            },
        }
    }
}

/// One hook call: which hook, about what, and (for updates) the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleEvent {
    /// The hook.
    pub hook: Hook,
    /// What it is about.
    pub subject: Subject,
    /// For `order_updated`: the status change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<StatusChange>,
}

/// Which entity changed and how, as a webhook said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// Created.
    Created,
    /// Changed.
    Updated,
    /// Deleted.
    Deleted,
}

/// One record of a webhook batch: the subject and what happened to it. Triggers become
/// [`RuleEvent`]s once the subject is fetched ([`events_for`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Trigger {
    /// What happened.
    pub kind: TriggerKind,
    /// To what.
    pub subject: Subject,
}

/// What was known of an order the last time rules saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Its status then.
    pub status: Option<String>,
    /// Its status id then.
    pub status_id: Option<u64>,
    /// Whether it was paid then.
    pub paid: bool,
}

impl Seen {
    /// What an order shows now.
    #[must_use]
    pub fn of(order: &Order) -> Seen {
        Seen { status: order.status.clone(), status_id: order.status_id, paid: order.paid() }
    }
}

/// The hooks an order trigger calls, given the fetched order and what was seen of it before.
///
/// `on_order_paid` fires the first time an order is seen paid: on creation if it was paid
/// at checkout, on an update if it was seen unpaid before. For an order never seen before
/// (the watcher started after it was created), it fires only if the payment date is on or
/// after `watching_since`: an old paid order changing status is not a new payment. Without
/// `watching_since` (a dry run), an unseen paid order counts as newly paid.
#[must_use]
pub fn events_for(
    trigger: &Trigger,
    order: Option<&Order>,
    before: Option<&Seen>,
    watching_since: Option<&ApiDate>,
) -> Vec<RuleEvent> {
    let subject = trigger.subject.clone();
    let event = |hook, change| RuleEvent { hook, subject: subject.clone(), change };
    match (&trigger.subject, trigger.kind) {
        (Subject::Order(_), TriggerKind::Deleted) => vec![event(Hook::OrderDeleted, None)],
        (Subject::Customer(_), TriggerKind::Deleted) => vec![event(Hook::CustomerDeleted, None)],
        (Subject::Customer(_), TriggerKind::Created) => vec![event(Hook::CustomerCreated, None)],
        (Subject::Customer(_), TriggerKind::Updated) => vec![event(Hook::CustomerUpdated, None)],
        (Subject::Order(_), kind) => {
            // A created or changed order that no longer exists has nothing to run on.
            let Some(order) = order else { return Vec::new() };
            let paid = order.paid_date.is_some();
            let newly_paid = paid
                && match before {
                    Some(seen) => !seen.paid,
                    None => match (watching_since, &order.paid_date) {
                        (Some(since), Some(date)) => date.date() >= since.date(),
                        _ => true,
                    },
                };
            let mut out = Vec::with_capacity(2);
            if kind == TriggerKind::Created {
                out.push(event(Hook::OrderCreated, None));
            } else {
                out.push(event(
                    Hook::OrderUpdated,
                    Some(StatusChange {
                        previous_status: before.and_then(|s| s.status.clone()),
                        previous_status_id: before.and_then(|s| s.status_id),
                        status: order.status.clone(),
                        status_id: order.status_id,
                        was_paid: before.map(|s| s.paid),
                        paid,
                    }),
                ));
            }
            if newly_paid {
                out.push(event(Hook::OrderPaid, None));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(number: &str, status_id: u64, paid: Option<&str>) -> Order {
        let mut o = Order { number: number.to_owned(), ..Order::default() };
        o.status_id = Some(status_id);
        o.status = Some(format!("status {status_id}"));
        o.paid_date = paid.map(|d| d.parse().unwrap());
        o
    }

    fn hooks(events: &[RuleEvent]) -> Vec<Hook> {
        events.iter().map(|e| e.hook).collect()
    }

    fn trigger(kind: TriggerKind) -> Trigger {
        Trigger { kind, subject: Subject::Order("1".into()) }
    }

    #[test]
    fn created_paid_at_checkout_calls_created_then_paid() {
        let o = order("1", 1, Some("2026-05-01"));
        let e = events_for(&trigger(TriggerKind::Created), Some(&o), None, None);
        assert_eq!(hooks(&e), [Hook::OrderCreated, Hook::OrderPaid]);
    }

    #[test]
    fn an_update_carries_the_change_and_payment_fires_once() {
        let before = Seen { status: Some("status 1".into()), status_id: Some(1), paid: false };
        let o = order("1", 2, Some("2026-05-02"));
        let e = events_for(&trigger(TriggerKind::Updated), Some(&o), Some(&before), None);
        assert_eq!(hooks(&e), [Hook::OrderUpdated, Hook::OrderPaid]);
        let change = e[0].change.as_ref().unwrap();
        assert!(change.status_changed());
        assert_eq!((change.previous_status_id, change.status_id), (Some(1), Some(2)));
        // Seen paid already: no second payment.
        let again = events_for(&trigger(TriggerKind::Updated), Some(&o), Some(&Seen::of(&o)), None);
        assert_eq!(hooks(&again), [Hook::OrderUpdated]);
        assert!(!again[0].change.as_ref().unwrap().status_changed());
    }

    #[test]
    fn unseen_old_payments_are_not_new_when_watching() {
        let since: ApiDate = "2026-05-10".parse().unwrap();
        let old = order("1", 3, Some("2026-04-01"));
        let new = order("1", 3, Some("2026-05-10"));
        let t = trigger(TriggerKind::Updated);
        assert_eq!(hooks(&events_for(&t, Some(&old), None, Some(&since))), [Hook::OrderUpdated]);
        assert_eq!(
            hooks(&events_for(&t, Some(&new), None, Some(&since))),
            [Hook::OrderUpdated, Hook::OrderPaid]
        );
        // A dry run (no watching date) counts it as new.
        assert_eq!(
            hooks(&events_for(&t, Some(&old), None, None)),
            [Hook::OrderUpdated, Hook::OrderPaid]
        );
    }

    #[test]
    fn deleted_and_vanished_orders() {
        assert_eq!(
            hooks(&events_for(&trigger(TriggerKind::Deleted), None, None, None)),
            [Hook::OrderDeleted]
        );
        assert!(events_for(&trigger(TriggerKind::Updated), None, None, None).is_empty());
    }

    #[test]
    fn hook_names_round_trip() {
        for h in Hook::ALL {
            assert_eq!(Hook::from_function_name(h.function_name()), Some(h));
        }
        assert_eq!(Hook::from_function_name("on_order_shipped"), None);
    }
}
