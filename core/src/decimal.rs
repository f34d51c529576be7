//! Exact decimal numbers for money, VAT rates, quantities and weights.
//!
//! Upgates sends prices as JSON numbers (`168.6`, `520.661`, `293`) or numeric strings. A
//! float would turn `168.6` into `168.599999…` in arithmetic; this type keeps the decimal
//! digits exactly as written and writes them back the same way.

use std::fmt;
use std::str::FromStr;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::lenient::{Lenient, LenientScalar, Refused, Scalar, ScalarVisitor};

/// An exact decimal number (up to 28 significant digits).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(rust_decimal::Decimal);

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal(rust_decimal::Decimal::ZERO);

    /// The decimal `mantissa × 10^-scale`, e.g. `Decimal::new(1686, 1)` is 168.6.
    /// A scale above 28 is clamped to 28.
    #[must_use]
    pub fn new(mantissa: i64, scale: u32) -> Self {
        Decimal(rust_decimal::Decimal::new(mantissa, scale.min(28)))
    }

    /// The underlying `rust_decimal` value, for arithmetic beyond what this type offers.
    #[must_use]
    pub fn inner(self) -> rust_decimal::Decimal {
        self.0
    }

    /// Whether the value has no fractional part.
    #[must_use]
    pub fn is_integer(self) -> bool {
        self.0.fract().is_zero()
    }

    /// The sum, or `None` on overflow.
    #[must_use]
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).map(Decimal)
    }

    /// The product, or `None` on overflow.
    #[must_use]
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_mul(other.0).map(Decimal)
    }

    /// The nearest `f64`, for display and for hosts that only have floats.
    #[must_use]
    pub fn to_f64(self) -> f64 {
        // Through the shortest decimal text, which is exact for every value a shop sends.
        self.0.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(d: rust_decimal::Decimal) -> Self {
        Decimal(d)
    }
}

impl From<i64> for Decimal {
    fn from(n: i64) -> Self {
        Decimal(rust_decimal::Decimal::from(n))
    }
}

impl From<u64> for Decimal {
    fn from(n: u64) -> Self {
        Decimal(rust_decimal::Decimal::from(n))
    }
}

/// Error for text that is not a plain decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a decimal number like 168.6, found {0:?}")]
pub struct ParseDecimalError(String);

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    /// Accepts `168.6`, `-3`, `1e3` and surrounding spaces; rejects `,` as a separator
    /// because the API documents `.` and a comma is ambiguous with thousands.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        rust_decimal::Decimal::from_str(t)
            .or_else(|_| rust_decimal::Decimal::from_scientific(t))
            .map(|d| Decimal(d.normalize_zero()))
            .map_err(|_| ParseDecimalError(s.to_owned()))
    }
}

/// Makes `-0` and `0.00` compare and print like `0` after parsing, without touching the
/// scale of non-zero values (`520.660` stays `520.660`).
trait NormalizeZero {
    fn normalize_zero(self) -> Self;
}

impl NormalizeZero for rust_decimal::Decimal {
    fn normalize_zero(self) -> Self {
        if self.is_zero() { rust_decimal::Decimal::ZERO } else { self }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Written as a JSON number: an integer when whole, else the shortest float that reads
/// back to the same decimal (exact for up to 15 significant digits, far beyond prices).
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_integer()
            && let Ok(n) = i64::try_from(self.0)
        {
            return s.serialize_i64(n);
        }
        s.serialize_f64(self.to_f64())
    }
}

/// The one rule for a decimal, whichever reader met the value: a number as written (a float's
/// `Display` is the shortest text that reads back to the same float, which for JSON like
/// 168.6 is exactly the digits that were written) or a numeric string; `null` and `""` are
/// no value.
impl LenientScalar for Decimal {
    fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused> {
        match v {
            Scalar::Null => Ok(None),
            Scalar::U64(n) => Ok(Some(Decimal::from(n))),
            Scalar::I64(n) => Ok(Some(Decimal::from(n))),
            Scalar::F64(n) if n.is_finite() => {
                Decimal::from_str(&n.to_string()).map(Some).map_err(|_| v.invalid_value::<Self>())
            }
            Scalar::F64(_) => Err(v.invalid_value::<Self>()),
            Scalar::Str(s) if s.trim().is_empty() => Ok(None),
            Scalar::Str(s) => Decimal::from_str(s).map(Some).map_err(|_| v.invalid_value::<Self>()),
            Scalar::Bool(_) => Err(v.invalid_type::<Self>()),
        }
    }
}

impl Lenient for Decimal {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<Self>::new())
    }

    fn expecting() -> &'static str {
        "a decimal number (like 168.6 or \"168.6\")"
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::required(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> String {
        let d: Decimal = serde_json::from_str(json).unwrap();
        serde_json::to_string(&d).unwrap()
    }

    #[test]
    fn prices_survive_a_round_trip_unchanged() {
        assert_eq!(round_trip("168.6"), "168.6");
        assert_eq!(round_trip("520.661"), "520.661");
        assert_eq!(round_trip("293"), "293");
        assert_eq!(round_trip("0.1"), "0.1");
        assert_eq!(round_trip("-12.5"), "-12.5");
        assert_eq!(round_trip("\"430\""), "430");
        assert_eq!(round_trip("\"99.90\""), "99.9");
    }

    #[test]
    fn arithmetic_is_exact() {
        let a: Decimal = "0.1".parse().unwrap();
        let b: Decimal = "0.2".parse().unwrap();
        assert_eq!(a.checked_add(b).unwrap(), "0.3".parse().unwrap());
        let price: Decimal = serde_json::from_str("168.6").unwrap();
        assert_eq!(price, Decimal::new(1686, 1));
    }

    #[test]
    fn rejects_commas_and_words() {
        assert!("1,5".parse::<Decimal>().is_err());
        assert!(serde_json::from_str::<Decimal>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Decimal>("null").is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
    }

    #[test]
    fn scientific_and_zero() {
        assert_eq!("1e3".parse::<Decimal>().unwrap(), Decimal::from(1000_i64));
        assert_eq!(round_trip("-0.0"), "0");
    }
}
