//! The platform seam: what a platform must provide for rules to run on it. Each platform
//! implements [`Platform`] once, in its own folder (`upgates::Upgates`); the rules service,
//! dry runs and the npm package's `applyActions` go through it, and nothing else in
//! `automation` knows a platform.

use crate::automation::merge::{Current, Merged, merge};
use crate::automation::platform::Capabilities;
use crate::automation::{Action, Hook, Subject, Trigger, TriggerKind};

/// One platform behind the seam.
pub trait Platform {
    /// A delivery as the platform sends it, parsed (a webhook batch, an event callback).
    type Delivery;
    /// The platform's requests for a batch of merged changes, each remembering its actions.
    type Plan;

    /// What it can do (actions, items per write, requests in flight).
    const CAPABILITIES: Capabilities;

    /// The records a delivery names, as triggers, in its order.
    fn triggers(delivery: &Self::Delivery) -> Vec<Trigger>;

    /// The fewest requests for the merged changes.
    fn plan(merged: Merged) -> Self::Plan;

    /// Every rule's actions merged against what is known, then planned.
    fn plan_actions(actions: &[Action], current: &Current<'_>) -> Self::Plan {
        Self::plan(merge(actions, current))
    }
}

/// The records a batch of triggers needs read before rules run on them, given the hooks the
/// rules define: orders by number and customers by id, each once, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Orders to read.
    pub orders: Vec<String>,
    /// Customers to read.
    pub customers: Vec<u64>,
}

/// What `triggers` need read for rules that define `handles` hooks: created and updated
/// records whose hooks some rule defines (deleted ones are gone; nothing to read).
#[must_use]
pub fn reads(triggers: &[Trigger], handles: impl Fn(Hook) -> bool) -> Reads {
    let any = |hooks: &[Hook]| hooks.iter().any(|h| handles(*h));
    let order_hooks = any(&[Hook::OrderCreated, Hook::OrderUpdated, Hook::OrderPaid]);
    let customer_hooks = any(&[Hook::CustomerCreated, Hook::CustomerUpdated]);
    let mut out = Reads::default();
    for t in triggers.iter().filter(|t| t.kind != TriggerKind::Deleted) {
        match &t.subject {
            Subject::Order(n) if order_hooks => out.orders.push(n.clone()),
            Subject::Customer(id) if customer_hooks => out.customers.push(*id),
            _ => {}
        }
    }
    out.orders.sort();
    out.orders.dedup();
    out.customers.sort_unstable();
    out.customers.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_some_hook_reads_is_read_and_each_once() {
        let t = |kind, subject| Trigger { kind, subject };
        let triggers = [
            t(TriggerKind::Created, Subject::Order("2".into())),
            t(TriggerKind::Updated, Subject::Order("1".into())),
            t(TriggerKind::Updated, Subject::Order("2".into())),
            t(TriggerKind::Deleted, Subject::Order("3".into())),
            t(TriggerKind::Created, Subject::Customer(7)),
        ];
        let r = reads(&triggers, |h| h == Hook::OrderPaid);
        assert_eq!(r, Reads { orders: vec!["1".into(), "2".into()], customers: vec![] });
        let r = reads(&triggers, |h| h == Hook::CustomerCreated);
        assert_eq!(r, Reads { orders: vec![], customers: vec![7] });
    }
}
