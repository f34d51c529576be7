//! What a dry run knows of the shop: the records events are about, the shop's statuses, and
//! what was seen of orders before. Each part reads the shape the API answers with, so a saved
//! `GET /orders` response is a valid data file as it is.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;
use shopflow_core::automation::Seen;
use shopflow_core::json::{JsonError, from_slice};
use shopflow_core::upgates::customer::Customer;
use shopflow_core::upgates::order::Order;
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

    /// Orders by number, shared (hooks receive them without a copy).
    #[must_use]
    pub fn orders_by_number(&self) -> HashMap<String, Arc<Order>> {
        self.orders.iter().map(|o| (o.order_number.clone(), Arc::new(o.clone()))).collect()
    }

    /// Customers by id.
    #[must_use]
    pub fn customers_by_id(&self) -> HashMap<u64, Arc<Customer>> {
        self.customers.iter().map(|c| (c.customer_id, Arc::new(c.clone()))).collect()
    }
}
