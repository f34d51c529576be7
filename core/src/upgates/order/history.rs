//! Order history: adding a note (`POST /orders/{n}/history`) and reading the log.
//!
//! Third-party systems leave notes in an order's history for the shop's staff. One request
//! adds one record; the API cuts `name` to 50 and `value` to 500 characters and strips HTML,
//! so over-long text is a validation problem here rather than a silent cut there.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::lenient::{list, optional as opt};
use crate::open_enum;
use crate::upgates::message::ApiMessage;
use crate::upgates::order::object::NameValue;
use crate::validation::{At, Problem, Validate};

/// Longest history `name`, in characters.
pub const HISTORY_NAME_MAX: usize = 50;
/// Longest history `value`, in characters.
pub const HISTORY_VALUE_MAX: usize = 500;

/// A history record to add: one or more name/value pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryAddRequest {
    /// The record's data.
    #[serde(default, deserialize_with = "list")]
    pub data: Vec<NameValue>,
}

impl HistoryAddRequest {
    /// A record with one name/value pair.
    #[must_use]
    pub fn note(name: impl Into<String>, value: impl Into<String>) -> Self {
        HistoryAddRequest { data: vec![NameValue::new(name, value)] }
    }
}

impl Validate for HistoryAddRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        if self.data.is_empty() {
            out.push(
                At::root()
                    .field("data")
                    .problem("at least one {name, value} pair", "an empty list"),
            );
        }
        for (i, item) in self.data.iter().enumerate() {
            let at = At::record("data", i, None);
            let name_at = at.field("name");
            match item.name.as_deref() {
                Some(n) => {
                    name_at.require_text(Some(n), "a name", out);
                    name_at.max_chars(n, HISTORY_NAME_MAX, out);
                }
                None => name_at.require_text(None, "a name", out),
            }
            match item.value.as_deref() {
                Some(v) => at.field("value").max_chars(v, HISTORY_VALUE_MAX, out),
                None => at.field("value").require_text(None, "a value", out),
            }
        }
    }
}

/// The answer to adding a history record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryAddResponse {
    /// Whether the record was added.
    #[serde(default, alias = "updated_yn", deserialize_with = "opt")]
    pub updated: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl HistoryAddResponse {
    /// Whether the note was written.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        crate::upgates::message::item_succeeded(self.updated, true, &self.messages)
    }
}

open_enum! {
    /// Where a history event came from.
    pub enum HistoryOrigin {
        /// The admin.
        Admin = "admin",
        /// Upgates support.
        Support = "support",
        /// The shop front.
        Frontend = "frontend",
        /// The API.
        Api = "api",
        /// An import.
        Import = "import",
        /// Upgates itself.
        System = "system",
        /// A payment gateway.
        PaymentGateway = "paymentGateway",
        /// Payment pairing.
        PaymentPairing = "paymentPairing",
    }
}

/// An order's history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderHistory {
    /// How many events.
    #[serde(default, deserialize_with = "opt")]
    pub number_of_items: Option<u64>,
    /// The events.
    #[serde(default, deserialize_with = "list")]
    pub history: Vec<HistoryEvent>,
}

/// One history event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryEvent {
    /// Event name.
    #[serde(default, deserialize_with = "opt")]
    pub event: Option<String>,
    /// Who did it.
    #[serde(default, deserialize_with = "opt")]
    pub user_name: Option<String>,
    /// What changed.
    #[serde(default, deserialize_with = "one_or_many")]
    pub changes: Vec<HistoryChange>,
    /// Deprecated; use `origin`.
    #[serde(default, deserialize_with = "opt")]
    pub admin_yn: Option<bool>,
    /// Where it came from.
    #[serde(default, deserialize_with = "opt")]
    pub origin: Option<HistoryOrigin>,
    /// Data sent with it (notes added through the API).
    #[serde(default, deserialize_with = "list")]
    pub data: Vec<NameValue>,
    /// When.
    #[serde(default, deserialize_with = "opt")]
    pub creation_time: Option<ApiDate>,
}

/// One changed value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryChange {
    /// What changed.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Before.
    #[serde(default, deserialize_with = "opt")]
    pub before: Option<String>,
    /// After.
    #[serde(default, deserialize_with = "opt")]
    pub after: Option<String>,
}

/// `changes` is documented as an object holding "an array of objects": accept one change
/// object or a list of them.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<HistoryChange>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(#[serde(deserialize_with = "list")] Vec<HistoryChange>),
        One(HistoryChange),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::Many(v)) => v,
        Some(OneOrMany::One(c)) if c == HistoryChange::default() => Vec::new(),
        Some(OneOrMany::One(c)) => vec![c],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_checked_in_characters() {
        assert!(HistoryAddRequest::note("č".repeat(50), "ž".repeat(500)).validate().is_ok());
        let p = HistoryAddRequest::note("n".repeat(51), "v".repeat(501)).validate().unwrap_err().0;
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].path, "data[0].name");
        assert_eq!(p[1].expected, "at most 500 characters");
    }

    #[test]
    fn history_reads_changes_as_object_or_list() {
        let h: OrderHistory = serde_json::from_str(
            r#"{"number_of_items":2,"history":[
                {"event":"Změna stavu","user_name":"API","changes":{"name":"status","before":"Přijatá","after":"Vyřizuje se"},"origin":"api","data":[],"creation_time":"2024-02-29T14:24:49+01:00"},
                {"event":"Poznámka","changes":[],"admin_yn":true,"origin":"paymentGateway","data":[{"name":"shopflow","value":"ok"}]}
            ]}"#,
        )
        .unwrap();
        assert_eq!(h.history[0].changes[0].after.as_deref(), Some("Vyřizuje se"));
        assert!(h.history[1].changes.is_empty());
        assert_eq!(h.history[1].origin, Some(HistoryOrigin::PaymentGateway));
    }
}
