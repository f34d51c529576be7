//! Orders that show what stored orders look like, for the store's compression dictionary:
//! one with every optional part present but empty, and one filled the way the storefront and
//! the API fill it.

use shopflow_core::Decimal;
use shopflow_core::upgates::meta::{Meta, MetaType};
use shopflow_core::upgates::order::object::{NameValue, OrderProduct};
use shopflow_core::upgates::order::{
    LineType, Order, OrderOrigin, OrderPayment, OrderShipment, PaymentType, ShipmentType,
};

use super::catalog;
use super::pricing::{priced, times};

/// The template orders.
pub(crate) fn orders() -> Vec<Order> {
    let mut sparse = Order::new("2026000000");
    sparse.products = vec![OrderProduct::default(), OrderProduct::default()];
    sparse.shipment = Some(OrderShipment::default());
    sparse.payment = Some(OrderPayment::default());
    vec![sparse, full("cs", "CZK", "Přijatá"), full("sk", "EUR", "Prijatá")]
}

fn full(language: &str, currency: &str, status: &str) -> Order {
    let now = crate::clock::now();
    let mut o = Order::new("2026000001");
    o.order_id = Some(48_001);
    o.case_number = Some("2600001".to_owned());
    o.uuid = Some("5d3f1a2e-7d0c-4c2a-8001-000000000001".to_owned());
    o.language_id = Some(language.to_owned());
    o.currency_id = Some(currency.to_owned());
    o.default_currency_rate = Some(Decimal::from(1_i64));
    o.prices_with_vat_yn = true;
    o.status_id = Some(1);
    o.status = Some(status.to_owned());
    o.statistics_yn = Some(true);
    o.creation_time = Some(now);
    o.last_update_time = Some(now);
    o.variable_symbol = Some("2600001".to_owned());
    o.total_weight = Some(Decimal::from(1500_i64));
    o.order_total = Some(Decimal::from(1293_i64));
    o.order_total_before_round = Some(Decimal::new(12927, 1));
    o.order_total_rest = Some(Decimal::new(3, 1));
    o.origin = Some(OrderOrigin::Frontend);
    o.admin_url = Some("https://sandbox.example/admin/orders/48001".to_owned());
    let c = &mut o.customer;
    c.email = Some("jana.novak12@example.cz".to_owned());
    c.phone = Some("+420 712 084 156".to_owned());
    c.firstname_invoice = Some("Jana".to_owned());
    c.surname_invoice = Some("Novák".to_owned());
    c.street_invoice = Some("Náměstí Míru 13".to_owned());
    c.city_invoice = Some("Praha".to_owned());
    c.zip_invoice = Some("11000".to_owned());
    c.country_id_invoice = Some("cz".to_owned());
    for (i, p) in catalog::products().into_iter().take(2).enumerate() {
        let mut line = OrderProduct::default();
        line.product_id = Some(p.id);
        line.line_type = Some(LineType::Product);
        line.uuid = Some(format!("5d3f1a2e-7d0c-4c2a-8001-00000000000{i}"));
        line.code = Some(p.code.to_owned());
        line.title = Some(p.title.to_owned());
        line.adult_yn = p.adult;
        line.unit = Some("ks".to_owned());
        line.quantity = Some(Decimal::from(2_i64));
        let unit = priced(p.price, p.vat, true);
        let total = times(unit, Decimal::from(2_i64));
        line.price_per_unit = Some(unit.price);
        line.price_per_unit_with_vat = Some(unit.with_vat);
        line.price_per_unit_without_vat = Some(unit.without_vat);
        line.price = Some(total.price);
        line.price_with_vat = Some(total.with_vat);
        line.price_without_vat = Some(total.without_vat);
        line.vat = Some(p.vat);
        line.weight = Some(p.weight);
        line.availability = Some(p.availability.to_owned());
        line.parameters = vec![NameValue::new("Objem", "0,5 l")];
        o.products.push(line);
    }
    let mut s = OrderShipment::default();
    s.id = Some(1);
    s.code = Some("ZASILKOVNA".to_owned());
    s.name = Some("Zásilkovna - výdejní místo".to_owned());
    s.price = Some(Decimal::from(79_i64));
    s.price_with_vat = Some(Decimal::from(79_i64));
    s.price_without_vat = Some(Decimal::new(65_289, 3));
    s.vat = Some(Decimal::from(21_i64));
    s.affiliate_id = Some("ZP-1043".to_owned());
    s.affiliate_name = Some("Praha 7, Dukelských hrdinů 47 (trafika)".to_owned());
    s.shipment_type = Some(ShipmentType::Zasilkovna);
    o.shipment = Some(s);
    let mut p = OrderPayment::default();
    p.id = Some(3);
    p.code = Some("KARTA".to_owned());
    p.name = Some("Platba kartou (ComGate)".to_owned());
    p.price = Some(Decimal::ZERO);
    p.price_with_vat = Some(Decimal::ZERO);
    p.price_without_vat = Some(Decimal::ZERO);
    p.vat = Some(Decimal::from(21_i64));
    p.payment_type = Some(PaymentType::Comgate);
    o.payment = Some(p);
    let mut m = Meta::default();
    m.key = "gift_wrap".to_owned();
    m.kind = Some(MetaType::Checkbox);
    m.value = Some("1".to_owned());
    o.metas.push(m);
    o
}
