//! Dates and datetimes as e-shop APIs write them.
//!
//! One documented type ("ISO 8601 string") covers both: real responses carry RFC 3339
//! datetimes with a local offset (`2024-02-29T14:24:49+01:00`), plain dates (`2017-06-05`),
//! non-padded dates from hand-written requests (`2025-1-1`) and offset-less datetimes
//! (`2025-03-01 14:24:49`). [`ApiDate`] keeps which of those it was, so writing it back
//! does not invent an offset or a time of day.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use crate::lenient::{Lenient, LenientScalar, Refused, Scalar, ScalarVisitor};

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

    /// Accepts `2017-06-05`, `2025-1-1`, and a date with a time (`T` or a space between them,
    /// minutes or seconds, optional fraction) with or without an offset (`Z`, `+01:00`,
    /// `+0100`). Hand-written rather than through chrono's format strings: this runs for
    /// every timestamp of every webhook record.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        parse_api_date(t).ok_or_else(|| ParseDateError(s.to_owned()))
    }
}

fn parse_api_date(t: &str) -> Option<ApiDate> {
    // Byte searches: these run for every timestamp of every webhook record, and the
    // separators are ASCII, so a byte index is a char boundary.
    let (date_part, rest) = match t.bytes().position(|b| matches!(b, b'T' | b't' | b' ')) {
        Some(i) => (t.get(..i)?, Some(t.get(i + 1..)?)),
        None => (t, None),
    };
    let date = parse_plain_date(date_part)?;
    let Some(rest) = rest else { return Some(ApiDate::Date(date)) };
    // The zone starts at `Z` or at a sign after the time.
    let zone_at = rest.bytes().position(|b| matches!(b, b'Z' | b'z' | b'+' | b'-'));
    let (clock, zone) = match zone_at {
        Some(i) => (rest.get(..i)?, Some(rest.get(i..)?)),
        None => (rest, None),
    };
    let time = parse_clock(clock)?;
    let local = date.and_time(time);
    match zone {
        None => Some(ApiDate::Local(local)),
        Some(z) => {
            let offset = parse_offset(z)?;
            local.and_local_timezone(offset).single().map(ApiDate::DateTime)
        }
    }
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction`.
fn parse_clock(s: &str) -> Option<NaiveTime> {
    let (hms, fraction) = match s.bytes().position(|b| b == b'.' || b == b',') {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let h = two_digits(parts.next()?)?;
    let m = two_digits(parts.next()?)?;
    let sec = match parts.next() {
        Some(x) => two_digits(x)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<u32>().ok()? * 10u32.pow(9 - u32::try_from(f.len()).ok()?)
        }
        Some(_) => return None,
    };
    NaiveTime::from_hms_nano_opt(h, m, sec, nanos)
}

/// `Z`, `+01:00`, `+0100` or `+01`.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    let (h, m) = match digits.len() {
        2 => (two_digits(digits)?, 0),
        4 => (two_digits(digits.get(..2)?)?, two_digits(digits.get(2..)?)?),
        5 if digits.as_bytes().get(2) == Some(&b':') => {
            (two_digits(digits.get(..2)?)?, two_digits(digits.get(3..)?)?)
        }
        _ => return None,
    };
    let secs = i32::try_from(h * 3600 + m * 60).ok()?;
    FixedOffset::east_opt(sign * secs)
}

fn two_digits(s: &str) -> Option<u32> {
    if s.len() == 2 { digits(s) } else { None }
}

/// A short run of ASCII digits (at most 9, so it fits), as a number.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
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
    let year = i32::try_from(digits(y)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(m)?, digits(d)?)
}

/// An [`ApiDate`] written out on the stack.
///
/// Dates are written by the thousand in big lists and webhook batches; going through `fmt`
/// width padding for every field cost more than parsing them in WebAssembly, so the common
/// case (years 0–9999) is written digit by digit. Other years go through `fmt`.
struct Written {
    buf: [u8; 40],
    len: usize,
}

impl Written {
    fn new() -> Self {
        Written { buf: [0; 40], len: 0 }
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `n` in exactly `width` digits (callers pass values that fit).
    fn digits(&mut self, n: u32, width: u32) {
        let mut div = 10u32.pow(width.saturating_sub(1));
        while div > 0 {
            // `% 10` keeps the byte a digit whatever `n` is.
            self.push(b'0' + ((n / div) % 10) as u8);
            div /= 10;
        }
    }

    fn date(&mut self, d: NaiveDate) {
        self.digits(d.year().unsigned_abs(), 4);
        self.push(b'-');
        self.digits(d.month(), 2);
        self.push(b'-');
        self.digits(d.day(), 2);
    }

    /// `HH:MM:SS` and, when there is one, the fraction in 3, 6 or 9 digits.
    fn clock(&mut self, t: NaiveTime) {
        self.digits(t.hour(), 2);
        self.push(b':');
        self.digits(t.minute(), 2);
        self.push(b':');
        self.digits(t.second(), 2);
        let nanos = t.nanosecond() % 1_000_000_000;
        if nanos != 0 {
            self.push(b'.');
            match nanos {
                n if n % 1_000_000 == 0 => self.digits(n / 1_000_000, 3),
                n if n % 1_000 == 0 => self.digits(n / 1_000, 6),
                n => self.digits(n, 9),
            }
        }
    }

    fn offset(&mut self, secs: i32) {
        self.push(if secs < 0 { b'-' } else { b'+' });
        let abs = secs.unsigned_abs();
        self.digits(abs / 3600, 2);
        self.push(b':');
        self.digits((abs % 3600) / 60, 2);
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators were pushed.
        self.buf.get(..self.len).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default()
    }
}

impl ApiDate {
    /// The text, when the year has four digits (every date the API writes).
    fn written(&self) -> Option<Written> {
        if !(0..=9999).contains(&self.date().year()) {
            return None;
        }
        let mut w = Written::new();
        match self {
            ApiDate::Date(d) => w.date(*d),
            ApiDate::DateTime(dt) => {
                let local = dt.naive_local();
                w.date(local.date());
                w.push(b'T');
                w.clock(local.time());
                w.offset(dt.offset().local_minus_utc());
            }
            ApiDate::Local(dt) => {
                w.date(dt.date());
                w.push(b'T');
                w.clock(dt.time());
            }
        }
        Some(w)
    }
}

/// Writes `YYYY-MM-DD` (any year).
fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Writes `HH:MM:SS` and, when there is one, the fraction in 3, 6 or 9 digits.
fn write_clock(f: &mut fmt::Formatter<'_>, t: NaiveTime) -> fmt::Result {
    write!(f, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
    let nanos = t.nanosecond() % 1_000_000_000;
    match nanos {
        0 => Ok(()),
        n if n % 1_000_000 == 0 => write!(f, ".{:03}", n / 1_000_000),
        n if n % 1_000 == 0 => write!(f, ".{:06}", n / 1_000),
        n => write!(f, ".{n:09}"),
    }
}

impl fmt::Display for ApiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.written() {
            Some(w) => f.write_str(w.as_str()),
            None => self.write_with_fmt(f),
        }
    }
}

impl ApiDate {
    /// Whether this date is written exactly as `text` (then a reader that keeps the text
    /// needs no rewrite). No allocation for the years the API writes.
    #[must_use]
    pub fn writes_as(&self, text: &str) -> bool {
        match self.written() {
            Some(w) => w.as_str() == text,
            None => self.to_string() == text,
        }
    }

    /// Whether `text` is a datetime with an offset written exactly as [`ApiDate`] writes it
    /// (`2024-02-29T14:24:49+01:00`) and names a real date, time and offset: then reading it
    /// and writing it back gives `text` unchanged. Checked in place, without chrono's
    /// arithmetic, since every timestamp of every webhook record is of this form. `false`
    /// only means "not this form": the general reader decides those.
    #[must_use]
    pub fn is_canonical_datetime(text: &str) -> bool {
        let [
            y0,
            y1,
            y2,
            y3,
            b'-',
            mo0,
            mo1,
            b'-',
            d0,
            d1,
            b'T',
            h0,
            h1,
            b':',
            mi0,
            mi1,
            b':',
            s0,
            s1,
            sign,
            oh0,
            oh1,
            b':',
            om0,
            om1,
        ] = *text.as_bytes()
        else {
            return false;
        };
        let two = |a: u8, b: u8| {
            (a.is_ascii_digit() && b.is_ascii_digit())
                .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        };
        let (Some(century), Some(y), Some(month), Some(day)) =
            (two(y0, y1), two(y2, y3), two(mo0, mo1), two(d0, d1))
        else {
            return false;
        };
        let (Some(hour), Some(minute), Some(second), Some(oh), Some(om)) =
            (two(h0, h1), two(mi0, mi1), two(s0, s1), two(oh0, oh1), two(om0, om1))
        else {
            return false;
        };
        let year = century * 100 + y;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return false,
        };
        // `-00:00` is written back as `+00:00`; minutes past 59 are carried into the hours.
        let offset_ok = match sign {
            b'+' => true,
            b'-' => oh != 0 || om != 0,
            _ => false,
        };
        (1..=days).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60
            && offset_ok
            && oh < 24
            && om < 60
    }

    /// The general writer (any year), which [`Written`] must agree with.
    fn write_with_fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiDate::Date(d) => write_date(f, *d),
            ApiDate::DateTime(dt) => {
                let local = dt.naive_local();
                write_date(f, local.date())?;
                f.write_str("T")?;
                write_clock(f, local.time())?;
                let secs = dt.offset().local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let abs = secs.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
            }
            ApiDate::Local(dt) => {
                write_date(f, dt.date())?;
                f.write_str("T")?;
                write_clock(f, dt.time())
            }
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
        match self.written() {
            Some(w) => s.serialize_str(w.as_str()),
            None => s.collect_str(self),
        }
    }
}

impl LenientScalar for ApiDate {
    fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused> {
        match v {
            Scalar::Null => Ok(None),
            Scalar::Str(s) => {
                if s.trim().is_empty() {
                    return Ok(None);
                }
                // PHP writes "no date" as an all-zero date.
                if s.starts_with("0000-00-00") {
                    return Ok(None);
                }
                ApiDate::from_str(s).map(Some).map_err(|_| v.invalid_value::<Self>())
            }
            _ => Err(v.invalid_type::<Self>()),
        }
    }
}

impl Lenient for ApiDate {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<Self>::new())
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
        assert_eq!(
            parse("2024-02-29T14:24:49.5-05:30").to_string(),
            "2024-02-29T14:24:49.500-05:30"
        );
        assert_eq!(parse("2024-02-29 14:24").to_string(), "2024-02-29T14:24:00");
    }

    #[test]
    fn the_fast_writer_agrees_with_fmt() {
        struct Slow(ApiDate);
        impl fmt::Display for Slow {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write_with_fmt(f)
            }
        }
        let mut checked = 0;
        for year in [0, 7, 999, 1970, 2024, 9999] {
            for (h, m, s, nano) in [
                (0, 0, 0, 0),
                (23, 59, 59, 5_000_000),
                (9, 5, 7, 123_456_000),
                (1, 2, 3, 987_654_321),
            ] {
                for offset in [0, 3600, -19_800, 50_400, -43_200] {
                    let day = NaiveDate::from_ymd_opt(year, 2, 28).unwrap();
                    let local = day.and_hms_nano_opt(h, m, s, nano).unwrap();
                    let tz = FixedOffset::east_opt(offset).unwrap();
                    let dt = local.and_local_timezone(tz).unwrap();
                    for d in [ApiDate::Date(day), ApiDate::Local(local), ApiDate::DateTime(dt)] {
                        let fast = d.written().map(|w| w.as_str().to_owned());
                        assert_eq!(fast.as_deref(), Some(Slow(d).to_string().as_str()));
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 4 * 5 * 3);
        let far = ApiDate::Date(NaiveDate::from_ymd_opt(12_024, 1, 1).unwrap());
        assert!(far.written().is_none());
        assert_eq!(far.to_string(), "12024-01-01");
    }

    #[test]
    fn the_in_place_check_agrees_with_the_reader() {
        // Every 25-byte text of the canonical shape over edge values: the check says yes
        // exactly when the reader takes it as a datetime that writes back unchanged.
        let mut yes = 0;
        for year in ["0000", "1900", "1970", "2000", "2023", "2024", "2100", "9999"] {
            for month in ["00", "01", "02", "04", "12", "13", "1a"] {
                for day in ["00", "01", "28", "29", "30", "31", "32"] {
                    for hms in
                        ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "1:00:000"]
                    {
                        for (sep, zone) in [
                            ('T', "+01:00"),
                            ('T', "-05:30"),
                            ('T', "+00:00"),
                            ('T', "-00:00"),
                            ('T', "+23:59"),
                            ('T', "+24:00"),
                            ('T', "+01:60"),
                            ('T', "+01:99"),
                            ('T', "+0100:"),
                            ('T', "Z00:00"),
                            ('t', "+01:00"),
                            (' ', "+01:00"),
                        ] {
                            let text = format!("{year}-{month}-{day}{sep}{hms}{zone}");
                            let reader = text.parse::<ApiDate>().is_ok_and(|d| {
                                matches!(d, ApiDate::DateTime(_)) && d.writes_as(&text)
                            });
                            assert_eq!(ApiDate::is_canonical_datetime(&text), reader, "{text}");
                            yes += usize::from(reader);
                        }
                    }
                }
            }
        }
        assert!(yes > 1000, "{yes}");
        for other in ["", "2024-02-29", "2024-02-29T14:24:49+01:00 ", " 2024-02-29T14:24:49+01:00"]
        {
            assert!(!ApiDate::is_canonical_datetime(other), "{other}");
        }
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
