//! HTTP as data: the request a shell should send and the response it got back.
//!
//! The core never opens a socket. Builders produce a [`RequestSpec`]; a shell (fetch in the
//! npm package, a Rust client in the rules host) sends it and hands the status, headers and
//! body back as a [`Response`] for parsing and for the retry and rate-limit decisions.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::secret::Secret;

/// An HTTP method the e-shop APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Method {
    /// Read.
    Get,
    /// Create.
    Post,
    /// Update.
    Put,
    /// Delete.
    Delete,
    /// Partial update (Retailys state changes).
    Patch,
}

impl Method {
    /// The method as it goes on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header value that may be secret (credentials): secret values are redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// An ordinary value.
    Plain(String),
    /// A value that must not be logged, such as `Authorization`.
    Sensitive(Secret),
}

impl HeaderValue {
    /// The value to put on the wire.
    #[must_use]
    pub fn expose(&self) -> &str {
        match self {
            HeaderValue::Plain(v) => v,
            HeaderValue::Sensitive(s) => s.expose(),
        }
    }
}

impl fmt::Debug for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderValue::Plain(v) => fmt::Debug::fmt(v, f),
            HeaderValue::Sensitive(s) => fmt::Debug::fmt(s, f),
        }
    }
}

/// Whether a request may be sent again after a failure whose outcome is unknown
/// (a 5xx or a dropped connection): the server may have done the work already.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResendSafety {
    /// Sending twice has the effect of sending once (GET, DELETE, most PUTs).
    Idempotent,
    /// A create whose items can be found by these keys (an external order number): look
    /// them up first and resend only those that do not exist.
    LookupFirst(Vec<String>),
    /// Never resend blindly (a history note would be written twice).
    Never,
}

/// Characters left as they are in query values: RFC 3986 "unreserved". Everything else,
/// including the `;` that joins multi-value filters, is percent-encoded.
const QUERY_VALUE: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment or query component.
#[must_use]
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// A complete description of one HTTP request.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// The method.
    pub method: Method,
    /// The API base the path is relative to, without a trailing slash
    /// (`https://shop.admin.s1.upgates.com/api/v2`).
    pub base_url: String,
    /// The path below the base, starting with `/` and already percent-encoded.
    pub path: String,
    /// Query parameters, not yet encoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers, credentials among them.
    pub headers: Vec<(String, HeaderValue)>,
    /// The JSON body, if any.
    pub body: Option<String>,
    /// Whether a retry may resend this request after an unknown outcome.
    pub resend: ResendSafety,
    /// How many items (orders, customers) the body carries, for accounting; 0 for reads.
    pub items: usize,
}

impl RequestSpec {
    /// The full URL: base, path and the percent-encoded query.
    #[must_use]
    pub fn url(&self) -> String {
        let mut url = format!("{}{}", self.base_url, self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_component(k));
            url.push('=');
            url.push_str(&encode_component(v));
        }
        url
    }

    /// The value of a header (case-insensitive), exposed for sending.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.expose())
    }

    /// The method and the path template with query keys, for logs that must not carry
    /// values (`GET /orders?order_numbers`).
    #[must_use]
    pub fn describe(&self) -> String {
        let keys: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        if keys.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            format!("{} {}?{}", self.method, self.path, keys.join("&"))
        }
    }
}

impl fmt::Debug for RequestSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSpec")
            .field("method", &self.method)
            .field("base_url", &self.base_url)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .field("resend", &self.resend)
            .field("items", &self.items)
            .finish()
    }
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The request is invalid; every problem is listed.
    #[error("the request was not sent: {0}")]
    Invalid(crate::validation::Problems),
    /// The body could not be written as JSON.
    #[error("the request body could not be written as JSON: {0}")]
    Encode(String),
}

impl BuildError {
    /// Every problem, as validation reports them; a body that cannot be written is one
    /// problem at the root.
    #[must_use]
    pub fn into_problems(self) -> crate::validation::Problems {
        match self {
            BuildError::Invalid(p) => p,
            BuildError::Encode(e) => crate::validation::Problems(vec![
                crate::validation::At::root().problem("a body that can be written as JSON", e),
            ]),
        }
    }
}

impl From<crate::validation::Problems> for BuildError {
    fn from(p: crate::validation::Problems) -> Self {
        BuildError::Invalid(p)
    }
}

/// What came back: the status, the headers and the body bytes.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// HTTP status code.
    pub status: u16,
    /// Response headers as name/value pairs (names in any case).
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> Response<'a> {
    /// A response view over borrowed parts.
    #[must_use]
    pub fn new(status: u16, headers: &'a [(String, String)], body: &'a [u8]) -> Self {
        Response { status, headers, body }
    }

    /// The first value of a header, case-insensitive.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str().trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RequestSpec {
        RequestSpec {
            method: Method::Get,
            base_url: "https://shop.admin.s1.upgates.com/api/v2".into(),
            path: "/orders".into(),
            query: vec![
                ("order_numbers".into(), "2024001;2024 002".into()),
                ("page".into(), "2".into()),
            ],
            headers: vec![(
                "Authorization".into(),
                HeaderValue::Sensitive(Secret::new("Basic dXNlcjprZXk=")),
            )],
            body: None,
            resend: ResendSafety::Idempotent,
            items: 0,
        }
    }

    #[test]
    fn url_percent_encodes_values_and_the_separator() {
        assert_eq!(
            spec().url(),
            "https://shop.admin.s1.upgates.com/api/v2/orders?order_numbers=2024001%3B2024%20002&page=2"
        );
    }

    #[test]
    fn debug_redacts_credentials() {
        let dbg = format!("{:?}", spec());
        assert!(!dbg.contains("dXNlcjprZXk"), "{dbg}");
        assert!(dbg.contains("[redacted]"));
        assert_eq!(spec().header("authorization"), Some("Basic dXNlcjprZXk="));
    }

    #[test]
    fn describe_has_no_values() {
        assert_eq!(spec().describe(), "GET /orders?order_numbers&page");
    }
}
