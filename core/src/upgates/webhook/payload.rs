//! The bodies Upgates posts to webhooks, as typed batches.
//!
//! A body is `{project_name, <entity list>}` with at most 5000 records, each an identifier
//! and a timestamp; it does not say which event fired. The receiver knows the event from
//! the URL it registered and passes it in ([`EventSource::Configured`]); without it, the
//! event is inferred from the list's key and the timestamp field of its records
//! ([`EventSource::Inferred`]), and the batch says so.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::json::{self, JsonError};
use crate::lenient::{list, optional as opt, required as req};
use crate::open_enum;
use crate::upgates::webhook::event::{WebhookAction, WebhookEntity, WebhookEvent};

/// Where a batch's event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// The receiver's configuration (the URL the webhook was registered with).
    Configured,
    /// Guessed from the body's shape; check the registration if this is unexpected.
    Inferred,
}

/// An order in an `Orders.*` payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderRecord {
    /// The order (never empty: an empty one names no order, so it is refused as null is).
    #[serde(deserialize_with = "order_number")]
    pub order_number: String,
    /// Set on create.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
    /// Set on update.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<ApiDate>,
    /// Set on delete.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deletion_time: Option<ApiDate>,
    /// Status id (create and update; older payloads lack it).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<u64>,
    /// Status name in the order's language.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `deserialize_with` for an order number: required, and not empty or blank (`""` would name
/// no order; the rules service would look it up and the npm handler would hand it on).
fn order_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let number: String = req(d)?;
    if number.trim().is_empty() {
        return Err(de::Error::custom(blank_order_number()));
    }
    Ok(number)
}

/// Why an empty or blank order number is refused (also by [`super::fields`]).
pub(crate) fn blank_order_number() -> &'static str {
    "expected an order number, found null or an empty string"
}

/// A customer in a `Customers.*` payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerRecord {
    /// The customer.
    #[serde(deserialize_with = "req")]
    pub customer_id: u64,
    /// E-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Customer code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Set on create.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
    /// Set on update.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<ApiDate>,
    /// Set on delete.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deletion_time: Option<ApiDate>,
    /// Active (create; false for a registration not yet confirmed).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub active_yn: Option<bool>,
    /// Blocked (create).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub blocked_yn: Option<bool>,
}

/// A product in a `Products.*` payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ProductRecord {
    /// Product id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub product_id: Option<u64>,
    /// Product code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Set on create.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
    /// Set on update.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<ApiDate>,
    /// Set on delete.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deletion_time: Option<ApiDate>,
}

/// A variant in a `Products.delete` payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct VariantRecord {
    /// Variant id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<u64>,
    /// Variant code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// When it was deleted.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deletion_time: Option<ApiDate>,
}

open_enum! {
    /// A document type.
    pub enum InvoiceType {
        /// Invoice.
        Invoice = "invoice",
        /// Credit note.
        CreditNote = "creditNote",
        /// Receipt.
        Receipt = "receipt",
    }
}

/// A document in an `Invoices.*` payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct InvoiceRecord {
    /// The document's number.
    #[serde(deserialize_with = "req")]
    pub invoice_number: String,
    /// Invoice, credit note or receipt.
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_type: Option<InvoiceType>,
    /// Set on create.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
    /// Set on update.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<ApiDate>,
    /// Set on delete.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub deletion_time: Option<ApiDate>,
}

/// The records of a batch, by entity. Serialized with an `entity` tag (`orders`,
/// `customers`, `products`, `invoices`, `other`) so that JavaScript and TypeScript can tell
/// the kinds apart with one comparison instead of probing keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "entity", rename_all = "lowercase")]
#[non_exhaustive]
pub enum WebhookRecords {
    /// Orders.
    Orders {
        /// The orders.
        orders: Vec<OrderRecord>,
    },
    /// Customers.
    Customers {
        /// The customers.
        customers: Vec<CustomerRecord>,
    },
    /// Products (and, on delete, variants).
    Products {
        /// The products.
        products: Vec<ProductRecord>,
        /// Deleted variants.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        variants: Vec<VariantRecord>,
    },
    /// Invoices, credit notes and receipts.
    Invoices {
        /// The documents.
        invoices: Vec<InvoiceRecord>,
    },
    /// Any other entity, kept as it came (its lists by key).
    Other {
        /// The body's record lists, by key.
        records: BTreeMap<String, serde_json::Value>,
    },
}

impl WebhookRecords {
    /// How many records.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            WebhookRecords::Orders { orders } => orders.len(),
            WebhookRecords::Customers { customers } => customers.len(),
            WebhookRecords::Products { products, variants } => products.len() + variants.len(),
            WebhookRecords::Invoices { invoices } => invoices.len(),
            WebhookRecords::Other { records } => {
                records.values().map(|v| v.as_array().map_or(0, Vec::len)).sum()
            }
        }
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One webhook call, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookBatch {
    /// The event.
    pub event: WebhookEvent,
    /// Whether the event was configured or inferred.
    pub event_source: EventSource,
    /// The shop's name.
    pub project_name: Option<String>,
    /// The records.
    #[serde(flatten)]
    pub records: WebhookRecords,
}

impl WebhookBatch {
    /// Order numbers in an `Orders.*` batch, in order (empty for other entities).
    #[must_use]
    pub fn order_numbers(&self) -> Vec<&str> {
        match &self.records {
            WebhookRecords::Orders { orders } => {
                orders.iter().map(|o| o.order_number.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Customer ids in a `Customers.*` batch, in order.
    #[must_use]
    pub fn customer_ids(&self) -> Vec<u64> {
        match &self.records {
            WebhookRecords::Customers { customers } => {
                customers.iter().map(|c| c.customer_id).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Why a webhook body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// Not JSON, or a record of the wrong shape.
    #[error("webhook body {0}")]
    Json(JsonError),
    /// The configured event does not match the body.
    #[error(
        "the webhook is configured for {configured}, but the body has {found} (check which URL this webhook was registered with)"
    )]
    EventMismatch {
        /// The event the receiver expected.
        configured: String,
        /// What the body holds instead.
        found: String,
    },
    /// No event was configured and the body does not show which it is.
    #[error("cannot tell which event this webhook is ({reason}); configure the event for this URL")]
    CannotInfer {
        /// Why.
        reason: String,
    },
}

/// Every top-level part of a body, read in one pass without buffering the records.
#[derive(Default)]
struct Envelope {
    project_name: Option<String>,
    orders: Option<Vec<OrderRecord>>,
    customers: Option<Vec<CustomerRecord>>,
    products: Option<Vec<ProductRecord>>,
    variants: Option<Vec<VariantRecord>>,
    invoices: Option<Vec<InvoiceRecord>>,
    other: BTreeMap<String, serde_json::Value>,
}

/// Reads a typed list leniently (`null`/`{}` as empty) at a known key.
struct ListSeed<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::DeserializeSeed<'de> for ListSeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        list(d)
    }
}

fn seed<T>() -> ListSeed<T> {
    ListSeed(std::marker::PhantomData)
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Envelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a webhook body: an object with project_name and a list of records")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
                let mut e = Envelope::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "project_name" => e.project_name = map.next_value::<OptText>()?.0,
                        "orders" => e.orders = Some(map.next_value_seed(seed())?),
                        "customers" => e.customers = Some(map.next_value_seed(seed())?),
                        "products" => e.products = Some(map.next_value_seed(seed())?),
                        "variants" => e.variants = Some(map.next_value_seed(seed())?),
                        "invoices" => e.invoices = Some(map.next_value_seed(seed())?),
                        _ => {
                            let v: serde_json::Value = map.next_value()?;
                            e.other.insert(key, v);
                        }
                    }
                }
                Ok(e)
            }
        }
        d.deserialize_map(V)
    }
}

struct OptText(Option<String>);

impl<'de> Deserialize<'de> for OptText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt(d).map(OptText)
    }
}

/// Which action a record's timestamp field says it is.
fn action_of(creation: bool, update: bool, deletion: bool) -> Option<WebhookAction> {
    match (creation, update, deletion) {
        (_, _, true) => Some(WebhookAction::Delete),
        (_, true, false) => Some(WebhookAction::Update),
        (true, false, false) => Some(WebhookAction::Create),
        _ => None,
    }
}

/// A list of records as the event decision sees it: the timestamps its first record has
/// (`creation_time`, `last_update_time`, `deletion_time`), if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Listed {
    pub first: Option<[bool; 3]>,
}

/// What of a body decides its event: which record lists it has (a key present, whatever
/// its value), and the keys of its other lists, sorted.
#[derive(Debug, Default)]
pub(crate) struct Shape<'a> {
    pub orders: Option<Listed>,
    pub customers: Option<Listed>,
    pub products: Option<Listed>,
    pub variants: Option<Listed>,
    pub invoices: Option<Listed>,
    pub other_lists: Vec<&'a str>,
}

/// The event of a body and where it came from: the configured one if the body fits it,
/// else the one its shape shows. Shared by [`parse_webhook`] and [`super::edits`].
pub(crate) fn decide(
    shape: &Shape<'_>,
    configured: Option<&WebhookEvent>,
) -> Result<(WebhookEvent, EventSource), WebhookError> {
    let present: Vec<&str> = [
        ("orders", shape.orders.is_some()),
        ("customers", shape.customers.is_some()),
        ("products", shape.products.is_some() || shape.variants.is_some()),
        ("invoices", shape.invoices.is_some()),
    ]
    .iter()
    .filter(|(_, p)| *p)
    .map(|(k, _)| *k)
    .chain(shape.other_lists.iter().copied())
    .collect();
    let first_action = |l: &Listed| {
        l.first.and_then(|[created, updated, deleted]| action_of(created, updated, deleted))
    };

    let (entity, inferred_action) =
        match (&shape.orders, &shape.customers, &shape.products, &shape.invoices) {
            (Some(o), None, None, None) => (WebhookEntity::Orders, first_action(o)),
            (None, Some(c), None, None) => (WebhookEntity::Customers, first_action(c)),
            (None, None, products, None) if products.is_some() || shape.variants.is_some() => {
                let action = products.as_ref().and_then(first_action).or_else(|| {
                    shape.variants.and_then(|v| v.first).map(|_| WebhookAction::Delete)
                });
                (WebhookEntity::Products, action)
            }
            (None, None, None, Some(i)) => (WebhookEntity::Invoices, first_action(i)),
            _ => (WebhookEntity::Other(present.join("+")), None),
        };

    match configured {
        Some(c) => {
            let typed = |e: &WebhookEntity| {
                matches!(
                    e,
                    WebhookEntity::Orders
                        | WebhookEntity::Customers
                        | WebhookEntity::Products
                        | WebhookEntity::Invoices
                )
            };
            if (typed(&c.entity) || typed(&entity)) && c.entity != entity {
                return Err(WebhookError::EventMismatch {
                    configured: c.to_string(),
                    found: if present.is_empty() {
                        "no list of records".to_owned()
                    } else {
                        format!("records under `{}`", present.join("` and `"))
                    },
                });
            }
            Ok((c.clone(), EventSource::Configured))
        }
        None => {
            if present.len() != 1 && !(entity == WebhookEntity::Products && present == ["products"])
            {
                return Err(WebhookError::CannotInfer {
                    reason: if present.is_empty() {
                        "the body has no list of records".to_owned()
                    } else {
                        format!("the body has several lists: {}", present.join(", "))
                    },
                });
            }
            let action = inferred_action.ok_or_else(|| WebhookError::CannotInfer {
                reason: "its records have none of creation_time, last_update_time, deletion_time (or there are no records)".to_owned(),
            })?;
            Ok((WebhookEvent::new(entity, action), EventSource::Inferred))
        }
    }
}

/// Reads a webhook body. `configured` is the event the receiver registered this URL for;
/// without it the event is inferred from the body and the batch is marked inferred.
///
/// # Errors
/// [`WebhookError`] when the body is not a webhook body, does not match the configured
/// event, or (unconfigured) does not show which event it is.
pub fn parse_webhook(
    body: &[u8],
    configured: Option<&WebhookEvent>,
) -> Result<WebhookBatch, WebhookError> {
    let env: Envelope = json::from_slice(body).map_err(WebhookError::Json)?;
    let stamps = |r: Option<[bool; 3]>| Listed { first: r };
    let shape = Shape {
        orders: env.orders.as_ref().map(|l| {
            stamps(l.first().map(|r| {
                [r.creation_time.is_some(), r.last_update_time.is_some(), r.deletion_time.is_some()]
            }))
        }),
        customers: env.customers.as_ref().map(|l| {
            stamps(l.first().map(|r| {
                [r.creation_time.is_some(), r.last_update_time.is_some(), r.deletion_time.is_some()]
            }))
        }),
        products: env.products.as_ref().map(|l| {
            stamps(l.first().map(|r| {
                [r.creation_time.is_some(), r.last_update_time.is_some(), r.deletion_time.is_some()]
            }))
        }),
        variants: env.variants.as_ref().map(|l| stamps(l.first().map(|_| [false; 3]))),
        invoices: env.invoices.as_ref().map(|l| {
            stamps(l.first().map(|r| {
                [r.creation_time.is_some(), r.last_update_time.is_some(), r.deletion_time.is_some()]
            }))
        }),
        other_lists: env
            .other
            .iter()
            .filter(|(_, v)| v.is_array())
            .map(|(k, _)| k.as_str())
            .collect(),
    };
    let (event, source) = decide(&shape, configured)?;

    let records = match event.entity {
        WebhookEntity::Orders => WebhookRecords::Orders { orders: env.orders.unwrap_or_default() },
        WebhookEntity::Customers => {
            WebhookRecords::Customers { customers: env.customers.unwrap_or_default() }
        }
        WebhookEntity::Products => WebhookRecords::Products {
            products: env.products.unwrap_or_default(),
            variants: env.variants.unwrap_or_default(),
        },
        WebhookEntity::Invoices => {
            WebhookRecords::Invoices { invoices: env.invoices.unwrap_or_default() }
        }
        _ => WebhookRecords::Other { records: env.other },
    };
    Ok(WebhookBatch { event, event_source: source, project_name: env.project_name, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATED: &str = r#"{"project_name":"beershop","orders":[{"order_number":"2024000123","creation_time":"2024-02-29T14:24:49+01:00","status_id":1,"status":"Přijatá"},{"order_number":"2024000124","creation_time":"2024-02-29T14:25:00+01:00","status_id":"1","status":"Přijatá"}]}"#;

    #[test]
    fn configured_event_is_used_and_reported() {
        let b = parse_webhook(CREATED.as_bytes(), Some(&WebhookEvent::ORDERS_CREATE)).unwrap();
        assert_eq!(b.event_source, EventSource::Configured);
        assert_eq!(b.order_numbers(), vec!["2024000123", "2024000124"]);
        assert_eq!(b.project_name.as_deref(), Some("beershop"));
    }

    #[test]
    fn event_is_inferred_from_shape_when_not_configured() {
        let b = parse_webhook(CREATED.as_bytes(), None).unwrap();
        assert_eq!(
            (b.event.clone(), b.event_source),
            (WebhookEvent::ORDERS_CREATE, EventSource::Inferred)
        );
        let upd = parse_webhook(br#"{"project_name":"x","orders":[{"order_number":"1","last_update_time":"2024-03-01T10:00:00+01:00","status_id":4,"status":"Vyrizuje se"}]}"#, None).unwrap();
        assert_eq!(upd.event, WebhookEvent::ORDERS_UPDATE);
        let del = parse_webhook(br#"{"project_name":"x","customers":[{"customer_id":"7","email":"a@b.cz","code":"C7","deletion_time":"2024-03-01T10:00:00+01:00"}]}"#, None).unwrap();
        assert_eq!(del.event, WebhookEvent::CUSTOMERS_DELETE);
        assert_eq!(del.customer_ids(), vec![7]);
    }

    #[test]
    fn customer_create_carries_active_and_blocked() {
        let b = parse_webhook(br#"{"project_name":"x","customers":[{"customer_id":7,"email":"a@b.cz","code":"","creation_time":"2024-10-30T10:00:00+01:00","active_yn":false,"blocked_yn":"0"}]}"#, Some(&WebhookEvent::CUSTOMERS_CREATE)).unwrap();
        let WebhookRecords::Customers { customers } = &b.records else { panic!("customers") };
        assert_eq!((customers[0].active_yn, customers[0].blocked_yn), (Some(false), Some(false)));
    }

    #[test]
    fn product_deletes_carry_variants_and_invoices_their_type() {
        let p = parse_webhook(br#"{"project_name":"x","products":[],"variants":[{"variant_id":5,"code":"V5","deletion_time":"2024-03-01"}]}"#, None).unwrap();
        assert_eq!(p.event.to_string(), "Products.delete");
        let i = parse_webhook(br#"{"invoices":[{"invoice_number":"FV2024001","type":"creditNote","creation_time":"2025-03-26T08:00:00+01:00"}],"project_name":"x"}"#, None).unwrap();
        assert_eq!(i.event.to_string(), "Invoices.create");
    }

    #[test]
    fn mismatches_and_guesswork_are_errors_with_reasons() {
        let e =
            parse_webhook(CREATED.as_bytes(), Some(&WebhookEvent::CUSTOMERS_UPDATE)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the webhook is configured for Customers.update, but the body has records under `orders` (check which URL this webhook was registered with)"
        );
        let empty = parse_webhook(br#"{"project_name":"x","orders":[]}"#, None).unwrap_err();
        assert!(matches!(empty, WebhookError::CannotInfer { .. }));
        assert!(
            parse_webhook(
                br#"{"project_name":"x","orders":[]}"#,
                Some(&WebhookEvent::ORDERS_UPDATE)
            )
            .unwrap()
            .records
            .is_empty()
        );
    }

    #[test]
    fn bad_records_name_their_path() {
        let e = parse_webhook(
            br#"{"orders":[{"order_number":"1"},{"creation_time":"2024-01-01"}]}"#,
            None,
        )
        .unwrap_err();
        let WebhookError::Json(j) = e else { panic!("json error") };
        assert_eq!(j.path, "orders[1]");
        assert!(j.message.contains("order_number"), "{}", j.message);
    }

    #[test]
    fn an_empty_order_number_is_refused_as_null_is() {
        for number in [r#""""#, r#""  ""#, "null"] {
            let body =
                format!(r#"{{"orders":[{{"order_number":"1"}},{{"order_number":{number}}}]}}"#);
            let e = parse_webhook(body.as_bytes(), Some(&WebhookEvent::ORDERS_CREATE)).unwrap_err();
            let WebhookError::Json(j) = e else { panic!("{number}: {e:?}") };
            assert_eq!(j.path, "orders[1]", "{number}");
            assert!(j.message.contains("null or an empty string"), "{number}: {}", j.message);
        }
    }

    #[test]
    fn other_entities_are_kept() {
        let b = parse_webhook(br#"{"project_name":"x","categories":[{"category_id":1,"code":"c","last_update_time":"2024-01-01"}]}"#, Some(&"Categories.update".parse().unwrap())).unwrap();
        assert_eq!(b.records.len(), 1);
        let out = serde_json::to_value(&b).unwrap();
        assert_eq!(out["event"], "Categories.update");
        assert_eq!(out["entity"], "other");
        assert!(out["records"]["categories"].is_array());
    }

    #[test]
    fn batches_say_which_entity_they_hold() {
        let event = "Orders.create".parse().unwrap();
        let b = parse_webhook(br#"{"orders":[{"order_number":"1"}]}"#, Some(&event)).unwrap();
        let out = serde_json::to_value(&b).unwrap();
        assert_eq!(
            (out["entity"].as_str(), out["orders"][0]["order_number"].as_str()),
            (Some("orders"), Some("1"))
        );
    }
}
