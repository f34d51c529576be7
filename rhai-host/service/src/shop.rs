//! The shop a service works for: one platform, through its client. Everything the service
//! asks of a shop that is not platform-specific (requests sent, the refused credentials, the
//! budget) is answered here; the platform-specific work is in `worker/upgates.rs` and
//! `worker/retailys.rs`.

use shopflow_client::Client;
use shopflow_client::retailys::RetailysClient;
use shopflow_core::automation::platform::Capabilities;
use shopflow_core::rate_limit::RateBudget;

/// The shop's client.
#[derive(Debug, Clone)]
pub enum Shop {
    /// An Upgates shop (`…/api/v2`, HTTP Basic).
    Upgates(Client),
    /// A Retailys instance (`…/v1`, `token` header).
    Retailys(RetailysClient),
}

impl Shop {
    /// The platform's name, as `--platform` takes it.
    #[must_use]
    pub fn platform(&self) -> &'static str {
        self.capabilities().platform
    }

    /// What the platform can do (rules are checked against it at start).
    #[must_use]
    pub fn capabilities(&self) -> Capabilities {
        match self {
            Shop::Upgates(_) => shopflow_core::upgates::CAPABILITIES,
            Shop::Retailys(_) => shopflow_core::retailys::CAPABILITIES,
        }
    }

    /// Requests the client has sent.
    #[must_use]
    pub fn requests_sent(&self) -> u64 {
        match self {
            Shop::Upgates(c) => c.requests_sent(),
            Shop::Retailys(c) => c.requests_sent(),
        }
    }

    /// How the requests sent so far ended, by HTTP status (`None`: no answer).
    #[must_use]
    pub fn answers(&self) -> std::collections::BTreeMap<Option<u16>, u64> {
        match self {
            Shop::Upgates(c) => c.answers(),
            Shop::Retailys(c) => c.answers(),
        }
    }

    /// The request budget the shop reports (Upgates only: Retailys has a per-second limit and
    /// reports nothing).
    #[must_use]
    pub fn budget(&self) -> Option<RateBudget> {
        match self {
            Shop::Upgates(c) => Some(c.budget()),
            Shop::Retailys(_) => None,
        }
    }

    /// Why the shop refused the credentials, if it did (nothing is sent until reset).
    #[must_use]
    pub fn refused(&self) -> Option<String> {
        match self {
            Shop::Upgates(c) => c.refused().map(|e| e.to_string()),
            Shop::Retailys(c) => c.refused().map(|e| e.to_string()),
        }
    }

    /// Allows one more try with the credentials.
    pub fn reset_credentials(&self) {
        match self {
            Shop::Upgates(c) => c.reset_credentials(),
            Shop::Retailys(c) => c.reset_credentials(),
        }
    }
}
