//! What a response means: the status table, the rate budget, and the decoded body.
//!
//! | status | meaning                                          | here                        |
//! |--------|--------------------------------------------------|-----------------------------|
//! | 200    | done; per-item failures are *inside* the body    | decoded; items checked later |
//! | 301    | the shop moved; new base URL in the body         | [`ApiError::Relocated`]      |
//! | 400    | invalid JSON (the body must be an object)        | [`ApiError::BadRequest`]     |
//! | 401    | missing or wrong credentials                     | [`ApiError::Unauthorized`]   |
//! | 403    | inactive user, login lockout, or no privilege    | [`ApiError::Forbidden`]      |
//! | 404    | wrong URL                                        | [`ApiError::NotFound`]       |
//! | 405    | method not supported                             | [`ApiError::MethodNotAllowed`] |
//! | 413    | more than 100 items; nothing was processed       | [`ApiError::PayloadTooLarge`] |
//! | 429    | rate limit or more than 3 concurrent requests    | [`ApiError::RateLimited`]    |
//! | 5xx    | server error (501: not implemented)              | [`ApiError::Server`]         |

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::http::Response;
use crate::json::{self, JsonError};
use crate::rate_limit::RateBudget;
use crate::retry::{Outcome, parse_retry_after};

/// A response that is not a usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 301: the shop moved; store `api_url` and use it from now on.
    #[error("the shop has moved; its API is now at {}", api_url.as_deref().unwrap_or("an address the response did not give"))]
    Relocated {
        /// The new base URL from the body (there is no `Location` header).
        api_url: Option<String>,
    },
    /// 400: the request body was not a JSON object.
    #[error("the API rejected the request as malformed: {message}")]
    BadRequest {
        /// The API's message.
        message: String,
    },
    /// 401: missing or wrong credentials. Never retried: five failures lock the user.
    #[error(
        "the API refused the login or API key (not retried: five failed logins in an hour lock the API user)"
    )]
    Unauthorized {
        /// The API's message.
        message: String,
    },
    /// 403: the API user is inactive, locked out, or lacks the privilege.
    #[error(
        "the API user may not do this (inactive, locked out after failed logins, or no privilege for this endpoint): {message}"
    )]
    Forbidden {
        /// The API's message.
        message: String,
    },
    /// 404: no such endpoint (or order).
    #[error("not found: {message}")]
    NotFound {
        /// The API's message.
        message: String,
    },
    /// 405: the endpoint does not support the method.
    #[error("the endpoint does not support this method")]
    MethodNotAllowed,
    /// 413: more than 100 items; nothing was processed.
    #[error(
        "the request had more than 100 items, so the API processed none of them; send at most 100 per request"
    )]
    PayloadTooLarge,
    /// 429: over the rate limit or the concurrency limit.
    #[error("rate limited{}", retry_after.map(|t| format!("; retry after {}", t.to_rfc3339())).unwrap_or_default())]
    RateLimited {
        /// When the server said to come back (`Retry-After`).
        retry_after: Option<DateTime<Utc>>,
        /// The budget the response reported.
        budget: RateBudget,
    },
    /// 5xx: the server failed.
    #[error("the API failed with HTTP {status}: {message}")]
    Server {
        /// The status.
        status: u16,
        /// The API's message.
        message: String,
    },
    /// Any other status.
    #[error("unexpected HTTP status {status}: {message}")]
    UnexpectedStatus {
        /// The status.
        status: u16,
        /// The body's message, if any.
        message: String,
    },
    /// A success status whose body is not what the endpoint returns.
    #[error("the API answered with a body that could not be read: {0}")]
    Decode(JsonError),
}

impl ApiError {
    /// A stable code, the same as the npm package's error codes.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Relocated { .. } => "RELOCATED",
            ApiError::BadRequest { .. } => "BAD_REQUEST",
            ApiError::Decode(_) => "BAD_RESPONSE",
            ApiError::UnexpectedStatus { .. } => "UNEXPECTED_STATUS",
            ApiError::Unauthorized { .. } => "UNAUTHORIZED",
            ApiError::Forbidden { .. } => "FORBIDDEN",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ApiError::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::Server { .. } => "SERVER",
        }
    }

    /// The HTTP status the error came from, when it came from one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Relocated { .. } => Some(301),
            ApiError::BadRequest { .. } => Some(400),
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::MethodNotAllowed => Some(405),
            ApiError::PayloadTooLarge => Some(413),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. } | ApiError::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            ApiError::Decode(_) => None,
        }
    }
}

/// The `X-Rate-Limit-*` headers of a response, read at `now`.
#[must_use]
pub fn rate_budget(resp: &Response<'_>, now: DateTime<Utc>) -> RateBudget {
    let num = |name: &str| resp.header(name).and_then(|v| v.parse::<u64>().ok());
    let b = RateBudget {
        hour_limit: num("X-Rate-Limit-Hour"),
        day_limit: num("X-Rate-Limit-Day"),
        hour_remaining: num("X-Rate-Limit-Hour-Remaining"),
        day_remaining: num("X-Rate-Limit-Day-Remaining"),
        total_remaining: num("X-Rate-Limit-Total-Remaining"),
        observed_at: None,
    };
    RateBudget { observed_at: b.is_known().then_some(now), ..b }
}

/// The error a response stands for, or `None` for a success status (2xx).
#[must_use]
pub fn error_for(resp: &Response<'_>, now: DateTime<Utc>) -> Option<ApiError> {
    let message = || body_message(resp.body);
    Some(match resp.status {
        200..=299 => return None,
        301 => ApiError::Relocated { api_url: relocation_url(resp.body) },
        400 => ApiError::BadRequest { message: message() },
        401 => ApiError::Unauthorized { message: message() },
        403 => ApiError::Forbidden { message: message() },
        404 => ApiError::NotFound { message: message() },
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge,
        429 => ApiError::RateLimited {
            retry_after: resp.header("Retry-After").and_then(|v| parse_retry_after(v, now)),
            budget: rate_budget(resp, now),
        },
        status @ 500..=599 => ApiError::Server { status, message: message() },
        status => ApiError::UnexpectedStatus { status, message: message() },
    })
}

/// How the retry policy should see a response.
#[must_use]
pub fn classify(resp: &Response<'_>, now: DateTime<Utc>) -> Outcome {
    match error_for(resp, now) {
        None => Outcome::Success,
        Some(ApiError::Relocated { api_url: Some(url) }) => Outcome::Relocated(url),
        Some(ApiError::RateLimited { retry_after, .. }) => Outcome::RateLimited { retry_after },
        // 501 means "not implemented": asking again will not implement it.
        Some(ApiError::Server { status, .. }) if status != 501 => Outcome::Transient,
        // A gateway in front of the API can time out too.
        Some(ApiError::UnexpectedStatus { status: 408, .. }) => Outcome::Transient,
        Some(_) => Outcome::Permanent,
    }
}

/// Checks the status and decodes the body as `T`.
///
/// # Errors
/// The [`ApiError`] for a failure status, or [`ApiError::Decode`] for a body that is not a `T`.
pub fn parse<T: DeserializeOwned>(resp: &Response<'_>, now: DateTime<Utc>) -> Result<T, ApiError> {
    if let Some(e) = error_for(resp, now) {
        return Err(e);
    }
    json::from_slice(resp.body).map_err(ApiError::Decode)
}

fn relocation_url(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Moved {
        api_url: Option<String>,
    }
    serde_json::from_slice::<Moved>(body)
        .ok()
        .and_then(|m| m.api_url)
        .filter(|u| !u.trim().is_empty())
}

/// The human message of an error body: its `messages[].message`, `message` or `error`, or
/// the start of the text. Upgates answers errors with JSON, but a proxy may not.
#[must_use]
pub fn body_message(body: &[u8]) -> String {
    let fallback = || {
        let text = String::from_utf8_lossy(body);
        let t = text.trim();
        if t.is_empty() { "(no message)".to_owned() } else { t.chars().take(200).collect() }
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return fallback();
    };
    if let Some(list) = v.get("messages").and_then(|m| m.as_array()) {
        let texts: Vec<&str> =
            list.iter().filter_map(|m| m.get("message").and_then(|t| t.as_str())).collect();
        if !texts.is_empty() {
            return texts.join("; ");
        }
    }
    for key in ["message", "error", "error_description"] {
        if let Some(t) = v.get(key).and_then(|t| t.as_str()) {
            return t.to_owned();
        }
    }
    fallback()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn resp<'a>(status: u16, headers: &'a [(String, String)], body: &'a [u8]) -> Response<'a> {
        Response::new(status, headers, body)
    }

    #[test]
    fn the_status_table() {
        let h = [];
        let cases: &[(u16, &[u8], &str)] = &[
            (301, br#"{"api_url":"https://new.admin.s5.upgates.com/api/v2"}"#, "RELOCATED"),
            (400, br#"{"messages":[{"message":"Invalid JSON"}]}"#, "BAD_REQUEST"),
            (401, b"", "UNAUTHORIZED"),
            (403, br#"{"message":"Too many login attempts"}"#, "FORBIDDEN"),
            (404, b"Not Found", "NOT_FOUND"),
            (405, b"", "METHOD_NOT_ALLOWED"),
            (413, b"", "PAYLOAD_TOO_LARGE"),
            (429, b"", "RATE_LIMITED"),
            (500, b"", "SERVER"),
            (503, b"", "SERVER"),
        ];
        for (status, body, code) in cases {
            let e = error_for(&resp(*status, &h, body), now()).unwrap();
            assert_eq!(e.code(), *code, "{status}");
            assert_eq!(e.status(), Some(*status));
        }
        assert!(error_for(&resp(200, &h, b"{}"), now()).is_none());
        assert!(error_for(&resp(204, &h, b""), now()).is_none());
    }

    #[test]
    fn relocation_comes_from_the_body_not_location() {
        let h = [("Location".to_owned(), "https://wrong.example".to_owned())];
        let r = resp(301, &h, br#"{"api_url":"https://new.admin.s5.upgates.com/api/v2"}"#);
        assert_eq!(
            classify(&r, now()),
            Outcome::Relocated("https://new.admin.s5.upgates.com/api/v2".into())
        );
        assert_eq!(classify(&resp(301, &h, b"{}"), now()), Outcome::Permanent);
    }

    #[test]
    fn rate_limits_carry_retry_after_and_budget() {
        let h: Vec<(String, String)> = [
            ("Retry-After", "Mon, 23 Nov 2026 11:00:00 GMT"),
            ("x-rate-limit-hour", "10"),
            ("X-Rate-Limit-Day", "100"),
            ("X-Rate-Limit-Hour-Remaining", "0"),
            ("X-Rate-Limit-Day-Remaining", "0"),
            ("X-Rate-Limit-Total-Remaining", "0"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let r = resp(429, &h, b"");
        let Some(ApiError::RateLimited { retry_after, budget }) = error_for(&r, now()) else {
            panic!()
        };
        assert_eq!(retry_after, Some("2026-11-23T11:00:00Z".parse().unwrap()));
        assert_eq!((budget.hour_limit, budget.total_remaining), (Some(10), Some(0)));
        assert_eq!(rate_budget(&resp(200, &h, b""), now()).observed_at, Some(now()));
    }

    #[test]
    fn transient_versus_permanent() {
        let h = [];
        assert_eq!(classify(&resp(502, &h, b""), now()), Outcome::Transient);
        assert_eq!(classify(&resp(501, &h, b""), now()), Outcome::Permanent);
        assert_eq!(classify(&resp(401, &h, b""), now()), Outcome::Permanent);
        assert_eq!(classify(&resp(403, &h, b""), now()), Outcome::Permanent);
        assert_eq!(classify(&resp(200, &h, b""), now()), Outcome::Success);
    }

    #[test]
    fn decode_errors_locate_the_problem() {
        let h = [];
        let e = parse::<crate::upgates::order::OrderList>(
            &resp(200, &h, br#"{"orders":[{"order_number":"1","order_total":"abc"}]}"#),
            now(),
        )
        .unwrap_err();
        let ApiError::Decode(j) = e else { panic!() };
        assert_eq!(j.path, "orders[0].order_total");
    }

    #[test]
    fn error_messages_come_from_any_body_shape() {
        assert_eq!(body_message(br#"{"messages":[{"object":"a","property":"b","message":"one"},{"message":"two"}]}"#), "one; two");
        assert_eq!(body_message(br#"{"error":"nope"}"#), "nope");
        assert_eq!(body_message(b"<html>Bad Gateway</html>"), "<html>Bad Gateway</html>");
        assert_eq!(body_message(b""), "(no message)");
    }
}
