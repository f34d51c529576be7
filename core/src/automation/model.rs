//! What rules see, on every platform: orders with their lines, shipment, payment, customer and
//! custom fields; customer accounts. Nothing here names a platform: each platform maps its
//! own records into these (`upgates::neutral`), and keeps its record beside them
//! ([`PlatformRecord`]) for what the neutral model lacks (`order.api` in rules, documented
//! as not portable).

use std::fmt;
use std::sync::Arc;

use crate::date::ApiDate;
use crate::decimal::Decimal;

/// A platform's own record, kept beside its neutral form and read only when a rule asks
/// (`order.api`): turning it into JSON costs a copy that most rules never need.
#[derive(Clone)]
pub struct PlatformRecord(Arc<dyn Fn() -> serde_json::Value + Send + Sync>);

impl PlatformRecord {
    /// The record of `value`, serialized on demand.
    pub fn of<T: serde::Serialize + Send + Sync + 'static>(value: Arc<T>) -> Self {
        PlatformRecord(Arc::new(move || serde_json::to_value(&*value).unwrap_or_default()))
    }

    /// The record as JSON, in the platform's own field names.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        (self.0)()
    }
}

impl fmt::Debug for PlatformRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformRecord(..)")
    }
}

/// A custom field (Upgates "metas", Retailys parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomField {
    /// Its key.
    pub key: String,
    /// Its one value, when it has one (not per language).
    pub value: Option<String>,
    /// Its value in the record's language, else in any language, when it has only those.
    pub in_language: Option<String>,
}

impl CustomField {
    /// What a rule reads: the one value, else the language's.
    #[must_use]
    pub fn shown(&self) -> Option<&str> {
        self.value.as_deref().or(self.in_language.as_deref())
    }
}

/// The customer as an order names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderCustomer {
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// The account's id; `None` for a guest.
    pub customer_id: Option<u64>,
    /// First name (invoice).
    pub firstname: Option<String>,
    /// Surname (invoice).
    pub surname: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Whether the buyer is a company.
    pub is_company: bool,
    /// Company id (IČO).
    pub ico: Option<String>,
    /// VAT id (DIČ).
    pub dic: Option<String>,
    /// Whether the buyer pays VAT.
    pub vat_payer: bool,
    /// City (invoice).
    pub city: Option<String>,
    /// Postcode (invoice).
    pub zip: Option<String>,
    /// Country code (invoice).
    pub country: Option<String>,
    /// The customer's note on the order.
    pub note: Option<String>,
}

/// One line of an order: a product, the shipping, a discount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// Product code.
    pub code: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// EAN.
    pub ean: Option<String>,
    /// Supplier.
    pub supplier: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Availability text.
    pub availability: Option<String>,
    /// What kind of line (`product`, `shipment`, `discount`, …), as the platform names it.
    pub kind: Option<String>,
    /// Quantity.
    pub quantity: Option<Decimal>,
    /// The line's price (with VAT where known).
    pub price: Option<Decimal>,
    /// The price of one unit (with VAT where known).
    pub price_per_unit: Option<Decimal>,
    /// Weight.
    pub weight: Option<Decimal>,
}

/// How an order is shipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shipment {
    /// Name.
    pub name: Option<String>,
    /// Code.
    pub code: Option<String>,
    /// Kind, as the platform names it.
    pub kind: Option<String>,
    /// The pickup point's id, when shipped to one.
    pub pickup_point_id: Option<String>,
    /// The pickup point's name.
    pub pickup_point_name: Option<String>,
    /// The carrier's id on the platform, when known (a tracking number needs it on Retailys).
    pub carrier: Option<String>,
    /// Price (with VAT where known).
    pub price: Option<Decimal>,
}

/// How an order is paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payment {
    /// Name.
    pub name: Option<String>,
    /// Code.
    pub code: Option<String>,
    /// Kind, as the platform names it.
    pub kind: Option<String>,
    /// Whether it is cash on delivery.
    pub cash_on_delivery: bool,
    /// Price (with VAT where known).
    pub price: Option<Decimal>,
}

/// An order, as rules see it on every platform.
#[derive(Debug, Clone, Default)]
pub struct Order {
    /// The order number (the key rules and actions use).
    pub number: String,
    /// The platform's numeric id, when it has one.
    pub id: Option<u64>,
    /// Status name.
    pub status: Option<String>,
    /// Status id.
    pub status_id: Option<u64>,
    /// When it was paid; `None` while unpaid.
    pub paid_date: Option<ApiDate>,
    /// Whether it is resolved (done).
    pub resolved: bool,
    /// Whether it is canceled (a Retailys flag; on Upgates, being in a status of type
    /// Canceled: see [`Order::flags_from_status`]).
    pub canceled: bool,
    /// Whether it is marked sent (a Retailys flag; on Upgates, a status of type Sent).
    pub sent: bool,
    /// Whether it is marked delivered (a Retailys flag; Upgates has none).
    pub delivered: bool,
    /// Tracking code.
    pub tracking_code: Option<String>,
    /// Internal note.
    pub internal_note: Option<String>,
    /// Invoice number, once invoiced.
    pub invoice_number: Option<String>,
    /// Variable symbol (payment reference).
    pub variable_symbol: Option<String>,
    /// The number another system gave it.
    pub external_number: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Currency code.
    pub currency: Option<String>,
    /// Total.
    pub total: Option<Decimal>,
    /// Total weight.
    pub weight: Option<Decimal>,
    /// Where it came from (`web`, `admin`, `api`, …), as the platform names it.
    pub origin: Option<String>,
    /// When it was created.
    pub created: Option<ApiDate>,
    /// The buyer.
    pub customer: OrderCustomer,
    /// The lines.
    pub lines: Vec<Line>,
    /// Shipping, if any.
    pub shipment: Option<Shipment>,
    /// Payment, if any.
    pub payment: Option<Payment>,
    /// Custom fields.
    pub custom_fields: Vec<CustomField>,
    /// The platform's own record.
    pub api: Option<PlatformRecord>,
}

impl Order {
    /// Whether it is paid.
    #[must_use]
    pub fn paid(&self) -> bool {
        self.paid_date.is_some()
    }

    /// A custom field's value as rules read it.
    #[must_use]
    pub fn custom_field(&self, key: &str) -> Option<&str> {
        self.custom_fields.iter().find(|f| f.key == key).and_then(CustomField::shown)
    }

    /// Whether the order has `flag`.
    #[must_use]
    pub fn has(&self, flag: StateFlag) -> bool {
        match flag {
            StateFlag::Canceled => self.canceled,
            StateFlag::Sent => self.sent,
            StateFlag::Delivered => self.delivered,
        }
    }

    /// Sets the flag the order's status stands for, if any: an Upgates order says it is
    /// canceled or sent only through the type of its status, which the order does not carry.
    pub fn flags_from_status(&mut self, statuses: &[Status]) {
        let flag = self.status_id.and_then(|id| statuses.iter().find(|s| s.id == Some(id)));
        match flag.and_then(|s| s.flag) {
            Some(StateFlag::Canceled) => self.canceled = true,
            Some(StateFlag::Sent) => self.sent = true,
            Some(StateFlag::Delivered) => self.delivered = true,
            None => {}
        }
    }
}

/// A state an order reaches that rules can ask for (`cancel`, `mark_sent`, `mark_delivered`).
/// Retailys has a flag for each; Upgates has statuses of type Canceled and Sent instead, and
/// nothing for delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StateFlag {
    /// Canceled.
    Canceled,
    /// Sent: handed to the carrier.
    Sent,
    /// Delivered to the customer.
    Delivered,
}

impl StateFlag {
    /// The action that asks for it, as rules call it.
    #[must_use]
    pub fn action(self) -> &'static str {
        match self {
            StateFlag::Canceled => "cancel",
            StateFlag::Sent => "mark_sent",
            StateFlag::Delivered => "mark_delivered",
        }
    }

    /// The order's state in words (`canceled`, `marked sent`).
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            StateFlag::Canceled => "canceled",
            StateFlag::Sent => "marked sent",
            StateFlag::Delivered => "marked delivered",
        }
    }
}

/// Whether two names a person typed are the same: without regard to case (Czech letters
/// included: `ODESLANÁ` is `Odeslaná`) or surrounding spaces.
#[must_use]
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A customer account, as rules see it on every platform.
#[derive(Debug, Clone, Default)]
pub struct Customer {
    /// Its id.
    pub id: u64,
    /// Login e-mail (the key of customer writes on Upgates).
    pub email: Option<String>,
    /// First name.
    pub firstname: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Company id (IČO).
    pub ico: Option<String>,
    /// Whether it is a company account.
    pub is_company: bool,
    /// Whether the login is active.
    pub active: bool,
    /// Whether the login is blocked.
    pub blocked: bool,
    /// Phone.
    pub phone: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Price list.
    pub pricelist: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Whether it takes the newsletter.
    pub newsletter: bool,
    /// Group names.
    pub groups: Vec<String>,
    /// When it was created.
    pub created: Option<ApiDate>,
    /// Custom fields.
    pub custom_fields: Vec<CustomField>,
    /// The platform's own record.
    pub api: Option<PlatformRecord>,
}

impl Customer {
    /// A custom field's value as rules read it.
    #[must_use]
    pub fn custom_field(&self, key: &str) -> Option<&str> {
        self.custom_fields.iter().find(|f| f.key == key).and_then(CustomField::shown)
    }
}

/// An order status of the shop: its id, its names (the shop's main language first) and the
/// flag an order in it has, when the platform says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Its id.
    pub id: Option<u64>,
    /// Its names, in any language; the first is the one to show.
    pub names: Vec<String>,
    /// What an order in it is (Upgates' types Canceled and Sent; Retailys' cancelling
    /// statuses); `None` for the shop's own statuses.
    pub flag: Option<StateFlag>,
}

impl Status {
    /// Whether `name` is one of its names ([`same_name`]).
    #[must_use]
    pub fn has_name(&self, name: &str) -> bool {
        self.names.iter().any(|n| same_name(n, name))
    }

    /// The name to show.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.names.first().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_in_a_status_standing_for_a_flag_has_the_flag() {
        let statuses = [
            Status { id: Some(2), names: vec!["Storno".into()], flag: Some(StateFlag::Canceled) },
            Status { id: Some(9), names: vec!["Vyřizuje se".into()], flag: None },
        ];
        let mut o = Order { status_id: Some(2), ..Order::default() };
        o.flags_from_status(&statuses);
        assert!(o.has(StateFlag::Canceled) && !o.has(StateFlag::Sent));
        let mut o = Order { status_id: Some(9), ..Order::default() };
        o.flags_from_status(&statuses);
        assert!(!o.canceled && !o.sent && !o.delivered);
        assert!(statuses[1].has_name(" VYŘIZUJE SE "), "names match without case or spaces");
    }
}
