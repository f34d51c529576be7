//! Storefront orders made up from a seed: a seeded customer, one to three lines, a shipping
//! and a payment method, and a state that fits its status (sent orders have a parcel, paid
//! ones a payment date). The same seed on a fresh store gives the same orders; the dates
//! are fixed (from 2025-03-01 08:00 +01:00, about 90 minutes apart), not the clock's, so
//! date filters can be tested.

use chrono::{DateTime, Duration};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rust_decimal::Decimal as Dec;
use shopflow_core::retailys::expandable::Expandable;
use shopflow_core::retailys::order::{OrderItem, OrderModel, Tracking, UserModel};
use shopflow_core::{ApiDate, Decimal};

use super::catalog;
use super::store::{Fired, Store, prague, recompute};

/// The first generated order's date.
const FIRST: &str = "2025-03-01T08:00:00+01:00";

impl Store {
    /// Makes `count` orders from `seed`; returns their events.
    pub fn generate(&mut self, count: usize, seed: u64) -> Vec<Fired> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..count).map(|_| self.generate_one(&mut rng)).collect()
    }

    fn generate_one(&mut self, rng: &mut StdRng) -> Fired {
        let person = self.customers.get(rng.random_range(0..self.customers.len().max(1))).cloned();
        let channel_id = person
            .as_ref()
            .and_then(|p| p.state_code.as_deref())
            .map_or(1, |s| if s == "SK" { 2 } else { 1 })
            .min(catalog::channel_count());
        let currency = catalog::channel_currency(channel_id).unwrap_or("CZK").to_owned();
        let mut o = OrderModel::default();
        if let Some(p) = person {
            (o.email, o.name, o.street) = (p.email.clone(), p.name.clone(), p.street.clone());
            (o.city, o.zip, o.state_code) = (p.city.clone(), p.zip.clone(), p.state_code.clone());
            (o.delivery_name, o.delivery_street) = (p.name.clone(), p.street.clone());
            (o.delivery_city, o.delivery_zip) = (p.city.clone(), p.zip.clone());
            (o.delivery_state_code, o.delivery_email) = (p.state_code.clone(), p.email.clone());
            o.phone = Some(format!("+420777{:06}", rng.random_range(0..1_000_000)));
            o.customer = Some(Expandable::Full(p));
        }
        o.channel = catalog::channel(channel_id).map(Expandable::Full);
        o.company = Some(Expandable::Full(catalog::company()));
        o.date_order = Some(self.next_date(rng));
        o.main_currency_code = Some("CZK".to_owned());
        let rate = if currency == "EUR" { catalog::EUR_RATE } else { 1 };
        o.currency_rate = Some(Decimal::from(rate));
        o.order_currency_code = Some(currency.clone());
        o.ip = Some(format!("192.0.2.{}", rng.random_range(1..255)));
        self.add_lines(&mut o, rng, &currency);
        let (shippings, payments) = catalog::method_counts();
        let shipping = catalog::shipping(rng.random_range(1..=shippings), channel_id, &currency);
        o.payment = catalog::payment(rng.random_range(1..=payments), channel_id, &currency)
            .map(Expandable::Full);
        o.weight = Some(Decimal::from(Dec::new(rng.random_range(3..40), 1)));
        let shipper = shipping.as_ref().and_then(|s| s.shipper.as_ref()).and_then(Expandable::id);
        o.shipping = shipping.map(Expandable::Full);
        recompute(&mut o);
        let status = pick_status(rng);
        self.apply_status(&mut o, status, shipper.unwrap_or(2));
        self.insert(o, status)
    }

    fn next_date(&mut self, rng: &mut StdRng) -> ApiDate {
        let n = self.generated;
        self.generated += 1;
        let first =
            DateTime::parse_from_rfc3339(FIRST).map_or_else(|_| chrono::Utc::now(), |d| d.to_utc());
        let at = first + Duration::minutes(n * 90 + rng.random_range(0..60));
        ApiDate::from_utc(at, prague())
    }

    fn add_lines(&mut self, o: &mut OrderModel, rng: &mut StdRng, currency: &str) {
        let articles = catalog::article_ids();
        for _ in 0..rng.random_range(1..=3) {
            let Some(&article) = articles.get(rng.random_range(0..articles.len().max(1))) else {
                continue;
            };
            let Some((name, czk)) = catalog::article(article) else { continue };
            let count = rng.random_range(1..=4);
            let mut line = OrderItem::default();
            line.id = Some(self.record_id());
            line.article = Some(Expandable::Full(catalog::article_model(article)));
            line.name = Some(name);
            (line.count, line.ordered, line.waiting_count) = (Some(count), Some(count), Some(0));
            line.price = Some(catalog::price(catalog::convert(czk, currency), currency));
            line.price_original = line.price.clone();
            o.items.push(line);
        }
    }

    /// Flags, payment and parcel that fit the status (ids of `catalog::STATUSES`).
    fn apply_status(&mut self, o: &mut OrderModel, status: i64, shipper: i64) {
        let paid = matches!(status, 3..=5);
        let sent = matches!(status, 4 | 5);
        o.paid = Some(if paid { o.money.unwrap_or_default() } else { Decimal::ZERO });
        o.date_paid = if paid { o.date_order } else { None };
        o.sent = Some(sent);
        o.delivered = Some(status == 5);
        o.done = Some(status == 5);
        o.canceled = Some(status == 6);
        if sent {
            let number = format!("SB{:08}", self.next_record * 7919);
            let mut t = Tracking::default();
            t.tracking_url = catalog::tracking_url(shipper, &number);
            (t.shipper_id, t.tracking_number) = (Some(shipper), Some(number));
            o.trackings.push(t);
        }
    }
}

/// Mostly new orders, some further along.
fn pick_status(rng: &mut StdRng) -> i64 {
    match rng.random_range(0..10) {
        0..=3 => 1,
        4 => 2,
        5 | 6 => 3,
        7 => 4,
        8 => 5,
        _ => 6,
    }
}

/// A storefront order as a shopper places it, whole (`POST /__sandbox/orders/place`): the
/// API can only create a header and add lines afterwards, and its `order-new` would fire
/// before the lines are there. Prices come from the catalog, as on the storefront.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Placed {
    /// The shopper's e-mail (the customer is found by it, or created).
    pub email: String,
    /// The invoice name.
    pub name: String,
    /// The company's name, for a company (kept on a new customer's account).
    #[serde(default)]
    pub organization: Option<String>,
    /// The company's registration number (IČO), for a company.
    #[serde(default)]
    pub company_nr: Option<String>,
    /// The company's VAT id (DIČ).
    #[serde(default)]
    pub company_vat: Option<String>,
    /// The sales channel (1: CZK, 2: EUR).
    #[serde(default = "first_channel")]
    pub channel: i64,
    /// `(article id, count)` lines.
    pub items: Vec<(i64, u32)>,
    /// The shipping method's id.
    pub shipping: i64,
    /// The payment method's id.
    pub payment: i64,
    /// The order's id in the storefront (`external_order_id`).
    #[serde(default)]
    pub external_order_id: Option<String>,
}

fn first_channel() -> i64 {
    1
}

impl Store {
    /// Adds a placed order in the new-order status; an unknown article, shipping, payment or
    /// channel is refused with its name.
    pub fn place(&mut self, p: &Placed) -> Result<Fired, String> {
        let currency = catalog::channel_currency(p.channel)
            .ok_or_else(|| format!("channel: no channel {}", p.channel))?
            .to_owned();
        let mut customer = self.customer_for(&p.email, Some(p.name.clone()), p.channel);
        if customer.organization_name.is_none() && p.organization.is_some() {
            customer.organization_name.clone_from(&p.organization);
            let same = |c: &&mut UserModel| c.id == customer.id;
            if let Some(kept) = self.customers.iter_mut().find(same) {
                kept.organization_name.clone_from(&p.organization);
            }
        }
        let mut o = OrderModel::default();
        (o.email, o.name, o.delivery_name) =
            (Some(p.email.clone()), Some(p.name.clone()), Some(p.name.clone()));
        (o.company_nr, o.company_vat) = (p.company_nr.clone(), p.company_vat.clone());
        o.external_order_id.clone_from(&p.external_order_id);
        o.customer = Some(Expandable::Full(customer));
        o.channel = catalog::channel(p.channel).map(Expandable::Full);
        o.company = Some(Expandable::Full(catalog::company()));
        o.date_order = Some(ApiDate::from_utc(chrono::Utc::now(), prague()));
        (o.main_currency_code, o.order_currency_code) =
            (Some("CZK".to_owned()), Some(currency.clone()));
        for &(article, count) in &p.items {
            let (name, czk) =
                catalog::article(article).ok_or_else(|| format!("items: no article {article}"))?;
            let mut line = OrderItem::default();
            line.id = Some(self.record_id());
            line.article = Some(Expandable::Full(catalog::article_model(article)));
            line.name = Some(name);
            let count = i64::from(count);
            (line.count, line.ordered, line.waiting_count) = (Some(count), Some(count), Some(0));
            line.price = Some(catalog::price(catalog::convert(czk, &currency), &currency));
            o.items.push(line);
        }
        let shipping = catalog::shipping(p.shipping, p.channel, &currency)
            .ok_or_else(|| format!("shipping: no shipping {}", p.shipping))?;
        o.shipping = Some(Expandable::Full(shipping));
        let payment = catalog::payment(p.payment, p.channel, &currency)
            .ok_or_else(|| format!("payment: no payment {}", p.payment))?;
        o.payment = Some(Expandable::Full(payment));
        recompute(&mut o);
        self.apply_status(&mut o, catalog::NEW_STATUS, 0);
        Ok(self.insert(o, catalog::NEW_STATUS))
    }
}
