//! What rules ask for. Every action names its order or customer; the planner merges all of
//! an order's actions into one item of one request.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::notify::Notify;

/// The most characters of a history record's name the API keeps.
pub const HISTORY_NAME_MAX: usize = 50;
/// The most characters of a history record's value the API keeps.
pub const HISTORY_VALUE_MAX: usize = 500;

/// A status, by id or by name (names match without regard to case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum StatusRef {
    /// By id.
    Id(u64),
    /// By name, as the shop shows it.
    Name(String),
}

impl std::fmt::Display for StatusRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusRef::Id(id) => write!(f, "status id {id}"),
            StatusRef::Name(name) => write!(f, "status {name:?}"),
        }
    }
}

/// One change a rule asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Set the order's status.
    SetStatus {
        /// Order number.
        order: String,
        /// The status.
        status: StatusRef,
        /// Whether the customer hears about it (default: no).
        #[serde(default)]
        notify: Notify,
    },
    /// Mark the order paid, on `date` (default: the day it is applied).
    MarkPaid {
        /// Order number.
        order: String,
        /// The payment date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<ApiDate>,
        /// Whether the customer hears about it (default: no).
        #[serde(default)]
        notify: Notify,
    },
    /// Mark the order resolved.
    MarkResolved {
        /// Order number.
        order: String,
    },
    /// Set the shipment tracking code. Upgates keeps one tracking code on the order, replaced,
    /// and no carrier: `carrier` is not sent there. Retailys keeps several, each with its
    /// carrier: the one named here (matched without regard to case among the shop's carriers),
    /// else the order's shipping carrier.
    SetTracking {
        /// Order number.
        order: String,
        /// The code.
        code: String,
        /// The carrier's name, as the shop lists it (Retailys); absent: the order's carrier.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        carrier: Option<String>,
        /// Whether the customer hears about it (default: no; Upgates only: Retailys has no
        /// control over its e-mails).
        #[serde(default)]
        notify: Notify,
    },
    /// Cancel the order. Upgates sets the shop's status of type Canceled (and tells the
    /// customer as `notify` says); Retailys sets its canceled flag (`PATCH …/cancel`, which has
    /// no undo and no control over e-mails).
    Cancel {
        /// Order number.
        order: String,
        /// Whether the customer hears about it (default: no; Upgates only).
        #[serde(default)]
        notify: Notify,
    },
    /// Mark the order sent (handed to the carrier). Upgates sets the shop's status of type Sent
    /// (and tells the customer as `notify` says); Retailys sets its sent flag (`PATCH …/sent`).
    MarkSent {
        /// Order number.
        order: String,
        /// Whether the customer hears about it (default: no; Upgates only).
        #[serde(default)]
        notify: Notify,
    },
    /// Mark the order delivered: Retailys only (`PATCH …/delivered`). Upgates has no such flag
    /// or status type; there, `set_status` with the shop's own delivered status does it. No
    /// `notify`: neither platform lets a delivered mark tell the customer.
    MarkDelivered {
        /// Order number.
        order: String,
    },
    /// Add a record to the order's history (one request per order: the API takes no batch).
    AddHistory {
        /// Order number.
        order: String,
        /// The record's name (at most 50 characters).
        name: String,
        /// Its value (at most 500 characters).
        value: String,
    },
    /// Replace the order's internal note.
    SetInternalNote {
        /// Order number.
        order: String,
        /// The note.
        text: String,
    },
    /// Set a custom field of the order.
    SetMeta {
        /// Order number.
        order: String,
        /// The field's key.
        key: String,
        /// Its value.
        value: String,
    },
    /// Issue the invoice (once: an order with an invoice number already is left alone).
    GenerateInvoice {
        /// Order number.
        order: String,
        /// Whether the customer hears about it (default: no).
        #[serde(default)]
        notify: Notify,
    },
    /// Replace the customer account's note.
    SetCustomerNote {
        /// Customer id.
        customer: u64,
        /// The note.
        text: String,
    },
    /// Set a custom field of the customer account.
    SetCustomerMeta {
        /// Customer id.
        customer: u64,
        /// The field's key.
        key: String,
        /// Its value.
        value: String,
    },
}

/// What an action changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionTarget {
    /// An order, by number.
    Order(String),
    /// A customer, by id.
    Customer(u64),
}

impl Action {
    /// The order or customer it changes.
    #[must_use]
    pub fn target(&self) -> ActionTarget {
        match self {
            Action::SetStatus { order, .. }
            | Action::MarkPaid { order, .. }
            | Action::MarkResolved { order }
            | Action::SetTracking { order, .. }
            | Action::Cancel { order, .. }
            | Action::MarkSent { order, .. }
            | Action::MarkDelivered { order }
            | Action::AddHistory { order, .. }
            | Action::SetInternalNote { order, .. }
            | Action::SetMeta { order, .. }
            | Action::GenerateInvoice { order, .. } => ActionTarget::Order(order.clone()),
            Action::SetCustomerNote { customer, .. } | Action::SetCustomerMeta { customer, .. } => {
                ActionTarget::Customer(*customer)
            }
        }
    }

    /// The action's name as rules call it (`set_status`, …).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Action::SetStatus { .. } => "set_status",
            Action::MarkPaid { .. } => "mark_paid",
            Action::MarkResolved { .. } => "mark_resolved",
            Action::SetTracking { .. } => "set_tracking",
            Action::Cancel { .. } => "cancel",
            Action::MarkSent { .. } => "mark_sent",
            Action::MarkDelivered { .. } => "mark_delivered",
            Action::AddHistory { .. } => "add_history",
            Action::SetInternalNote { .. } => "set_internal_note",
            Action::SetMeta { .. } => "set_meta",
            Action::GenerateInvoice { .. } => "generate_invoice",
            Action::SetCustomerNote { .. } => "set_customer_note",
            Action::SetCustomerMeta { .. } => "set_customer_meta",
        }
    }

    /// Whether the customer is told (for actions that can tell them).
    #[must_use]
    pub fn notify(&self) -> Notify {
        match self {
            Action::SetStatus { notify, .. }
            | Action::MarkPaid { notify, .. }
            | Action::SetTracking { notify, .. }
            | Action::Cancel { notify, .. }
            | Action::MarkSent { notify, .. }
            | Action::GenerateInvoice { notify, .. } => *notify,
            _ => Notify::NONE,
        }
    }

    /// Whether the action can be sent: what is wrong with its arguments otherwise.
    ///
    /// # Errors
    /// A message naming the argument, what it must be and what it was.
    pub fn check(&self) -> Result<(), String> {
        fn nonempty(what: &str, v: &str) -> Result<(), String> {
            if v.trim().is_empty() { Err(format!("{what} must not be empty")) } else { Ok(()) }
        }
        fn at_most(what: &str, v: &str, max: usize) -> Result<(), String> {
            let n = v.chars().count();
            if n > max {
                Err(format!("{what} is {n} characters long; the shop keeps at most {max}"))
            } else {
                Ok(())
            }
        }
        if let ActionTarget::Order(order) = self.target() {
            nonempty("the order number", &order)?;
        }
        match self {
            Action::SetStatus { status: StatusRef::Name(n), .. } => nonempty("the status name", n),
            Action::SetStatus { status: StatusRef::Id(0), .. } => {
                Err("a status id is a positive number, found 0".to_owned())
            }
            Action::SetTracking { code, carrier, .. } => {
                nonempty("the tracking code", code)?;
                carrier.as_deref().map_or(Ok(()), |c| nonempty("the carrier's name", c))?;
                at_most("the tracking code", code, 255)
            }
            Action::AddHistory { name, value, .. } => {
                nonempty("the history record's name", name)?;
                nonempty("the history record's value", value)?;
                at_most("the history record's name", name, HISTORY_NAME_MAX)?;
                at_most("the history record's value", value, HISTORY_VALUE_MAX)
            }
            Action::SetMeta { key, .. } | Action::SetCustomerMeta { key, .. } => {
                nonempty("the field key", key)
            }
            Action::SetCustomerNote { customer: 0, .. } => {
                Err("a customer id is a positive number, found 0".to_owned())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_and_write_as_tagged_json() {
        let a = Action::SetStatus {
            order: "2026000001".into(),
            status: StatusRef::Name("Vyřizuje se".into()),
            notify: Notify::NONE,
        };
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"action": "set_status", "order": "2026000001", "status": "Vyřizuje se", "notify": {"emails": false, "sms": false}})
        );
        assert_eq!(serde_json::from_value::<Action>(json).unwrap(), a);
        let by_id: Action = serde_json::from_value(
            serde_json::json!({"action": "set_status", "order": "1", "status": 4}),
        )
        .unwrap();
        assert_eq!(by_id.notify(), Notify::NONE, "notify defaults to no");
        assert!(matches!(by_id, Action::SetStatus { status: StatusRef::Id(4), .. }));
    }

    #[test]
    fn checks_name_the_argument() {
        let long = "x".repeat(51);
        let a = Action::AddHistory { order: "1".into(), name: long, value: "v".into() };
        assert_eq!(
            a.check().unwrap_err(),
            "the history record's name is 51 characters long; the shop keeps at most 50"
        );
        let e =
            Action::SetStatus { order: " ".into(), status: StatusRef::Id(1), notify: Notify::NONE };
        assert_eq!(e.check().unwrap_err(), "the order number must not be empty");
        assert!(Action::MarkResolved { order: "1".into() }.check().is_ok());
        let t = Action::SetTracking {
            order: "1".into(),
            code: "Z1".into(),
            carrier: Some(" ".into()),
            notify: Notify::NONE,
        };
        assert_eq!(t.check().unwrap_err(), "the carrier's name must not be empty");
    }

    #[test]
    fn flag_actions_and_a_tracking_carrier_read_and_write() {
        let cancel: Action = serde_json::from_value(serde_json::json!({"action": "cancel", "order": "7", "notify": {"emails": true, "sms": false}})).unwrap();
        assert_eq!((cancel.name(), cancel.notify()), ("cancel", Notify::EMAIL_ONLY));
        let delivered: Action =
            serde_json::from_value(serde_json::json!({"action": "mark_delivered", "order": "7"}))
                .unwrap();
        assert_eq!(delivered, Action::MarkDelivered { order: "7".into() });
        let t = Action::SetTracking {
            order: "7".into(),
            code: "Z1".into(),
            carrier: None,
            notify: Notify::NONE,
        };
        let json = serde_json::to_value(&t).unwrap();
        assert!(json.get("carrier").is_none(), "no carrier: the order's, and not written: {json}");
    }
}
