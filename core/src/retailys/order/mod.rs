//! An order as `GET /System/Orders` and `GET /System/Orders/{id}` return it (§3.1–§3.3), its
//! list, and the small answers every write gets (`IdModel`, `ErrorModel`).
//!
//! Every field is optional (the schema marks none required) and read leniently: ids as
//! numbers or numeric strings, `""` or `null` as no value, money as exact [`Decimal`]s from
//! numbers or strings, dates in any form [`ApiDate`] reads. Unknown keys are ignored.
//! References (`customer`, `shipping`, …) are [`Expandable`]: a link or the full record.

mod expanded;
mod shipping;

use serde::{Deserialize, Serialize};

pub use expanded::{
    ArticleIdent, ArticleModel, ArticleState, BankAccount, ChannelFeed, ChannelModel, ChannelType,
    CompanyModel, CompanyVat, UserChannel, UserModel,
};
pub use shipping::{PaymentModel, PriceModel, ShippingModel};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{list, object, optional as opt};
use crate::pagination::Page;
use crate::retailys::expandable::{Expandable, Identified};
use crate::retailys::paginator::{PaginatorModel, page_of};

/// `OrderModel`: an order. It has no status field (the API does not report one, §3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderModel {
    /// Order id; the `{order-id}` of every order path.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// The customer (a `/System/People` user).
    #[serde(default, deserialize_with = "opt")]
    pub customer: Option<Expandable<UserModel>>,
    /// The selling company (the shop's own, not the customer's).
    #[serde(default, deserialize_with = "opt")]
    pub company: Option<Expandable<CompanyModel>>,
    /// The sales channel.
    #[serde(default, deserialize_with = "opt")]
    pub channel: Option<Expandable<ChannelModel>>,
    /// When it was ordered.
    #[serde(default, deserialize_with = "opt")]
    pub date_order: Option<ApiDate>,
    /// Payment due date.
    #[serde(default, deserialize_with = "opt")]
    pub date_maturity: Option<ApiDate>,
    /// Invoice e-mail.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Invoice phone.
    #[serde(default, deserialize_with = "opt")]
    pub phone: Option<String>,
    /// Invoice name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Invoice street.
    #[serde(default, deserialize_with = "opt")]
    pub street: Option<String>,
    /// Invoice city.
    #[serde(default, deserialize_with = "opt")]
    pub city: Option<String>,
    /// Invoice postal code (a number in some data, kept as text).
    #[serde(default, deserialize_with = "opt")]
    pub zip: Option<String>,
    /// Invoice country code (ISO 3166-1 alpha-2 style).
    #[serde(default, deserialize_with = "opt")]
    pub state_code: Option<String>,
    /// Customer's company number (IČO).
    #[serde(default, deserialize_with = "opt")]
    pub company_nr: Option<String>,
    /// Customer's VAT id (DIČ).
    #[serde(default, deserialize_with = "opt")]
    pub company_vat: Option<String>,
    /// Delivery e-mail.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_email: Option<String>,
    /// Delivery phone.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_phone: Option<String>,
    /// Delivery name.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_name: Option<String>,
    /// Delivery street.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_street: Option<String>,
    /// Delivery city.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_city: Option<String>,
    /// Delivery postal code.
    #[serde(default, deserialize_with = "opt")]
    pub delivery_zip: Option<String>,
    /// Delivery country code; the schema says exactly 2 characters, but a response is read
    /// as it came (lengths are checked on requests only).
    #[serde(default, deserialize_with = "opt")]
    pub delivery_state_code: Option<String>,
    /// The customer's note.
    #[serde(default, deserialize_with = "opt")]
    pub note: Option<String>,
    /// Internal note (no endpoint writes it).
    #[serde(default, deserialize_with = "opt")]
    pub our_note: Option<String>,
    /// Order hash (probably in the public order URL).
    #[serde(default, deserialize_with = "opt")]
    pub hash: Option<String>,
    /// The shop's main currency (ISO 4217).
    #[serde(default, deserialize_with = "opt")]
    pub main_currency_code: Option<String>,
    /// The order's currency (ISO 4217).
    #[serde(default, deserialize_with = "opt")]
    pub order_currency_code: Option<String>,
    /// Rate between the order and main currencies; its direction is not documented.
    #[serde(default, deserialize_with = "opt")]
    pub currency_rate: Option<Decimal>,
    /// The order total, in the order currency.
    #[serde(default, deserialize_with = "opt")]
    pub money: Option<Decimal>,
    /// The amount paid: a number, not a flag.
    #[serde(default, deserialize_with = "opt")]
    pub paid: Option<Decimal>,
    /// When it was paid.
    #[serde(default, deserialize_with = "opt")]
    pub date_paid: Option<ApiDate>,
    /// Order lines.
    #[serde(default, deserialize_with = "list")]
    pub items: Vec<OrderItem>,
    /// Weight in kilograms.
    #[serde(default, deserialize_with = "opt")]
    pub weight: Option<Decimal>,
    /// The chosen shipping method.
    #[serde(default, deserialize_with = "opt")]
    pub shipping: Option<Expandable<ShippingModel>>,
    /// The chosen payment method.
    #[serde(default, deserialize_with = "opt")]
    pub payment: Option<Expandable<PaymentModel>>,
    /// Parcel tracking numbers (an order can have several).
    #[serde(default, deserialize_with = "list")]
    pub trackings: Vec<Tracking>,
    /// Sent flag.
    #[serde(default, deserialize_with = "opt")]
    pub sent: Option<bool>,
    /// Delivered flag.
    #[serde(default, deserialize_with = "opt")]
    pub delivered: Option<bool>,
    /// Finished flag.
    #[serde(default, deserialize_with = "opt")]
    pub done: Option<bool>,
    /// Cancelled flag.
    #[serde(default, deserialize_with = "opt")]
    pub canceled: Option<bool>,
    /// Public order URL.
    #[serde(default, deserialize_with = "opt")]
    pub order_url: Option<String>,
    /// Invoice URL.
    #[serde(default, deserialize_with = "opt")]
    pub invoice_url: Option<String>,
    /// IP address the order came from.
    #[serde(default, deserialize_with = "opt")]
    pub ip: Option<String>,
    /// Prefix of the external system (a marketplace, say).
    #[serde(default, deserialize_with = "opt")]
    pub external_order_prefix: Option<String>,
    /// The order's id in the external system.
    #[serde(default, deserialize_with = "opt")]
    pub external_order_id: Option<String>,
    /// Transaction id at the payment gateway.
    #[serde(default, deserialize_with = "opt")]
    pub external_payment_id: Option<String>,
    /// Payment URL at the gateway.
    #[serde(default, deserialize_with = "opt")]
    pub external_payment_url: Option<String>,
}

impl OrderModel {
    /// Whether the order is paid: a payment date is set, or the amount paid reaches the
    /// total (the API has no paid flag; this is the spec's reading, §3.1).
    #[must_use]
    pub fn is_paid(&self) -> bool {
        self.date_paid.is_some()
            || matches!((self.paid, self.money), (Some(p), Some(m)) if p > Decimal::ZERO && p >= m)
    }

    /// The tracking numbers, in order, skipping empty ones.
    #[must_use]
    pub fn tracking_numbers(&self) -> Vec<&str> {
        self.trackings
            .iter()
            .filter_map(|t| t.tracking_number.as_deref())
            .filter(|n| !n.trim().is_empty())
            .collect()
    }
}

impl Identified for OrderModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `OrderModel_items`: an order line. Quantities are whole numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderItem {
    /// Line id; the `{order-item-id}` of the item paths.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// The product. Typed as the full model, but read as either shape: whether it shrinks to
    /// a reference with `expanded=false` is not documented.
    #[serde(default, deserialize_with = "opt")]
    pub article: Option<Expandable<ArticleModel>>,
    /// Line name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Quantity.
    #[serde(default, deserialize_with = "opt")]
    pub count: Option<i64>,
    /// Quantity originally ordered.
    #[serde(default, deserialize_with = "opt")]
    pub ordered: Option<i64>,
    /// Quantity still waiting (back-ordered).
    #[serde(default, deserialize_with = "opt")]
    pub waiting_count: Option<i64>,
    /// Line note.
    #[serde(default, deserialize_with = "opt")]
    pub note: Option<String>,
    /// Price (per unit, most likely; not documented).
    #[serde(default, deserialize_with = "object")]
    pub price: Option<PriceModel>,
    /// Price before a discount or change.
    #[serde(default, deserialize_with = "object")]
    pub price_original: Option<PriceModel>,
}

/// `OrderModel_trackings`: one parcel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Tracking {
    /// Carrier id (`/System/Lists/Shippers`).
    #[serde(default, deserialize_with = "opt")]
    pub shipper_id: Option<i64>,
    /// Parcel number.
    #[serde(default, deserialize_with = "opt")]
    pub tracking_number: Option<String>,
    /// Tracking URL.
    #[serde(default, deserialize_with = "opt")]
    pub tracking_url: Option<String>,
}

/// `OrdersModel`: one page of `GET /System/Orders` (or `/System/People/{id}/Orders`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrdersModel {
    /// Paging.
    #[serde(default, deserialize_with = "object")]
    pub paginator: Option<PaginatorModel>,
    /// The orders.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<OrderModel>,
}

impl OrdersModel {
    /// The page; what the paginator leaves out is filled in ([`PaginatorModel::page_of`]).
    #[must_use]
    pub fn into_page(self) -> Page<OrderModel> {
        page_of(self.paginator.as_ref(), self.orders)
    }
}

/// `IdModel`: the id created, updated or deleted by a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct IdModel {
    /// The id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
}

impl IdModel {
    /// An answer with this id.
    #[must_use]
    pub fn new(id: i64) -> Self {
        IdModel { id: Some(id) }
    }
}

/// `ErrorModel`: the body of a failed call, when it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ErrorModel {
    /// What went wrong.
    #[serde(default, deserialize_with = "opt")]
    pub message: Option<String>,
    /// More about it.
    #[serde(default, deserialize_with = "opt")]
    pub detail: Option<String>,
}

impl ErrorModel {
    /// The message and the detail in one line, for a shop owner (empty parts left out).
    #[must_use]
    pub fn text(&self) -> String {
        let parts = [self.message.as_deref(), self.detail.as_deref()];
        let kept: Vec<&str> =
            parts.into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
        kept.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn paid_is_an_amount_or_a_date() {
        let mut o =
            OrderModel { money: Some(dec("1250.5")), paid: Some(dec("0")), ..Default::default() };
        assert!(!o.is_paid());
        o.paid = Some(dec("1250.50"));
        assert!(o.is_paid());
        let dated =
            OrderModel { date_paid: Some("2024-01-01".parse().unwrap()), ..Default::default() };
        assert!(dated.is_paid());
        assert!(!OrderModel::default().is_paid());
    }

    #[test]
    fn error_text_joins_what_is_there() {
        let e: ErrorModel =
            serde_json::from_str(r#"{"message": "Not found", "detail": ""}"#).unwrap();
        assert_eq!(e.text(), "Not found");
        let e: ErrorModel = serde_json::from_str(r#"{"message": "Bad", "detail": "id"}"#).unwrap();
        assert_eq!(e.text(), "Bad: id");
    }
}
