//! Why an action or a pass failed, as the dead letters need it: the shop refused it for good
//! (asking again gives the same answer: count a try, then set the delivery aside), or it may
//! go through later (no answer, 5xx, 408, 429: keep the delivery and try again with backoff).
//! The client already says what happened (`status()`, `code()`); this only sorts it.

use std::collections::HashMap;

/// Why a failed action failed, where it matters for its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// The shop refused the request or the item: the same request would be refused again.
    Refused,
    /// No answer, or an answer that may change (5xx, 408, 429): worth sending again.
    Transient,
}

/// Whether an answered status refuses the request for good: a 4xx other than the
/// credentials (401/403, handled by stopping the worker), a timeout (408) and a rate limit
/// (429).
pub(super) fn refused_status(status: Option<u16>) -> bool {
    status.is_some_and(|s| (400..500).contains(&s) && !matches!(s, 401 | 403 | 408 | 429))
}

/// An Upgates client error's cause: items refused inside a 200 and requests the client would
/// not send (invalid) are refused too.
pub(super) fn upgates_cause(e: &shopflow_client::Error) -> Cause {
    let refused =
        matches!(e, shopflow_client::Error::ItemsFailed(_) | shopflow_client::Error::Invalid(_))
            || refused_status(e.status());
    if refused { Cause::Refused } else { Cause::Transient }
}

/// A Retailys client error's cause.
pub(super) fn retailys_cause(e: &shopflow_client::retailys::Error) -> Cause {
    let refused =
        matches!(e, shopflow_client::retailys::Error::Invalid(_)) || refused_status(e.status());
    if refused { Cause::Refused } else { Cause::Transient }
}

/// The failed actions of a pass: why each failed, and, for those the shop refused or did not
/// answer, the cause. An action without a cause failed before anything was sent (the plan
/// refused it, say a status the shop does not have): it is final, as a rule error is.
#[derive(Debug, Default)]
pub(super) struct Failures {
    /// Why, by action index.
    pub reasons: HashMap<usize, String>,
    /// The cause, by action index, of those that reached (or tried to reach) the shop.
    pub causes: HashMap<usize, Cause>,
}

impl Failures {
    /// Failures of the plan (no cause).
    pub fn planned(refused: &[(usize, String)]) -> Self {
        Failures { reasons: refused.iter().cloned().collect(), causes: HashMap::new() }
    }

    /// Adds a failed action with its cause.
    pub fn add(&mut self, action: usize, why: String, cause: Cause) {
        self.reasons.insert(action, why);
        self.causes.insert(action, cause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_4xx_is_refused_except_credentials_timeouts_and_rate_limits() {
        for s in [400, 404, 405, 413, 422] {
            assert!(refused_status(Some(s)), "{s}");
        }
        for s in [401, 403, 408, 429, 500, 503] {
            assert!(!refused_status(Some(s)), "{s}");
        }
        assert!(!refused_status(None), "no answer");
    }
}
