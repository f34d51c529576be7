//! What a Retailys call can fail with: refused before sending, the exchange's failure, or an
//! answer that could not be read. No message carries the token: it travels only in the
//! `token` header, which no message shows, and the sandbox and API never echo it.

use chrono::{DateTime, Utc};
use shopflow_core::exchange::CallError;
use shopflow_core::http::BuildError;
use shopflow_core::retailys::ApiError;
use shopflow_core::validation::Problems;

use crate::error::{public_code, refuses_credentials};

/// Why a Retailys call did not give what was asked.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is invalid: nothing was sent. Every problem has its field path.
    #[error("nothing was sent: {0}")]
    Invalid(Problems),
    /// The request failed (after the retries the policy allows), or was not sent because
    /// the token was refused before.
    #[error("{0}")]
    Call(CallError<ApiError>),
    /// The API answered with success and a body that is not what the endpoint returns.
    #[error("{0}")]
    BadResponse(ApiError),
}

impl Error {
    /// A stable code: `VALIDATION` (a 400 too), `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`,
    /// `UNPROCESSABLE`, `RATE_LIMITED`, `SERVER`, `NETWORK`, `BAD_RESPONSE`, the vocabulary
    /// of the Upgates client and the npm package.
    #[must_use]
    pub fn code(&self) -> &'static str {
        public_code(match self {
            Error::Invalid(_) => "VALIDATION",
            Error::Call(e) => e.code(),
            Error::BadResponse(e) => e.code(),
        })
    }

    /// The HTTP status, when the failure came from one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Call(e) => e.status(),
            Error::BadResponse(e) => e.status(),
            Error::Invalid(_) => None,
        }
    }

    /// Whether the API refused the token (401) or the app's rights (403), now or earlier:
    /// the client sends nothing more until [`super::RetailysClient::reset_credentials`].
    #[must_use]
    pub fn is_credentials(&self) -> bool {
        refuses_credentials(self.code())
    }

    /// When a rate limit lifts, if that is the cause.
    #[must_use]
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            Error::Call(e) => e.retry_after(),
            _ => None,
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Error::Invalid(e.into_problems())
    }
}
