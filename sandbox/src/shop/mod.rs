//! The simulated shop: its data and what the API does to it, with no HTTP in sight.
//!
//! Each operation takes a request in shopflow-core's types and answers in them, and returns
//! the webhook records it fired. The behaviour follows the spec (`shared/spec/upgates-api.md`):
//! per-item results inside a 200, customers matched by e-mail, generated numbers, history on
//! status changes, e-mails and SMS recorded unless the write says not to.

pub mod catalog;
mod customers;
mod legacy;
pub mod orders;
pub mod pricing;
mod statuses;
pub mod store;
mod template;
mod webhooks;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use shopflow_core::ApiDate;
use shopflow_core::upgates::customer::Customer;
use shopflow_core::upgates::message::{ApiMessage, MessageLevel};
use shopflow_core::upgates::order::{HistoryEvent, Order};
use shopflow_core::upgates::order_status::{OrderStatus, StatusDescription};
use shopflow_core::upgates::webhook::Webhook;

use self::store::OrderStore;

/// A webhook record a change fired: the event and the record as it goes in the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    /// `Orders.create`, `Customers.update`, …
    pub event: String,
    /// One record of the payload's list.
    pub record: serde_json::Value,
}

/// An e-mail or SMS a real shop would have sent because of a write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// The order.
    pub order_number: String,
    /// `email` or `sms`.
    pub channel: String,
    /// Recipient.
    pub to: String,
    /// The status the message is about.
    pub status: String,
    /// The request that caused it (`PUT /api/v2/orders`).
    pub cause: String,
    /// When.
    pub at: ApiDate,
}

/// What a write said about notifying customers, for tests that check nothing is sent by
/// accident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WriteRecord {
    /// The request (`POST /api/v2/orders`).
    pub endpoint: String,
    /// `send_emails_yn` as sent; `None` when the request left it out (the API then sends).
    pub send_emails_yn: Option<bool>,
    /// `send_sms_yn` as sent.
    pub send_sms_yn: Option<bool>,
    /// Items in the request.
    pub items: usize,
    /// When.
    pub at: ApiDate,
}

/// Counters for generated numbers and ids.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Sequences {
    order: u64,
    customer: u64,
    status: u64,
    webhook: u64,
    invoice: u64,
    uuid: u64,
    history: u64,
}

/// The shop's data.
#[derive(Debug, Clone)]
pub struct Shop {
    project_name: String,
    orders: OrderStore,
    customers: BTreeMap<u64, Customer>,
    /// Lower-cased e-mail to customer id: customers are matched by e-mail on every order.
    customer_emails: HashMap<String, u64>,
    statuses: BTreeMap<u64, OrderStatus>,
    webhooks: BTreeMap<u64, Webhook>,
    history: HashMap<String, Vec<HistoryEvent>>,
    notifications: Vec<Notification>,
    writes: Vec<WriteRecord>,
    seq: Sequences,
}

/// The shop as saved to the state file. Missing sections read as empty, so a state file
/// from an older sandbox still loads.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct Snapshot {
    project_name: String,
    orders: Vec<Box<serde_json::value::RawValue>>,
    customers: Vec<Customer>,
    statuses: Vec<OrderStatus>,
    webhooks: Vec<Webhook>,
    history: HashMap<String, Vec<HistoryEvent>>,
    notifications: Vec<Notification>,
    writes: Vec<WriteRecord>,
    seq: Sequences,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            project_name: "sandbox".to_owned(),
            orders: Vec::new(),
            customers: Vec::new(),
            statuses: Vec::new(),
            webhooks: Vec::new(),
            history: HashMap::new(),
            notifications: Vec::new(),
            writes: Vec::new(),
            seq: Sequences::default(),
        }
    }
}

impl Shop {
    /// A fresh shop: system and example statuses, no orders, customers or webhooks.
    #[must_use]
    pub fn new(project_name: &str) -> Self {
        let statuses = catalog::statuses()
            .into_iter()
            .map(|s| {
                let mut st = OrderStatus::default();
                st.id = Some(s.id);
                st.status_type = Some(s.status_type);
                st.color = Some(s.color.to_owned());
                st.descriptions = ["cs", "sk", "en"]
                    .iter()
                    .zip(s.names)
                    .map(|(l, n)| StatusDescription::new(*l, n))
                    .collect();
                st.mark_resolved_yn = s.mark_resolved;
                st.mark_paid_yn = s.mark_paid;
                st.creation_time = "2019-01-01T00:00:00+01:00".parse().ok();
                st.last_update_time = st.creation_time;
                (s.id, st)
            })
            .collect::<BTreeMap<_, _>>();
        let seq = Sequences {
            status: statuses.keys().max().copied().unwrap_or(0),
            ..Sequences::default()
        };
        Shop {
            project_name: project_name.to_owned(),
            orders: OrderStore::default(),
            customers: BTreeMap::new(),
            customer_emails: HashMap::new(),
            statuses,
            webhooks: BTreeMap::new(),
            history: HashMap::new(),
            notifications: Vec::new(),
            writes: Vec::new(),
            seq,
        }
    }

    /// The shop's name, as webhooks carry it.
    #[must_use]
    pub fn project_name(&self) -> &str {
        &self.project_name
    }

    /// The orders.
    #[must_use]
    pub fn orders(&self) -> &OrderStore {
        &self.orders
    }

    /// What real customers would have received.
    #[must_use]
    pub fn notifications(&self) -> &[Notification] {
        &self.notifications
    }

    /// What every write said about notifications.
    #[must_use]
    pub fn writes(&self) -> &[WriteRecord] {
        &self.writes
    }

    /// Records a write and what it said about notifying customers.
    pub fn record_write(
        &mut self,
        endpoint: &str,
        emails: Option<bool>,
        sms: Option<bool>,
        items: usize,
    ) {
        self.writes.push(WriteRecord {
            endpoint: endpoint.to_owned(),
            send_emails_yn: emails,
            send_sms_yn: sms,
            items,
            at: crate::clock::now(),
        });
    }

    /// The shop's state as JSON, for the state file.
    ///
    /// # Errors
    /// When serialization fails (it does not for these types).
    pub fn to_snapshot(&self) -> Result<Vec<u8>, serde_json::Error> {
        let snapshot = Snapshot {
            project_name: self.project_name.clone(),
            orders: self
                .orders
                .iter()
                .filter_map(|o| serde_json::value::RawValue::from_string(o.json()).ok())
                .collect(),
            customers: self.customers.values().cloned().collect(),
            statuses: self.statuses.values().cloned().collect(),
            webhooks: self.webhooks.values().cloned().collect(),
            history: self.history.clone(),
            notifications: self.notifications.clone(),
            writes: self.writes.clone(),
            seq: self.seq.clone(),
        };
        serde_json::to_vec(&snapshot)
    }

    /// A shop from a state file's contents.
    ///
    /// # Errors
    /// When the contents are not a snapshot, naming the path of the bad value.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Self, shopflow_core::json::JsonError> {
        let s: Snapshot = shopflow_core::json::from_slice(bytes)?;
        let mut orders = OrderStore::default();
        for (i, raw) in s.orders.iter().enumerate() {
            let order: Order = shopflow_core::json::from_str(raw.get()).map_err(|e| {
                shopflow_core::json::JsonError { path: format!("orders[{i}].{}", e.path), ..e }
            })?;
            orders.put(&order).map_err(|e| {
                shopflow_core::json::JsonError::whole(format!("orders[{i}]"), e.to_string())
            })?;
        }
        let customers: BTreeMap<u64, Customer> =
            s.customers.into_iter().map(|c| (c.customer_id, c)).collect();
        Ok(Shop {
            project_name: s.project_name,
            orders,
            customer_emails: customers
                .values()
                .filter_map(|c| Some((c.email()?.to_lowercase(), c.customer_id)))
                .collect(),
            customers,
            statuses: s.statuses.into_iter().filter_map(|st| st.id.map(|id| (id, st))).collect(),
            webhooks: s.webhooks.into_iter().filter_map(|w| w.id.map(|id| (id, w))).collect(),
            history: s.history,
            notifications: s.notifications,
            writes: s.writes,
            seq: s.seq,
        })
    }

    fn next_uuid(&mut self) -> String {
        self.seq.uuid += 1;
        // splitmix64 of the counter: unique, stable across restarts, looks like a v4 UUID.
        let mut z = self.seq.uuid.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let n = self.seq.uuid;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            z >> 32,
            (z >> 16) & 0xffff,
            z & 0xfff,
            n & 0xfff,
            n
        )
    }
}

/// A message about one property, at error level.
pub(crate) fn error(object: &str, property: &str, message: impl Into<String>) -> ApiMessage {
    ApiMessage::about(MessageLevel::Error, object, property, message)
}

/// A message about one property, at warning level.
pub(crate) fn warning(object: &str, property: &str, message: impl Into<String>) -> ApiMessage {
    ApiMessage::about(MessageLevel::Warning, object, property, message)
}
