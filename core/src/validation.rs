//! Checking requests before they are sent, collecting every problem at once.
//!
//! A shop owner fixing a 300-order import wants the whole list, not one error per attempt.
//! Each [`Problem`] names the record (its index in the batch and its key, such as the order
//! number), the field path, what was expected and what came.

use std::fmt;

use serde::Serialize;

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// Index of the record in the batch, when the problem is inside one.
    pub record: Option<usize>,
    /// The record's own key (order number, e-mail), when it has one.
    pub record_key: Option<String>,
    /// The field path, like `orders[3].customer.email`.
    pub path: String,
    /// What the field should hold.
    pub expected: String,
    /// What it holds (quoted), or `nothing` when missing.
    pub found: String,
}

impl Problem {
    /// The same problem in a larger batch whose item list is `list_key`, for a chunk that
    /// starts at `offset`: record `3` and `orders[3].x` become `103` and `orders[103].x`.
    #[must_use]
    pub fn shifted(mut self, list_key: &str, offset: usize) -> Problem {
        self.record = self.record.map(|r| r + offset);
        let prefix = format!("{list_key}[");
        if let Some(rest) = self.path.strip_prefix(&prefix)
            && let Some((index, tail)) = rest.split_once(']')
            && let Ok(i) = index.parse::<usize>()
        {
            self.path = format!("{prefix}{}]{tail}", i + offset);
        }
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.record, &self.record_key) {
            (Some(i), Some(k)) => write!(f, "record {i} ({k}), ")?,
            (Some(i), None) => write!(f, "record {i}, ")?,
            (None, Some(k)) => write!(f, "{k}, ")?,
            (None, None) => {}
        }
        write!(f, "{}: expected {}, found {}", self.path, self.expected, self.found)
    }
}

/// Every problem found in a request; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// The problems as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[Problem] {
        &self.0
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A request that can be checked before sending.
pub trait Validate {
    /// Appends every problem found to `out`.
    fn collect_problems(&self, out: &mut Vec<Problem>);

    /// Every problem, or `Ok` when there are none.
    ///
    /// # Errors
    /// [`Problems`] listing everything wrong with the request.
    fn validate(&self) -> Result<(), Problems> {
        let mut out = Vec::new();
        self.collect_problems(&mut out);
        if out.is_empty() { Ok(()) } else { Err(Problems(out)) }
    }
}

/// Where the checks are looking: a record of a batch and a path prefix inside it.
#[derive(Debug, Clone)]
pub struct At {
    record: Option<usize>,
    key: Option<String>,
    path: String,
}

impl At {
    /// The top of a request (not inside a record).
    #[must_use]
    pub fn root() -> Self {
        At { record: None, key: None, path: String::new() }
    }

    /// Record `index` of the list at `list_path`, identified by `key` when it has one.
    #[must_use]
    pub fn record(list_path: &str, index: usize, key: Option<&str>) -> Self {
        At {
            record: Some(index),
            key: key.filter(|k| !k.is_empty()).map(str::to_owned),
            path: format!("{list_path}[{index}]"),
        }
    }

    /// A field below this place.
    #[must_use]
    pub fn field(&self, name: &str) -> At {
        let path =
            if self.path.is_empty() { name.to_owned() } else { format!("{}.{name}", self.path) };
        At { record: self.record, key: self.key.clone(), path }
    }

    /// Element `i` of a list below this place.
    #[must_use]
    pub fn index(&self, name: &str, i: usize) -> At {
        let mut at = self.field(name);
        at.path = format!("{}[{i}]", at.path);
        at
    }

    /// Element `i` of the list at this place.
    #[must_use]
    pub fn element(&self, i: usize) -> At {
        At { record: self.record, key: self.key.clone(), path: format!("{}[{i}]", self.path) }
    }

    /// The path of this place.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A problem at this place.
    #[must_use]
    pub fn problem(&self, expected: impl Into<String>, found: impl Into<String>) -> Problem {
        Problem {
            record: self.record,
            record_key: self.key.clone(),
            path: if self.path.is_empty() { ".".to_owned() } else { self.path.clone() },
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// Reports a missing required value.
    pub fn require<T>(&self, value: Option<&T>, expected: &str, out: &mut Vec<Problem>) {
        if value.is_none() {
            out.push(self.problem(expected, NOTHING));
        }
    }

    /// Reports a missing or blank required text.
    pub fn require_text(&self, value: Option<&str>, expected: &str, out: &mut Vec<Problem>) {
        match value {
            None => out.push(self.problem(expected, NOTHING)),
            Some(v) if v.trim().is_empty() => out.push(self.problem(expected, quoted(v))),
            Some(_) => {}
        }
    }

    /// Reports text longer than `max` characters (Unicode scalar values, as the API counts).
    pub fn max_chars(&self, value: &str, max: usize, out: &mut Vec<Problem>) {
        let n = value.chars().count();
        if n > max {
            out.push(self.problem(format!("at most {max} characters"), format!("{n} characters")));
        }
    }

    /// Reports an e-mail address that is not syntactically valid.
    pub fn email(&self, value: &str, out: &mut Vec<Problem>) {
        if !is_email(value) {
            out.push(self.problem("an e-mail address like name@example.com", quoted(value)));
        }
    }
}

/// How a missing value is shown in a problem.
pub const NOTHING: &str = "nothing";

/// A value quoted for a problem report, shortened when long.
#[must_use]
pub fn quoted(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head:?}… ({} characters)", value.chars().count())
    }
}

/// Whether `s` is a syntactically valid e-mail address (the practical subset of RFC 5321
/// that shops accept: dot-atom local part, a domain with at least one dot).
#[must_use]
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.trim() != s {
        return false;
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    is_local_part(local) && is_domain(domain)
}

fn is_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || c == '.' || SPECIALS.contains(c))
}

fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.cz", "jan.novak+eshop@seznam.cz", "x@příklad.cz", "o'neil@mail.example.com"]
        {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.cz", "a@b", "a b@c.cz", "a@b..cz", ".a@b.cz", "a@-b.cz", "a@b.c",
            " a@b.cz", "a@1.2",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn problems_name_record_key_path_expected_and_found() {
        let at = At::record("orders", 3, Some("2024000123")).field("customer").field("email");
        let mut out = Vec::new();
        at.email("foo@", &mut out);
        assert_eq!(
            out[0].to_string(),
            "record 3 (2024000123), orders[3].customer.email: expected an e-mail address like name@example.com, found \"foo@\""
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut out = Vec::new();
        At::root().field("name").max_chars(&"č".repeat(50), 50, &mut out);
        assert!(out.is_empty());
        At::root().field("name").max_chars(&"č".repeat(51), 50, &mut out);
        assert_eq!(out[0].found, "51 characters");
    }

    #[test]
    fn long_values_are_shortened() {
        let q = quoted(&"x".repeat(100));
        assert!(q.ends_with("(100 characters)"), "{q}");
    }
}
