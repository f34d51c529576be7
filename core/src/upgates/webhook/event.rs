//! Webhook event names: `Entity.action`, like `Orders.create`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lenient::{self, Lenient};
use crate::open_enum;

open_enum! {
    /// What a webhook is about.
    pub enum WebhookEntity {
        /// Orders.
        Orders = "Orders" | "Order",
        /// Order statuses.
        OrderStatuses = "OrderStatuses",
        /// Products (and variants).
        Products = "Products",
        /// Labels.
        Labels = "Labels",
        /// Categories.
        Categories = "Categories",
        /// Customers.
        Customers = "Customers",
        /// Shipments.
        Shipments = "Shipments",
        /// Payments.
        Payments = "Payments",
        /// Pricelists.
        Pricelists = "Pricelists",
        /// Languages.
        Languages = "Languages",
        /// Invoices (the documents page also writes `Invoice`).
        Invoices = "Invoices" | "Invoice",
        /// Availabilities.
        Availabilities = "Availabilities",
    }
}

open_enum! {
    /// What happened to it. The changelog capitalizes some (`Customers.Update`).
    pub enum WebhookAction {
        /// Created.
        Create = "create" | "Create",
        /// Changed.
        Update = "update" | "Update",
        /// Deleted.
        Delete = "delete" | "Delete",
    }
}

/// A webhook event, like `Orders.create`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebhookEvent {
    /// The entity.
    pub entity: WebhookEntity,
    /// The action.
    pub action: WebhookAction,
}

impl WebhookEvent {
    /// `Orders.create`.
    pub const ORDERS_CREATE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Orders, WebhookAction::Create);
    /// `Orders.update`.
    pub const ORDERS_UPDATE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Orders, WebhookAction::Update);
    /// `Orders.delete`.
    pub const ORDERS_DELETE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Orders, WebhookAction::Delete);
    /// `Customers.create`.
    pub const CUSTOMERS_CREATE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Customers, WebhookAction::Create);
    /// `Customers.update`.
    pub const CUSTOMERS_UPDATE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Customers, WebhookAction::Update);
    /// `Customers.delete`.
    pub const CUSTOMERS_DELETE: WebhookEvent =
        WebhookEvent::new(WebhookEntity::Customers, WebhookAction::Delete);

    /// The event for an entity and an action.
    #[must_use]
    pub const fn new(entity: WebhookEntity, action: WebhookAction) -> Self {
        WebhookEvent { entity, action }
    }

    /// Whether both parts are documented values.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.entity.is_known() && self.action.is_known()
    }
}

impl fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.entity, self.action)
    }
}

/// Text that is not `Entity.action`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a webhook event like Orders.create, found {0:?}")]
pub struct ParseEventError(String);

impl FromStr for WebhookEvent {
    type Err = ParseEventError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t.split_once('.') {
            Some((entity, action))
                if !entity.is_empty() && !action.is_empty() && !action.contains('.') =>
            {
                Ok(WebhookEvent::new(WebhookEntity::from(entity), WebhookAction::from(action)))
            }
            _ => Err(ParseEventError(s.to_owned())),
        }
    }
}

impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Lenient for WebhookEvent {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        match String::deserialize_lenient(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
        }
    }

    fn expecting() -> &'static str {
        "a webhook event like Orders.create"
    }
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::required(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_from_the_documentation() {
        assert_eq!("Orders.create".parse::<WebhookEvent>().unwrap(), WebhookEvent::ORDERS_CREATE);
        assert_eq!("Order.Update".parse::<WebhookEvent>().unwrap(), WebhookEvent::ORDERS_UPDATE);
        let inv: WebhookEvent = "Invoice.delete".parse().unwrap();
        assert_eq!(inv.to_string(), "Invoices.delete");
        let other: WebhookEvent = "Widgets.explode".parse().unwrap();
        assert!(!other.is_known());
        assert_eq!(other.to_string(), "Widgets.explode");
        assert!("Orders".parse::<WebhookEvent>().is_err());
        assert!("Orders.create.x".parse::<WebhookEvent>().is_err());
    }
}
