//! Request bodies of the `/System/Orders` writes (§3.9–§3.14, §2.6), each checked before
//! sending.
//!
//! The schema marks no key required, so the server's own checks are unknown; the checks
//! here are the ones the schema's formats imply (2-letter country codes, 3-letter currency
//! codes, e-mail and IPv4 syntax) and the ones a call needs to make sense (an id to act on, a
//! history text). Only keys that are set are written: the spec advises never sending `null`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{object, optional as opt};
use crate::open_enum;
use crate::validation::{At, NOTHING, Problem, Validate, quoted};

/// Reports a present value that is not exactly `len` ASCII letters.
fn letters(at: &At, value: Option<&str>, len: usize, expected: &str, out: &mut Vec<Problem>) {
    if let Some(v) = value
        && !(v.len() == len && v.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        out.push(at.problem(expected, quoted(v)));
    }
}

const COUNTRY: &str = "a 2-letter country code like CZ";
const CURRENCY: &str = "a 3-letter currency code like CZK";

/// Reports a missing id, or one that is not positive.
fn positive_id(at: &At, value: Option<i64>, out: &mut Vec<Problem>) {
    match value {
        None => out.push(at.problem("a positive id", NOTHING)),
        Some(n) if n <= 0 => out.push(at.problem("a positive id", n.to_string())),
        Some(_) => {}
    }
}

/// Reports a present e-mail that is not syntactically valid.
fn email(at: &At, value: Option<&str>, out: &mut Vec<Problem>) {
    if let Some(v) = value {
        at.email(v, out);
    }
}

/// `OrderPostRequest`: a new order's header (`POST /System/Orders`). It has no lines,
/// shipping, payment or prices: lines are added afterwards (§2.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderPostRequest {
    /// Sales channel id (needed, though the schema does not say so).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub channel: Option<i64>,
    /// Customer e-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Invoice name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Invoice street.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Invoice city.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Invoice postal code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// Invoice country, 2 letters.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub state_code: Option<String>,
    /// Invoice phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Delivery name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_name: Option<String>,
    /// Delivery street.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_street: Option<String>,
    /// Delivery city.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_city: Option<String>,
    /// Delivery postal code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_zip: Option<String>,
    /// Delivery country, 2 letters.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_state_code: Option<String>,
    /// Delivery phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_phone: Option<String>,
    /// Delivery e-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_email: Option<String>,
    /// Customer IPv4 address.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The shop domain the order came from.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Order date-time, written as RFC 3339 with an offset (`2019-12-01T08:15:30+01:00`).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub date_order: Option<ApiDate>,
    /// Order currency, 3 letters (the portal calls it mandatory).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_currency_code: Option<String>,
}

impl Validate for OrderPostRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        positive_id(&root.field("channel"), self.channel, out);
        email(&root.field("email"), self.email.as_deref(), out);
        letters(&root.field("state_code"), self.state_code.as_deref(), 2, COUNTRY, out);
        letters(
            &root.field("delivery_state_code"),
            self.delivery_state_code.as_deref(),
            2,
            COUNTRY,
            out,
        );
        email(&root.field("delivery_email"), self.delivery_email.as_deref(), out);
        if let Some(ip) = &self.ip
            && ip.parse::<std::net::Ipv4Addr>().is_err()
        {
            out.push(root.field("ip").problem("an IPv4 address like 192.0.2.1", quoted(ip)));
        }
        // The API's date-time is RFC 3339: a plain date or a time without an offset would
        // be read in a zone nobody chose.
        if let Some(d) = &self.date_order
            && !matches!(d, ApiDate::DateTime(_))
        {
            let expected = "a date-time with an offset like 2019-12-01T08:15:30+01:00";
            out.push(root.field("date_order").problem(expected, quoted(&d.to_string())));
        }
        let currency = root.field("order_currency_code");
        currency.require(self.order_currency_code.as_ref(), CURRENCY, out);
        letters(&currency, self.order_currency_code.as_deref(), 3, CURRENCY, out);
    }
}

/// `OrderPutRequest`: a new delivery address for an order (`PUT /System/Orders`; the order
/// id travels in the body). Whether keys left out are cleared is not documented, so only the
/// keys being changed should be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderPutRequest {
    /// The order to change.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Delivery name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_name: Option<String>,
    /// Delivery street.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_street: Option<String>,
    /// Delivery city.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_city: Option<String>,
    /// Delivery postal code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_zip: Option<String>,
    /// Delivery country, 2 letters.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_state_code: Option<String>,
    /// Delivery phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_phone: Option<String>,
    /// Delivery e-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub delivery_email: Option<String>,
}

impl Validate for OrderPutRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        positive_id(&root.field("id"), self.id, out);
        let changes = [
            &self.delivery_name,
            &self.delivery_street,
            &self.delivery_city,
            &self.delivery_zip,
            &self.delivery_state_code,
            &self.delivery_phone,
            &self.delivery_email,
        ];
        if changes.iter().all(|c| c.is_none()) {
            out.push(root.problem("at least one delivery_* field to change", NOTHING));
        }
        letters(
            &root.field("delivery_state_code"),
            self.delivery_state_code.as_deref(),
            2,
            COUNTRY,
            out,
        );
        email(&root.field("delivery_email"), self.delivery_email.as_deref(), out);
    }
}

/// An order line to add (`POST …/item`) or change (`PUT …/item`, with `id`).
///
/// **Unverified.** The SDK declares these bodies as `OrderPostRequest`, which is a defect;
/// the real fields are undocumented (§2.6). The typed fields are guesses from
/// `OrderModel.items[]`; `extra` carries any other key as raw JSON (flattened into the body),
/// so a caller who learns the real shape from the live Swagger can send it without waiting
/// for a release. Confirm against a test instance before relying on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderItemRequest {
    /// The line to change (PUT: the path has no item id, so it must be in the body).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Article id (guessed key).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub article: Option<i64>,
    /// Line name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Quantity (whole units).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Line note.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Unit price (guessed: a plain number, not a `PriceModel`).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// Any other keys, sent as they are.
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub extra: Map<String, Value>,
}

const ITEM_KEYS: [&str; 6] = ["id", "article", "name", "count", "note", "price"];

impl OrderItemRequest {
    /// Problems of a line to change: those of a new line, and its id is required.
    #[must_use]
    pub fn put_problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        positive_id(&At::root().field("id"), self.id, &mut out);
        self.collect_problems(&mut out);
        out
    }
}

impl Validate for OrderItemRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        if let Some(id) = self.id.filter(|n| *n <= 0) {
            out.push(root.field("id").problem("a positive id", id.to_string()));
        }
        if let Some(a) = self.article.filter(|n| *n <= 0) {
            out.push(root.field("article").problem("a positive article id", a.to_string()));
        }
        if let Some(c) = self.count.filter(|n| *n < 1) {
            out.push(root.field("count").problem("a quantity of at least 1", c.to_string()));
        }
        // A typed key repeated in `extra` would be written twice, and which one the server
        // keeps is anyone's guess.
        for key in ITEM_KEYS.iter().filter(|k| self.extra.contains_key(**k)) {
            out.push(root.field(key).problem("the typed field, not a key in `extra`", "both"));
        }
    }
}

/// `OrderStatusPatchRequest`: the status to set (`PATCH …/status`), from `/Orders/Statuses`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderStatusPatchRequest {
    /// Status id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<i64>,
}

impl OrderStatusPatchRequest {
    /// Set this status.
    #[must_use]
    pub fn new(status_id: i64) -> Self {
        OrderStatusPatchRequest { status_id: Some(status_id) }
    }
}

impl Validate for OrderStatusPatchRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        positive_id(&At::root().field("status_id"), self.status_id, out);
    }
}

open_enum! {
    /// The result of a payment at the gateway.
    pub enum PaymentResult {
        /// Paid.
        Success = "success",
        /// Refused.
        Denied = "denied",
        /// Cancelled by the customer.
        Canceled = "canceled",
        /// Not known (yet).
        Unknown = "unknown",
    }
}

/// `OrderPaidPatchRequest`: a payment result (`PATCH …/paid`). There is no date: the server
/// presumably stamps `date_paid`. Whether `paid` adds to or replaces the amount is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderPaidPatchRequest {
    /// Amount paid; for a full payment, the order's `money`.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub paid: Option<Decimal>,
    /// Transaction id at the gateway.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// Payment result.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentResult>,
    /// Where the customer can retry the payment.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Validate for OrderPaidPatchRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        let paid = root.field("paid");
        match self.paid {
            None => out.push(paid.problem("an amount paid", NOTHING)),
            Some(p) if p < Decimal::ZERO => {
                out.push(paid.problem("an amount of 0 or more", p.to_string()))
            }
            Some(_) => {}
        }
        // The schema's enum is closed: the server would refuse a value outside it.
        if let Some(s) = self.status.as_ref().filter(|s| !s.is_known()) {
            let expected = "success, denied, canceled or unknown";
            out.push(root.field("status").problem(expected, quoted(s.as_str())));
        }
        if let Some(u) = &self.url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            out.push(root.field("url").problem("an absolute http(s) URL", quoted(u)));
        }
    }
}

/// `TrackingPostRequest`: a parcel to add to an order (`POST …/tracking`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct TrackingPostRequest {
    /// Carrier id, from `/System/Lists/Shippers`.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub shipper_id: Option<i64>,
    /// Parcel number.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
}

impl TrackingPostRequest {
    /// A parcel of this carrier.
    #[must_use]
    pub fn new(shipper_id: i64, tracking_number: impl Into<String>) -> Self {
        TrackingPostRequest {
            shipper_id: Some(shipper_id),
            tracking_number: Some(tracking_number.into()),
        }
    }
}

impl Validate for TrackingPostRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        positive_id(&root.field("shipper_id"), self.shipper_id, out);
        root.field("tracking_number").require_text(
            self.tracking_number.as_deref(),
            "a parcel number",
            out,
        );
    }
}

open_enum! {
    /// The kind of a history record; the meanings are not documented.
    pub enum HistoryType {
        /// About the order.
        Order = "order",
        /// About an e-mail.
        Email = "email",
        /// Written by an app (our choice for notes shopflow writes).
        Apps = "apps",
        /// About a status.
        Status = "status",
    }
}

/// `HistoryPostRequest`: a record for the order's history (`POST …/history`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryPostRequest {
    /// The kind of record.
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub history_type: Option<HistoryType>,
    /// The record.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub record: Option<HistoryRecord>,
}

/// `HistoryPostRequest_record`. Neither key is described; the working reading (§5) is a
/// text in `name` and a short label in `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct HistoryRecord {
    /// The record's text.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A short state label.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl HistoryPostRequest {
    /// An app-written note (`type: apps`), with an optional label.
    #[must_use]
    pub fn note(text: impl Into<String>, label: Option<String>) -> Self {
        HistoryPostRequest {
            history_type: Some(HistoryType::Apps),
            record: Some(HistoryRecord { name: Some(text.into()), status: label }),
        }
    }
}

impl Validate for HistoryPostRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        let kind = root.field("type");
        let kinds = "order, email, apps or status";
        match &self.history_type {
            None => out.push(kind.problem(kinds, NOTHING)),
            Some(t) if !t.is_known() => out.push(kind.problem(kinds, quoted(t.as_str()))),
            Some(_) => {}
        }
        let record = root.field("record");
        match &self.record {
            None => out.push(record.problem("a record with a name", NOTHING)),
            Some(r) => {
                record.field("name").require_text(r.name.as_deref(), "the record's text", out)
            }
        }
    }
}
