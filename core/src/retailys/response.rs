//! What a Retailys answer means: the status table (spec §1.5, §1.7) as typed errors.
//!
//! | status | meaning                                              | here                          |
//! |--------|------------------------------------------------------|-------------------------------|
//! | 2xx    | done (creates answer 200 or 201, updates 200 or 201)  | decoded                       |
//! | 400    | bad input                                            | [`ApiError::BadRequest`]      |
//! | 401    | missing or wrong token                               | [`ApiError::Unauthorized`]    |
//! | 403    | the app lacks the right                              | [`ApiError::Forbidden`]       |
//! | 404    | unknown id; on a list, nothing matched               | [`ApiError::NotFound`]        |
//! | 422    | the state change is not allowed now (sent, delivered) | [`ApiError::Unprocessable`]  |
//! | 429    | over 100 requests a second from this address         | [`ApiError::RateLimited`]     |
//! | 5xx    | server failure                                       | [`ApiError::Server`]          |

use chrono::{DateTime, TimeDelta, Utc};
use serde::de::DeserializeOwned;

use crate::http::Response;
use crate::json::{self, JsonError};
use crate::retry::{Outcome, parse_retry_after};

/// An answer that is not a usable one. Messages carry the API's `message` and `detail`,
/// never the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 400.
    #[error("the API rejected the request: {message}")]
    BadRequest {
        /// The API's message and detail.
        message: String,
    },
    /// 401: never retried.
    #[error("the API refused the token (not retried): {message}")]
    Unauthorized {
        /// The API's message and detail.
        message: String,
    },
    /// 403: the app's user lacks the right (System.Orders, System.Orders.Overview for events).
    #[error("the app may not do this (a missing right): {message}")]
    Forbidden {
        /// The API's message and detail.
        message: String,
    },
    /// 404: no such record; on a list, nothing matched.
    #[error("not found: {message}")]
    NotFound {
        /// The API's message and detail.
        message: String,
    },
    /// 422: the order's state does not allow this change now.
    #[error("the order's state does not allow this change: {message}")]
    Unprocessable {
        /// The API's message and detail.
        message: String,
    },
    /// 429: the limit is 100 requests a second per address; `Retry-After` is in seconds.
    #[error("rate limited; retry after {}", retry_after.to_rfc3339())]
    RateLimited {
        /// When to come back (one second from now when the header is missing).
        retry_after: DateTime<Utc>,
    },
    /// 5xx.
    #[error("the API failed with HTTP {status}: {message}")]
    Server {
        /// The status.
        status: u16,
        /// The body's message.
        message: String,
    },
    /// Any other status.
    #[error("unexpected HTTP status {status}: {message}")]
    UnexpectedStatus {
        /// The status.
        status: u16,
        /// The body's message.
        message: String,
    },
    /// A success whose body is not what the endpoint returns.
    #[error("the API answered with a body that could not be read: {0}")]
    Decode(JsonError),
}

impl ApiError {
    /// A stable code, the same vocabulary as Upgates' and the npm package's.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "BAD_REQUEST",
            ApiError::Unauthorized { .. } => "UNAUTHORIZED",
            ApiError::Forbidden { .. } => "FORBIDDEN",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::Unprocessable { .. } => "UNPROCESSABLE",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::Server { .. } => "SERVER",
            ApiError::UnexpectedStatus { .. } => "UNEXPECTED_STATUS",
            ApiError::Decode(_) => "BAD_RESPONSE",
        }
    }

    /// The HTTP status it came from.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::BadRequest { .. } => Some(400),
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::Unprocessable { .. } => Some(422),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. } | ApiError::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            ApiError::Decode(_) => None,
        }
    }
}

/// The error an answer stands for, or `None` for a success (2xx).
#[must_use]
pub fn error_for(resp: &Response<'_>, now: DateTime<Utc>) -> Option<ApiError> {
    let message = || error_message(resp.body);
    Some(match resp.status {
        200..=299 => return None,
        400 => ApiError::BadRequest { message: message() },
        401 => ApiError::Unauthorized { message: message() },
        403 => ApiError::Forbidden { message: message() },
        404 => ApiError::NotFound { message: message() },
        422 => ApiError::Unprocessable { message: message() },
        429 => ApiError::RateLimited {
            retry_after: resp
                .header("Retry-After")
                .and_then(|v| parse_retry_after(v, now))
                .unwrap_or_else(|| now + TimeDelta::seconds(1)),
        },
        status @ 500..=599 => ApiError::Server { status, message: message() },
        status => ApiError::UnexpectedStatus { status, message: message() },
    })
}

/// How the retry policy sees an answer.
#[must_use]
pub fn classify(resp: &Response<'_>, now: DateTime<Utc>) -> Outcome {
    match error_for(resp, now) {
        None => Outcome::Success,
        Some(ApiError::RateLimited { retry_after }) => {
            Outcome::RateLimited { retry_after: Some(retry_after) }
        }
        Some(ApiError::Server { status, .. }) if status != 501 => Outcome::Transient,
        Some(ApiError::UnexpectedStatus { status: 408, .. }) => Outcome::Transient,
        Some(_) => Outcome::Permanent,
    }
}

/// Checks the status and decodes the body as `T`.
///
/// # Errors
/// The [`ApiError`] for a failure status, or [`ApiError::Decode`].
pub fn parse<T: DeserializeOwned>(resp: &Response<'_>, now: DateTime<Utc>) -> Result<T, ApiError> {
    if let Some(e) = error_for(resp, now) {
        return Err(e);
    }
    json::from_slice(resp.body).map_err(ApiError::Decode)
}

/// Decodes a list answer (`GET /System/Orders`, `/System/Events`, …), where a 404 means that
/// nothing matched (§2.1): then the empty list.
///
/// # Errors
/// As [`parse`], except a 404.
pub fn parse_list<T: DeserializeOwned + Default>(
    resp: &Response<'_>,
    now: DateTime<Utc>,
) -> Result<T, ApiError> {
    match parse(resp, now) {
        Err(ApiError::NotFound { .. }) => Ok(T::default()),
        other => other,
    }
}

/// The `ErrorModel`'s `message` and `detail`, or the start of the text when the body is not
/// one (a proxy's page).
#[must_use]
pub fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorModel {
        message: Option<String>,
        detail: Option<String>,
    }
    match serde_json::from_slice::<ErrorModel>(body) {
        Ok(ErrorModel { message: Some(m), detail: Some(d) }) if !d.is_empty() => {
            format!("{m} ({d})")
        }
        Ok(ErrorModel { message: Some(m), .. }) => m,
        Ok(ErrorModel { detail: Some(d), .. }) => d,
        _ => {
            let text = String::from_utf8_lossy(body);
            let t = text.trim();
            if t.is_empty() { "(no message)".to_owned() } else { t.chars().take(200).collect() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_status_table() {
        let h = [];
        for (status, code) in [
            (400, "BAD_REQUEST"),
            (401, "UNAUTHORIZED"),
            (403, "FORBIDDEN"),
            (404, "NOT_FOUND"),
            (422, "UNPROCESSABLE"),
            (429, "RATE_LIMITED"),
            (503, "SERVER"),
            (301, "UNEXPECTED_STATUS"),
        ] {
            let e = error_for(&Response::new(status, &h, b""), now()).unwrap();
            assert_eq!((e.code(), e.status()), (code, Some(status)));
        }
        assert!(error_for(&Response::new(201, &h, b"{}"), now()).is_none());
    }

    #[test]
    fn retry_after_is_seconds_and_one_second_when_missing() {
        let h = [("Retry-After".to_owned(), "2".to_owned())];
        let r = Response::new(429, &h, b"");
        assert_eq!(
            classify(&r, now()),
            Outcome::RateLimited { retry_after: Some("2026-11-23T10:00:02Z".parse().unwrap()) }
        );
        let none = Response::new(429, &[], b"");
        assert_eq!(
            classify(&none, now()),
            Outcome::RateLimited { retry_after: Some("2026-11-23T10:00:01Z".parse().unwrap()) }
        );
    }

    #[test]
    fn credentials_and_state_errors_are_permanent_server_errors_transient() {
        for (s, o) in
            [(401, Outcome::Permanent), (422, Outcome::Permanent), (502, Outcome::Transient)]
        {
            assert_eq!(classify(&Response::new(s, &[], b""), now()), o);
        }
    }

    #[test]
    fn a_404_on_a_list_is_nothing_found() {
        let none: crate::retailys::order::OrdersModel =
            parse_list(&Response::new(404, &[], br#"{"message":"Not found"}"#), now()).unwrap();
        assert!(none.orders.is_empty());
        let e = parse::<crate::retailys::order::OrderModel>(&Response::new(404, &[], b""), now());
        assert_eq!(e.unwrap_err().code(), "NOT_FOUND", "one record: not found stays an error");
    }

    #[test]
    fn error_model_message_and_detail() {
        assert_eq!(error_message(br#"{"message":"Bad","detail":"status_id"}"#), "Bad (status_id)");
        assert_eq!(error_message(br#"{"message":"Bad"}"#), "Bad");
        assert_eq!(error_message(b"<html>oops</html>"), "<html>oops</html>");
    }
}
