//! What a dry run knows of the shop: the records events are about, the shop's statuses and
//! carriers, what is in orders' histories, and what was seen of orders before. Each part
//! reads the shape the API answers with, so a saved `GET /orders` response is a valid data
//! file as it is.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;
use shopflow_core::automation::{Seen, model};
use shopflow_core::json::{JsonError, from_slice};
use shopflow_core::retailys::lookups::ShipperModel;
use shopflow_core::upgates::customer::Customer;
use shopflow_core::upgates::neutral;
use shopflow_core::upgates::order::Order;
use shopflow_core::upgates::order::object::NameValue;
use shopflow_core::upgates::order_status::OrderStatus;

/// Orders, customers, statuses and previously seen states, as a data file holds them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShopData {
    /// Orders as `GET /orders` lists them.
    #[serde(default)]
    pub orders: Vec<Order>,
    /// Customers as `GET /customers` lists them.
    #[serde(default)]
    pub customers: Vec<Customer>,
    /// The shop's statuses as `GET /order-statuses` lists them; status names in actions are
    /// checked against them when present.
    #[serde(default)]
    pub order_statuses: Option<Vec<OrderStatus>>,
    /// The carriers a rule may name in `set_tracking(order, code, carrier)`, as Retailys'
    /// `GET /System/Lists/Shippers` lists them (`{id, name}`); only a Retailys plan uses them.
    #[serde(default)]
    pub shippers: Vec<ShipperModel>,
    /// Records in orders' histories, by order number (`{name, value}`, as
    /// `GET /orders/{n}/history` lists each record's data): a record already there is not
    /// added again, as the rules service does not add one twice.
    #[serde(default)]
    pub history: BTreeMap<String, Vec<NameValue>>,
    /// What was seen of orders before, by number (status, status id, paid), for
    /// `on_order_updated`'s change and for telling a new payment from an old one.
    #[serde(default)]
    pub previous: BTreeMap<String, Seen>,
}

impl ShopData {
    /// Reads a data file.
    ///
    /// # Errors
    /// The JSON path, line and column of the first value that does not fit.
    pub fn from_json(bytes: &[u8]) -> Result<ShopData, JsonError> {
        from_slice(bytes)
    }

    /// The data as rules and the merge see it (the neutral model), shared: hooks receive
    /// the records without a copy.
    #[must_use]
    pub fn neutral(&self) -> NeutralData {
        let statuses = self.order_statuses.as_deref().map(neutral::statuses);
        let order = |o: &Order| {
            let mut n = neutral::order(&Arc::new(o.clone()));
            n.flags_from_status(statuses.as_deref().unwrap_or_default());
            (o.order_number.clone(), Arc::new(n))
        };
        NeutralData {
            orders: self.orders.iter().map(order).collect(),
            customers: self
                .customers
                .iter()
                .map(|c| (c.customer_id, Arc::new(neutral::customer(&Arc::new(c.clone())))))
                .collect(),
            statuses,
            carriers: shopflow_core::retailys::neutral::carriers(&self.shippers),
        }
    }

    /// Whether the order's history holds the record `(name, value)`.
    #[must_use]
    pub fn noted(&self, order: &str, name: &str, value: &str) -> bool {
        self.history.get(order).is_some_and(|records| {
            records
                .iter()
                .any(|r| r.name.as_deref() == Some(name) && r.value.as_deref() == Some(value))
        })
    }
}

/// A data file's records in the neutral model.
#[derive(Debug, Clone, Default)]
pub struct NeutralData {
    /// Orders by number.
    pub orders: HashMap<String, Arc<model::Order>>,
    /// Customers by id.
    pub customers: HashMap<u64, Arc<model::Customer>>,
    /// The shop's statuses, when the data has them.
    pub statuses: Option<Vec<model::Status>>,
    /// The shop's carriers, `(id, name)`.
    pub carriers: Vec<(i64, String)>,
}
