//! Order statuses: `/order-statuses` (CRUD) and the retired `/orders/states` read shape.
//!
//! Status names are per language and per shop; ids are per shop. Rules match statuses by
//! id or by system `type` (Received, Canceled, Sent, …), never by a hard-coded id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::lenient::{flag, list, object, optional as opt};
use crate::open_enum;
use crate::upgates::message::{ApiMessage, ItemResult, item_succeeded};
use crate::validation::{At, Problem, Validate, quoted};

open_enum! {
    /// A status's system role. Statuses a shop adds are `Custom`.
    pub enum OrderStatusType {
        /// Received (*Přijatá*).
        Received = "Received",
        /// Canceled (*Storno*).
        Canceled = "Canceled",
        /// Sent (*Odeslaná*).
        Sent = "Sent",
        /// Payment succeeded.
        PaymentSuccessful = "PaymentSuccessful",
        /// Payment failed.
        PaymentFailed = "PaymentFailed",
        /// Payment canceled.
        PaymentCanceled = "PaymentCanceled",
        /// Payment in progress.
        PaymentInProcess = "PaymentInProcess",
        /// Unresolved (*Nedořešená*).
        Unresolved = "Unresolved",
        /// Made by the shop.
        Custom = "Custom",
        /// Home Credit: processing.
        HomecreditProcessing = "HomecreditProcessing",
        /// Home Credit: rejected.
        HomecreditRejected = "HomecreditRejected",
        /// Home Credit: approved.
        HomecreditApproved = "HomecreditApproved",
        /// Home Credit: ready to ship.
        HomecreditReadyToShip = "HomecreditReadyToShip",
        /// Home Credit: sent.
        HomecreditSent = "HomecreditSent",
        /// Home Credit: delivered.
        HomecreditDelivered = "HomecreditDelivered",
        /// Home Credit: paid.
        HomecreditPaid = "HomecreditPaid",
        /// Home Credit: canceled.
        HomecreditCanceled = "HomecreditCanceled",
    }
}

/// A status's name in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct StatusDescription {
    /// Language code.
    #[serde(default, deserialize_with = "opt")]
    pub language_id: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
}

impl StatusDescription {
    /// A name in a language.
    #[must_use]
    pub fn new(language_id: impl Into<String>, name: impl Into<String>) -> Self {
        StatusDescription { language_id: Some(language_id.into()), name: Some(name.into()) }
    }
}

/// An order status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatus {
    /// Id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// System role.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub status_type: Option<OrderStatusType>,
    /// Colour in HTML hex.
    #[serde(default, deserialize_with = "opt")]
    pub color: Option<String>,
    /// Names per language.
    #[serde(default, deserialize_with = "list")]
    pub descriptions: Vec<StatusDescription>,
    /// Orders set to this status are marked resolved.
    #[serde(default, deserialize_with = "flag")]
    pub mark_resolved_yn: bool,
    /// Orders set to this status are marked paid.
    #[serde(default, deserialize_with = "flag")]
    pub mark_paid_yn: bool,
    /// Last change.
    #[serde(default, deserialize_with = "opt")]
    pub last_update_time: Option<ApiDate>,
    /// Creation.
    #[serde(default, deserialize_with = "opt")]
    pub creation_time: Option<ApiDate>,
}

impl OrderStatus {
    /// The status's name in `language`, if it has one.
    #[must_use]
    pub fn name_in(&self, language: &str) -> Option<&str> {
        self.descriptions
            .iter()
            .find(|d| d.language_id.as_deref() == Some(language))
            .and_then(|d| d.name.as_deref())
    }

    /// Its name in the first language that has one.
    #[must_use]
    pub fn any_name(&self) -> Option<&str> {
        self.descriptions.iter().find_map(|d| d.name.as_deref())
    }

    /// Whether `name` is this status's name in any language (the API accepts any), compared
    /// without regard to case, Czech letters included (`ODESLANÁ` is `Odeslaná`).
    #[must_use]
    pub fn has_name(&self, name: &str) -> bool {
        let wanted = name.trim().to_lowercase();
        self.descriptions
            .iter()
            .any(|d| d.name.as_deref().is_some_and(|n| n.trim().to_lowercase() == wanted))
    }
}

/// The answer to `GET /order-statuses`, or to the retired `GET /orders/states`.
///
/// Both shapes read into the same list: the old `states[{id, type, color, names{lang: name}}]`
/// becomes `order_statuses` with `descriptions`, a `null` type becoming `Custom`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusList {
    /// The statuses.
    pub order_statuses: Vec<OrderStatus>,
}

impl<'de> Deserialize<'de> for OrderStatusList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Either {
            #[serde(default, deserialize_with = "list")]
            order_statuses: Vec<OrderStatus>,
            #[serde(default, deserialize_with = "list")]
            states: Vec<LegacyState>,
        }
        let e = Either::deserialize(d)?;
        let mut order_statuses = e.order_statuses;
        order_statuses.extend(e.states.into_iter().map(LegacyState::into_status));
        Ok(OrderStatusList { order_statuses })
    }
}

/// One entry of the retired `GET /orders/states`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LegacyState {
    /// Id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// System role; `null` for the shop's own statuses.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub state_type: Option<OrderStatusType>,
    /// Colour.
    #[serde(default, deserialize_with = "opt")]
    pub color: Option<String>,
    /// Names keyed by language (`{"cz": "Přijatá"}`).
    #[serde(default, deserialize_with = "names")]
    pub names: BTreeMap<String, String>,
}

fn names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    // PHP writes an empty map as `[]`, which `object` reads as none.
    Ok(object(d)?.unwrap_or_default())
}

impl LegacyState {
    /// The same status in the current shape.
    #[must_use]
    pub fn into_status(self) -> OrderStatus {
        OrderStatus {
            id: self.id,
            status_type: Some(self.state_type.unwrap_or(OrderStatusType::Custom)),
            color: self.color,
            descriptions: self
                .names
                .into_iter()
                .map(|(l, n)| StatusDescription::new(l, n))
                .collect(),
            ..OrderStatus::default()
        }
    }
}

/// A status to create (`POST`, `id` absent) or change (`PUT`, `id` set). One per request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusWrite {
    /// The status to change (PUT only).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Colour in HTML hex (`#ff0000`).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Names per language (required).
    #[serde(default, deserialize_with = "list")]
    pub descriptions: Vec<StatusDescription>,
    /// Mark orders resolved on this status.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub mark_resolved_yn: Option<bool>,
    /// Mark orders paid on this status.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub mark_paid_yn: Option<bool>,
}

impl Validate for OrderStatusWrite {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        if self.descriptions.is_empty() {
            out.push(
                root.field("descriptions").problem("at least one {language_id, name}", "none"),
            );
        }
        for (i, d) in self.descriptions.iter().enumerate() {
            let at = root.index("descriptions", i);
            at.field("language_id").require_text(d.language_id.as_deref(), "a language code", out);
            at.field("name").require_text(d.name.as_deref(), "a name", out);
        }
        if let Some(c) = &self.color {
            let hex = c.strip_prefix('#').unwrap_or(c);
            if !(matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())) {
                out.push(root.field("color").problem("an HTML hex colour like #1e88e5", quoted(c)));
            }
        }
    }
}

/// The answer to creating, changing or deleting a status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusWriteResponse {
    /// The result.
    #[serde(default, deserialize_with = "object")]
    pub order_status: Option<OrderStatusResult>,
}

/// What happened to the status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusResult {
    /// The status's id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// Created (POST).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub created_yn: Option<bool>,
    /// Updated (PUT).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub updated_yn: Option<bool>,
    /// Deleted (DELETE).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deleted_yn: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for OrderStatusResult {
    fn key(&self) -> Option<&str> {
        None
    }
    fn succeeded(&self) -> bool {
        item_succeeded(
            self.created_yn.or(self.updated_yn).or(self.deleted_yn),
            self.id.is_some(),
            &self.messages,
        )
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_list_shapes_read_the_same() {
        let new: OrderStatusList = serde_json::from_str(
            r##"{"order_statuses":[{"id":1,"type":"Received","color":"#00ff00","descriptions":[{"language_id":"cs","name":"Přijatá"}],"mark_resolved_yn":false,"mark_paid_yn":false,"last_update_time":"2024-04-22T10:00:00+02:00","creation_time":"2020-01-01T00:00:00+01:00"}]}"##,
        )
        .unwrap();
        let old: OrderStatusList =
            serde_json::from_str(r##"{"states":[{"id":1,"type":"Received","color":"#00ff00","names":{"cs":"Přijatá"}},{"id":9,"type":null,"color":"","names":[]}]}"##)
                .unwrap();
        assert_eq!(new.order_statuses[0].name_in("cs"), old.order_statuses[0].name_in("cs"));
        assert_eq!(old.order_statuses[1].status_type, Some(OrderStatusType::Custom));
        assert!(old.order_statuses[0].has_name("přijatá"));
        assert!(old.order_statuses[0].has_name("PŘIJATÁ"));
    }

    #[test]
    fn status_write_problems() {
        let w = OrderStatusWrite { color: Some("red".into()), ..Default::default() };
        let p = w.validate().unwrap_err().0;
        assert_eq!(p.len(), 2);
    }
}
