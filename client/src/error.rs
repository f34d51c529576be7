//! What a client call can fail with: refused before sending, the exchange's failure, an
//! answer that could not be read, or some items of a write refused.

use shopflow_core::exchange::CallError;
use shopflow_core::upgates::ApiError;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::validation::Problems;

/// Why a call did not give what was asked. Messages never carry credentials.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is invalid: nothing was sent. Every problem has its record and field path.
    #[error("nothing was sent: {0}")]
    Invalid(Problems),
    /// The request failed as a whole (after the retries the policy allows).
    #[error("{0}")]
    Call(CallError<ApiError>),
    /// The shop answered 200 with a body that is not what the endpoint returns.
    #[error("{0}")]
    BadResponse(ApiError),
    /// A write failed as a whole: its cause, and every item's outcome (items of chunks that
    /// were not sent fail as not sent).
    #[error("{error}")]
    WriteFailed {
        /// The first whole-request failure.
        error: CallError<ApiError>,
        /// Every item's outcome, in the order given.
        results: Vec<ItemOutcome>,
    },
    /// Every request of a write was answered, and the shop refused some items.
    #[error("{} of {} items failed (first: {})", failures(.0), .0.len(), first_failure(.0))]
    ItemsFailed(Vec<ItemOutcome>),
}

/// The code a client error shows for a platform's `code`: a 400 is `VALIDATION`, as in the
/// npm package, because the API refused the request's content, which is what our own
/// validation catches before sending.
pub(crate) fn public_code(code: &'static str) -> &'static str {
    if code == "BAD_REQUEST" { "VALIDATION" } else { code }
}

/// Whether an error with this code means the shop refused the credentials (401, 403, now or
/// earlier).
pub(crate) fn refuses_credentials(code: &str) -> bool {
    matches!(code, "UNAUTHORIZED" | "FORBIDDEN")
}

fn failures(results: &[ItemOutcome]) -> usize {
    results.iter().filter(|r| !r.ok).count()
}

fn first_failure(results: &[ItemOutcome]) -> String {
    results.iter().find(|r| !r.ok).map_or_else(String::new, |r| {
        let why: Vec<&str> = r.messages.iter().map(|m| m.message.as_str()).collect();
        format!("item {} {}: {}", r.index, r.key.as_deref().unwrap_or(""), why.join("; "))
    })
}

impl Error {
    /// A stable code: `VALIDATION` (a 400 too), `UNAUTHORIZED`, `RATE_LIMITED`,
    /// `ITEMS_FAILED`, …, the npm package's codes.
    #[must_use]
    pub fn code(&self) -> &'static str {
        public_code(match self {
            Error::Invalid(_) => "VALIDATION",
            Error::Call(e) | Error::WriteFailed { error: e, .. } => e.code(),
            Error::BadResponse(e) => e.code(),
            Error::ItemsFailed(_) => "ITEMS_FAILED",
        })
    }

    /// The HTTP status, when the failure came from one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Call(e) | Error::WriteFailed { error: e, .. } => e.status(),
            Error::BadResponse(e) => e.status(),
            Error::Invalid(_) | Error::ItemsFailed(_) => None,
        }
    }

    /// Whether the shop refused the credentials (now or earlier): the client sends nothing
    /// more until [`crate::Client::reset_credentials`].
    #[must_use]
    pub fn is_credentials(&self) -> bool {
        refuses_credentials(self.code())
    }

    /// When a rate limit lifts, if that is the cause.
    #[must_use]
    pub fn retry_after(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        match self {
            Error::Call(e) | Error::WriteFailed { error: e, .. } => e.retry_after(),
            _ => None,
        }
    }
}

impl From<shopflow_core::upgates::BuildError> for Error {
    fn from(e: shopflow_core::upgates::BuildError) -> Self {
        Error::Invalid(e.into_problems())
    }
}
