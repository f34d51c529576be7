//! The Retailys API base URL: only `https://api.retailys.com/v1` (the one server the spec
//! names), or a loopback URL ending in `/v1` (the sandbox) when the caller allows it. The
//! token goes to whatever host this names, so nothing else is accepted.

use std::fmt;

use serde::Serialize;

pub use crate::base_url::{AllowLocal, BaseUrlError};
use crate::base_url::{ApiForm, UrlParts, check};

/// The production API.
pub const PRODUCTION: &str = "https://api.retailys.com/v1";

/// A checked Retailys API base URL, without a trailing slash.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// The production API.
    #[must_use]
    pub fn production() -> Self {
        BaseUrl(PRODUCTION.to_owned())
    }

    /// Checks `url`.
    ///
    /// # Errors
    /// [`BaseUrlError`] when it is not `https://api.retailys.com/v1` (or, if allowed, a
    /// loopback URL ending in `/v1`).
    pub fn parse(url: &str, allow: AllowLocal) -> Result<Self, BaseUrlError> {
        let accept = |p: &UrlParts<'_>| {
            (p.scheme == "https" && p.authority == "api.retailys.com" && p.path == "/v1")
                .then(|| PRODUCTION.to_owned())
        };
        let form = ApiForm { official: PRODUCTION, local_path: "/v1", accept: &accept };
        check(url, allow, &form).map(BaseUrl)
    }

    /// The URL.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_production_api_or_an_allowed_loopback() {
        for ok in ["https://api.retailys.com/v1", "HTTPS://API.Retailys.com/v1/"] {
            assert_eq!(BaseUrl::parse(ok, AllowLocal::No).unwrap().as_str(), PRODUCTION);
        }
        for bad in [
            "http://api.retailys.com/v1",
            "https://api.retailys.com/v2",
            "https://api.retailys.com.evil.com/v1",
            "https://tok:secretpw@api.retailys.com/v1",
            "https://api.retailys.com/v1?token=secretpw",
            "http://127.0.0.1:8080/v1",
        ] {
            let e = BaseUrl::parse(bad, AllowLocal::No).unwrap_err();
            assert!(!e.to_string().contains("secretpw"), "{e}");
        }
        let local = BaseUrl::parse("http://127.0.0.1:8080/retailys/v1", AllowLocal::Yes).unwrap();
        assert_eq!(local.as_str(), "http://127.0.0.1:8080/retailys/v1");
        assert!(BaseUrl::parse("http://10.0.0.1/v1", AllowLocal::Yes).is_err());
    }
}
