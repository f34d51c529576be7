//! Per-item results of order writes, all inside a 200 response.

use serde::{Deserialize, Serialize};

use crate::lenient::{list, optional as opt};
use crate::upgates::message::{ApiMessage, ItemResult, item_succeeded};

/// The answer to `POST /orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrdersCreateResponse {
    /// One result per order sent.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<OrderCreated>,
    /// Messages about the request as a whole.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ApiMessage>,
}

/// What happened to one order of a create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderCreated {
    /// The external number sent.
    #[serde(default, deserialize_with = "opt")]
    pub external_order_number: Option<String>,
    /// The new order's number; `None` when it was not created.
    #[serde(default, deserialize_with = "opt")]
    pub order_number: Option<String>,
    /// Link to the order.
    #[serde(default, deserialize_with = "opt")]
    pub order_url: Option<String>,
    /// Whether it was created (`created` in the old documentation).
    #[serde(default, alias = "created", deserialize_with = "opt")]
    pub created_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for OrderCreated {
    fn key(&self) -> Option<&str> {
        self.external_order_number.as_deref().or(self.order_number.as_deref())
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.created_yn, self.order_number.is_some(), &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// The answer to `PUT /orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrdersUpdateResponse {
    /// One result per order sent.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<OrderUpdated>,
    /// Messages about the request as a whole.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ApiMessage>,
}

/// What happened to one order of an update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderUpdated {
    /// The order.
    #[serde(default, deserialize_with = "opt")]
    pub order_number: Option<String>,
    /// Link to the order.
    #[serde(default, deserialize_with = "opt")]
    pub order_url: Option<String>,
    /// Whether it was updated.
    #[serde(default, alias = "updated", deserialize_with = "opt")]
    pub updated_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for OrderUpdated {
    fn key(&self) -> Option<&str> {
        self.order_number.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.updated_yn, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// The answer to `DELETE /orders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrdersDeleteResponse {
    /// One result per order named.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<OrderDeleted>,
    /// Messages about the request as a whole.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ApiMessage>,
}

/// What happened to one order of a delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderDeleted {
    /// The order.
    #[serde(default, deserialize_with = "opt")]
    pub order_number: Option<String>,
    /// Whether it was deleted (`deleted` in the old documentation).
    #[serde(default, alias = "deleted", deserialize_with = "opt")]
    pub deleted_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for OrderDeleted {
    fn key(&self) -> Option<&str> {
        self.order_number.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.deleted_yn, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_inside_a_200_are_visible() {
        let r: OrdersUpdateResponse = serde_json::from_str(
            r#"{"orders":[
                {"order_number":"1","order_url":"u","updated_yn":true,"messages":[]},
                {"order_number":"2","updated_yn":false,"messages":[{"object":"order","property":"status","message":"Unknown status","level":"error"}]},
                {"order_number":"3","updated_yn":"1","messages":[{"object":"order","property":"status","message":"x","level":"fatal_error"}]}
            ]}"#,
        )
        .unwrap();
        let ok: Vec<bool> = r.orders.iter().map(ItemResult::succeeded).collect();
        assert_eq!(ok, vec![true, false, false]);
    }

    #[test]
    fn old_field_names_are_accepted() {
        let c: OrdersCreateResponse = serde_json::from_str(r#"{"orders":[{"order_number":null,"created":false,"messages":[{"object":"customer","property":"email","message":"invalid"}]}]}"#).unwrap();
        assert!(!c.orders[0].succeeded());
        let d: OrdersDeleteResponse = serde_json::from_str(
            r#"{"orders":[{"order_number":"1","deleted":true,"messages":[]}]}"#,
        )
        .unwrap();
        assert!(d.orders[0].succeeded());
    }
}
