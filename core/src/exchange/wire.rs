//! What the exchange needs to know of a platform: how its answers read, where a shop may
//! move to, and how a create whose answer was lost is found again.

use chrono::{DateTime, Utc};

use crate::exchange::error::PlatformError;
use crate::http::{RequestSpec, Response};
use crate::rate_limit::RateBudget;
use crate::retry::Outcome;

/// One answer as the platform reads it.
#[derive(Debug, Clone)]
pub struct Reading<E> {
    /// How the retry policy sees it.
    pub outcome: Outcome,
    /// The typed error the answer stands for; `None` for a success.
    pub error: Option<E>,
    /// The request budget the answer reported, when it reported one.
    pub budget: Option<RateBudget>,
}

/// An item of a create that a lookup found: it was created by an attempt whose answer was
/// lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The key it was looked up by (an external order number).
    pub key: String,
    /// Its id in the shop (the order number).
    pub id: String,
}

/// A platform as the exchange sees it.
pub trait Wire {
    /// The platform's typed error of an answer.
    type Error: PlatformError;

    /// What an answer means.
    fn read(&self, resp: &Response<'_>, now: DateTime<Utc>) -> Reading<Self::Error>;

    /// Whether this error means the credentials were refused (wrong, inactive, locked): the
    /// session sends nothing more with them.
    fn refuses_credentials(&self, error: &Self::Error) -> bool;

    /// The API base URL a relocation to `api_url` leads to, if the configuration allows it;
    /// else why not.
    ///
    /// # Errors
    /// Why the address is refused (not an API of this platform, or not allowed).
    fn relocation(&self, api_url: &str) -> Result<String, String>;

    /// The request that looks up the item of `sent` with key `key`.
    fn lookup(&self, sent: &RequestSpec, key: &str) -> RequestSpec;

    /// Reads a lookup's answer: the item with key `key`, if the shop has it.
    ///
    /// # Errors
    /// The platform's error when the body is not a list of the items.
    fn found(&self, key: &str, body: &[u8]) -> Result<Option<Found>, Self::Error>;

    /// `sent` without the items that were `found`; `None` when nothing is left to send.
    fn without(&self, sent: &RequestSpec, found: &[Found]) -> Option<RequestSpec>;

    /// The answer a create would have had: `found` items marked created by an earlier
    /// attempt, the rest from `body` (the last answer, if one was needed), in the order of
    /// `sent`.
    fn merge_found(&self, sent: &RequestSpec, found: &[Found], body: Option<&[u8]>) -> Vec<u8>;
}
