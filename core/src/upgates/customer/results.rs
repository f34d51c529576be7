//! Per-item results of customer writes.

use serde::{Deserialize, Serialize};

use crate::lenient::{list, optional as opt};
use crate::upgates::message::{ApiMessage, ItemResult, item_succeeded};

/// The answer to `POST /customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomersCreateResponse {
    /// One result per customer sent.
    #[serde(default, deserialize_with = "list")]
    pub customers: Vec<CustomerInserted>,
}

/// What happened to one customer of a create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerInserted {
    /// E-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Created.
    #[serde(default, deserialize_with = "opt")]
    pub inserted_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for CustomerInserted {
    fn key(&self) -> Option<&str> {
        self.email.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.inserted_yn, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// The answer to `PUT /customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomersUpdateResponse {
    /// One result per customer sent.
    #[serde(default, deserialize_with = "list")]
    pub customers: Vec<CustomerUpdated>,
}

/// What happened to one customer of an update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerUpdated {
    /// E-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Updated.
    #[serde(default, deserialize_with = "opt")]
    pub updated_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for CustomerUpdated {
    fn key(&self) -> Option<&str> {
        self.email.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.updated_yn, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// The answer to `DELETE /customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomersDeleteResponse {
    /// One result per customer named.
    #[serde(default, deserialize_with = "list")]
    pub customers: Vec<CustomerDeleted>,
}

/// What happened to one customer of a delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerDeleted {
    /// Id.
    #[serde(default, deserialize_with = "opt")]
    pub customer_id: Option<u64>,
    /// E-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Deleted.
    #[serde(default, alias = "deleted", deserialize_with = "opt")]
    pub deleted_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for CustomerDeleted {
    fn key(&self) -> Option<&str> {
        self.email.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.deleted_yn, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}
