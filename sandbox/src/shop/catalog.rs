//! What the demo shop sells and how it is set up: languages, statuses, products,
//! shipments, payments and custom fields. A reset brings all of this back.

use shopflow_core::Decimal;
use shopflow_core::upgates::order::{PaymentType, ShipmentType};
use shopflow_core::upgates::order_status::OrderStatusType;

/// A language mutation of the shop and its currency.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    /// Code (`cs`).
    pub code: &'static str,
    /// Currency (`CZK`).
    pub currency: &'static str,
    /// Rate to the default currency (CZK): `price * (1 / rate)` is CZK.
    pub rate: Decimal,
}

/// The shop's languages; `cs` is the default.
#[must_use]
pub fn languages() -> Vec<Language> {
    vec![
        Language { code: "cs", currency: "CZK", rate: Decimal::from(1_i64) },
        Language { code: "sk", currency: "EUR", rate: Decimal::new(4, 2) },
        Language { code: "en", currency: "EUR", rate: Decimal::new(4, 2) },
    ]
}

/// A status the shop starts with.
pub struct StatusSeed {
    /// Id.
    pub id: u64,
    /// System type.
    pub status_type: OrderStatusType,
    /// Colour.
    pub color: &'static str,
    /// Names in cs, sk, en.
    pub names: [&'static str; 3],
    /// Marks orders resolved.
    pub mark_resolved: bool,
    /// Marks orders paid.
    pub mark_paid: bool,
}

/// System statuses (ids as the Postman collection has them: Received 1, Canceled 2), and the
/// two custom statuses the example rules use.
#[must_use]
pub fn statuses() -> Vec<StatusSeed> {
    use OrderStatusType as T;
    let s = |id, status_type, color, names, mark_resolved, mark_paid| StatusSeed {
        id,
        status_type,
        color,
        names,
        mark_resolved,
        mark_paid,
    };
    vec![
        s(1, T::Received, "#2196f3", ["Přijatá", "Prijatá", "Received"], false, false),
        s(2, T::Canceled, "#f44336", ["Storno", "Storno", "Canceled"], true, false),
        s(3, T::Sent, "#4caf50", ["Odeslaná", "Odoslaná", "Sent"], true, false),
        s(
            4,
            T::PaymentSuccessful,
            "#00897b",
            ["Platba úspěšná", "Platba úspešná", "Payment successful"],
            false,
            true,
        ),
        s(
            5,
            T::PaymentFailed,
            "#e65100",
            ["Platba selhala", "Platba zlyhala", "Payment failed"],
            false,
            false,
        ),
        s(
            6,
            T::PaymentCanceled,
            "#6d4c41",
            ["Platba zrušena", "Platba zrušená", "Payment canceled"],
            false,
            false,
        ),
        s(
            7,
            T::PaymentInProcess,
            "#fbc02d",
            ["Platba probíhá", "Platba prebieha", "Payment in process"],
            false,
            false,
        ),
        s(8, T::Unresolved, "#9e9e9e", ["Nedořešená", "Nedoriešená", "Unresolved"], false, false),
        s(9, T::Custom, "#ff9800", ["Vyřizuje se", "Vybavuje sa", "Processing"], false, false),
        s(10, T::Custom, "#8e24aa", ["Ke kontrole", "Na kontrolu", "To review"], false, false),
    ]
}

/// A product the shop sells.
#[derive(Debug, Clone)]
pub struct Product {
    /// Product id.
    pub id: u64,
    /// Code.
    pub code: &'static str,
    /// Name.
    pub title: &'static str,
    /// Price with VAT in CZK.
    pub price: Decimal,
    /// VAT rate.
    pub vat: Decimal,
    /// Weight in grams.
    pub weight: Decimal,
    /// Adults only.
    pub adult: bool,
    /// Availability text.
    pub availability: &'static str,
}

/// The beer shop's range.
#[must_use]
pub fn products() -> Vec<Product> {
    let p = |id, code, title, price: &str, weight: i64, adult| Product {
        id,
        code,
        title,
        price: price.parse().unwrap_or_default(),
        vat: Decimal::from(21_i64),
        weight: Decimal::from(weight),
        adult,
        availability: "Skladem",
    };
    vec![
        p(1550, "BEER-IPA-05", "IPA 0,5 l", "59.9", 750, true),
        p(1551, "BEER-LAGER-05", "Světlý ležák 12° 0,5 l", "39.9", 750, true),
        p(1552, "BEER-STOUT-033", "Imperial Stout 0,33 l", "89", 550, true),
        p(1553, "BEER-SOUR-033", "Višňový sour 0,33 l", "79.5", 550, true),
        p(1560, "BEER-BOX-12", "Degustační box 12 piv", "899", 9000, true),
        p(1600, "GLASS-TULIP", "Pohár Tulipán", "168.6", 350, false),
        p(1601, "GLASS-PINT", "Půllitr s uchem", "129", 600, false),
        p(1700, "GIFTBOX", "Dárková sada", "520.661", 2500, true),
        p(1800, "SOCKS-HOP", "Ponožky s chmelem", "249", 100, false),
        p(1801, "TSHIRT-LOGO", "Tričko s logem", "499", 250, false),
        p(1900, "TAP-KEG-30", "Sud 30 l + výčepní zařízení", "4890", 35_000, true),
        p(1901, "HOMEBREW-KIT", "Sada pro domácí vaření", "2790", 8000, false),
    ]
}

/// A shipment method.
#[derive(Debug, Clone)]
pub struct Shipment {
    /// Id.
    pub id: u64,
    /// Code.
    pub code: &'static str,
    /// Name.
    pub name: &'static str,
    /// Price with VAT in CZK.
    pub price: Decimal,
    /// Carrier type.
    pub shipment_type: ShipmentType,
    /// Whether it delivers to a pickup point (`affiliate_id`).
    pub pickup_point: bool,
}

/// Shipment methods, including a carrier the type filter does not know (`wedo`).
#[must_use]
pub fn shipments() -> Vec<Shipment> {
    let s = |id, code, name, price: i64, shipment_type, pickup_point| Shipment {
        id,
        code,
        name,
        price: Decimal::from(price),
        shipment_type,
        pickup_point,
    };
    vec![
        s(1, "ZASILKOVNA", "Zásilkovna - výdejní místo", 79, ShipmentType::Zasilkovna, true),
        s(2, "PPL", "PPL - doručení na adresu", 129, ShipmentType::Ppl, false),
        s(3, "CP-BAL", "Česká pošta - Balík Do ruky", 129, ShipmentType::CeskaPosta, false),
        s(4, "DPD", "DPD Private", 119, ShipmentType::Dpd, false),
        s(5, "WEDO-BOX", "WE|DO Box", 69, ShipmentType::Other("wedo".to_owned()), true),
        s(6, "OSOBNE", "Osobní odběr v pivotéce", 0, ShipmentType::Custom, false),
    ]
}

/// A payment method.
#[derive(Debug, Clone)]
pub struct Payment {
    /// Id.
    pub id: u64,
    /// Code.
    pub code: &'static str,
    /// Name.
    pub name: &'static str,
    /// Price with VAT in CZK.
    pub price: Decimal,
    /// Payment type.
    pub payment_type: PaymentType,
    /// Whether the storefront order arrives already paid (card at checkout).
    pub paid_at_checkout: bool,
}

/// Payment methods.
#[must_use]
pub fn payments() -> Vec<Payment> {
    let p = |id, code, name, price: i64, payment_type, paid_at_checkout| Payment {
        id,
        code,
        name,
        price: Decimal::from(price),
        payment_type,
        paid_at_checkout,
    };
    vec![
        p(1, "DOBIRKA", "Dobírka", 39, PaymentType::CashOnDelivery, false),
        p(2, "PREVOD", "Bankovní převod", 0, PaymentType::Command, false),
        p(3, "KARTA", "Platba kartou (ComGate)", 0, PaymentType::Comgate, true),
        p(4, "HOTOVE", "Hotově při převzetí", 0, PaymentType::Cash, false),
    ]
}

/// A custom field defined in the shop's admin; writes to other keys are skipped with a
/// warning, as Upgates does.
pub struct CustomField {
    /// Key.
    pub key: &'static str,
    /// Input type.
    pub field_type: &'static str,
}

/// The shop's custom fields on orders (and customers).
#[must_use]
pub fn custom_fields() -> Vec<CustomField> {
    let f = |key, field_type| CustomField { key, field_type };
    vec![
        f("gift_wrap", "checkbox"),
        f("delivery_note", "input"),
        f("pickup_point", "input"),
        f("review_reason", "input"),
        f("customer_flag", "input"),
        f("shopflow_rule", "input"),
        f("invoice_note", "input"),
        f("birthday", "date"),
    ]
}

/// The events webhooks can be registered for.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "Orders.create",
    "Orders.update",
    "Orders.delete",
    "OrderStatuses.create",
    "OrderStatuses.update",
    "OrderStatuses.delete",
    "Products.create",
    "Products.update",
    "Products.delete",
    "Customers.create",
    "Customers.update",
    "Customers.delete",
    "Invoices.create",
    "Invoices.update",
    "Invoices.delete",
];
