//! The API token: sent raw in the `token` header (no prefix), redacted everywhere else.

use std::fmt;

use crate::http::HeaderValue;
use crate::secret::Secret;

/// A Retailys API token (an app user's, for every sales channel of the instance).
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Secret);

impl Token {
    /// A token.
    pub fn new(token: impl Into<Secret>) -> Self {
        Token(token.into())
    }

    /// The `token` header's value, marked sensitive (redacted in Debug).
    #[must_use]
    pub fn header(&self) -> HeaderValue {
        HeaderValue::Sensitive(self.0.clone())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows() {
        let t = Token::new("tok-secret-123");
        assert!(!format!("{t:?}").contains("tok-secret"));
        assert!(!format!("{:?}", t.header()).contains("tok-secret"));
        assert_eq!(t.header().expose(), "tok-secret-123");
    }
}
