//! An order as `GET /orders` returns it, with every documented field.
//!
//! Field names are the API's. Money, VAT rates, quantities and weights are exact
//! [`Decimal`]s; ids and flags are read leniently; values the API may omit or null are
//! `Option`s. Unknown fields are ignored, so a newer API does not break older readers.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{flag, list, object, optional as opt, required as req};
use crate::upgates::meta::Meta;
use crate::upgates::order::enums::{
    DiscountType, LineType, OrderOrigin, PaymentType, ShipmentType,
};
use crate::upgates::php_datetime::DateOrPhp;

/// An order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Order {
    /// The order number, the order's key.
    #[serde(deserialize_with = "req")]
    pub order_number: String,
    /// Internal numeric id.
    #[serde(default, deserialize_with = "opt")]
    pub order_id: Option<u64>,
    /// Business case number.
    #[serde(default, deserialize_with = "opt")]
    pub case_number: Option<String>,
    /// The order number in an external system.
    #[serde(default, deserialize_with = "opt")]
    pub external_order_number: Option<String>,
    /// Unique identifier.
    #[serde(default, deserialize_with = "opt")]
    pub uuid: Option<String>,
    /// Language mutation code (not strictly ISO 639-1; `ta` exists).
    #[serde(default, deserialize_with = "opt")]
    pub language_id: Option<String>,
    /// Currency (ISO 4217).
    #[serde(default, deserialize_with = "opt")]
    pub currency_id: Option<String>,
    /// Rate to the shop's default currency: `price * (1 / default_currency_rate)`.
    #[serde(default, deserialize_with = "opt")]
    pub default_currency_rate: Option<Decimal>,
    /// Whether prices include VAT.
    #[serde(default, deserialize_with = "flag")]
    pub prices_with_vat_yn: bool,
    /// Status id; use this, not the name, for matching.
    #[serde(default, deserialize_with = "opt")]
    pub status_id: Option<u64>,
    /// Status name in the order's language.
    #[serde(default, deserialize_with = "opt")]
    pub status: Option<String>,
    /// When it was paid; `None` when unpaid.
    #[serde(default, deserialize_with = "opt")]
    pub paid_date: Option<ApiDate>,
    /// Carrier tracking code.
    #[serde(default, deserialize_with = "opt")]
    pub tracking_code: Option<String>,
    /// Carrier tracking URL.
    #[serde(default, deserialize_with = "opt")]
    pub tracking_url: Option<String>,
    /// Whether it counts in statistics (a newer field; `None` when not sent).
    #[serde(default, deserialize_with = "opt")]
    pub statistics_yn: Option<bool>,
    /// Whether it is flagged as resolved.
    #[serde(default, deserialize_with = "flag")]
    pub resolved_yn: bool,
    /// Whether it was made in OSS mode.
    #[serde(default, deserialize_with = "flag")]
    pub oss_yn: bool,
    /// Internal note.
    #[serde(default, deserialize_with = "opt")]
    pub internal_note: Option<String>,
    /// Last change.
    #[serde(default, deserialize_with = "opt")]
    pub last_update_time: Option<ApiDate>,
    /// Creation.
    #[serde(default, deserialize_with = "opt")]
    pub creation_time: Option<ApiDate>,
    /// Variable symbol for payments.
    #[serde(default, deserialize_with = "opt")]
    pub variable_symbol: Option<String>,
    /// Parcel dimensions.
    #[serde(default, deserialize_with = "object")]
    pub dimensions: Option<Dimensions>,
    /// Total weight in grams.
    #[serde(default, deserialize_with = "opt")]
    pub total_weight: Option<Decimal>,
    /// Total with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub order_total: Option<Decimal>,
    /// Total with VAT before rounding.
    #[serde(default, deserialize_with = "opt")]
    pub order_total_before_round: Option<Decimal>,
    /// The rounding.
    #[serde(default, deserialize_with = "opt")]
    pub order_total_rest: Option<Decimal>,
    /// Invoice number, once invoiced.
    #[serde(default, deserialize_with = "opt")]
    pub invoice_number: Option<String>,
    /// Where the order was made.
    #[serde(default, deserialize_with = "opt")]
    pub origin: Option<OrderOrigin>,
    /// Link to the order in the admin.
    #[serde(default, deserialize_with = "opt")]
    pub admin_url: Option<String>,
    /// The customer as recorded on the order.
    #[serde(default, deserialize_with = "customer")]
    pub customer: OrderCustomer,
    /// Order lines.
    #[serde(default, deserialize_with = "list")]
    pub products: Vec<OrderProduct>,
    /// Discount voucher used.
    #[serde(default, deserialize_with = "object")]
    pub discount_voucher: Option<DiscountVoucher>,
    /// Quantity discount.
    #[serde(default, deserialize_with = "object")]
    pub quantity_discount: Option<QuantityDiscount>,
    /// Loyalty points used.
    #[serde(default, deserialize_with = "object")]
    pub loyalty_points: Option<LoyaltyPoints>,
    /// Shipment.
    #[serde(default, deserialize_with = "object")]
    pub shipment: Option<OrderShipment>,
    /// Payment.
    #[serde(default, deserialize_with = "object")]
    pub payment: Option<OrderPayment>,
    /// Files and links attached to the order.
    #[serde(default, deserialize_with = "list")]
    pub attachments: Vec<Attachment>,
    /// Custom fields.
    #[serde(default, deserialize_with = "list")]
    pub metas: Vec<Meta>,
}

fn customer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<OrderCustomer, D::Error> {
    Ok(object(d)?.unwrap_or_default())
}

impl Order {
    /// An order with just its number, for building test data and sandbox records.
    #[must_use]
    pub fn new(order_number: impl Into<String>) -> Self {
        Order { order_number: order_number.into(), ..Order::default() }
    }

    /// Whether the order is paid.
    #[must_use]
    pub fn is_paid(&self) -> bool {
        self.paid_date.is_some()
    }

    /// Product codes of the order's lines, in order, skipping lines without a code.
    #[must_use]
    pub fn product_codes(&self) -> Vec<&str> {
        self.products.iter().filter_map(|p| p.code.as_deref()).collect()
    }

    /// The custom field with this key.
    #[must_use]
    pub fn meta(&self, key: &str) -> Option<&Meta> {
        self.metas.iter().find(|m| m.key == key)
    }
}

/// Parcel dimensions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Dimensions {
    /// Width.
    #[serde(default, deserialize_with = "opt")]
    pub width: Option<Decimal>,
    /// Length.
    #[serde(default, deserialize_with = "opt")]
    pub length: Option<Decimal>,
    /// Height.
    #[serde(default, deserialize_with = "opt")]
    pub height: Option<Decimal>,
}

/// The customer as recorded on an order (a snapshot, not the customer account).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderCustomer {
    /// E-mail; `None` when no customer is chosen.
    #[serde(default, deserialize_with = "opt")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "opt")]
    pub phone: Option<String>,
    /// Customer number.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Customer account id.
    #[serde(default, deserialize_with = "opt")]
    pub customer_id: Option<u64>,
    /// Pricelist the customer bought in.
    #[serde(default, deserialize_with = "opt")]
    pub customer_pricelist_id: Option<u64>,
    /// Pricelist name.
    #[serde(default, deserialize_with = "opt")]
    pub pricelist_name: Option<String>,
    /// Pricelist discount in percent.
    #[serde(default, deserialize_with = "opt")]
    pub pricelist_percent: Option<Decimal>,
    /// Billing first name.
    #[serde(default, deserialize_with = "opt")]
    pub firstname_invoice: Option<String>,
    /// Billing surname.
    #[serde(default, deserialize_with = "opt")]
    pub surname_invoice: Option<String>,
    /// Billing street and number.
    #[serde(default, deserialize_with = "opt")]
    pub street_invoice: Option<String>,
    /// Billing city.
    #[serde(default, deserialize_with = "opt")]
    pub city_invoice: Option<String>,
    /// Billing district or state.
    #[serde(default, deserialize_with = "opt")]
    pub state_invoice: Option<String>,
    /// Billing postcode.
    #[serde(default, deserialize_with = "opt")]
    pub zip_invoice: Option<String>,
    /// Billing country (ISO 3166-1 alpha-2; real data is lower case).
    #[serde(default, deserialize_with = "opt")]
    pub country_id_invoice: Option<String>,
    /// Whether a separate delivery address is given.
    #[serde(default, deserialize_with = "flag")]
    pub postal_yn: bool,
    /// Delivery first name.
    #[serde(default, deserialize_with = "opt")]
    pub firstname_postal: Option<String>,
    /// Delivery surname.
    #[serde(default, deserialize_with = "opt")]
    pub surname_postal: Option<String>,
    /// Delivery street and number.
    #[serde(default, deserialize_with = "opt")]
    pub street_postal: Option<String>,
    /// Delivery city.
    #[serde(default, deserialize_with = "opt")]
    pub city_postal: Option<String>,
    /// Delivery district or state.
    #[serde(default, deserialize_with = "opt")]
    pub state_postal: Option<String>,
    /// Delivery postcode.
    #[serde(default, deserialize_with = "opt")]
    pub zip_postal: Option<String>,
    /// Delivery country.
    #[serde(default, deserialize_with = "opt")]
    pub country_id_postal: Option<String>,
    /// Delivery company name.
    #[serde(default, deserialize_with = "opt")]
    pub company_postal: Option<String>,
    /// Whether the customer is a company.
    #[serde(default, deserialize_with = "flag")]
    pub company_yn: bool,
    /// Company name.
    #[serde(default, deserialize_with = "opt")]
    pub company: Option<String>,
    /// Company number (IČO).
    #[serde(default, deserialize_with = "opt")]
    pub ico: Option<String>,
    /// VAT number (DIČ).
    #[serde(default, deserialize_with = "opt")]
    pub dic: Option<String>,
    /// Whether the company is a VAT payer.
    #[serde(default, deserialize_with = "flag")]
    pub vat_payer_yn: bool,
    /// The customer's note on the order.
    #[serde(default, deserialize_with = "opt")]
    pub customer_note: Option<String>,
    /// Consents (GDPR agreements).
    #[serde(default, deserialize_with = "list")]
    pub agreements: Vec<Agreement>,
}

/// A consent the customer gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Agreement {
    /// Name of the consent.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Until when it is valid: a date string or, in real data, a PHP DateTime object.
    #[serde(default, deserialize_with = "opt")]
    pub valid_to: Option<DateOrPhp>,
    /// Whether it was given.
    #[serde(default, deserialize_with = "opt")]
    pub status: Option<bool>,
}

/// An order line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderProduct {
    /// Product id (informative; `None` for hand-made lines or deleted products).
    #[serde(default, deserialize_with = "opt")]
    pub product_id: Option<u64>,
    /// Variant id, when the line is a variant.
    #[serde(default, deserialize_with = "opt")]
    pub option_set_id: Option<u64>,
    /// What the line is.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub line_type: Option<LineType>,
    /// Line identifier; send it back in an update to change this line.
    #[serde(default, deserialize_with = "opt")]
    pub uuid: Option<String>,
    /// The line this one belongs to (a set, or the product of a gift or discount).
    #[serde(default, deserialize_with = "opt")]
    pub parent_uuid: Option<String>,
    /// Product or variant code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Supplier's code.
    #[serde(default, deserialize_with = "opt")]
    pub code_supplier: Option<String>,
    /// Supplier.
    #[serde(default, deserialize_with = "opt")]
    pub supplier: Option<String>,
    /// EAN.
    #[serde(default, deserialize_with = "opt")]
    pub ean: Option<String>,
    /// Product name.
    #[serde(default, deserialize_with = "opt")]
    pub title: Option<String>,
    /// Adults only.
    #[serde(default, deserialize_with = "flag")]
    pub adult_yn: bool,
    /// Unit.
    #[serde(default, deserialize_with = "opt")]
    pub unit: Option<String>,
    /// Amount (for goods sold by length or volume).
    #[serde(default, deserialize_with = "opt")]
    pub length: Option<String>,
    /// Unit of `length`.
    #[serde(default, deserialize_with = "opt")]
    pub length_unit: Option<String>,
    /// Quantity.
    #[serde(default, deserialize_with = "opt")]
    pub quantity: Option<Decimal>,
    /// Unit price (with or without VAT per `prices_with_vat_yn`).
    #[serde(default, deserialize_with = "opt")]
    pub price_per_unit: Option<Decimal>,
    /// Unit price with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_per_unit_with_vat: Option<Decimal>,
    /// Unit price without VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_per_unit_without_vat: Option<Decimal>,
    /// Line total (with or without VAT per `prices_with_vat_yn`).
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Line total with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_with_vat: Option<Decimal>,
    /// Line total without VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_without_vat: Option<Decimal>,
    /// VAT rate in percent.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
    /// Purchase price per unit.
    #[serde(default, deserialize_with = "opt")]
    pub buy_price: Option<Decimal>,
    /// Recycling fee.
    #[serde(default, deserialize_with = "opt")]
    pub recycling_fee: Option<Decimal>,
    /// Weight of one unit in grams.
    #[serde(default, deserialize_with = "opt")]
    pub weight: Option<Decimal>,
    /// Availability when ordered.
    #[serde(default, deserialize_with = "opt")]
    pub availability: Option<String>,
    /// Stock position.
    #[serde(default, deserialize_with = "opt")]
    pub stock_position: Option<String>,
    /// Note printed on the invoice.
    #[serde(default, deserialize_with = "opt")]
    pub invoice_info: Option<String>,
    /// Parameters.
    #[serde(default, deserialize_with = "list")]
    pub parameters: Vec<NameValue>,
    /// Configurations (options with a price).
    #[serde(default, deserialize_with = "list")]
    pub configurations: Vec<Configuration>,
    /// Categories the product was in when ordered.
    #[serde(default, deserialize_with = "list")]
    pub categories: Vec<ProductCategory>,
    /// Main product image.
    #[serde(default, deserialize_with = "opt")]
    pub image_url: Option<String>,
}

/// A name and a value (product parameters, history data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct NameValue {
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Value.
    #[serde(default, deserialize_with = "opt")]
    pub value: Option<String>,
}

impl NameValue {
    /// A pair.
    #[must_use]
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        NameValue { name: Some(name.into()), value: Some(value.into()) }
    }
}

/// A product configuration and its chosen values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Configuration {
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Values.
    #[serde(default, deserialize_with = "list")]
    pub values: Vec<ConfigurationValue>,
}

/// One chosen configuration value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ConfigurationValue {
    /// Value.
    #[serde(default, deserialize_with = "opt")]
    pub value: Option<String>,
    /// `+` or `-`.
    #[serde(default, deserialize_with = "opt")]
    pub operation: Option<String>,
    /// Price (already included in the line price).
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
}

/// A category a product was in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ProductCategory {
    /// Category id.
    #[serde(default, deserialize_with = "opt")]
    pub category_id: Option<u64>,
    /// Category code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
}

/// A discount split by VAT rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct VatDiscount {
    /// Amount.
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Amount with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_with_vat: Option<Decimal>,
    /// Amount without VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_without_vat: Option<Decimal>,
    /// VAT rate in percent.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
}

/// A discount voucher used on the order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct DiscountVoucher {
    /// Voucher code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Percent or fixed price.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub discount_type: Option<DiscountType>,
    /// Percent or amount, per `type`.
    #[serde(default, deserialize_with = "opt")]
    pub amount: Option<Decimal>,
    /// The discount per VAT rate.
    #[serde(default, deserialize_with = "list")]
    pub discounts: Vec<VatDiscount>,
}

/// A quantity discount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct QuantityDiscount {
    /// Percent or fixed price.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub discount_type: Option<DiscountType>,
    /// Percent or amount, per `type`.
    #[serde(default, deserialize_with = "opt")]
    pub amount: Option<Decimal>,
    /// The discount per VAT rate.
    #[serde(default, deserialize_with = "list")]
    pub discounts: Vec<VatDiscount>,
}

/// Loyalty points used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LoyaltyPoints {
    /// Value of one point.
    #[serde(default, deserialize_with = "opt")]
    pub one_point_for: Option<Decimal>,
    /// Discount amount.
    #[serde(default, deserialize_with = "opt")]
    pub amount: Option<Decimal>,
    /// The discount per VAT rate.
    #[serde(default, deserialize_with = "list")]
    pub discounts: Vec<VatDiscount>,
}

/// The shipment on an order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderShipment {
    /// Shipment id (`None` for a hand-made one).
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// Shipment code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Price.
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Price with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_with_vat: Option<Decimal>,
    /// Price without VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_without_vat: Option<Decimal>,
    /// VAT rate in percent.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
    /// Pickup point id.
    #[serde(default, deserialize_with = "opt")]
    pub affiliate_id: Option<String>,
    /// Pickup point name.
    #[serde(default, deserialize_with = "opt")]
    pub affiliate_name: Option<String>,
    /// Carrier type.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub shipment_type: Option<ShipmentType>,
    /// Packeta carrier id (Zásilkovna only).
    #[serde(default, deserialize_with = "opt")]
    pub packeta_carrier_id: Option<u64>,
}

/// The payment on an order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderPayment {
    /// Payment id (`None` for a hand-made one).
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// Payment code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Price.
    #[serde(default, deserialize_with = "opt")]
    pub price: Option<Decimal>,
    /// Price with VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_with_vat: Option<Decimal>,
    /// Price without VAT.
    #[serde(default, deserialize_with = "opt")]
    pub price_without_vat: Option<Decimal>,
    /// VAT rate in percent.
    #[serde(default, deserialize_with = "opt")]
    pub vat: Option<Decimal>,
    /// Whether the order goes to EET.
    #[serde(default, deserialize_with = "flag")]
    pub eet_yn: bool,
    /// Payment type.
    #[serde(default, rename = "type", deserialize_with = "opt")]
    pub payment_type: Option<PaymentType>,
}

/// A file or link attached to an order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Attachment {
    /// Attachment id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// URL.
    #[serde(default, deserialize_with = "opt")]
    pub url: Option<String>,
    /// Code.
    #[serde(default, deserialize_with = "opt")]
    pub code: Option<String>,
}
