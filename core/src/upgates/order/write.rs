//! The parts of an order that create and update requests share, and their checks.
//!
//! Request fields are `Option`s so that JSON with missing required values still reads and
//! validation can list *every* missing value at once; the constructors take the required
//! values, so Rust callers cannot forget them. Absent fields are not written at all.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::lenient::{list, optional as opt};
use crate::upgates::order::enums::DiscountType;
use crate::upgates::order::object::NameValue;
use crate::validation::{At, Problem, quoted};

pub use crate::notify::Notify;

/// What the API does when a request omits `send_emails_yn`/`send_sms_yn`: it sends.
pub(crate) fn api_default_true() -> bool {
    true
}

/// `deserialize_with` for the notification flags: `null` and `""` say nothing, which the
/// API reads as its default, `true`. Reading them any other way would hide an e-mail.
pub(crate) fn notify_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(<bool as crate::lenient::Lenient>::deserialize_lenient(d)?.unwrap_or(true))
}

/// The customer block of an order write (`orders[].customer`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerWrite {
    /// E-mail (required on create; the customer account is matched by it).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Billing first name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub firstname_invoice: Option<String>,
    /// Billing surname.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub surname_invoice: Option<String>,
    /// Billing street and number.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub street_invoice: Option<String>,
    /// Billing city.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub city_invoice: Option<String>,
    /// Billing district.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub state_invoice: Option<String>,
    /// Billing postcode.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub zip_invoice: Option<String>,
    /// Billing country (ISO 3166-1 alpha-2).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub country_id_invoice: Option<String>,
    /// Whether a delivery address follows; must be true when one does.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub postal_yn: Option<bool>,
    /// Delivery first name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub firstname_postal: Option<String>,
    /// Delivery surname.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub surname_postal: Option<String>,
    /// Delivery street and number.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub street_postal: Option<String>,
    /// Delivery city.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub city_postal: Option<String>,
    /// Delivery district.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub state_postal: Option<String>,
    /// Delivery postcode.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub zip_postal: Option<String>,
    /// Delivery country.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub country_id_postal: Option<String>,
    /// Delivery company name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_postal: Option<String>,
    /// Whether the customer is a company; then `company` is required.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_yn: Option<bool>,
    /// Company name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Company number (IČO).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub ico: Option<String>,
    /// VAT number (DIČ).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub dic: Option<String>,
    /// Whether the company pays VAT.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat_payer_yn: Option<bool>,
    /// Pricelist name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub pricelist_name: Option<String>,
    /// Pricelist discount in percent (informative only).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub pricelist_percent: Option<Decimal>,
    /// The customer's note.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub customer_note: Option<String>,
}

impl CustomerWrite {
    /// A customer identified by e-mail.
    #[must_use]
    pub fn with_email(email: impl Into<String>) -> Self {
        CustomerWrite { email: Some(email.into()), ..Self::default() }
    }

    pub(crate) fn collect_problems(&self, at: &At, email_required: bool, out: &mut Vec<Problem>) {
        let email_at = at.field("email");
        match &self.email {
            Some(e) => email_at.email(e, out),
            None if email_required => out.push(
                email_at.problem("the customer's e-mail address", crate::validation::NOTHING),
            ),
            None => {}
        }
        for (field, value) in [
            ("country_id_invoice", &self.country_id_invoice),
            ("country_id_postal", &self.country_id_postal),
        ] {
            if let Some(c) = value {
                check_country(&at.field(field), c, out);
            }
        }
        let gives_postal = [
            &self.firstname_postal,
            &self.surname_postal,
            &self.street_postal,
            &self.city_postal,
            &self.zip_postal,
            &self.country_id_postal,
            &self.company_postal,
        ]
        .iter()
        .any(|f| f.as_deref().is_some_and(|v| !v.is_empty()));
        if gives_postal && self.postal_yn != Some(true) {
            out.push(at.field("postal_yn").problem(
                "true when a delivery address is given (otherwise the API ignores it)",
                self.postal_yn.map_or("nothing".to_owned(), |b| b.to_string()),
            ));
        }
        if self.company_yn == Some(true) {
            at.field("company").require_text(
                self.company.as_deref(),
                "the company name (required when company_yn is true)",
                out,
            );
        }
    }
}

/// An ISO 3166-1 alpha-2 code, in either case (the API writes lower case).
fn check_country(at: &At, code: &str, out: &mut Vec<Problem>) {
    if !(code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic())) {
        out.push(at.problem("a two-letter country code like cz", quoted(code)));
    }
}

/// An order line to write. In an update, a line with `uuid` changes that line; a line
/// without one is added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ProductWrite {
    /// The existing line to change (update only).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Product code; matched against the shop's products.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Supplier's code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code_supplier: Option<String>,
    /// EAN.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
    /// Name (required on create).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Quantity.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Unit.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit price, with or without VAT as the order is (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub price_per_unit: Option<Decimal>,
    /// VAT rate in percent (required on create).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat: Option<Decimal>,
    /// Purchase price.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub buy_price: Option<Decimal>,
    /// Recycling fee.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub recycling_fee: Option<Decimal>,
    /// Weight of one unit in grams.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Note printed on the invoice.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub invoice_info: Option<String>,
    /// Parameters.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<NameValue>,
}

impl ProductWrite {
    /// A new line.
    #[must_use]
    pub fn new(
        title: impl Into<String>,
        quantity: Decimal,
        price_per_unit: Decimal,
        vat: Decimal,
    ) -> Self {
        ProductWrite {
            title: Some(title.into()),
            quantity: Some(quantity),
            price_per_unit: Some(price_per_unit),
            vat: Some(vat),
            ..Self::default()
        }
    }

    pub(crate) fn collect_problems(&self, at: &At, creating: bool, out: &mut Vec<Problem>) {
        if creating {
            at.field("title").require_text(self.title.as_deref(), "the product name", out);
            at.field("vat").require(self.vat.as_ref(), "the VAT rate in percent", out);
            if self.uuid.is_some() {
                out.push(at.field("uuid").problem(
                    "no uuid on a new order (uuids name lines of existing orders)",
                    "a uuid",
                ));
            }
        }
        at.field("price_per_unit").require(self.price_per_unit.as_ref(), "the unit price", out);
        if let Some(vat) = self.vat {
            check_vat(&at.field("vat"), vat, out);
        }
        if let Some(q) = self.quantity
            && q <= Decimal::ZERO
        {
            out.push(at.field("quantity").problem("a quantity above 0", q.to_string()));
        }
        for (i, p) in self.parameters.iter().enumerate() {
            let p_at = at.index("parameters", i);
            p_at.field("name").require_text(p.name.as_deref(), "the parameter name", out);
            p_at.field("value").require(p.value.as_ref(), "the parameter value", out);
        }
    }
}

fn check_vat(at: &At, vat: Decimal, out: &mut Vec<Problem>) {
    if vat < Decimal::ZERO || vat > Decimal::from(100_i64) {
        out.push(at.problem("a VAT rate from 0 to 100 (percent)", vat.to_string()));
    }
}

/// A quantity discount to write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct QuantityDiscountWrite {
    /// Amount or percent (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// `price` or `percent` (required).
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount_type: Option<DiscountType>,
}

impl QuantityDiscountWrite {
    pub(crate) fn collect_problems(&self, at: &At, out: &mut Vec<Problem>) {
        at.field("amount").require(self.amount.as_ref(), "the discount amount", out);
        match &self.discount_type {
            None => {
                out.push(at.field("type").problem("price or percent", crate::validation::NOTHING))
            }
            Some(t) if !t.is_known() => {
                out.push(at.field("type").problem("price or percent", quoted(t.as_str())))
            }
            Some(_) => {}
        }
    }
}

/// The shipment of an order write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ShipmentWrite {
    /// Code; matched against the shop's shipments.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Price (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// VAT rate in percent (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat: Option<Decimal>,
    /// Pickup point id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub affiliate_id: Option<String>,
    /// Pickup point name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub affiliate_name: Option<String>,
}

/// The payment of an order write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PaymentWrite {
    /// Code; matched against the shop's payments.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Price (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// VAT rate in percent (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub vat: Option<Decimal>,
    /// Whether to report the order to EET.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub eet_yn: Option<bool>,
}

/// Checks the three values every shipment and payment needs.
fn check_priced(
    at: &At,
    name: Option<&str>,
    price: Option<&Decimal>,
    vat: Option<&Decimal>,
    out: &mut Vec<Problem>,
) {
    at.field("name").require_text(name, "a name", out);
    at.field("price").require(price, "a price", out);
    at.field("vat").require(vat, "the VAT rate in percent", out);
    if let Some(v) = vat {
        check_vat(&at.field("vat"), *v, out);
    }
}

/// An invoice, receipt or credit note to generate with the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct DocumentWrite {
    /// Generate it (for an invoice, `false` also stops automatic generation).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub generate_yn: Option<bool>,
    /// Due date; the admin's default when absent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<ApiDate>,
    /// Date of issue.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub date_of_issuance: Option<ApiDate>,
    /// Date of taxable supply.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub date_of_vat_revenue_recognition: Option<ApiDate>,
}

impl DocumentWrite {
    /// Generate the document with the shop's default dates.
    #[must_use]
    pub fn generate() -> Self {
        DocumentWrite { generate_yn: Some(true), ..Self::default() }
    }
}

/// `variable_symbol`: at most 10 digits, or `case`/`order` to derive it from the case or
/// order number.
fn check_variable_symbol(at: &At, vs: &str, out: &mut Vec<Problem>) {
    let ok = vs == "case"
        || vs == "order"
        || (!vs.is_empty() && vs.len() <= 10 && vs.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        out.push(at.problem("at most 10 digits, or `case` or `order`", quoted(vs)));
    }
}

/// Flags a request that names a status twice (which one the API would use is undocumented).
fn check_one_status(at: &At, status: Option<&str>, status_id: Option<u64>, out: &mut Vec<Problem>) {
    if status.is_some() && status_id.is_some() {
        out.push(at.field("status_id").problem("either `status` or `status_id`, not both", "both"));
    }
}

/// The parts of an order write that create and update check alike.
pub(crate) struct OrderParts<'a> {
    pub status: Option<&'a str>,
    pub status_id: Option<u64>,
    pub variable_symbol: Option<&'a str>,
    pub customer: Option<&'a CustomerWrite>,
    pub products: &'a [ProductWrite],
    pub quantity_discount: Option<&'a QuantityDiscountWrite>,
    pub shipment: Option<&'a ShipmentWrite>,
    pub payment: Option<&'a PaymentWrite>,
    pub metas: &'a [crate::upgates::meta::MetaWrite],
}

impl OrderParts<'_> {
    /// Checks the parts; `creating` makes the customer and at least one line required and
    /// applies the create-only rules to lines.
    pub(crate) fn collect_problems(&self, at: &At, creating: bool, out: &mut Vec<Problem>) {
        check_one_status(at, self.status, self.status_id, out);
        if let Some(vs) = self.variable_symbol {
            check_variable_symbol(&at.field("variable_symbol"), vs, out);
        }
        match self.customer {
            Some(c) => c.collect_problems(&at.field("customer"), creating, out),
            None if creating => out.push(
                at.field("customer")
                    .problem("the customer, with at least an e-mail", crate::validation::NOTHING),
            ),
            None => {}
        }
        if creating && self.products.is_empty() {
            out.push(at.field("products").problem("at least one product line", "none"));
        }
        for (i, p) in self.products.iter().enumerate() {
            p.collect_problems(&at.index("products", i), creating, out);
        }
        if let Some(d) = self.quantity_discount {
            d.collect_problems(&at.field("quantity_discount"), out);
        }
        if let Some(s) = self.shipment {
            check_priced(
                &at.field("shipment"),
                s.name.as_deref(),
                s.price.as_ref(),
                s.vat.as_ref(),
                out,
            );
        }
        if let Some(p) = self.payment {
            check_priced(
                &at.field("payment"),
                p.name.as_deref(),
                p.price.as_ref(),
                p.vat.as_ref(),
                out,
            );
        }
        for (i, m) in self.metas.iter().enumerate() {
            m.collect_problems(&at.index("metas", i), out);
        }
    }
}
