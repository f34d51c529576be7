//! Receiving webhooks safely.
//!
//! Upgates signs nothing: the only protection it offers is the URL it posts to. So each
//! webhook is registered at its own URL that names its event and carries a high-entropy
//! secret (`https://hooks.example.com/upgates/Orders.create?shopflow_secret=…`); the receiver
//! checks the secret in constant time and reads the event from the path.

use percent_encoding::percent_decode_str;

use crate::http::encode_component;
use crate::secret::{UrlSecretFlaw, redact_url, url_secret_flaw};
use crate::upgates::webhook::event::WebhookEvent;

/// The query parameter that carries the secret.
pub const SECRET_PARAM: &str = "shopflow_secret";

/// The shortest secret accepted ([`crate::secret::url_secret_flaw`] says the whole rule).
pub const MIN_SECRET_LEN: usize = crate::secret::MIN_URL_SECRET_LEN;

/// Why a webhook URL could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookUrlError {
    /// The base is not an absolute http(s) URL without query or fragment.
    #[error(
        "the receiver base URL {0} must be an absolute http(s) URL without a query or fragment"
    )]
    Base(String),
    /// The secret is too short to guess-proof the URL, or has a character a URL would encode.
    #[error("the webhook secret {0}")]
    WeakSecret(UrlSecretFlaw),
}

/// The URL to register for `event`: `{base}/{Entity.action}?shopflow_secret={secret}`.
///
/// # Errors
/// [`WebhookUrlError`] for a base that is not an absolute http(s) URL or a short secret.
pub fn webhook_url(
    base: &str,
    secret: &str,
    event: &WebhookEvent,
) -> Result<String, WebhookUrlError> {
    let base = base.trim().trim_end_matches('/');
    let absolute = ["https://", "http://"]
        .iter()
        .any(|s| base.strip_prefix(s).is_some_and(|rest| !rest.is_empty()));
    if !absolute || base.contains(['?', '#']) || base.chars().any(char::is_whitespace) {
        return Err(WebhookUrlError::Base(redact_url(base)));
    }
    if let Some(flaw) = url_secret_flaw(secret) {
        return Err(WebhookUrlError::WeakSecret(flaw));
    }
    Ok(format!("{base}/{event}?{SECRET_PARAM}={}", encode_component(secret)))
}

/// Whether a call's URL (absolute, or path and query) carries `secret`. Compared in
/// constant time; a missing parameter is `false`.
#[must_use]
pub fn verify_webhook(url: &str, secret: &str) -> bool {
    let Some(given) = query_param(url, SECRET_PARAM) else { return false };
    crate::secret::matches(&given, secret)
}

/// The event named by the last path segment of a webhook URL, if it names one.
#[must_use]
pub fn event_from_url(url: &str) -> Option<WebhookEvent> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let decoded = percent_decode_str(last).decode_utf8().ok()?;
    decoded.parse().ok().filter(WebhookEvent::is_known)
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next().unwrap_or("");
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name)
            .then(|| percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "k9V-4xQ_2mPz8LwR1tYb";

    #[test]
    fn url_carries_event_and_secret() {
        let url =
            webhook_url("https://hooks.example.com/upgates/", SECRET, &WebhookEvent::ORDERS_CREATE)
                .unwrap();
        assert_eq!(
            url,
            format!("https://hooks.example.com/upgates/Orders.create?shopflow_secret={SECRET}")
        );
        assert!(verify_webhook(&url, SECRET));
        assert!(verify_webhook(
            "/upgates/Orders.create?x=1&shopflow_secret=k9V-4xQ_2mPz8LwR1tYb",
            SECRET
        ));
        assert_eq!(event_from_url(&url), Some(WebhookEvent::ORDERS_CREATE));
        assert_eq!(event_from_url("/hooks/unknown"), None);
    }

    #[test]
    fn wrong_or_missing_secrets_fail() {
        assert!(!verify_webhook("https://h/x?shopflow_secret=nope", SECRET));
        assert!(!verify_webhook("https://h/x", SECRET));
        assert!(!verify_webhook("https://h/x?shopflow_secret=", ""));
        assert!(!verify_webhook(&format!("https://h/x?shopflow_secret={SECRET}x"), SECRET));
    }

    #[test]
    fn bad_bases_and_weak_secrets_are_refused_without_echoing_credentials() {
        assert_eq!(
            webhook_url("https://h/x", "short", &WebhookEvent::ORDERS_CREATE),
            Err(WebhookUrlError::WeakSecret(UrlSecretFlaw::TooShort(5)))
        );
        let e = webhook_url("https://u:pw@h/x?token=t", SECRET, &WebhookEvent::ORDERS_CREATE)
            .unwrap_err();
        assert!(!e.to_string().contains("pw") && !e.to_string().contains("token=t"), "{e}");
        assert!(webhook_url("ftp://h/x", SECRET, &WebhookEvent::ORDERS_CREATE).is_err());
        // A secret a URL would have to encode is refused (one rule with the Retailys path).
        let odd = "a+b/c=d&e?f#g h1234";
        assert_eq!(
            webhook_url("http://127.0.0.1:8080", odd, &WebhookEvent::CUSTOMERS_UPDATE),
            Err(WebhookUrlError::WeakSecret(UrlSecretFlaw::Character(2)))
        );
    }
}
