//! Custom fields ("metas", *vlastní pole*) on orders and customers.
//!
//! A meta has one value for all languages (`value`) or one per language (`values`). The
//! blueprint documents `values` as an array of `{language, value}`; real GET responses send
//! an object keyed by language (`{"cs": {"language": "cs", "value": ""}}`), and the legacy
//! API keyed plain strings (`{"cz": "poznámka"}`). All three read into the same list.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::lenient::{self, Lenient, null_is_none};
use crate::open_enum;
use crate::validation::{At, Problem};

open_enum! {
    /// The kind of input a custom field is.
    pub enum MetaType {
        /// Checkbox.
        Checkbox = "checkbox",
        /// Radio buttons (`radio` in the old documentation).
        Radiolist = "radiolist" | "radio",
        /// One-line text.
        Input = "input",
        /// Date.
        Date = "date",
        /// E-mail address.
        Email = "email",
        /// Number.
        Number = "number",
        /// Multi-line text.
        Textarea = "textarea",
        /// Formatted multi-line text.
        Formatted = "formatted",
        /// Drop-down.
        Select = "select",
        /// Multi-select drop-down.
        Multiselect = "multiselect",
    }
}

/// A value for one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct LanguageValue {
    /// Language (mutation) code, e.g. `cs`.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub language: String,
    /// The value.
    #[serde(default, deserialize_with = "meta_text")]
    pub value: String,
}

impl LanguageValue {
    /// A value for `language`.
    #[must_use]
    pub fn new(language: impl Into<String>, value: impl Into<String>) -> Self {
        LanguageValue { language: language.into(), value: value.into() }
    }
}

/// A custom field as read from an order or customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Meta {
    /// The field's key.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub key: String,
    /// What kind of input it is.
    #[serde(default, rename = "type", deserialize_with = "lenient::optional")]
    pub kind: Option<MetaType>,
    /// The value when it is the same for every language.
    #[serde(default, deserialize_with = "optional_meta_text")]
    pub value: Option<String>,
    /// Per-language values.
    #[serde(default, deserialize_with = "language_values")]
    pub values: Vec<LanguageValue>,
}

impl Meta {
    /// The value for `language`: the per-language one if set, else the common value.
    #[must_use]
    pub fn value_for(&self, language: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|v| v.language == language)
            .map(|v| v.value.as_str())
            .or(self.value.as_deref())
    }

    /// Whether the field holds anything non-empty in any language.
    #[must_use]
    pub fn is_set(&self) -> bool {
        self.value.as_deref().is_some_and(|v| !v.is_empty())
            || self.values.iter().any(|v| !v.value.is_empty())
    }
}

/// A custom field value to write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct MetaWrite {
    /// The field's key (required; fields must exist in the shop's admin).
    #[serde(
        default,
        deserialize_with = "lenient::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub key: Option<String>,
    /// One value for all languages. When both this and `values` are given, the API uses this.
    #[serde(
        default,
        deserialize_with = "optional_meta_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// Per-language values.
    #[serde(default, deserialize_with = "language_values", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<LanguageValue>,
}

impl MetaWrite {
    /// Sets `key` to `value` for every language.
    #[must_use]
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        MetaWrite { key: Some(key.into()), value: Some(value.into()), values: Vec::new() }
    }

    pub(crate) fn collect_problems(&self, at: &At, out: &mut Vec<Problem>) {
        at.field("key").require_text(self.key.as_deref(), "the custom field's key", out);
        if self.value.is_none() && self.values.is_empty() {
            out.push(at.problem("`value` or `values`", "neither"));
        }
    }
}

fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize_lenient(d)?.unwrap_or_default())
}

/// Meta values are text, but checkboxes arrive as booleans and numbers as numbers; booleans
/// are written the way the API writes them in text (`1`/`0`).
struct MetaTextVisitor;

impl<'de> Visitor<'de> for MetaTextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a custom field value (text, a number or a boolean)")
    }

    null_is_none!();

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(if v { "1" } else { "0" }.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
}

fn optional_meta_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(MetaTextVisitor)
}

fn meta_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(optional_meta_text(d)?.unwrap_or_default())
}

/// One entry of an object keyed by language: `{language, value}` or a plain value.
struct KeyedEntry(Option<LanguageValue>, Option<String>);

impl<'de> Deserialize<'de> for KeyedEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyedEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{\"language\", \"value\"} or a plain value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<KeyedEntry, A::Error> {
                let lv = LanguageValue::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(KeyedEntry(Some(lv), None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, MetaTextVisitor.visit_str(v)?))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, MetaTextVisitor.visit_bool(v)?))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyedEntry, E> {
                Ok(KeyedEntry(None, None))
            }
        }
        d.deserialize_any(V)
    }
}

struct LanguageValuesVisitor;

impl<'de> Visitor<'de> for LanguageValuesVisitor {
    type Value = Vec<LanguageValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("per-language values: a list of {\"language\", \"value\"} or an object keyed by language")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Vec::<LanguageValue>::deserialize(de::value::SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some((language, entry)) = map.next_entry::<String, KeyedEntry>()? {
            match entry {
                KeyedEntry(Some(mut lv), _) => {
                    // The key is authoritative when the entry does not repeat it.
                    if lv.language.is_empty() {
                        lv.language = language;
                    }
                    out.push(lv);
                }
                KeyedEntry(None, value) => {
                    out.push(LanguageValue { language, value: value.unwrap_or_default() })
                }
            }
        }
        Ok(out)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
}

/// `deserialize_with` for per-language values in any of their three shapes.
///
/// # Errors
/// When the value is neither a list, an object keyed by language, nor empty.
pub fn language_values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LanguageValue>, D::Error> {
    d.deserialize_any(LanguageValuesVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_object_keyed_by_language() {
        let m: Meta = serde_json::from_str(
            r#"{"key":"note","type":"input","value":null,"values":{"cs":{"language":"cs","value":"ahoj"},"en":{"language":"en","value":""}}}"#,
        )
        .unwrap();
        assert_eq!(m.values, vec![LanguageValue::new("cs", "ahoj"), LanguageValue::new("en", "")]);
        assert_eq!(m.value_for("cs"), Some("ahoj"));
        assert_eq!(m.kind, Some(MetaType::Input));
        assert!(m.is_set());
    }

    #[test]
    fn values_as_array_and_as_plain_strings() {
        let a: Meta =
            serde_json::from_str(r#"{"key":"k","values":[{"language":"sk","value":"x"}]}"#)
                .unwrap();
        assert_eq!(a.values, vec![LanguageValue::new("sk", "x")]);
        let legacy: MetaWrite =
            serde_json::from_str(r#"{"key":"k","values":{"cz":"poznámka","en":"note"}}"#).unwrap();
        assert_eq!(
            legacy.values,
            vec![LanguageValue::new("cz", "poznámka"), LanguageValue::new("en", "note")]
        );
        let empty: Meta = serde_json::from_str(r#"{"key":"k","values":[]}"#).unwrap();
        assert!(empty.values.is_empty());
        let empty_obj: Meta = serde_json::from_str(r#"{"key":"k","values":{}}"#).unwrap();
        assert!(empty_obj.values.is_empty());
    }

    #[test]
    fn checkbox_values_read_as_text() {
        let m: Meta =
            serde_json::from_str(r#"{"key":"gift","type":"checkbox","value":true}"#).unwrap();
        assert_eq!(m.value.as_deref(), Some("1"));
        let n: Meta = serde_json::from_str(r#"{"key":"n","value":12.5}"#).unwrap();
        assert_eq!(n.value.as_deref(), Some("12.5"));
    }

    #[test]
    fn normalized_form_reads_back_the_same() {
        let m: Meta =
            serde_json::from_str(r#"{"key":"k","values":{"cs":{"language":"cs","value":"a"}}}"#)
                .unwrap();
        let again: Meta = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(m, again);
    }
}
