//! Dates and datetimes as e-shop APIs write them.
//!
//! One documented type ("ISO 8601 string") covers both: real responses carry RFC 3339
//! datetimes with a local offset (`2024-02-29T14:24:49+01:00`), plain dates (`2017-06-05`),
//! non-padded dates from hand-written requests (`2025-1-1`) and offset-less datetimes
//! (`2025-03-01 14:24:49`). [`ApiDate`] keeps which of those it was, so writing it back
//! does not invent an offset or a time of day.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::lenient::{Lenient, null_is_none};

/// A date, or a datetime with or without a UTC offset.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiDate {
    /// A calendar date without a time (`2017-06-05`).
    Date(NaiveDate),
    /// A datetime with its UTC offset (`2024-02-29T14:24:49+01:00`).
    DateTime(DateTime<FixedOffset>),
    /// A wall-clock datetime without an offset (`2025-03-01 14:24:49`).
    Local(NaiveDateTime),
}

impl ApiDate {
    /// The calendar date as written (for a datetime, in its own offset).
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        match self {
            ApiDate::Date(d) => *d,
            ApiDate::DateTime(dt) => dt.date_naive(),
            ApiDate::Local(dt) => dt.date(),
        }
    }

    /// The wall-clock time as written; a plain date reads as its midnight.
    #[must_use]
    pub fn naive_local(&self) -> NaiveDateTime {
        match self {
            ApiDate::Date(d) => d.and_time(NaiveTime::MIN),
            ApiDate::DateTime(dt) => dt.naive_local(),
            ApiDate::Local(dt) => *dt,
        }
    }

    /// The instant in UTC; values without an offset are read in `assume` (the shop's zone).
    #[must_use]
    pub fn to_utc(&self, assume: FixedOffset) -> DateTime<Utc> {
        match self {
            ApiDate::DateTime(dt) => dt.with_timezone(&Utc),
            other => {
                let local = other.naive_local();
                // Checked: `-` would panic at the edge of chrono's range.
                let utc = local.checked_sub_offset(assume).unwrap_or(local);
                DateTime::from_naive_utc_and_offset(utc, Utc)
            }
        }
    }

    /// A datetime at the given instant, written with the given offset.
    #[must_use]
    pub fn from_utc(at: DateTime<Utc>, offset: FixedOffset) -> Self {
        ApiDate::DateTime(at.with_timezone(&offset))
    }
}

/// Error for text that is not a date in any accepted form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date like 2017-06-05 or 2024-02-29T14:24:49+01:00, found {0:?}")]
pub struct ParseDateError(String);

impl FromStr for ApiDate {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseDateError(s.to_owned());
        if t.len() <= 10 {
            return parse_plain_date(t).map(ApiDate::Date).ok_or_else(err);
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Ok(ApiDate::DateTime(dt));
        }
        // ISO 8601 allows an offset without a colon (`+0100`).
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
            if let Ok(dt) = DateTime::parse_from_str(t, fmt) {
                return Ok(ApiDate::DateTime(dt));
            }
        }
        for fmt in
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        {
            if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
                return Ok(ApiDate::Local(dt));
            }
        }
        Err(err())
    }
}

/// `YYYY-M-D` with one- or two-digit month and day, as hand-written requests have them.
fn parse_plain_date(t: &str) -> Option<NaiveDate> {
    let mut parts = t.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

impl fmt::Display for ApiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiDate::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            ApiDate::DateTime(dt) => f.write_str(&dt.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
            ApiDate::Local(dt) => write!(f, "{}", dt.format("%Y-%m-%dT%H:%M:%S%.f")),
        }
    }
}

impl fmt::Debug for ApiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiDate({self})")
    }
}

impl Serialize for ApiDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Option<ApiDate>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ApiDate::expecting())
    }

    null_is_none!();

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        // PHP writes "no date" as an all-zero date.
        if v.starts_with("0000-00-00") {
            return Ok(None);
        }
        ApiDate::from_str(v).map(Some).map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

impl Lenient for ApiDate {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(DateVisitor)
    }

    fn expecting() -> &'static str {
        "a date (like 2017-06-05 or 2024-02-29T14:24:49+01:00)"
    }
}

impl<'de> Deserialize<'de> for ApiDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::required(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ApiDate {
        s.parse().unwrap()
    }

    #[test]
    fn accepts_every_real_form() {
        assert_eq!(parse("2024-02-29T14:24:49+01:00").to_string(), "2024-02-29T14:24:49+01:00");
        assert_eq!(parse("2017-06-05").to_string(), "2017-06-05");
        assert_eq!(parse("2025-1-1").to_string(), "2025-01-01");
        assert_eq!(parse("2025-03-01 14:24:49").to_string(), "2025-03-01T14:24:49");
        assert_eq!(parse("2025-03-01 14:24:49.000000").to_string(), "2025-03-01T14:24:49");
        assert_eq!(parse("2024-02-29T14:24:49Z").to_string(), "2024-02-29T14:24:49+00:00");
        assert_eq!(parse("2024-02-29T14:24:49+0100").to_string(), "2024-02-29T14:24:49+01:00");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in
            ["2025-13-01", "2025-02-30", "yesterday", "2025/01/01", "25-1-1", "2025-01-01T25:00:00"]
        {
            assert!(bad.parse::<ApiDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn null_empty_and_zero_dates_are_none() {
        #[derive(Deserialize)]
        struct P {
            #[serde(default, deserialize_with = "crate::lenient::optional")]
            d: Option<ApiDate>,
        }
        for json in [r#"{"d": null}"#, r#"{"d": ""}"#, r#"{"d": "0000-00-00 00:00:00"}"#, "{}"] {
            assert!(serde_json::from_str::<P>(json).unwrap().d.is_none(), "{json}");
        }
    }

    #[test]
    fn instants_use_the_assumed_offset_only_when_none_is_written() {
        let prague = FixedOffset::east_opt(3600).unwrap();
        let utc = parse("2024-02-29T14:24:49+01:00").to_utc(FixedOffset::east_opt(0).unwrap());
        assert_eq!(utc.to_rfc3339(), "2024-02-29T13:24:49+00:00");
        assert_eq!(
            parse("2024-02-29 14:24:49").to_utc(prague).to_rfc3339(),
            "2024-02-29T13:24:49+00:00"
        );
    }
}
