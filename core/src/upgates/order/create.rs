//! `POST /orders`: creating orders.
//!
//! Customers, shipments, payments and products are matched by e-mail and code. The API
//! e-mails and texts the customer about the new order's status unless told not to, so the
//! request always carries explicit `send_emails_yn`/`send_sms_yn`.

use serde::{Deserialize, Serialize};

use crate::batch::{Batch, check_size};
use crate::date::ApiDate;
use crate::lenient::{list, object, optional as opt};
use crate::upgates::meta::MetaWrite;
use crate::upgates::order::object::Dimensions;
use crate::upgates::order::write::{
    CustomerWrite, DocumentWrite, Notify, OrderParts, PaymentWrite, ProductWrite,
    QuantityDiscountWrite, ShipmentWrite, api_default_true, notify_flag,
};
use crate::validation::{At, Problem, Validate};

/// A request to create up to 100 orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderCreateRequest {
    /// Send the status e-mail. Absent in JSON reads as the API's default, `true`.
    #[serde(default = "api_default_true", deserialize_with = "notify_flag")]
    pub send_emails_yn: bool,
    /// Send the status SMS. Absent in JSON reads as the API's default, `true`.
    #[serde(default = "api_default_true", deserialize_with = "notify_flag")]
    pub send_sms_yn: bool,
    /// The orders.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<NewOrder>,
}

impl OrderCreateRequest {
    /// A request with an explicit choice about notifying customers.
    #[must_use]
    pub fn new(notify: Notify, orders: Vec<NewOrder>) -> Self {
        OrderCreateRequest { send_emails_yn: notify.emails, send_sms_yn: notify.sms, orders }
    }

    /// External order numbers of the orders, where given: the keys a retry looks up
    /// before resending, since a create must not be sent twice blindly.
    #[must_use]
    pub fn external_order_numbers(&self) -> Vec<String> {
        self.orders.iter().filter_map(|o| o.external_order_number.clone()).collect()
    }
}

impl Batch for OrderCreateRequest {
    type Item = NewOrder;

    fn items(&self) -> &[NewOrder] {
        &self.orders
    }

    // Copies the shared flags only: `..self.clone()` would clone every order per chunk.
    fn with_items(&self, orders: Vec<NewOrder>) -> Self {
        OrderCreateRequest {
            send_emails_yn: self.send_emails_yn,
            send_sms_yn: self.send_sms_yn,
            orders,
        }
    }
}

/// One order to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct NewOrder {
    /// Its number in the system it comes from (lets a retry find it).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub external_order_number: Option<String>,
    /// Language mutation; must exist in the shop (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
    /// Whether prices include VAT; the admin's setting when absent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub prices_with_vat_yn: Option<bool>,
    /// Status name; new orders are *Přijatá* (Received) when absent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Status id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<u64>,
    /// When it was paid.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub paid_date: Option<ApiDate>,
    /// Carrier tracking code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// Flag as resolved.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub resolved_yn: Option<bool>,
    /// Internal note.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
    /// Count in statistics.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub statistics_yn: Option<bool>,
    /// At most 10 digits, or `case`/`order`; generated when absent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub variable_symbol: Option<String>,
    /// When it was made (now when absent).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
    /// Parcel dimensions.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// The customer (required, with an e-mail).
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerWrite>,
    /// Order lines (at least one).
    #[serde(default, deserialize_with = "list")]
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
    /// Custom fields.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub metas: Vec<MetaWrite>,
    /// Invoice to generate.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub invoice: Option<DocumentWrite>,
    /// Receipt to generate.
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub receipt: Option<DocumentWrite>,
}

impl NewOrder {
    /// An order with its required parts.
    #[must_use]
    pub fn new(
        language_id: impl Into<String>,
        customer: CustomerWrite,
        products: Vec<ProductWrite>,
    ) -> Self {
        NewOrder {
            language_id: Some(language_id.into()),
            customer: Some(customer),
            products,
            ..Self::default()
        }
    }

    fn collect_problems(&self, at: &At, out: &mut Vec<Problem>) {
        at.field("language_id").require_text(
            self.language_id.as_deref(),
            "the order's language code, like cs",
            out,
        );
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
        .collect_problems(at, true, out);
    }
}

impl Validate for OrderCreateRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let list_at = At::root().field("orders");
        check_size(&list_at, self.orders.len(), "order", out);
        let mut seen = std::collections::HashSet::new();
        for (i, o) in self.orders.iter().enumerate() {
            let at = At::record("orders", i, o.external_order_number.as_deref());
            o.collect_problems(&at, out);
            if let Some(ext) = &o.external_order_number
                && !seen.insert(ext.as_str())
            {
                out.push(at.field("external_order_number").problem(
                    "an external order number used once per request",
                    crate::validation::quoted(ext),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::Decimal;

    fn valid() -> NewOrder {
        NewOrder::new(
            "cs",
            CustomerWrite::with_email("jan@example.cz"),
            vec![ProductWrite::new(
                "Mug",
                Decimal::from(2_i64),
                Decimal::new(1686, 1),
                Decimal::from(21_i64),
            )],
        )
    }

    #[test]
    fn a_complete_order_is_valid_and_says_whether_to_notify() {
        let req = OrderCreateRequest::new(Notify::NONE, vec![valid()]);
        assert!(req.validate().is_ok());
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["send_emails_yn"], false);
        assert_eq!(json["send_sms_yn"], false);
        assert_eq!(json["orders"][0]["products"][0]["price_per_unit"], 168.6);
    }

    #[test]
    fn every_missing_value_is_reported_at_once() {
        let req: OrderCreateRequest = serde_json::from_str(
            r#"{"orders":[{"customer":{"email":"not-an-email"},"products":[{"quantity":"1"}],"shipment":{"name":"PPL"}}]}"#,
        )
        .unwrap();
        let problems = req.validate().unwrap_err().0;
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "orders[0].language_id",
                "orders[0].customer.email",
                "orders[0].products[0].title",
                "orders[0].products[0].vat",
                "orders[0].products[0].price_per_unit",
                "orders[0].shipment.price",
                "orders[0].shipment.vat",
            ]
        );
        assert!(problems.iter().all(|p| p.record == Some(0)));
    }

    #[test]
    fn absent_notification_flags_read_as_the_api_default() {
        let req: OrderCreateRequest = serde_json::from_str(r#"{"orders":[]}"#).unwrap();
        assert!(req.send_emails_yn && req.send_sms_yn);
        let strings: OrderCreateRequest =
            serde_json::from_str(r#"{"send_emails_yn":"0","send_sms_yn":"0","orders":[]}"#)
                .unwrap();
        assert!(!strings.send_emails_yn && !strings.send_sms_yn);
    }

    #[test]
    fn variable_symbols() {
        for (vs, ok) in [
            ("case", true),
            ("order", true),
            ("0123456789", true),
            ("12345678901", false),
            ("12a", false),
            ("", false),
        ] {
            let mut o = valid();
            o.variable_symbol = Some(vs.into());
            let req = OrderCreateRequest::new(Notify::NONE, vec![o]);
            assert_eq!(req.validate().is_ok(), ok, "{vs}");
        }
    }

    #[test]
    fn over_a_hundred_orders_is_a_problem_and_duplicates_are_named() {
        let mut o = valid();
        o.external_order_number = Some("EXT-1".into());
        let req = OrderCreateRequest::new(Notify::NONE, vec![o; 101]);
        let problems = req.validate().unwrap_err().0;
        assert_eq!(problems[0].found, "101 orders");
        assert_eq!(problems[1].record_key.as_deref(), Some("EXT-1"));
        assert_eq!(problems.len(), 101);
    }
}
