//! A PHP `DateTime` object serialized as JSON, which Upgates leaks in a few places.
//!
//! `customer.agreements[].valid_to` is documented as a date but real responses carry
//! `{"date": "2025-03-01 14:24:49.000000", "timezone_type": 3, "timezone": "Europe/Prague"}`
//! or `null`. [`DateOrPhp`] accepts either form and writes back the form it read.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::date::ApiDate;
use crate::lenient::{self, Lenient, null_is_none};

/// PHP's JSON form of a `DateTime`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PhpDateTime {
    /// Wall-clock time in `timezone` (`2025-03-01 14:24:49.000000`).
    #[serde(serialize_with = "php_date_text", deserialize_with = "lenient::required")]
    pub date: ApiDate,
    /// PHP's kind of zone: 1 offset, 2 abbreviation, 3 identifier.
    #[serde(default, deserialize_with = "lenient::optional")]
    pub timezone_type: Option<u8>,
    /// The zone, like `Europe/Prague` or `+01:00`.
    #[serde(default, deserialize_with = "lenient::optional")]
    pub timezone: Option<String>,
}

/// PHP's own form, `2025-03-01 14:24:49.000000`.
fn php_date_text<S: Serializer>(date: &ApiDate, s: S) -> Result<S::Ok, S::Error> {
    use chrono::{Datelike, Timelike};
    let t = date.naive_local();
    s.collect_str(&format_args!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 1000
    ))
}

/// A date written as a string, or as a PHP `DateTime` object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateOrPhp {
    /// An ISO 8601 string.
    Date(ApiDate),
    /// A PHP `DateTime` object.
    Php(PhpDateTime),
}

impl DateOrPhp {
    /// The wall-clock date and time, whichever form it came in.
    #[must_use]
    pub fn date(&self) -> ApiDate {
        match self {
            DateOrPhp::Date(d) => *d,
            DateOrPhp::Php(p) => p.date,
        }
    }
}

impl Serialize for DateOrPhp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DateOrPhp::Date(d) => d.serialize(s),
            DateOrPhp::Php(p) => p.serialize(s),
        }
    }
}

struct DateOrPhpVisitor;

impl<'de> Visitor<'de> for DateOrPhpVisitor {
    type Value = Option<DateOrPhp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DateOrPhp::expecting())
    }

    null_is_none!();

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let d: Option<ApiDate> =
            ApiDate::deserialize_lenient(de::value::StrDeserializer::<E>::new(v))?;
        Ok(d.map(DateOrPhp::Date))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        PhpDateTime::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|p| Some(DateOrPhp::Php(p)))
    }
}

impl Lenient for DateOrPhp {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(DateOrPhpVisitor)
    }

    fn expecting() -> &'static str {
        "a date string or a PHP DateTime object {date, timezone_type, timezone}"
    }
}

impl<'de> Deserialize<'de> for DateOrPhp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::required(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct A {
        #[serde(default, deserialize_with = "lenient::optional")]
        valid_to: Option<DateOrPhp>,
    }

    #[test]
    fn all_three_forms() {
        let php = r#"{"valid_to":{"date":"2025-03-01 14:24:49.000000","timezone_type":3,"timezone":"Europe/Prague"}}"#;
        let a: A = serde_json::from_str(php).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), php);
        assert_eq!(a.valid_to.unwrap().date().to_string(), "2025-03-01T14:24:49");
        let s: A = serde_json::from_str(r#"{"valid_to":"2025-03-01"}"#).unwrap();
        assert!(matches!(s.valid_to, Some(DateOrPhp::Date(_))));
        let n: A = serde_json::from_str(r#"{"valid_to":null}"#).unwrap();
        assert!(n.valid_to.is_none());
    }
}
