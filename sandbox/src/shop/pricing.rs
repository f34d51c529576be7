//! Prices as the shop computes them: VAT in or out per line, order totals, rounding.
//!
//! Czech shops round a CZK total to whole crowns (the rounding is `order_total_rest`);
//! other currencies to cents. Prices without VAT keep three decimals, as real data does.

use rust_decimal::Decimal as D;
use shopflow_core::Decimal;

/// A price with and without VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced {
    /// As entered (with or without VAT per the order's `prices_with_vat_yn`).
    pub price: Decimal,
    /// With VAT.
    pub with_vat: Decimal,
    /// Without VAT.
    pub without_vat: Decimal,
}

/// A price entered with or without VAT, at a VAT rate in percent.
#[must_use]
pub fn priced(price: Decimal, vat: Decimal, prices_with_vat: bool) -> Priced {
    let rate = D::ONE + vat.inner() / D::ONE_HUNDRED;
    let p = price.inner();
    let (with, without) =
        if prices_with_vat { (p, (p / rate).round_dp(3)) } else { ((p * rate).round_dp(2), p) };
    Priced { price, with_vat: with.normalize().into(), without_vat: without.normalize().into() }
}

/// A line of `quantity` units.
#[must_use]
pub fn times(unit: Priced, quantity: Decimal) -> Priced {
    let q = quantity.inner();
    let m = |x: Decimal| Decimal::from((x.inner() * q).round_dp(3).normalize());
    Priced { price: m(unit.price), with_vat: m(unit.with_vat), without_vat: m(unit.without_vat) }
}

/// The sum of prices.
#[must_use]
pub fn sum(items: impl IntoIterator<Item = Priced>) -> Priced {
    items.into_iter().fold(
        Priced { price: Decimal::ZERO, with_vat: Decimal::ZERO, without_vat: Decimal::ZERO },
        |a, b| Priced {
            price: Decimal::from(a.price.inner() + b.price.inner()),
            with_vat: Decimal::from(a.with_vat.inner() + b.with_vat.inner()),
            without_vat: Decimal::from(a.without_vat.inner() + b.without_vat.inner()),
        },
    )
}

/// The total a customer pays: whole crowns for CZK, cents otherwise. Returns the rounded
/// total and the rounding (`order_total_rest`).
#[must_use]
pub fn rounded_total(before_round: Decimal, currency: &str) -> (Decimal, Decimal) {
    let places = if currency.eq_ignore_ascii_case("CZK") { 0 } else { 2 };
    let total = before_round.inner().round_dp(places);
    (total.normalize().into(), (total - before_round.inner()).normalize().into())
}

/// A percentage of an amount, to cents.
#[must_use]
pub fn percent_of(amount: Decimal, percent: Decimal) -> Decimal {
    (amount.inner() * percent.inner() / D::ONE_HUNDRED).round_dp(2).normalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn vat_in_and_out() {
        let p = priced(dec("59.9"), dec("21"), true);
        assert_eq!((p.with_vat, p.without_vat), (dec("59.9"), dec("49.504")));
        let line = times(p, dec("6"));
        assert_eq!((line.with_vat, line.without_vat), (dec("359.4"), dec("297.024")));
        let q = priced(dec("100"), dec("21"), false);
        assert_eq!(q.with_vat, dec("121"));
    }

    #[test]
    fn czk_rounds_to_crowns() {
        assert_eq!(rounded_total(dec("1292.7"), "CZK"), (dec("1293"), dec("0.3")));
        assert_eq!(rounded_total(dec("520.661"), "EUR"), (dec("520.66"), dec("-0.001")));
        assert_eq!(percent_of(dec("696.6"), dec("10")), dec("69.66"));
    }
}
