//! The shop's API base URL, checked before any credentials are sent to it.
//!
//! Basic-auth credentials go to whatever host the base URL names, so only the Upgates form
//! `https://<shop>.admin.<server>.upgates.com/api/v2` is accepted (no userinfo, port, query
//! or fragment). A loopback URL such as the sandbox's `http://127.0.0.1:PORT/api/v2` is
//! accepted only when the caller explicitly allows it.

use std::fmt;

use serde::Serialize;

pub use crate::base_url::{AllowLocal, BaseUrlError};
use crate::base_url::{ApiForm, UrlParts, check};

/// A checked API base URL, without a trailing slash.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct BaseUrl(String);

const UPGATES_FORM: &str = "https://<shop>.admin.<server>.upgates.com/api/v2";

impl BaseUrl {
    /// Checks `url` and keeps it without a trailing slash. The host is lower-cased.
    ///
    /// # Errors
    /// [`BaseUrlError`] when the URL is not an Upgates shop's API URL (or, if allowed, a
    /// loopback one).
    pub fn parse(url: &str, allow: AllowLocal) -> Result<Self, BaseUrlError> {
        let accept = |p: &UrlParts<'_>| {
            (p.scheme == "https" && p.path == "/api/v2" && is_upgates_host(&p.authority))
                .then(|| format!("https://{}/api/v2", p.authority))
        };
        let form = ApiForm { official: UPGATES_FORM, local_path: "/api/v2", accept: &accept };
        check(url, allow, &form).map(BaseUrl)
    }

    /// The URL.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `scheme://host[:port]`, where the legacy API (`/api/orders/state/update`) lives.
    #[must_use]
    pub fn origin(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        let end = self
            .0
            .get(after_scheme..)
            .and_then(|r| r.find('/'))
            .map_or(self.0.len(), |i| after_scheme + i);
        self.0.get(..end).unwrap_or(&self.0)
    }

    /// Whether this is a loopback (sandbox) URL.
    #[must_use]
    pub fn is_local(&self) -> bool {
        !self.0.ends_with(".upgates.com/api/v2")
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

/// `<shop>.admin.<server>.upgates.com` with DNS-label parts.
fn is_upgates_host(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    matches!(parts.as_slice(), [shop, "admin", server, "upgates", "com"] if is_label(shop) && is_label(server))
}

fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_shop_urls() {
        for ok in [
            "https://beershop.admin.s24.upgates.com/api/v2",
            "https://beershop.admin.s24.upgates.com/api/v2/",
            "HTTPS://Beershop.Admin.S24.Upgates.com/api/v2",
            "https://my-shop.admin.t1.upgates.com/api/v2",
        ] {
            let b = BaseUrl::parse(ok, AllowLocal::No).unwrap();
            assert_eq!(b.as_str().to_lowercase(), b.as_str());
            assert!(!b.as_str().ends_with('/'));
            assert!(!b.is_local());
        }
    }

    #[test]
    fn refuses_everything_else_without_echoing_secrets() {
        for bad in [
            "http://beershop.admin.s24.upgates.com/api/v2",
            "https://beershop.admin.upgates.com/api/v2",
            "https://beershop.admin.s24.upgates.com.evil.com/api/v2",
            "https://user:secretpw@beershop.admin.s24.upgates.com/api/v2",
            "https://beershop.admin.s24.upgates.com/api/v2?token=secretpw",
            "https://beershop.admin.s24.upgates.com/api/v2#x",
            "https://beershop.admin.s24.upgates.com:8443/api/v2",
            "https://beershop.admin.s24.upgates.com/api/v1",
            "http://127.0.0.1:8080/api/v2",
            "",
        ] {
            let e = BaseUrl::parse(bad, AllowLocal::No).unwrap_err();
            assert!(!e.to_string().contains("secretpw"), "{e}");
        }
    }

    #[test]
    fn loopback_only_when_allowed() {
        let b = BaseUrl::parse("http://127.0.0.1:8080/api/v2", AllowLocal::Yes).unwrap();
        assert!(b.is_local());
        assert_eq!(b.origin(), "http://127.0.0.1:8080");
        assert!(BaseUrl::parse("http://localhost/api/v2", AllowLocal::Yes).is_ok());
        assert!(BaseUrl::parse("http://[::1]:9/api/v2", AllowLocal::Yes).is_ok());
        assert!(BaseUrl::parse("http://10.0.0.1:8080/api/v2", AllowLocal::Yes).is_err());
        assert!(BaseUrl::parse("http://127.0.0.1:99999/api/v2", AllowLocal::Yes).is_err());
        assert_eq!(
            BaseUrl::parse("https://a.admin.s1.upgates.com/api/v2", AllowLocal::Yes)
                .unwrap()
                .origin(),
            "https://a.admin.s1.upgates.com"
        );
        // Refused for want of the switch only: the faces then name their switch.
        let refused = BaseUrl::parse("http://127.0.0.1:8080/api/v2", AllowLocal::No).unwrap_err();
        assert!(refused.local_refused);
        let other = BaseUrl::parse("http://10.0.0.1:8080/api/v2", AllowLocal::No).unwrap_err();
        assert!(!other.local_refused);
    }
}
