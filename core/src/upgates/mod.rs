//! Upgates API v2 (`https://<shop>.admin.<server>.upgates.com/api/v2`), and the legacy
//! order-state API it replaced.
//!
//! Everything specific to Upgates lives here: the models with their quirks, the base-URL
//! rule, Basic auth, the status table, `X-Rate-Limit-*` headers, webhook payloads, and one
//! request builder per endpoint ([`api::UpgatesApi`]). The platform-neutral pieces it uses
//! (decimals, dates, validation, retry and rate decisions) are at the crate root.

pub mod api;
pub mod api_status;
pub mod auth;
pub mod base_url;
pub mod customer;
pub mod kinds;
pub mod legacy;
pub mod message;
pub mod meta;
pub mod neutral;
pub mod order;
pub mod order_status;
pub mod php_datetime;
pub mod plan;
pub mod query;
pub mod response;
pub mod webhook;
pub mod wire;

/// Upgates behind the platform seam: webhook batches in, `PUT /orders` and history requests
/// out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upgates;

impl crate::automation::seam::Platform for Upgates {
    type Delivery = webhook::WebhookBatch;
    type Plan = plan::Plan;
    const CAPABILITIES: crate::automation::platform::Capabilities = CAPABILITIES;

    fn triggers(delivery: &webhook::WebhookBatch) -> Vec<crate::automation::Trigger> {
        neutral::triggers(delivery)
    }

    fn plan(merged: crate::automation::merge::Merged) -> plan::Plan {
        plan::plan_merged(merged)
    }
}

/// Requests the API serves at once per API-access group; more are answered 429.
pub const CONCURRENCY_LIMIT: usize = 3;

pub use api::{BuildError, UpgatesApi};
pub use auth::Credentials;
pub use base_url::{AllowLocal, BaseUrl};
pub use neutral::CAPABILITIES;
pub use response::ApiError;
