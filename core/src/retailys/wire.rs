//! Retailys as the exchange sees it: the status table, no budget headers (the limit is 100
//! requests a second, answered with 429 and `Retry-After` in seconds), no relocation, and no
//! lookups (a create is never resent blindly: its request is `ResendSafety::Never`).

use chrono::{DateTime, Utc};

use crate::exchange::{Found, PlatformError, Reading, Wire};
use crate::http::{RequestSpec, Response};
use crate::retailys::response::{ApiError, classify, error_for};

/// Requests Retailys takes from one address in one second (spec §1.7); beyond it every
/// request is refused with 429 until the second ends. The exchange paces sends to it
/// ([`crate::exchange::ExchangeConfig::per_second`]).
pub const REQUESTS_PER_SECOND: u32 = 100;

/// Retailys for the exchange.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetailysWire;

impl PlatformError for ApiError {
    fn code(&self) -> &'static str {
        ApiError::code(self)
    }
    fn status(&self) -> Option<u16> {
        ApiError::status(self)
    }
    fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            ApiError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

impl Wire for RetailysWire {
    type Error = ApiError;

    fn read(&self, resp: &Response<'_>, now: DateTime<Utc>) -> Reading<ApiError> {
        Reading { outcome: classify(resp, now), error: error_for(resp, now), budget: None }
    }

    fn refuses_credentials(&self, error: &ApiError) -> bool {
        matches!(error, ApiError::Unauthorized { .. } | ApiError::Forbidden { .. })
    }

    fn relocation(&self, _api_url: &str) -> Result<String, String> {
        Err("Retailys does not move an API; a 301 is not followed".to_owned())
    }

    // Creates are never resent after an unknown outcome (Retailys has no key to look an
    // order up by), so the exchange never asks for these; they answer as "nothing found".
    fn lookup(&self, sent: &RequestSpec, _key: &str) -> RequestSpec {
        sent.clone()
    }

    fn found(&self, _key: &str, _body: &[u8]) -> Result<Option<Found>, ApiError> {
        Ok(None)
    }

    fn without(&self, _sent: &RequestSpec, _found: &[Found]) -> Option<RequestSpec> {
        None
    }

    fn merge_found(&self, _sent: &RequestSpec, _found: &[Found], body: Option<&[u8]>) -> Vec<u8> {
        body.map(<[u8]>::to_vec).unwrap_or_default()
    }
}
