//! API credentials: a login and an API key, sent as HTTP Basic auth.
//!
//! The key is a [`Secret`]: it never appears in `Debug`, `Display` or an error. Five wrong
//! logins in an hour lock the API user, which is why nothing here or in the retry policy
//! ever repeats a request that was refused for its credentials.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::http::HeaderValue;
use crate::secret::Secret;
use crate::validation::{At, NOTHING, Problem, Validate};

/// A login and API key.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The API user's login.
    pub login: String,
    /// The API key.
    pub api_key: Secret,
}

impl Credentials {
    /// Credentials from a login and a key.
    #[must_use]
    pub fn new(login: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Credentials { login: login.into(), api_key: api_key.into() }
    }

    /// The `Authorization` header value (`Basic base64(login:key)`), marked sensitive.
    #[must_use]
    pub fn authorization(&self) -> HeaderValue {
        let token = STANDARD.encode(format!("{}:{}", self.login, self.api_key.expose()));
        HeaderValue::Sensitive(Secret::new(format!("Basic {token}")))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field("api_key", &self.api_key)
            .finish()
    }
}

impl Validate for Credentials {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        root.field("login").require_text(
            Some(self.login.as_str()).filter(|l| !l.is_empty()),
            "the API user's login",
            out,
        );
        if self.login.contains(':') {
            // Basic auth splits `login:key` at the first colon.
            out.push(root.field("login").problem("a login without `:`", "a login containing `:`"));
        }
        if self.api_key.is_empty() {
            out.push(root.field("api_key").problem("the API key", NOTHING));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_and_redaction() {
        let c = Credentials::new("test", "test");
        assert_eq!(c.authorization().expose(), "Basic dGVzdDp0ZXN0");
        let c = Credentials::new("shopflow", "k3y-VALUE");
        assert!(!format!("{c:?} {:?}", c.authorization()).contains("k3y-VALUE"));
        assert!(c.validate().is_ok());
        assert_eq!(Credentials::new("a:b", "").validate().unwrap_err().0.len(), 2);
    }
}
