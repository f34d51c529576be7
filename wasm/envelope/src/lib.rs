//! shopflow-wasm-envelope: the answer format of every export of both WebAssembly modules of
//! the npm package (the client's and the rules'): `{"ok": value}` or `{"err": error}`.
//!
//! Errors carry a stable `code` (the package's error classes key on it, in one place:
//! `wasm/js/errors.js`), a message without credentials, and what a caller needs to act: the
//! HTTP status, when to retry, the record and field path of a validation problem, the JSON
//! location of a parse failure, every item's outcome of a write, or every problem of a rule
//! file. No `#[wasm_bindgen]` here: linking this crate exports nothing from a module.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

use serde::Serialize;
use shopflow_core::exchange::{CallError, PlatformError};
use shopflow_core::json::JsonError;
use shopflow_core::retailys::ApiError as RetailysError;
use shopflow_core::upgates::BuildError;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::response::ApiError;
use shopflow_core::upgates::webhook::WebhookError;
use shopflow_core::validation::{Problem, Problems};

/// An error as JavaScript receives it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorInfo {
    /// Stable code: `VALIDATION`, `RATE_LIMITED`, `UNAUTHORIZED`, …
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The HTTP status, when the error came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// When to try again (milliseconds since the epoch), for rate limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
    /// The new base URL, for a relocation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// Every validation problem, with record index and field path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// Where in a JSON document a parse failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Line of a parse failure (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column of a parse failure (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Every item's outcome, for a write that failed (as a whole, or some items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<ItemOutcome>>,
    /// Every problem of a rule file that does not compile (code `RULES`), in the order found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RuleProblem>,
}

/// A rule file's problem as JavaScript receives it: a stable lowercase code (`syntax`,
/// `unknown_function`, `too_many_operations`, …), words, and the place in the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleProblem {
    /// The rules crate's stable code.
    pub code: &'static str,
    /// What went wrong, without the place (that is in `line` and `column`).
    pub message: String,
    /// 1-based script line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl ErrorInfo {
    /// An error with a code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ErrorInfo { code, message: message.into(), ..ErrorInfo::default() }
    }

    /// A `VALIDATION` error without a place.
    pub fn validation(message: impl Into<String>) -> Self {
        ErrorInfo::new("VALIDATION", message)
    }

    /// A document that did not read; `what` names it in the message (`the data:`, …).
    #[must_use]
    pub fn json(what: &str, e: &JsonError) -> Self {
        let mut info = ErrorInfo::from(e.clone());
        info.message = format!("{what} {}", info.message);
        info
    }
}

impl ErrorInfo {
    /// The same error, saying that nothing was sent.
    #[must_use]
    pub fn nothing_sent(mut self) -> Self {
        self.message = format!("nothing was sent: {}", self.message);
        self
    }

    /// The same error with every item's outcome of the write it ended.
    #[must_use]
    pub fn with_results(mut self, results: &[ItemOutcome]) -> Self {
        self.results = Some(results.to_vec());
        self
    }

    /// `ITEMS_FAILED`: every request of a write was answered, and some items were refused.
    #[must_use]
    pub fn items_failed(results: &[ItemOutcome]) -> Self {
        let failed: Vec<&ItemOutcome> = results.iter().filter(|r| !r.ok).collect();
        let first = failed.first().map_or_else(String::new, |r| {
            let why: Vec<&str> = r.messages.iter().map(|m| m.message.as_str()).collect();
            format!(
                " (first: item {} {}: {})",
                r.index,
                r.key.as_deref().unwrap_or(""),
                why.join("; ")
            )
        });
        let message = format!("{} of {} items failed{first}", failed.len(), results.len());
        ErrorInfo::new("ITEMS_FAILED", message).with_results(results)
    }
}

/// A platform's typed error as JavaScript receives it (its code, status and details).
pub trait PlatformInfo: PlatformError {
    /// The error's information.
    fn info(&self) -> ErrorInfo;
}

impl PlatformInfo for ApiError {
    fn info(&self) -> ErrorInfo {
        ErrorInfo::from(self)
    }
}

impl PlatformInfo for RetailysError {
    fn info(&self) -> ErrorInfo {
        ErrorInfo::from(self)
    }
}

/// A call's failure on any platform: the platform's error, or the exchange's own (network,
/// relocation, spent budget), with the call's message.
impl<E: PlatformInfo> From<&CallError<E>> for ErrorInfo {
    fn from(e: &CallError<E>) -> Self {
        let mut info = match e {
            CallError::Api { error, .. } | CallError::CredentialsRefused(error) => error.info(),
            other => ErrorInfo::new(other.code(), String::new()),
        };
        info.message = e.to_string();
        info.status = e.status();
        info.retry_after = e.retry_after().map(|t| t.timestamp_millis());
        if let CallError::Relocation { api_url, .. } = e {
            info.api_url = Some(api_url.clone());
        }
        info
    }
}

impl From<WebhookError> for ErrorInfo {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::Json(j) => j.into(),
            other => ErrorInfo::validation(other.to_string()),
        }
    }
}

impl From<BuildError> for ErrorInfo {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::Invalid(p) => p.into(),
            other => ErrorInfo::validation(other.to_string()),
        }
    }
}

impl From<Problems> for ErrorInfo {
    fn from(p: Problems) -> Self {
        ErrorInfo { problems: p.0.clone(), ..ErrorInfo::new("VALIDATION", p.to_string()) }
    }
}

impl From<JsonError> for ErrorInfo {
    fn from(e: JsonError) -> Self {
        let located = e.line > 0;
        ErrorInfo {
            path: Some(e.path.clone()),
            line: located.then_some(e.line),
            column: located.then_some(e.column),
            ..ErrorInfo::new("VALIDATION", e.to_string())
        }
    }
}

impl From<&ApiError> for ErrorInfo {
    fn from(e: &ApiError) -> Self {
        let code = match e {
            // A 400 is the API refusing the request's content: the same remedy as our own
            // validation, so the same class.
            ApiError::BadRequest { .. } => "VALIDATION",
            other => other.code(),
        };
        let mut info = ErrorInfo { status: e.status(), ..ErrorInfo::new(code, e.to_string()) };
        match e {
            ApiError::RateLimited { retry_after, .. } => {
                info.retry_after = retry_after.map(|t| t.timestamp_millis())
            }
            ApiError::Relocated { api_url } => info.api_url.clone_from(api_url),
            ApiError::Decode(j) => {
                info.path = Some(j.path.clone());
                info.line = Some(j.line);
                info.column = Some(j.column);
            }
            _ => {}
        }
        info
    }
}

impl From<&RetailysError> for ErrorInfo {
    fn from(e: &RetailysError) -> Self {
        let code = match e {
            // As for Upgates: the API refusing the request's content is a validation error.
            RetailysError::BadRequest { .. } => "VALIDATION",
            other => other.code(),
        };
        let mut info = ErrorInfo { status: e.status(), ..ErrorInfo::new(code, e.to_string()) };
        match e {
            RetailysError::RateLimited { retry_after } => {
                info.retry_after = Some(retry_after.timestamp_millis());
            }
            RetailysError::Decode(j) => {
                info.path = Some(j.path.clone());
                info.line = Some(j.line);
                info.column = Some(j.column);
            }
            _ => {}
        }
        info
    }
}

#[derive(Serialize)]
enum Envelope<'a, T: Serialize> {
    #[serde(rename = "ok")]
    Ok(&'a T),
    #[serde(rename = "err")]
    Err(&'a ErrorInfo),
}

/// `{"ok": value}`.
pub fn ok<T: Serialize>(value: &T) -> String {
    shopflow_core::ascii_json::to_string(&Envelope::Ok(value))
        .unwrap_or_else(|e| err(&ErrorInfo::new("BAD_RESPONSE", e.to_string())))
}

/// `{"err": error}`.
pub fn err(e: &ErrorInfo) -> String {
    shopflow_core::ascii_json::to_string(&Envelope::<()>::Err(e)).unwrap_or_else(|_| {
        r#"{"err":{"code":"BAD_RESPONSE","message":"an error could not be written"}}"#.to_owned()
    })
}

/// Either, from a result.
pub fn answer<T: Serialize, E: Into<ErrorInfo>>(r: Result<T, E>) -> String {
    match r {
        Ok(v) => ok(&v),
        Err(e) => err(&e.into()),
    }
}

/// A validation error from one problem.
pub fn problem(p: Problem) -> ErrorInfo {
    Problems(vec![p]).into()
}
