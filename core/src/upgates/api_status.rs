//! `GET /status`: which endpoints this API user may use.

use serde::{Deserialize, Serialize};

use crate::lenient::{list, optional as opt};
use crate::open_enum;

open_enum! {
    /// Access to one endpoint.
    pub enum Privilege {
        /// No access.
        Deny = "deny",
        /// GET only.
        ReadOnly = "readonly",
        /// Everything.
        All = "all",
    }
}

/// The answer to `GET /status` (always allowed, for every API user).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ApiStatus {
    /// Endpoints and this user's access to them.
    #[serde(default, deserialize_with = "list")]
    pub services: Vec<ServiceAccess>,
    /// Where the documentation is.
    #[serde(default, deserialize_with = "opt")]
    pub documentation_link: Option<String>,
}

/// Access to one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct ServiceAccess {
    /// Service name.
    #[serde(default, deserialize_with = "opt")]
    pub service: Option<String>,
    /// Endpoint URL.
    #[serde(default, deserialize_with = "opt")]
    pub url: Option<String>,
    /// Access.
    #[serde(default, deserialize_with = "opt")]
    pub privilege: Option<Privilege>,
}

impl ApiStatus {
    /// The access to a service, by name (`orders`, `customers`, …).
    #[must_use]
    pub fn privilege(&self, service: &str) -> Option<&Privilege> {
        self.services
            .iter()
            .find(|s| s.service.as_deref() == Some(service))
            .and_then(|s| s.privilege.as_ref())
    }
}
