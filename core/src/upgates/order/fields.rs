//! The order and its nested records as field tables, for [`super::page_text`].
//!
//! Each table lists its struct's fields in declaration order (which is the order `Serialize`
//! writes them in), by their serde names, each with the rule its `deserialize_with` applies.
//! `core/tests/order_page_text.rs` holds the tables to the structs in [`super::object`]: a
//! field left out, misnamed, out of order or read by another rule writes a different page.

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::upgates::meta::Meta;
use crate::upgates::order::enums::{
    DiscountType, LineType, OrderOrigin, PaymentType, ShipmentType,
};
use crate::upgates::order::object::Agreement;
use crate::upgates::order::page_text::{
    Absent, Field, Rule, flag as flag_rule, optional, required_text, text as text_rule, typed_list,
};

const fn opt<T: crate::lenient::LenientScalar + serde::Serialize>(name: &'static str) -> Field {
    Field { name, rule: Rule::Scalar(optional::<T>), absent: Absent::Null }
}

const fn text(name: &'static str) -> Field {
    Field { name, rule: Rule::Scalar(text_rule), absent: Absent::Null }
}

const fn flag(name: &'static str) -> Field {
    Field { name, rule: Rule::Scalar(flag_rule), absent: Absent::False }
}

const fn object(name: &'static str, fields: &'static [Field]) -> Field {
    Field { name, rule: Rule::Object(fields), absent: Absent::Null }
}

const fn list(name: &'static str, fields: &'static [Field]) -> Field {
    Field { name, rule: Rule::List(fields), absent: Absent::EmptyList }
}

/// A list read whole by its typed reading: records with shapes the tables do not model
/// (a meta's values keyed by language, a consent's PHP `DateTime`).
const fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(name: &'static str) -> Field {
    Field { name, rule: Rule::Typed(typed_list::<T>), absent: Absent::EmptyList }
}

/// [`super::Order`].
pub(crate) const ORDER: &[Field] = &[
    Field { name: "order_number", rule: Rule::Scalar(required_text), absent: Absent::Required },
    opt::<u64>("order_id"),
    text("case_number"),
    text("external_order_number"),
    text("uuid"),
    text("language_id"),
    text("currency_id"),
    opt::<Decimal>("default_currency_rate"),
    flag("prices_with_vat_yn"),
    opt::<u64>("status_id"),
    text("status"),
    opt::<ApiDate>("paid_date"),
    text("tracking_code"),
    text("tracking_url"),
    opt::<bool>("statistics_yn"),
    flag("resolved_yn"),
    flag("oss_yn"),
    text("internal_note"),
    opt::<ApiDate>("last_update_time"),
    opt::<ApiDate>("creation_time"),
    text("variable_symbol"),
    object("dimensions", DIMENSIONS),
    opt::<Decimal>("total_weight"),
    opt::<Decimal>("order_total"),
    opt::<Decimal>("order_total_before_round"),
    opt::<Decimal>("order_total_rest"),
    text("invoice_number"),
    opt::<OrderOrigin>("origin"),
    text("admin_url"),
    // Never null: an order without a customer has one with every field empty.
    Field { name: "customer", rule: Rule::Always(CUSTOMER), absent: Absent::Defaults(CUSTOMER) },
    list("products", PRODUCT),
    object("discount_voucher", DISCOUNT_VOUCHER),
    object("quantity_discount", QUANTITY_DISCOUNT),
    object("loyalty_points", LOYALTY_POINTS),
    object("shipment", SHIPMENT),
    object("payment", PAYMENT),
    list("attachments", ATTACHMENT),
    typed::<Meta>("metas"),
];

/// [`super::object::Dimensions`].
const DIMENSIONS: &[Field] =
    &[opt::<Decimal>("width"), opt::<Decimal>("length"), opt::<Decimal>("height")];

/// [`super::OrderCustomer`].
const CUSTOMER: &[Field] = &[
    text("email"),
    text("phone"),
    text("code"),
    opt::<u64>("customer_id"),
    opt::<u64>("customer_pricelist_id"),
    text("pricelist_name"),
    opt::<Decimal>("pricelist_percent"),
    text("firstname_invoice"),
    text("surname_invoice"),
    text("street_invoice"),
    text("city_invoice"),
    text("state_invoice"),
    text("zip_invoice"),
    text("country_id_invoice"),
    flag("postal_yn"),
    text("firstname_postal"),
    text("surname_postal"),
    text("street_postal"),
    text("city_postal"),
    text("state_postal"),
    text("zip_postal"),
    text("country_id_postal"),
    text("company_postal"),
    flag("company_yn"),
    text("company"),
    text("ico"),
    text("dic"),
    flag("vat_payer_yn"),
    text("customer_note"),
    typed::<Agreement>("agreements"),
];

/// [`super::OrderProduct`].
const PRODUCT: &[Field] = &[
    opt::<u64>("product_id"),
    opt::<u64>("option_set_id"),
    opt::<LineType>("type"),
    text("uuid"),
    text("parent_uuid"),
    text("code"),
    text("code_supplier"),
    text("supplier"),
    text("ean"),
    text("title"),
    flag("adult_yn"),
    text("unit"),
    text("length"),
    text("length_unit"),
    opt::<Decimal>("quantity"),
    opt::<Decimal>("price_per_unit"),
    opt::<Decimal>("price_per_unit_with_vat"),
    opt::<Decimal>("price_per_unit_without_vat"),
    opt::<Decimal>("price"),
    opt::<Decimal>("price_with_vat"),
    opt::<Decimal>("price_without_vat"),
    opt::<Decimal>("vat"),
    opt::<Decimal>("buy_price"),
    opt::<Decimal>("recycling_fee"),
    opt::<Decimal>("weight"),
    text("availability"),
    text("stock_position"),
    text("invoice_info"),
    list("parameters", NAME_VALUE),
    list("configurations", CONFIGURATION),
    list("categories", PRODUCT_CATEGORY),
    text("image_url"),
];

/// [`super::object::NameValue`].
const NAME_VALUE: &[Field] = &[text("name"), text("value")];

/// [`super::object::Configuration`].
const CONFIGURATION: &[Field] = &[text("name"), list("values", CONFIGURATION_VALUE)];

/// [`super::object::ConfigurationValue`].
const CONFIGURATION_VALUE: &[Field] = &[text("value"), text("operation"), opt::<Decimal>("price")];

/// [`super::object::ProductCategory`].
const PRODUCT_CATEGORY: &[Field] = &[opt::<u64>("category_id"), text("code")];

/// [`super::object::VatDiscount`].
const VAT_DISCOUNT: &[Field] = &[
    opt::<Decimal>("price"),
    opt::<Decimal>("price_with_vat"),
    opt::<Decimal>("price_without_vat"),
    opt::<Decimal>("vat"),
];

/// [`super::object::DiscountVoucher`].
const DISCOUNT_VOUCHER: &[Field] = &[
    text("code"),
    opt::<DiscountType>("type"),
    opt::<Decimal>("amount"),
    list("discounts", VAT_DISCOUNT),
];

/// [`super::object::QuantityDiscount`].
const QUANTITY_DISCOUNT: &[Field] =
    &[opt::<DiscountType>("type"), opt::<Decimal>("amount"), list("discounts", VAT_DISCOUNT)];

/// [`super::object::LoyaltyPoints`].
const LOYALTY_POINTS: &[Field] =
    &[opt::<Decimal>("one_point_for"), opt::<Decimal>("amount"), list("discounts", VAT_DISCOUNT)];

/// [`super::OrderShipment`].
const SHIPMENT: &[Field] = &[
    opt::<u64>("id"),
    text("code"),
    text("name"),
    opt::<Decimal>("price"),
    opt::<Decimal>("price_with_vat"),
    opt::<Decimal>("price_without_vat"),
    opt::<Decimal>("vat"),
    text("affiliate_id"),
    text("affiliate_name"),
    opt::<ShipmentType>("type"),
    opt::<u64>("packeta_carrier_id"),
];

/// [`super::OrderPayment`].
const PAYMENT: &[Field] = &[
    opt::<u64>("id"),
    text("code"),
    text("name"),
    opt::<Decimal>("price"),
    opt::<Decimal>("price_with_vat"),
    opt::<Decimal>("price_without_vat"),
    opt::<Decimal>("vat"),
    flag("eet_yn"),
    opt::<PaymentType>("type"),
];

/// [`super::object::Attachment`].
const ATTACHMENT: &[Field] = &[text("id"), text("name"), text("url"), text("code")];
