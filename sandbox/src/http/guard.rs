//! What stands in front of every API handler, in the order a real shop applies it:
//! count the request, answer 301 if the shop moved, check the login (401; 403 after too
//! many failures), take it from the budget (429 with `Retry-After`), check concurrency
//! (429), then inject configured faults (5xx, slowness). Budget headers go on the answer.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;

use super::respond::{api_error, json};
use crate::faults::Fault;
use crate::state::{AppState, lock};

/// The client's address, put on each request by the server loop.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// `"METHOD /api/v2/path-template"`, the key of the request counts.
fn endpoint_key(req: &Request) -> String {
    let path = req.extensions().get::<MatchedPath>().map_or("(no route)", MatchedPath::as_str);
    format!("{} {path}", req.method())
}

/// Whether the `Authorization` header holds this login and key.
fn authorized(headers: &HeaderMap, state: &AppState) -> bool {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(token) = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")) else {
        return false;
    };
    let Ok(decoded) = STANDARD.decode(token.trim()) else { return false };
    let Ok(text) = String::from_utf8(decoded) else { return false };
    let Some((login, key)) = text.split_once(':') else { return false };
    // Compare both fully, so timing does not tell which part was wrong.
    let ok_login = constant_time_eq(login.as_bytes(), state.login.as_bytes());
    let ok_key = constant_time_eq(key.as_bytes(), state.api_key.expose().as_bytes());
    ok_login & ok_key
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(a, b))
}

/// Releases a concurrency slot when the request ends, however it ends.
struct Slot<'a>(&'a AppState);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The guard for `/api/v2` (Basic auth) and the legacy endpoint (`auth: false`, its key is
/// in the body).
pub async fn guard(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
    basic_auth: bool,
) -> Response {
    lock(&state.stats).count(endpoint_key(&req));
    let config = state.runtime();
    if let Some(url) = &config.relocate_to {
        return json(StatusCode::MOVED_PERMANENTLY, &serde_json::json!({ "api_url": url }));
    }
    let ip = req.extensions().get::<ClientAddr>().map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0);
    if basic_auth {
        let now = Instant::now();
        if lock(&state.bad_logins).locked(ip, &config.bad_logins, now) {
            return api_error(
                StatusCode::FORBIDDEN,
                "Too many failed logins from this address; access is blocked for an hour.",
            );
        }
        if !authorized(req.headers(), &state) {
            lock(&state.bad_logins).fail(ip, now);
            return api_error(
                StatusCode::UNAUTHORIZED,
                "Wrong or missing login and API key (HTTP Basic).",
            );
        }
    }
    let budget = if config.rate_limit.enabled {
        match lock(&state.rate).take(&config.rate_limit, Utc::now()) {
            Ok(b) => Some(b),
            Err((spent, retry)) => {
                lock(&state.stats).refused_over_budget += 1;
                let mut resp =
                    api_error(StatusCode::TOO_MANY_REQUESTS, "The request limit is used up.");
                add_budget(resp.headers_mut(), Some(spent));
                if let Ok(v) =
                    HeaderValue::from_str(&retry.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
                {
                    resp.headers_mut().insert("Retry-After", v);
                }
                return resp;
            }
        }
    } else {
        None
    };
    let busy = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _slot = Slot(&state);
    if config.concurrency.is_some_and(|cap| busy > cap) {
        let mut resp = api_error(StatusCode::TOO_MANY_REQUESTS, "Too many concurrent requests.");
        add_budget(resp.headers_mut(), budget);
        return resp;
    }
    let fault = req.extensions().get::<Fault>().copied().unwrap_or_default();
    if let Some(secs) = fault.throttle_secs {
        let mut resp =
            api_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests; come back later.");
        let at = Utc::now() + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(1));
        if let Ok(v) = HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
            resp.headers_mut().insert("Retry-After", v);
        }
        return resp;
    }
    if let Some(ms) = fault.slow_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let mut resp = match fault.error {
        Some(status) => api_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            "Injected server error (sandbox fault).",
        ),
        None => next.run(req).await,
    };
    add_budget(resp.headers_mut(), budget);
    resp
}

fn add_budget(headers: &mut HeaderMap, budget: Option<crate::limits::Budget>) {
    for (name, value) in budget.iter().flat_map(crate::limits::Budget::headers) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
}

/// The 404 for paths under `/api` that are no endpoint.
pub async fn no_route() -> impl IntoResponse {
    api_error(StatusCode::NOT_FOUND, "No such endpoint.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_equal() {
        assert!(constant_time_eq(b"key", b"key"));
        assert!(!constant_time_eq(b"key", b"kez"));
        assert!(!constant_time_eq(b"key", b"key2"));
        assert!(!constant_time_eq(b"", b"k"));
        assert!(constant_time_eq(b"", b""));
    }
}
