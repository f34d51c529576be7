//! `PUT /orders`: changing orders (status, payment, tracking, notes, metas, lines…).
//!
//! Orders are matched by `order_number`. Setting a status sends the e-mails and SMS
//! configured on it unless the request says not to; the request always says.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::batch::{Batch, check_size};
use crate::date::ApiDate;
use crate::http::ResendSafety;
use crate::lenient::{Lenient, flag, list, object, optional as opt};
use crate::upgates::meta::MetaWrite;
use crate::upgates::order::object::Dimensions;
use crate::upgates::order::write::{
    CustomerWrite, DocumentWrite, Notify, OrderParts, PaymentWrite, ProductWrite,
    QuantityDiscountWrite, ShipmentWrite, api_default_true, notify_flag,
};
use crate::validation::{At, Problem, Validate};

/// A request to change up to 100 orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderUpdateRequest {
    /// Send the status e-mail. Absent in JSON reads as the API's default, `true`.
    #[serde(default = "api_default_true", deserialize_with = "notify_flag")]
    pub send_emails_yn: bool,
    /// Send the status SMS. Absent in JSON reads as the API's default, `true`.
    #[serde(default = "api_default_true", deserialize_with = "notify_flag")]
    pub send_sms_yn: bool,
    /// Remove lines not named in `products` (default `false`).
    #[serde(default, deserialize_with = "flag")]
    pub delete_missing_products_yn: bool,
    /// The changes, one per order.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<OrderUpdate>,
}

impl OrderUpdateRequest {
    /// A request with an explicit choice about notifying customers.
    #[must_use]
    pub fn new(notify: Notify, orders: Vec<OrderUpdate>) -> Self {
        OrderUpdateRequest {
            send_emails_yn: notify.emails,
            send_sms_yn: notify.sms,
            delete_missing_products_yn: false,
            orders,
        }
    }

    /// Whether sending this twice has the effect of sending it once. It does, unless a
    /// line without `uuid` is added (a second send would add it again).
    #[must_use]
    pub fn resend_safety(&self) -> ResendSafety {
        if self.orders.iter().any(|o| o.products.iter().any(|p| p.uuid.is_none())) {
            ResendSafety::Never
        } else {
            ResendSafety::Idempotent
        }
    }
}

impl Batch for OrderUpdateRequest {
    type Item = OrderUpdate;

    fn items(&self) -> &[OrderUpdate] {
        &self.orders
    }

    // Copies the shared flags only: `..self.clone()` would clone every order per chunk.
    fn with_items(&self, orders: Vec<OrderUpdate>) -> Self {
        OrderUpdateRequest {
            send_emails_yn: self.send_emails_yn,
            send_sms_yn: self.send_sms_yn,
            delete_missing_products_yn: self.delete_missing_products_yn,
            orders,
        }
    }
}

/// A payment date to set, or the order to mark unpaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidDate {
    /// Paid on this date.
    On(ApiDate),
    /// Not paid: clears the payment date.
    Unpaid,
}

/// `Unpaid` is written as `""`: the legacy API documents an empty date as "mark unpaid", and
/// PHP's `isset()` reads `null` as absent, which would leave the date alone.
impl Serialize for PaidDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PaidDate::On(d) => d.serialize(s),
            PaidDate::Unpaid => s.serialize_str(""),
        }
    }
}

struct PaidDateVisitor;

impl<'de> Visitor<'de> for PaidDateVisitor {
    type Value = PaidDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PaidDate::expecting())
    }

    // `deserialize_with` only runs for a field that is present, so a null was written on
    // purpose: it clears, like "".
    fn visit_unit<E: de::Error>(self) -> Result<PaidDate, E> {
        Ok(PaidDate::Unpaid)
    }

    fn visit_none<E: de::Error>(self) -> Result<PaidDate, E> {
        Ok(PaidDate::Unpaid)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<PaidDate, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PaidDate, E> {
        let date = ApiDate::deserialize_lenient(de::value::StrDeserializer::<E>::new(v))?;
        Ok(date.map_or(PaidDate::Unpaid, PaidDate::On))
    }
}

impl Lenient for PaidDate {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(PaidDateVisitor).map(Some)
    }

    fn expecting() -> &'static str {
        "a payment date, or \"\" to mark the order unpaid"
    }
}

/// The changes to one order. Only fields that are set are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderUpdate {
    /// Which order (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// External order number.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub external_order_number: Option<String>,
    /// New status, by name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// New status, by id (preferred: names are per language).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<u64>,
    /// Payment date, or mark unpaid.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub paid_date: Option<PaidDate>,
    /// Carrier tracking code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// Resolved flag.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub resolved_yn: Option<bool>,
    /// Internal note (replaces the old one).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
    /// Count in statistics.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub statistics_yn: Option<bool>,
    /// Variable symbol: at most 10 digits.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub variable_symbol: Option<String>,
    /// Parcel dimensions.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// Customer details.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerWrite>,
    /// Lines to change (with `uuid`) or add (without).
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductWrite>,
    /// Quantity discount.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub quantity_discount: Option<QuantityDiscountWrite>,
    /// Shipment.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub shipment: Option<ShipmentWrite>,
    /// Payment.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentWrite>,
    /// Custom fields to set.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub metas: Vec<MetaWrite>,
    /// Invoice to generate (or update, if one exists).
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub invoice: Option<DocumentWrite>,
    /// Receipt to generate.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub receipt: Option<DocumentWrite>,
    /// Credit note for the whole order to generate.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub credit_note: Option<DocumentWrite>,
}

impl OrderUpdate {
    /// Changes to the order with this number; set the fields to change.
    #[must_use]
    pub fn new(order_number: impl Into<String>) -> Self {
        OrderUpdate { order_number: Some(order_number.into()), ..Self::default() }
    }

    /// Whether anything besides the order number is set.
    #[must_use]
    pub fn changes_something(&self) -> bool {
        let key_only = OrderUpdate { order_number: self.order_number.clone(), ..Self::default() };
        *self != key_only
    }

    fn collect_problems(&self, at: &At, out: &mut Vec<Problem>) {
        at.field("order_number").require_text(
            self.order_number.as_deref(),
            "the number of the order to change",
            out,
        );
        if self.order_number.is_some() && !self.changes_something() {
            out.push(at.problem(
                "at least one field to change (an empty change still costs a request)",
                "only order_number",
            ));
        }
        OrderParts {
            status: self.status.as_deref(),
            status_id: self.status_id,
            variable_symbol: self.variable_symbol.as_deref(),
            customer: self.customer.as_ref(),
            products: &self.products,
            quantity_discount: self.quantity_discount.as_ref(),
            shipment: self.shipment.as_ref(),
            payment: self.payment.as_ref(),
            metas: &self.metas,
        }
        .collect_problems(at, false, out);
    }
}

impl Validate for OrderUpdateRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        check_size(&At::root().field("orders"), self.orders.len(), "order", out);
        let mut seen = std::collections::HashSet::new();
        for (i, o) in self.orders.iter().enumerate() {
            let at = At::record("orders", i, o.order_number.as_deref());
            o.collect_problems(&at, out);
            if let Some(n) = &o.order_number
                && !seen.insert(n.as_str())
            {
                out.push(at.field("order_number").problem(
                    "each order once per request (merge the changes into one)",
                    crate::validation::quoted(n),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_date_set_clear_and_leave_alone() {
        let req: OrderUpdateRequest = serde_json::from_str(
            r#"{"orders":[{"order_number":"1","paid_date":"2025-1-1"},{"order_number":"2","paid_date":""},{"order_number":"3","paid_date":null},{"order_number":"4","resolved_yn":"1"}]}"#,
        )
        .unwrap();
        let dates: Vec<Option<PaidDate>> = req.orders.iter().map(|o| o.paid_date).collect();
        assert_eq!(
            dates,
            vec![
                Some(PaidDate::On("2025-01-01".parse().unwrap())),
                Some(PaidDate::Unpaid),
                Some(PaidDate::Unpaid),
                None
            ]
        );
        let out = serde_json::to_value(&req).unwrap();
        assert_eq!(out["orders"][0]["paid_date"], "2025-01-01");
        assert_eq!(out["orders"][1]["paid_date"], "");
        assert!(out["orders"][3].get("paid_date").is_none());
        assert_eq!(out["orders"][3]["resolved_yn"], true);
    }

    #[test]
    fn flags_are_always_written() {
        let mut o = OrderUpdate::new("2024001");
        o.status_id = Some(4);
        let json = serde_json::to_string(&OrderUpdateRequest::new(Notify::NONE, vec![o])).unwrap();
        assert_eq!(
            json,
            r#"{"send_emails_yn":false,"send_sms_yn":false,"delete_missing_products_yn":false,"orders":[{"order_number":"2024001","status_id":4}]}"#
        );
    }

    #[test]
    fn problems_in_updates() {
        let req: OrderUpdateRequest = serde_json::from_str(
            r#"{"orders":[{"order_number":"1"},{"status":"Odeslaná","status_id":3},{"order_number":"1","tracking_code":"X"}]}"#,
        )
        .unwrap();
        let problems = req.validate().unwrap_err().0;
        let summary: Vec<(Option<usize>, &str)> =
            problems.iter().map(|p| (p.record, p.path.as_str())).collect();
        assert_eq!(
            summary,
            vec![
                (Some(0), "orders[0]"),
                (Some(1), "orders[1].order_number"),
                (Some(1), "orders[1].status_id"),
                (Some(2), "orders[2].order_number"),
            ]
        );
    }

    #[test]
    fn adding_lines_makes_a_resend_unsafe() {
        let mut o = OrderUpdate::new("1");
        o.products.push(ProductWrite::default());
        let req = OrderUpdateRequest::new(Notify::NONE, vec![o.clone()]);
        assert_eq!(req.resend_safety(), ResendSafety::Never);
        o.products[0].uuid = Some("u-1".into());
        assert_eq!(
            OrderUpdateRequest::new(Notify::NONE, vec![o]).resend_safety(),
            ResendSafety::Idempotent
        );
    }
}
