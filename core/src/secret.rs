//! Values that must never reach a log: API keys, passwords, webhook secrets.
//!
//! A [`Secret`] prints as `[redacted]` in `Debug` and `Display`, so a secret held in any
//! struct stays out of logs, panics and error messages by construction. The value is still
//! serialized, because request bodies (a customer's password) must carry it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;

/// A string that is redacted in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself. Named loudly so every use is easy to find in review.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `given` is this secret, compared in constant time ([`matches`]).
    #[must_use]
    pub fn matches(&self, given: &str) -> bool {
        matches(given, &self.0)
    }
}

/// Whether `given` equals `secret`, compared in constant time so the answer's timing tells
/// nothing of how much of a guess was right. An empty secret matches nothing.
#[must_use]
pub fn matches(given: &str, secret: &str) -> bool {
    !secret.is_empty() && bool::from(given.as_bytes().ct_eq(secret.as_bytes()))
}

/// The shortest secret a receiver URL may carry (16 characters; [`url_secret_flaw`]).
pub const MIN_URL_SECRET_LEN: usize = 16;

/// The rule a receiver URL's secret follows: long enough to guess-proof the URL, and only
/// URL-unreserved characters (RFC 3986), so the same secret reads the same in an Upgates
/// query parameter, a Retailys path segment, a shell and a config file, with no encoding for
/// anyone to get wrong.
pub const URL_SECRET_RULE: &str = "at least 16 characters of A-Z, a-z, 0-9, '-', '.', '_', '~' (generateSecret() or `openssl rand -hex 32` makes one)";

/// Why a secret cannot guard a receiver URL (the webhook's `?shopflow_secret=`, the Retailys
/// callback's last path segment). The one rule for every place that takes such a secret:
/// `webhookUrl`, `verifyWebhook`, the webhook and callback handlers, `events.subscribe` and
/// `shopflow run`. The messages never contain the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlSecretFlaw {
    /// Too short to guess-proof the URL: its length.
    #[error("must be {URL_SECRET_RULE}; it is {0} characters")]
    TooShort(usize),
    /// A character a URL would have to encode, at this position (from 1).
    #[error("must be {URL_SECRET_RULE}; it has another character at position {0}")]
    Character(usize),
}

impl UrlSecretFlaw {
    /// What the secret was found to be, for a problem's `found` (never the secret).
    #[must_use]
    pub fn found(self) -> String {
        match self {
            UrlSecretFlaw::TooShort(n) => format!("{n} characters"),
            UrlSecretFlaw::Character(at) => format!("another character at position {at}"),
        }
    }
}

/// What is wrong with `secret` as a receiver URL's secret, if anything ([`UrlSecretFlaw`]).
#[must_use]
pub fn url_secret_flaw(secret: &str) -> Option<UrlSecretFlaw> {
    let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    if let Some(at) = secret.chars().position(|c| !unreserved(c)) {
        return Some(UrlSecretFlaw::Character(at + 1));
    }
    let length = secret.chars().count();
    (length < MIN_URL_SECRET_LEN).then_some(UrlSecretFlaw::TooShort(length))
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// A URL with its credentials hidden: userinfo, query and fragment become `***`, so it can
/// be shown in an error or a log (`https://***@hooks.example.com/upgates?***`).
#[must_use]
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let (authority_and_path, had_query) = match rest.find(['?', '#']) {
        Some(i) => (rest.get(..i).unwrap_or(rest), true),
        None => (rest, false),
    };
    let (authority, path) = match authority_and_path.find('/') {
        Some(i) => authority_and_path.split_at(i),
        None => (authority_and_path, ""),
    };
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    let mut out = scheme.map_or_else(String::new, |s| format!("{s}://"));
    out.push_str(&host);
    out.push_str(path);
    if had_query {
        out.push_str("?***");
    }
    out
}

/// Redacts secrets in a parsed document in place: API keys and passwords become
/// `[redacted]`, URLs lose their credentials and secret query values (a webhook or callback
/// URL carries its secret). `shopflow parse` prints documents redacted.
pub fn redact_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let replacement = match (key.as_str(), &*v) {
                    ("apiKey" | "api_key" | "password", Value::String(_)) => {
                        Some("[redacted]".to_owned())
                    }
                    ("url", Value::String(u)) => Some(redact_url(u)),
                    _ => None,
                };
                match replacement {
                    Some(r) => *v = Value::String(r),
                    None => redact_json(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_secrets_are_long_and_unreserved_and_never_echoed() {
        assert_eq!(url_secret_flaw("k9V-4xQ_2mPz8LwR1tYb~."), None);
        assert_eq!(url_secret_flaw(&"ab".repeat(32)), None);
        assert_eq!(url_secret_flaw("short"), Some(UrlSecretFlaw::TooShort(5)));
        assert_eq!(url_secret_flaw(""), Some(UrlSecretFlaw::TooShort(0)));
        let odd = "a+b/c=d&e?f#g h1234";
        assert_eq!(url_secret_flaw(odd), Some(UrlSecretFlaw::Character(2)));
        assert_eq!(
            url_secret_flaw("žluťoučkýkůňúpělďábelskéódy"),
            Some(UrlSecretFlaw::Character(1))
        );
        let message = url_secret_flaw(odd).map(|f| f.to_string()).unwrap_or_default();
        assert!(message.contains("position 2") && !message.contains("a+b"), "{message}");
        assert!(URL_SECRET_RULE.starts_with(&format!("at least {MIN_URL_SECRET_LEN} ")));
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            redact_url("https://user:pw@hooks.example.com/up?secret=x#f"),
            "https://***@hooks.example.com/up?***"
        );
        assert_eq!(
            redact_url("https://shop.admin.s1.upgates.com/api/v2"),
            "https://shop.admin.s1.upgates.com/api/v2"
        );
        assert_eq!(redact_url("no-scheme@host"), "***@host");
        assert_eq!(redact_url("https://a@b@host/p"), "https://***@host/p");
    }

    #[test]
    fn never_printed() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hunter2\"");
        assert_eq!(s.expose(), "hunter2");
    }
}
