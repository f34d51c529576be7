//! Who may use the operator API (`api.rs`): a request carries the operator token as
//! `Authorization: Bearer <token>`, compared in constant time; without it, or with a wrong
//! one, the answer is 401 with `WWW-Authenticate: Bearer` and no data. And which other
//! origins' pages may call the service from a browser (CORS): only those the operator listed.
//!
//! Webhook and callback receivers keep their own secret; `/healthz`, `/readyz`, `/metrics`
//! (counts only), `/demo.json` and the dashboard's static files stay public.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

use shopflow_core::secret::Secret;

use super::Service;
use super::http::json;

/// Lets a request through to the operator API only with the operator token.
pub(crate) async fn require_token(
    State(service): State<Arc<Service>>,
    request: Request,
    next: Next,
) -> Response {
    match allowed(request.headers(), &service.operator_token) {
        true => next.run(request).await,
        false => unauthorized(),
    }
}

/// Whether the headers carry `token` as `Authorization: Bearer <token>`.
pub(crate) fn allowed(headers: &axum::http::HeaderMap, token: &Secret) -> bool {
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer);
    given.is_some_and(|g| token.matches(g))
}

/// The token of an `Authorization: Bearer <token>` value (the scheme is case-insensitive).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// 401: what to send, and nothing else.
pub(crate) fn unauthorized() -> Response {
    let mut r = json(
        StatusCode::UNAUTHORIZED,
        &serde_json::json!({"error": "the operator token is missing or wrong: send Authorization: Bearer <token> (shopflow run says where the token is kept)"}),
    );
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

/// Checks that `text` is a browser origin (`scheme://host[:port]`: http or https, no path,
/// query or credentials), as a browser sends it in `Origin`; returns it as sent (lowercase).
///
/// # Errors
/// What was expected, and what came.
pub fn check_origin(text: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "not an origin: {text:?} ({why}); expected scheme://host[:port], e.g. https://admin.example.com"
        ))
    };
    let lower = text.to_ascii_lowercase();
    let Some((scheme, rest)) = lower.split_once("://") else { return bad("no scheme://") };
    if scheme != "http" && scheme != "https" {
        return bad("the scheme must be http or https");
    }
    if rest.contains(['/', '?', '#']) {
        return bad("an origin has no path, query or fragment, not even a trailing /");
    }
    if rest.contains('@') {
        return bad("an origin has no user or password");
    }
    // An IPv6 host is bracketed: its colons are not the port's.
    let split = match rest.strip_prefix('[') {
        Some(v6) => v6
            .split_once(']')
            .filter(|(_, p)| p.is_empty() || p.starts_with(':'))
            .map(|(h, p)| (h, p.strip_prefix(':'))),
        None => Some(rest.split_once(':').map_or((rest, None), |(h, p)| (h, Some(p)))),
    };
    let Some((host, port)) = split else {
        return bad("an IPv6 host is [address], then nothing or :port");
    };
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c)) {
        return bad("the host is empty or has characters a host name cannot have");
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return bad("the port must be a number up to 65535");
    }
    Ok(lower)
}

/// CORS for the origins listed (GET and POST, with the `Authorization` header); `None` when
/// none are: then no CORS headers are sent and browsers keep other sites' pages out.
///
/// # Errors
/// An origin that is not one ([`check_origin`]).
pub(crate) fn cors(origins: &[String]) -> Result<Option<CorsLayer>, String> {
    if origins.is_empty() {
        return Ok(None);
    }
    let values = origins
        .iter()
        .map(|o| {
            let o = check_origin(o)?;
            HeaderValue::from_str(&o).map_err(|e| format!("not an origin: {o:?}: {e}"))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(values))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
    ))
}

#[cfg(test)]
mod tests {
    use super::{bearer, check_origin};

    #[test]
    fn origins_are_checked() {
        assert_eq!(check_origin("https://Admin.Example.com").unwrap(), "https://admin.example.com");
        assert!(check_origin("http://127.0.0.1:5173").is_ok());
        assert!(check_origin("http://[::1]:8080").is_ok());
        assert!(check_origin("http://[::1]").is_ok());
        for bad in [
            "admin.example.com",
            "ftp://x.example",
            "https://x.example/",
            "https://x.example/path",
            "https://u:p@x.example",
            "https://x.example:99999",
            "https://",
            "https://x y",
            "http://[::1]x",
            "http://[::1",
        ] {
            let e = check_origin(bad).unwrap_err();
            assert!(e.contains(bad) && e.contains("scheme://host[:port]"), "{e}");
        }
    }

    #[test]
    fn the_bearer_scheme_is_read() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
    }
}
