//! Tolerant deserialization of the primitive shapes real e-shop APIs send.
//!
//! PHP-backed APIs are loose about scalars: a boolean arrives as `true`, `1` or `"1"`, an
//! integer as `42` or `"42"`, and an absent value as `null` or `""`. Each type here has one
//! visitor that accepts every documented spelling and answers `None` for "no value"; the
//! functions below plug that visitor into serde's `deserialize_with` for plain, optional and
//! list fields. Visitors never buffer (no untagged enums), which keeps big pages fast.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Unexpected, Visitor};

use crate::numtext;

/// A scalar that can be read leniently: every accepted spelling, or `None` for `null`/`""`.
pub trait Lenient: Sized {
    /// Reads one value, answering `Ok(None)` for `null` and (except for text) `""`.
    ///
    /// # Errors
    /// The deserializer's error when the value has a shape the type cannot accept.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;

    /// What the type accepts, for error messages.
    fn expecting() -> &'static str;
}

/// `deserialize_with` for a required lenient field: `null` and `""` are errors.
///
/// # Errors
/// When the value is missing, empty, or of a shape `T` cannot accept.
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)?.ok_or_else(no_value::<T, D::Error>)
}

/// The error of a required field that holds no value (`null`, or `""` where that is none).
#[cold]
#[inline(never)]
pub fn no_value<T: Lenient, E: de::Error>() -> E {
    de::Error::custom(format_args!("expected {}, found null or an empty string", T::expecting()))
}

/// `deserialize_with` for an optional lenient field (use with `#[serde(default)]`).
///
/// # Errors
/// When the value has a shape `T` cannot accept.
pub fn optional<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize_lenient(d)
}

/// `deserialize_with` for a boolean the API always sends but may send as `null`/`""`:
/// those read as `false`, which is what the shop's admin shows for them.
///
/// # Errors
/// When the value is not a boolean in any accepted spelling.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(bool::deserialize_lenient(d)?.unwrap_or(false))
}

/// `deserialize_with` for a list that PHP may send as `null`, `""` or `{}` when empty.
///
/// # Errors
/// When the value is a non-empty object, a non-empty string, or a scalar.
pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor(PhantomData))
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Cap the pre-allocation: the size hint comes from untrusted input.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // PHP encodes an empty associative array as `{}`; anything else is a real object.
        match map.next_key::<de::IgnoredAny>()? {
            None => Ok(Vec::new()),
            Some(_) => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() { Ok(Vec::new()) } else { Err(E::invalid_type(Unexpected::Str(v), &self)) }
    }
}

/// `deserialize_with` for an optional nested object that PHP may send as `null`, `""`, `[]`
/// or `{}` when there is none (use with `#[serde(default)]`). An object whose fields are all
/// empty reads as `None`, so "no voucher" looks the same whichever way it came.
///
/// # Errors
/// When the value is a non-empty list or a scalar, or the object does not have `T`'s shape.
pub fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default + PartialEq,
{
    d.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Default + PartialEq> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(if value == T::default() { None } else { Some(value) })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(None),
            Some(_) => Err(de::Error::invalid_type(Unexpected::Seq, &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() { Ok(None) } else { Err(E::invalid_type(Unexpected::Str(v), &self)) }
    }
}

/// Implements `Visitor` methods shared by every scalar visitor here: `null` means no value.
macro_rules! null_is_none {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}
pub(crate) use null_is_none;

/// One JSON scalar as a reader met it: the input of the lenient rules below.
///
/// The rules are written once over this, and read through two readers: serde (the typed
/// models, [`ScalarVisitor`]) and the webhook scanner of the `shopflow/webhooks` entry, which
/// has no serde_json and must decide exactly as the models do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer that fits `u64`.
    U64(u64),
    /// A negative integer that fits `i64`.
    I64(i64),
    /// Any other number.
    F64(f64),
    /// A string, unescaped.
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    /// The value for serde's error messages.
    #[must_use]
    pub fn unexpected(self) -> Unexpected<'a> {
        match self {
            Scalar::Null => Unexpected::Unit,
            Scalar::Bool(b) => Unexpected::Bool(b),
            Scalar::U64(n) => Unexpected::Unsigned(n),
            Scalar::I64(n) => Unexpected::Signed(n),
            Scalar::F64(n) => Unexpected::Float(n),
            Scalar::Str(s) => Unexpected::Str(s),
        }
    }

    /// The refusal of a value of a shape `T` never accepts.
    #[must_use]
    pub fn invalid_type<T: LenientScalar>(self) -> Refused {
        Refused::Type(T::expecting())
    }

    /// The refusal of a value of an accepted shape that `T` still cannot take.
    #[must_use]
    pub fn invalid_value<T: LenientScalar>(self) -> Refused {
        Refused::Value(T::expecting())
    }
}

/// Why [`LenientScalar::from_scalar`] refused a scalar, with what the type accepts: serde's
/// `invalid_type` or `invalid_value`. Not an error type of its own, so that a reader without
/// serde's `fmt`-based errors (the webhook module's) can word it by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A shape the type never accepts (serde's `invalid_type`).
    Type(&'static str),
    /// An accepted shape the type still cannot take (serde's `invalid_value`).
    Value(&'static str),
}

impl Refused {
    /// The deserializer's error for refusing `v`.
    #[cold]
    #[inline(never)]
    pub fn into_error<E: de::Error>(self, v: Scalar<'_>) -> E {
        match self {
            Refused::Type(expecting) => E::invalid_type(v.unexpected(), &expecting),
            Refused::Value(expecting) => E::invalid_value(v.unexpected(), &expecting),
        }
    }
}

/// A [`Lenient`] type read from one scalar: the rule is [`LenientScalar::from_scalar`].
pub trait LenientScalar: Lenient {
    /// The value for a scalar, `Ok(None)` for "no value".
    ///
    /// # Errors
    /// [`Refused`] when the scalar cannot be a `Self`.
    fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused>;
}

/// [`LenientScalar::from_scalar`] with a refusal as the deserializer's error.
fn read<T: LenientScalar, E: de::Error>(v: Scalar<'_>) -> Result<Option<T>, E> {
    T::from_scalar(v).map_err(|r| r.into_error(v))
}

/// The serde visitor of every [`LenientScalar`]: each `visit_*` hands its scalar to the rule.
/// Lists and objects are refused with serde's default messages.
pub struct ScalarVisitor<T>(PhantomData<T>);

impl<T> ScalarVisitor<T> {
    /// The visitor.
    #[must_use]
    pub fn new() -> Self {
        ScalarVisitor(PhantomData)
    }
}

impl<T> Default for ScalarVisitor<T> {
    fn default() -> Self {
        ScalarVisitor::new()
    }
}

impl<'de, T: LenientScalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::expecting())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::U64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::I64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::F64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        read::<T, E>(Scalar::Str(v))
    }
}

impl LenientScalar for bool {
    fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused> {
        match v {
            Scalar::Null => Ok(None),
            Scalar::Bool(b) => Ok(Some(b)),
            Scalar::U64(0) | Scalar::I64(0) => Ok(Some(false)),
            Scalar::U64(1) | Scalar::I64(1) => Ok(Some(true)),
            Scalar::U64(_) | Scalar::I64(_) => Err(v.invalid_value::<Self>()),
            Scalar::Str(s) => match s.trim() {
                "" => Ok(None),
                "1" => Ok(Some(true)),
                "0" => Ok(Some(false)),
                t if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
                t if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
                _ => Err(v.invalid_value::<Self>()),
            },
            Scalar::F64(_) => Err(v.invalid_type::<Self>()),
        }
    }
}

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<Self>::new())
    }

    fn expecting() -> &'static str {
        "a boolean (true/false, 1/0 or \"1\"/\"0\")"
    }
}

/// Integers: JSON numbers (a float only when it is whole) or numeric strings.
macro_rules! lenient_int {
    ($ty:ty, $what:literal) => {
        impl LenientScalar for $ty {
            fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused> {
                match v {
                    Scalar::Null => Ok(None),
                    Scalar::U64(n) => {
                        <$ty>::try_from(n).map(Some).map_err(|_| v.invalid_value::<Self>())
                    }
                    Scalar::I64(n) => {
                        <$ty>::try_from(n).map(Some).map_err(|_| v.invalid_value::<Self>())
                    }
                    Scalar::F64(n) => {
                        // Only whole numbers well within i64 range, where the cast is exact.
                        // `-0.0` is refused by the unsigned types: it reads as the text "-0".
                        if n.fract() == 0.0 && n.abs() < 9.0e15 {
                            let whole = n as i64;
                            let read = if whole == 0 && n.is_sign_negative() {
                                "-0".parse::<$ty>().ok()
                            } else {
                                <$ty>::try_from(whole).ok()
                            };
                            if let Some(n) = read {
                                return Ok(Some(n));
                            }
                        }
                        Err(v.invalid_value::<Self>())
                    }
                    Scalar::Str(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            return Ok(None);
                        }
                        t.parse::<$ty>().map(Some).map_err(|_| v.invalid_value::<Self>())
                    }
                    Scalar::Bool(_) => Err(v.invalid_type::<Self>()),
                }
            }
        }

        impl Lenient for $ty {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(ScalarVisitor::<Self>::new())
            }

            fn expecting() -> &'static str {
                $what
            }
        }
    };
}

lenient_int!(u64, "a whole number (like 42 or \"42\")");
lenient_int!(i64, "a whole number (like -3 or \"42\")");
lenient_int!(u32, "a whole number (like 42 or \"42\")");
lenient_int!(u16, "a whole number (like 200 or \"200\")");
lenient_int!(u8, "a small whole number (like 3 or \"3\")");

/// Text keeps `""` as a value: an empty string is something a shop owner typed (or cleared).
/// Codes, zip codes and phone numbers sometimes arrive as JSON numbers.
impl LenientScalar for String {
    fn from_scalar(v: Scalar<'_>) -> Result<Option<Self>, Refused> {
        match v {
            Scalar::Null => Ok(None),
            Scalar::Str(s) => Ok(Some(s.to_owned())),
            // As `to_string` writes them, without `fmt` (see `numtext`).
            Scalar::U64(n) => Ok(Some(numtext::u64_text(n))),
            Scalar::I64(n) => {
                let mut s = String::new();
                numtext::push_i64(&mut s, n);
                Ok(Some(s))
            }
            Scalar::F64(n) => Ok(Some(numtext::f64_text(n))),
            Scalar::Bool(_) => Err(v.invalid_type::<Self>()),
        }
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor::<Self>::new())
    }

    fn expecting() -> &'static str {
        "text (a string, or a number that is used as text)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "optional")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "optional")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "optional")]
        s: Option<String>,
        #[serde(default, deserialize_with = "list")]
        l: Vec<u8>,
        #[serde(default, deserialize_with = "flag")]
        f: bool,
    }

    fn probe(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn booleans_in_every_documented_spelling() {
        for (json, want) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("1", Some(true)),
            ("0", Some(false)),
            ("\"1\"", Some(true)),
            ("\"0\"", Some(false)),
            ("\"true\"", Some(true)),
            ("\"\"", None),
            ("null", None),
        ] {
            let p = probe(&format!("{{\"b\": {json}}}")).unwrap();
            assert_eq!(p.b, want, "input {json}");
        }
        assert!(probe("{\"b\": 2}").is_err());
        assert!(probe("{\"b\": \"yes\"}").is_err());
    }

    #[test]
    fn integers_from_numbers_strings_and_whole_floats() {
        assert_eq!(probe("{\"n\": 42}").unwrap().n, Some(42));
        assert_eq!(probe("{\"n\": \"42\"}").unwrap().n, Some(42));
        assert_eq!(probe("{\"n\": \" 7 \"}").unwrap().n, Some(7));
        assert_eq!(probe("{\"n\": 50.0}").unwrap().n, Some(50));
        assert_eq!(probe("{\"n\": \"\"}").unwrap().n, None);
        assert!(probe("{\"n\": 1.5}").is_err());
        // `-0.0` reads as "-0": no unsigned number (a signed one takes it as 0).
        assert!(probe("{\"n\": -0.0}").is_err());
        assert_eq!(i64::from_scalar(Scalar::F64(-0.0)).unwrap(), Some(0));
        assert_eq!(u64::from_scalar(Scalar::F64(8.0e15)).unwrap(), Some(8_000_000_000_000_000));
        assert!(probe("{\"n\": -1}").is_err());
        assert!(probe("{\"n\": \"abc\"}").is_err());
    }

    #[test]
    fn text_keeps_empty_and_accepts_numbers() {
        assert_eq!(probe("{\"s\": \"\"}").unwrap().s, Some(String::new()));
        assert_eq!(probe("{\"s\": 70200}").unwrap().s, Some("70200".into()));
        assert_eq!(probe("{\"s\": null}").unwrap().s, None);
        assert!(probe("{\"s\": true}").is_err());
    }

    #[test]
    fn lists_accept_php_empty_shapes() {
        assert_eq!(probe("{\"l\": [1,2]}").unwrap().l, vec![1, 2]);
        assert!(probe("{\"l\": {}}").unwrap().l.is_empty());
        assert!(probe("{\"l\": null}").unwrap().l.is_empty());
        assert!(probe("{\"l\": \"\"}").unwrap().l.is_empty());
        assert!(probe("{\"l\": {\"a\": 1}}").is_err());
    }

    #[test]
    fn flags_default_to_false_for_null_and_missing() {
        assert!(!probe("{}").unwrap().f);
        assert!(!probe("{\"f\": null}").unwrap().f);
        assert!(probe("{\"f\": \"1\"}").unwrap().f);
    }

    #[test]
    fn error_messages_say_what_was_expected() {
        let e = probe("{\"b\": \"yes\"}").unwrap_err().to_string();
        assert!(e.contains("a boolean (true/false, 1/0"), "{e}");
    }
}
