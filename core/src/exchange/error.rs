//! Why a call ended without an answer to use.

use chrono::{DateTime, Utc};

use crate::retry::StopReason;

/// What the exchange needs of a platform's typed error.
pub trait PlatformError: std::error::Error + Clone {
    /// A stable code (`UNAUTHORIZED`, `RATE_LIMITED`, …), the npm package's error codes.
    fn code(&self) -> &'static str;
    /// The HTTP status it came from.
    fn status(&self) -> Option<u16>;
    /// When a rate limit lifts.
    fn retry_after(&self) -> Option<DateTime<Utc>>;
}

/// Why a call failed. Messages never carry credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError<E> {
    /// The shop answered with an error, and the policy stopped there.
    #[error("{error}{}", note(reason, *attempts))]
    Api {
        /// The platform's error of the last answer.
        error: E,
        /// Why no further attempt was made.
        reason: StopReason,
        /// Attempts made.
        attempts: u32,
    },
    /// No answer came (the connection failed or timed out), and the policy stopped there.
    #[error("no answer from the shop ({message}){}", note(reason, *attempts))]
    Network {
        /// What the HTTP layer said.
        message: String,
        /// Why no further attempt was made.
        reason: StopReason,
        /// Attempts made.
        attempts: u32,
    },
    /// Not sent: the shop refused these credentials earlier, and a second refused login
    /// counts towards locking the API user. Reset the session with corrected credentials.
    #[error(
        "not sent: the shop refused these credentials before ({0}); nothing more is sent with them until they are reset"
    )]
    CredentialsRefused(E),
    /// The shop moved to an address the configuration does not allow.
    #[error("the shop has moved, but not to an allowed API address ({api_url}): {why}")]
    Relocation {
        /// The address the shop named.
        api_url: String,
        /// Why it was refused.
        why: String,
    },
    /// The request budget is spent until `until`, longer than the caller waits.
    #[error("the request budget is spent until {}{}", until.to_rfc3339(), if *waits { " (longer than the longest wait allowed)" } else { "" })]
    BudgetSpent {
        /// When requests are allowed again.
        until: DateTime<Utc>,
        /// Whether the policy waits for rate limits at all.
        waits: bool,
    },
}

fn note(reason: &StopReason, attempts: u32) -> String {
    match reason {
        StopReason::WaitTooLong { needed } => {
            format!(" (waiting {} s would exceed the longest wait allowed)", needed.as_secs())
        }
        StopReason::UnsafeToResend => {
            "; not resent, because the shop may already have done it".to_owned()
        }
        StopReason::AttemptsExhausted => format!(" (gave up after {attempts} attempts)"),
        _ => String::new(),
    }
}

impl<E: PlatformError> CallError<E> {
    /// A stable code: the platform error's, or `NETWORK`, `RELOCATED`, `RATE_LIMITED`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            CallError::Api { error, .. } | CallError::CredentialsRefused(error) => error.code(),
            CallError::Network { .. } => "NETWORK",
            CallError::Relocation { .. } => "RELOCATED",
            CallError::BudgetSpent { .. } => "RATE_LIMITED",
        }
    }

    /// The HTTP status, when an answer had one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Api { error, .. } | CallError::CredentialsRefused(error) => error.status(),
            CallError::Relocation { .. } => Some(301),
            CallError::Network { .. } | CallError::BudgetSpent { .. } => None,
        }
    }

    /// When to try again, for rate limits.
    #[must_use]
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            CallError::Api { error, .. } => error.retry_after(),
            CallError::BudgetSpent { until, .. } => Some(*until),
            _ => None,
        }
    }

    /// Whether every later request of the session would fail the same way (refused
    /// credentials, a relocation that cannot be followed): a batch stops sending.
    #[must_use]
    pub fn is_fatal(&self) -> bool {
        // A refused credential (now or earlier) and an unfollowable relocation carry these codes.
        matches!(self.code(), "UNAUTHORIZED" | "FORBIDDEN" | "RELOCATED")
    }
}
