//! Checking an API base URL before any credentials are sent to it, for every platform.
//!
//! Credentials go to whatever host the base URL names, so each platform accepts only its own
//! official form (no userinfo, query or fragment), and a loopback URL (the local sandbox's
//! `http://127.0.0.1:PORT/...`) only when the caller explicitly allows it. The platform says
//! what its official form is; the parsing and the loopback rule live here once.

use crate::secret::redact_url;

/// Whether a loopback URL (the local sandbox) may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AllowLocal {
    /// Only the platform's real API.
    #[default]
    No,
    /// Also `http(s)://127.0.0.1|localhost|[::1][:port]/…` ending in the platform's path.
    Yes,
}

/// Why a base URL was refused. The URL in the message has any credentials removed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the API base URL {shown} is not {expected}")]
pub struct BaseUrlError {
    /// The URL as given, with userinfo and query redacted.
    pub shown: String,
    /// What was expected.
    pub expected: String,
    /// Whether it is a loopback URL (the local sandbox) of the right shape, refused only
    /// because loopback was not allowed: each face names its own switch (`allowLocal`).
    pub local_refused: bool,
}

/// A URL split for the platform's check: scheme and authority lower-cased, the path without a
/// trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `https`, `http`, …
    pub scheme: String,
    /// `host[:port]`.
    pub authority: String,
    /// `/api/v2`, `/v1`, …
    pub path: &'a str,
}

/// What a platform's API URLs look like.
pub struct ApiForm<'a> {
    /// The official form, for messages (`https://api.retailys.com/v1`).
    pub official: &'a str,
    /// The path a loopback URL must end with (`/v1`).
    pub local_path: &'a str,
    /// The normalized official URL for `parts`, or `None` when they are not the platform's.
    pub accept: &'a dyn Fn(&UrlParts<'_>) -> Option<String>,
}

/// Checks `url` against `form`: the normalized URL, without a trailing slash.
///
/// # Errors
/// [`BaseUrlError`] when the URL is not the platform's (or, if allowed, a loopback one).
pub fn check(url: &str, allow: AllowLocal, form: &ApiForm<'_>) -> Result<String, BaseUrlError> {
    let trimmed = url.trim();
    let expected = match allow {
        AllowLocal::No => format!("{} (without login, port, query or fragment)", form.official),
        AllowLocal::Yes => format!(
            "{} (without login, port, query or fragment) or a loopback URL like http://127.0.0.1:8080{}",
            form.official, form.local_path
        ),
    };
    let refuse = || BaseUrlError {
        shown: redact_url(trimmed),
        expected: expected.clone(),
        local_refused: false,
    };
    if trimmed.contains(['@', '?', '#']) || trimmed.chars().any(char::is_whitespace) {
        return Err(refuse());
    }
    let (scheme, rest) = trimmed.split_once("://").ok_or_else(refuse)?;
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let parts = UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        authority: authority.to_ascii_lowercase(),
        path: path.trim_end_matches('/'),
    };
    if let Some(ok) = (form.accept)(&parts) {
        return Ok(ok);
    }
    let local = (parts.scheme == "http" || parts.scheme == "https")
        && parts.path.ends_with(form.local_path)
        && is_loopback(&parts.authority);
    match (local, allow) {
        (true, AllowLocal::Yes) => {
            Ok(format!("{}://{}{}", parts.scheme, parts.authority, parts.path))
        }
        (true, AllowLocal::No) => Err(BaseUrlError { local_refused: true, ..refuse() }),
        (false, _) => Err(refuse()),
    }
}

/// `127.0.0.1`, `localhost` or `[::1]`, with an optional valid port.
#[must_use]
pub fn is_loopback(authority: &str) -> bool {
    let (host, port) = if let Some(rest) = authority.strip_prefix("[::1]") {
        ("[::1]", rest.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
    port_ok && matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}
