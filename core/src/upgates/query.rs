//! Query strings of list endpoints, written and read with the same rules.
//!
//! Filters go to the API as query parameters: booleans as `1`/`0`, dates in ISO 8601, and
//! multi-value filters joined with `;` (`order_numbers=1;2`). The client writes them with
//! [`QueryWriter`]; the sandbox reads them back with [`QueryReader`], so both sides agree.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::lenient::Lenient;
use crate::validation::{At, Problem, quoted};

/// Builds query pairs in a fixed order, skipping absent filters.
#[derive(Debug, Default)]
pub struct QueryWriter(Vec<(String, String)>);

impl QueryWriter {
    /// An empty query.
    #[must_use]
    pub fn new() -> Self {
        QueryWriter(Vec::new())
    }

    /// Adds `key=value` when the value is present.
    pub fn opt<T: fmt::Display>(&mut self, key: &str, value: Option<&T>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((key.to_owned(), v.to_string()));
        }
        self
    }

    /// Adds a boolean filter as `1`/`0`, the API's query spelling.
    pub fn flag(&mut self, key: &str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((key.to_owned(), if v { "1" } else { "0" }.to_owned()));
        }
        self
    }

    /// Adds a multi-value filter joined with `;`, when it has values.
    pub fn list<T: fmt::Display>(&mut self, key: &str, values: &[T]) -> &mut Self {
        if !values.is_empty() {
            let joined: Vec<String> = values.iter().map(ToString::to_string).collect();
            self.0.push((key.to_owned(), joined.join(";")));
        }
        self
    }

    /// The pairs.
    #[must_use]
    pub fn finish(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.0)
    }
}

/// A query parameter that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query parameter `{key}`: expected {expected}, found {found}")]
pub struct QueryError {
    /// The parameter.
    pub key: String,
    /// What it should hold.
    pub expected: String,
    /// What it held.
    pub found: String,
}

/// Reads typed filters from decoded query pairs. Unknown parameters are ignored, as the
/// API ignores them; a later duplicate wins, as in PHP.
#[derive(Debug, Clone, Copy)]
pub struct QueryReader<'a>(&'a [(String, String)]);

impl<'a> QueryReader<'a> {
    /// Reads from decoded pairs.
    #[must_use]
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        QueryReader(pairs)
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// A text filter; present-but-empty stays `Some("")` (it means something for `status`).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<String> {
        self.raw(key).map(str::to_owned)
    }

    /// A parsed filter; empty means absent.
    ///
    /// # Errors
    /// When the value does not parse as `T`.
    pub fn parsed<T: FromStr>(&self, key: &str, expected: &str) -> Result<Option<T>, QueryError> {
        match self.raw(key).map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| QueryError {
                key: key.to_owned(),
                expected: expected.to_owned(),
                found: quoted(v),
            }),
        }
    }

    /// A boolean filter: `1`/`0`/`true`/`false`.
    ///
    /// # Errors
    /// When the value is not a boolean.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, QueryError> {
        match self.raw(key).map(str::trim) {
            None | Some("") => Ok(None),
            Some("1") => Ok(Some(true)),
            Some("0") => Ok(Some(false)),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(QueryError {
                key: key.to_owned(),
                expected: "1 or 0".to_owned(),
                found: quoted(v),
            }),
        }
    }

    /// A `;`-joined multi-value filter.
    ///
    /// # Errors
    /// When an element does not parse as `T`.
    pub fn list<T: FromStr>(&self, key: &str, expected: &str) -> Result<Vec<T>, QueryError> {
        let Some(v) = self.raw(key) else {
            return Ok(Vec::new());
        };
        v.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| QueryError {
                    key: key.to_owned(),
                    expected: expected.to_owned(),
                    found: quoted(s),
                })
            })
            .collect()
    }
}

/// Reports values that cannot travel in a `;`-joined filter.
pub fn check_list_values(at: &At, values: &[String], out: &mut Vec<Problem>) {
    for (i, v) in values.iter().enumerate() {
        if v.contains(';') {
            out.push(at.element(i).problem(
                "a value without `;` (it separates the values of this filter)",
                quoted(v),
            ));
        } else if v.trim().is_empty() {
            out.push(at.element(i).problem("a non-empty value", quoted(v)));
        }
    }
}

/// `deserialize_with` for a multi-value filter given in JSON as a list or as a `;`-joined
/// string (`["1","2"]`, `[1, 2]` or `"1;2"`).
///
/// # Errors
/// When an element has a shape `T` cannot accept.
pub fn multi<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient + FromStr,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Lenient + FromStr> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of {} or a string of them joined with `;`", T::expecting())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<LenientItem<T>>()? {
                if let Some(v) = item.0 {
                    out.push(v);
                }
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            v.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().map_err(|_| E::invalid_value(de::Unexpected::Str(s), &self)))
                .collect()
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

struct LenientItem<T>(Option<T>);

impl<'de, T: Lenient> serde::Deserialize<'de> for LenientItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(d).map(LenientItem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_and_reader_agree() {
        let pairs = QueryWriter::new()
            .list("order_numbers", &["1", "2"])
            .flag("paid_yn", Some(true))
            .opt("page", Some(&3))
            .opt::<u32>("absent", None)
            .finish();
        assert_eq!(
            pairs,
            vec![
                ("order_numbers".to_owned(), "1;2".to_owned()),
                ("paid_yn".to_owned(), "1".to_owned()),
                ("page".to_owned(), "3".to_owned())
            ]
        );
        let r = QueryReader::new(&pairs);
        assert_eq!(r.list::<String>("order_numbers", "order numbers").unwrap(), vec!["1", "2"]);
        assert_eq!(r.flag("paid_yn").unwrap(), Some(true));
        assert_eq!(r.parsed::<u32>("page", "a page number").unwrap(), Some(3));
        assert_eq!(r.parsed::<u32>("absent", "x").unwrap(), None);
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let pairs = vec![("page".to_owned(), "two".to_owned())];
        let e =
            QueryReader::new(&pairs).parsed::<u32>("page", "a page number (1, 2, …)").unwrap_err();
        assert_eq!(
            e.to_string(),
            "query parameter `page`: expected a page number (1, 2, …), found \"two\""
        );
    }

    #[test]
    fn json_multi_values_in_both_shapes() {
        #[derive(serde::Deserialize)]
        struct F {
            #[serde(default, deserialize_with = "multi")]
            ids: Vec<u64>,
        }
        assert_eq!(serde_json::from_str::<F>(r#"{"ids":"1;2"}"#).unwrap().ids, vec![1, 2]);
        assert_eq!(serde_json::from_str::<F>(r#"{"ids":[1,"2"]}"#).unwrap().ids, vec![1, 2]);
        assert!(serde_json::from_str::<F>(r#"{"ids":"1;x"}"#).is_err());
    }
}
