//! Retailys (`https://api.retailys.com/v1`, `/System/...`), the second platform: its models
//! with the tolerance real data needs, one request builder per endpoint, the status table as
//! typed errors, and its view for the exchange. The wire names are snake_case, as in
//! `shared/spec/retailys-api.md`, which is authoritative for them.

pub mod api;
pub mod auth;
pub mod base_url;
pub mod events;
pub mod expandable;
pub mod kinds;
pub mod lookups;
pub mod neutral;
pub mod order;
pub mod paginator;
pub mod plan;
pub mod poller;
pub mod query;
pub mod receiver;
pub mod requests;
pub mod response;
pub mod status;
pub mod wire;

pub use auth::Token;

/// Retailys behind the platform seam: event callbacks in, one request per change out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retailys;

impl crate::automation::seam::Platform for Retailys {
    type Delivery = receiver::Callback;
    type Plan = plan::Plan;
    const CAPABILITIES: crate::automation::platform::Capabilities = CAPABILITIES;

    fn triggers(delivery: &receiver::Callback) -> Vec<crate::automation::Trigger> {
        vec![delivery.trigger()]
    }

    fn plan(merged: crate::automation::merge::Merged) -> plan::Plan {
        plan::plan_merged(merged)
    }
}
pub use base_url::BaseUrl;
pub use neutral::CAPABILITIES;
pub use response::ApiError;
pub use wire::{REQUESTS_PER_SECOND, RetailysWire};
