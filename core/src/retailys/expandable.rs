//! References that are either a link (`expanded=false`) or the whole record (`expanded=true`).
//!
//! Retailys declares fields like `customer` or `shipping` as "one of" a `NonExpandedModel`
//! (`{id, api_link}`) or the full model, and every field of both is optional, so the shape
//! alone cannot tell them apart. The spec's rule (§1.10): an object that has `api_link` and no
//! keys besides `id` and `api_link` is a reference; any other object is the full model.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient::{Lenient, optional as opt};

/// `NonExpandedModel`: the id of a record and where to fetch it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct NonExpanded {
    /// The record's id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// "API path for expanded data"; whether it is a `/System/…` path or a full URL is not
    /// documented, so it is kept as it came.
    #[serde(default, deserialize_with = "opt")]
    pub api_link: Option<String>,
}

impl NonExpanded {
    /// A reference with an id and a link.
    #[must_use]
    pub fn new(id: i64, api_link: impl Into<String>) -> Self {
        NonExpanded { id: Some(id), api_link: Some(api_link.into()) }
    }
}

/// A model that has an id, so a reference and the full record answer the same question.
pub trait Identified {
    /// The record's id, when it has one.
    fn id(&self) -> Option<i64>;
}

/// A record only known by reference, or the record itself.
///
/// Written out untagged: a `Ref` as `{id, api_link}`, a `Full` as the model, so what was
/// read is written back in the same shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Expandable<T> {
    /// The reference `expanded=false` gives.
    Ref(NonExpanded),
    /// The full model `expanded=true` gives.
    Full(T),
}

impl<T: Default> Default for Expandable<T> {
    fn default() -> Self {
        Expandable::Full(T::default())
    }
}

impl<T: Identified> Expandable<T> {
    /// The id, from the reference or from the full model.
    #[must_use]
    pub fn id(&self) -> Option<i64> {
        match self {
            Expandable::Ref(r) => r.id,
            Expandable::Full(t) => t.id(),
        }
    }
}

impl<T> Expandable<T> {
    /// The full model, when this was expanded.
    #[must_use]
    pub fn full(&self) -> Option<&T> {
        match self {
            Expandable::Ref(_) => None,
            Expandable::Full(t) => Some(t),
        }
    }

    /// The link to fetch the full model, when this is a reference.
    #[must_use]
    pub fn api_link(&self) -> Option<&str> {
        match self {
            Expandable::Ref(r) => r.api_link.as_deref(),
            Expandable::Full(_) => None,
        }
    }

    /// Whether this is only a reference.
    #[must_use]
    pub fn is_ref(&self) -> bool {
        matches!(self, Expandable::Ref(_))
    }
}

impl<T: DeserializeOwned> Expandable<T> {
    /// Reads one value: `null`, `""`, `[]` and `{}` are no value (PHP's empty shapes); a
    /// bare integer or numeric string is read as a reference by id (a tolerance, not
    /// documented); an object follows the rule in the module docs.
    ///
    /// # Errors
    /// When the value is another scalar or a list, or the object does not have `T`'s shape.
    pub fn from_value(value: Value) -> Result<Option<Self>, serde_json::Error> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::Array(a) if a.is_empty() => Ok(None),
            Value::Object(m) if m.is_empty() => Ok(None),
            Value::Object(m) => Self::from_object(m).map(Some),
            scalar @ (Value::Number(_) | Value::String(_)) => {
                let id = i64::deserialize_lenient(scalar)?;
                Ok(id.map(|id| Expandable::Ref(NonExpanded { id: Some(id), api_link: None })))
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &Self::expecting())),
        }
    }

    fn from_object(map: Map<String, Value>) -> Result<Self, serde_json::Error> {
        let is_ref =
            map.contains_key("api_link") && map.keys().all(|k| k == "id" || k == "api_link");
        let value = Value::Object(map);
        if is_ref {
            NonExpanded::deserialize(value).map(Expandable::Ref)
        } else {
            T::deserialize(value).map(Expandable::Full)
        }
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Array(_) => de::Unexpected::Seq,
        _ => de::Unexpected::Other("a value of another kind"),
    }
}

/// Lets the lenient helpers read it: `#[serde(default, deserialize_with = "optional")]`.
impl<T: DeserializeOwned> Lenient for Expandable<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        // These objects are small, so buffering one into a `Value` costs little and lets the
        // keys be looked at before choosing the variant.
        let value = Value::deserialize(d)?;
        Self::from_value(value).map_err(de::Error::custom)
    }

    fn expecting() -> &'static str {
        "a reference {\"id\", \"api_link\"} or the full record"
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::required(d)
    }
}

/// Records kept as raw JSON (the Content API's article families, stores, domains) still
/// answer their id when they have a numeric one.
impl Identified for Value {
    fn id(&self) -> Option<i64> {
        let id = self.get("id")?.clone();
        i64::deserialize_lenient(id).ok().flatten()
    }
}

/// `deserialize_with` for a list of references that may also come as a single one: the
/// schema declares `ShippingModel.payments` as one "one of", but its name and meaning are
/// plural, so both shapes are read (and written back as a list).
///
/// # Errors
/// When an element is neither a reference nor the full record.
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<Expandable<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let items = match Value::deserialize(d)? {
        Value::Array(items) => items,
        single => vec![single],
    };
    let mut out = Vec::with_capacity(items.len().min(1024));
    for item in items {
        if let Some(e) = Expandable::from_value(item).map_err(de::Error::custom)? {
            out.push(e);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
    struct Shipper {
        #[serde(default, deserialize_with = "opt")]
        id: Option<i64>,
        #[serde(default, deserialize_with = "opt")]
        name: Option<String>,
    }

    impl Identified for Shipper {
        fn id(&self) -> Option<i64> {
            self.id
        }
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "opt")]
        s: Option<Expandable<Shipper>>,
    }

    fn read(json: &str) -> Option<Expandable<Shipper>> {
        serde_json::from_str::<Holder>(&format!("{{\"s\": {json}}}")).unwrap().s
    }

    #[test]
    fn references_and_full_models_are_told_apart_by_keys() {
        let r = read(r#"{"id": "7", "api_link": "/System/Lists/Shippers/7"}"#).unwrap();
        assert!(r.is_ref());
        assert_eq!((r.id(), r.api_link()), (Some(7), Some("/System/Lists/Shippers/7")));
        let only_link = read(r#"{"api_link": "x"}"#).unwrap();
        assert!(only_link.is_ref() && only_link.id().is_none());
        let full = read(r#"{"id": 7, "name": "PPL"}"#).unwrap();
        assert_eq!(full.full().and_then(|s| s.name.as_deref()), Some("PPL"));
        // A full model that also carries its link is still the full model.
        let both = read(r#"{"id": 7, "api_link": "x", "name": "PPL"}"#).unwrap();
        assert!(!both.is_ref() && both.id() == Some(7));
    }

    #[test]
    fn empty_shapes_are_none_and_bare_ids_are_references() {
        for empty in ["null", "\"\"", "[]", "{}"] {
            assert!(read(empty).is_none(), "{empty}");
        }
        assert_eq!(read("12").unwrap().id(), Some(12));
        assert!(serde_json::from_str::<Holder>(r#"{"s": true}"#).is_err());
        assert!(serde_json::from_str::<Holder>(r#"{"s": [1]}"#).is_err());
        assert!(serde_json::from_str::<Holder>(r#"{"s": {"id": "x"}}"#).is_err());
    }

    #[test]
    fn written_back_in_the_shape_it_came() {
        for json in [r#"{"id":7,"api_link":"x"}"#, r#"{"id":7,"name":"PPL"}"#] {
            let e = read(json).unwrap();
            let text = serde_json::to_string(&e).unwrap();
            assert_eq!(text, json);
            assert_eq!(read(&text), Some(e));
        }
    }

    #[test]
    fn one_or_many_reads_both() {
        #[derive(Deserialize)]
        struct L {
            #[serde(default, deserialize_with = "one_or_many")]
            p: Vec<Expandable<Shipper>>,
        }
        let one: L = serde_json::from_str(r#"{"p": {"id": 1, "api_link": "a"}}"#).unwrap();
        let many: L = serde_json::from_str(r#"{"p": [{"id": 1, "api_link": "a"}, {}]}"#).unwrap();
        assert_eq!(one.p, many.p);
        let none: L = serde_json::from_str(r#"{"p": null}"#).unwrap();
        assert!(none.p.is_empty());
    }
}
