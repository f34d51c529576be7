//! The instance's fixed data: statuses, carriers, channels, the seller company, shipping and
//! payment methods, articles and a pool of customers. Built from the core's models, so what
//! the sandbox serves is exactly what a client reads.

use rust_decimal::Decimal as Dec;
use shopflow_core::Decimal;
use shopflow_core::retailys::expandable::{Expandable, NonExpanded};
use shopflow_core::retailys::lookups::ShipperModel;
use shopflow_core::retailys::order::{
    ArticleIdent, ArticleModel, ChannelModel, ChannelType, CompanyModel, PaymentModel, PriceModel,
    ShippingModel, UserChannel, UserModel,
};
use shopflow_core::retailys::status::OrderStatusModel;

/// The status a new order gets (received).
pub const NEW_STATUS: i64 = 1;

/// Czech crowns per euro, the rate of the EUR channel.
pub const EUR_RATE: i64 = 25;

/// `(id, name, complete_order, cancel_order)`. The names are the Upgates sandbox's where the
/// two mean the same, so the example rules (`Přijatá`, `Ke kontrole`, `Vyřizuje se`) run
/// unchanged on either; what each id means to the generator (`generate.rs`: 2 unpaid, 3 paid,
/// 4 sent, 5 done, 6 canceled) is kept.
const STATUSES: [(i64, &str, bool, bool); 6] = [
    (1, "Přijatá", false, false),
    (2, "Ke kontrole", false, false),
    (3, "Vyřizuje se", false, false),
    (4, "Odeslaná", false, false),
    (5, "Vyřízená", true, false),
    (6, "Storno", false, true),
];

/// `(id, name, tracking URL prefix)`.
const SHIPPERS: [(i64, &str, &str); 4] = [
    (1, "Česká pošta", "https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers="),
    (2, "PPL", "https://www.ppl.cz/vyhledat-zasilku?shipmentId="),
    (3, "Zásilkovna", "https://tracking.packeta.com/cs/?id="),
    (4, "DPD", "https://tracking.dpd.de/status/cs_CZ/parcel/"),
];

/// `(id, name, currency, state)`.
const CHANNELS: [(i64, &str, &str, &str); 2] =
    [(1, "Sklárna CZ", "CZK", "CZ"), (2, "Sklárna SK", "EUR", "SK")];

/// `(id, name, shipper, price in CZK)`.
const SHIPPINGS: [(i64, &str, i64, i64); 3] = [
    (1, "PPL na adresu", 2, 129),
    (2, "Zásilkovna výdejní místo", 3, 79),
    (3, "Balík Na poštu", 1, 99),
];

/// `(id, name, fee in CZK)`.
const PAYMENTS: [(i64, &str, i64); 3] =
    [(1, "Dobírka", 39), (2, "Bankovní převod", 0), (3, "Kartou online", 0)];

/// `(id, name, EAN, price with VAT in CZK)`.
const ARTICLES: [(i64, &str, &str, i64); 6] = [
    (101, "Pohár Tulipán 350 ml", "8590000001017", 169),
    (102, "Sklenice na whisky 300 ml", "8590000001024", 189),
    (103, "Karafa Bohemia 1 l", "8590000001031", 649),
    (104, "Váza Lilie 25 cm", "8590000001048", 899),
    (105, "Sada skleniček na likér (6 ks)", "8590000001055", 459),
    (106, "Dárková krabička", "8590000001062", 49),
];

/// `(first name, surname, e-mail, street, city, zip, state)`.
const PEOPLE: [(&str, &str, &str, &str, &str, &str, &str); 6] = [
    ("Jana", "Nováková", "jana.novakova@example.cz", "Dlouhá 12", "Praha", "11000", "CZ"),
    ("Petr", "Svoboda", "petr.svoboda@example.cz", "Masarykova 3", "Brno", "60200", "CZ"),
    ("Eva", "Dvořáková", "eva.dvorakova@example.cz", "Nádražní 45", "Ostrava", "70200", "CZ"),
    ("Tomáš", "Černý", "tomas.cerny@example.cz", "Husova 8", "Plzeň", "30100", "CZ"),
    (
        "Zuzana",
        "Horváthová",
        "zuzana.horvathova@example.sk",
        "Obchodná 5",
        "Bratislava",
        "81106",
        "SK",
    ),
    ("Martin", "Kučera", "martin.kucera@example.cz", "Palackého 21", "Olomouc", "77900", "CZ"),
];

/// The order statuses.
pub fn statuses() -> Vec<OrderStatusModel> {
    STATUSES
        .iter()
        .map(|&(id, name, complete, cancel)| {
            let mut s = OrderStatusModel::default();
            s.id = Some(id);
            s.name = Some(name.to_owned());
            s.sort = Some(id);
            s.color = Some(format!("#{:06x}", id * 0x22_3344));
            s.complete_order = Some(complete);
            s.cancel_order = Some(cancel);
            s
        })
        .collect()
}

/// The status with this id.
pub fn status(id: i64) -> Option<OrderStatusModel> {
    statuses().into_iter().find(|s| s.id == Some(id))
}

/// The carriers.
pub fn shippers() -> Vec<ShipperModel> {
    SHIPPERS.iter().map(|&(id, name, _)| shipper(id, name)).collect()
}

fn shipper(id: i64, name: &str) -> ShipperModel {
    let mut s = ShipperModel::default();
    s.id = Some(id);
    s.name = Some(name.to_owned());
    s
}

/// The tracking URL of a parcel, when the carrier is known.
pub fn tracking_url(shipper_id: i64, number: &str) -> Option<String> {
    SHIPPERS.iter().find(|s| s.0 == shipper_id).map(|s| format!("{}{number}", s.2))
}

/// The currency of a channel, when it exists.
pub fn channel_currency(id: i64) -> Option<&'static str> {
    CHANNELS.iter().find(|c| c.0 == id).map(|c| c.2)
}

/// The number of channels (ids 1..=n).
pub fn channel_count() -> i64 {
    CHANNELS.len() as i64
}

/// A channel.
pub fn channel(id: i64) -> Option<ChannelModel> {
    let &(id, name, currency, state) = CHANNELS.iter().find(|c| c.0 == id)?;
    let mut c = ChannelModel::default();
    c.id = Some(id);
    c.name = Some(name.to_owned());
    c.channel_type = Some(ChannelType::Eshop);
    c.active = Some(true);
    c.language = Some(if state == "SK" { "sk" } else { "cs" }.to_owned());
    c.currency = Some(currency.to_owned());
    c.state_code = Some(state.to_owned());
    Some(c)
}

/// The seller.
pub fn company() -> CompanyModel {
    let mut c = CompanyModel::default();
    c.id = Some(1);
    c.name = Some("Sklárna Demo s.r.o.".to_owned());
    c.street = Some("Sklářská 1".to_owned());
    c.city = Some("Nový Bor".to_owned());
    c.zip = Some("47301".to_owned());
    c.state_code = Some("CZ".to_owned());
    c.company_nr = Some("12345678".to_owned());
    c
}

/// A price in CZK turned into `currency` (EUR at [`EUR_RATE`], two decimals).
pub fn convert(czk: Dec, currency: &str) -> Dec {
    if currency == "EUR" { (czk / Dec::from(EUR_RATE)).round_dp(2) } else { czk }
}

/// A shipping method, priced in the order's currency.
pub fn shipping(id: i64, channel_id: i64, currency: &str) -> Option<ShippingModel> {
    let &(id, name, shipper_id, price) = SHIPPINGS.iter().find(|s| s.0 == id)?;
    let mut s = ShippingModel::default();
    s.id = Some(id);
    s.name = Some(name.to_owned());
    let carrier = SHIPPERS.iter().find(|c| c.0 == shipper_id).map_or("", |c| c.1);
    s.shipper = Some(Expandable::Full(shipper(shipper_id, carrier)));
    s.channel = Some(Expandable::Ref(channel_ref(channel_id)));
    s.price = Some(Decimal::from(convert(Dec::from(price), currency)));
    s.currency = Some(currency.to_owned());
    Some(s)
}

/// A payment method, priced in the order's currency.
pub fn payment(id: i64, channel_id: i64, currency: &str) -> Option<PaymentModel> {
    let &(id, name, fee) = PAYMENTS.iter().find(|p| p.0 == id)?;
    let mut p = PaymentModel::default();
    p.id = Some(id);
    p.name = Some(name.to_owned());
    p.channel = Some(Expandable::Ref(channel_ref(channel_id)));
    p.price = Some(Decimal::from(convert(Dec::from(fee), currency)));
    p.currency = Some(currency.to_owned());
    Some(p)
}

/// How many shipping and payment methods there are (ids 1..=n).
pub fn method_counts() -> (i64, i64) {
    (SHIPPINGS.len() as i64, PAYMENTS.len() as i64)
}

/// An article's name and price with VAT in CZK.
pub fn article(id: i64) -> Option<(String, Dec)> {
    ARTICLES.iter().find(|a| a.0 == id).map(|a| (a.1.to_owned(), Dec::from(a.3)))
}

/// The article ids.
pub fn article_ids() -> Vec<i64> {
    ARTICLES.iter().map(|a| a.0).collect()
}

/// An article as a line's `article`, with its EAN.
pub fn article_model(id: i64) -> ArticleModel {
    let mut a = ArticleModel::default();
    a.id = Some(id);
    if let Some(&(_, name, ean, _)) = ARTICLES.iter().find(|a| a.0 == id) {
        a.default_name = Some(name.to_owned());
        let mut ident = ArticleIdent::default();
        ident.ident_type = Some("ean".to_owned());
        ident.value = Some(ean.to_owned());
        a.idents = vec![ident];
    }
    a
}

/// A line price: per unit, with VAT 21 %, split into base and VAT.
pub fn price(final_price: Dec, currency: &str) -> PriceModel {
    let vat = Dec::from(21);
    let base = (final_price / (Dec::ONE + vat / Dec::from(100))).round_dp(2);
    let mut p = PriceModel::default();
    p.final_price = Some(Decimal::from(final_price));
    p.base_price = Some(Decimal::from(base));
    p.vat = Some(Decimal::from(vat));
    p.vat_value = Some(Decimal::from(final_price - base));
    p.final_price_word = Some(format!("{final_price} {currency}"));
    p.currency = Some(currency.to_owned());
    p
}

/// The seeded customers, ids 1..=n.
pub fn people() -> Vec<UserModel> {
    PEOPLE
        .iter()
        .zip(1..)
        .map(|(&(first, last, email, street, city, zip, state), id)| {
            let mut u = customer(
                id,
                email,
                Some(format!("{first} {last}")),
                if state == "SK" { 2 } else { 1 },
            );
            u.first_name = Some(first.to_owned());
            u.surname = Some(last.to_owned());
            u.street = Some(street.to_owned());
            u.city = Some(city.to_owned());
            u.zip = Some(zip.to_owned());
            u.state_code = Some(state.to_owned());
            u
        })
        .collect()
}

/// A customer with the least a user has.
pub fn customer(id: i64, email: &str, name: Option<String>, channel_id: i64) -> UserModel {
    let mut u = UserModel::default();
    u.id = Some(id);
    u.login = Some(email.to_owned());
    u.email = Some(email.to_owned());
    u.name = name;
    u.newsletter = Some(false);
    let mut c = UserChannel::default();
    c.channel = Some(channel_ref(channel_id));
    u.channel = Some(c);
    u
}

/// `{id, api_link}` of a channel.
pub fn channel_ref(id: i64) -> NonExpanded {
    NonExpanded::new(id, format!("/System/Channels/{id}"))
}
