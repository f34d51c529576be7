//! What stands in front of every `/v1` handler: count the request, the per-address rate
//! limit (429, `Retry-After: 1`), the `token` header (401), then injected faults (5xx,
//! slowness). Also the answer helpers: JSON bodies and `ErrorModel` errors.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use shopflow_core::retailys::order::ErrorModel;
use shopflow_core::validation::Problems;

use super::state::RState;
use crate::faults::Fault;
use crate::http::guard::ClientAddr;
use crate::state::lock;

/// A JSON answer.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut resp = (status, bytes).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            resp
        }
        Err(e) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, "Cannot write the answer", &e.to_string())
        }
    }
}

/// An `ErrorModel` answer: `{"message", "detail"}`.
pub fn error(status: StatusCode, message: &str, detail: &str) -> Response {
    let mut e = ErrorModel::default();
    e.message = Some(message.to_owned());
    e.detail = Some(detail.to_owned());
    match serde_json::to_vec(&e) {
        Ok(bytes) => {
            let mut resp = (status, bytes).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            resp
        }
        Err(_) => status.into_response(),
    }
}

/// 400 with the problems, one per line, in `detail`.
pub fn invalid(problems: &Problems) -> Response {
    let detail: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    error(StatusCode::BAD_REQUEST, "Invalid request", &detail.join("\n"))
}

/// `"METHOD /v1/path-template"`, the key of the request counts.
fn endpoint_key(req: &Request) -> String {
    let path = req.extensions().get::<MatchedPath>().map_or("(no route)", MatchedPath::as_str);
    format!("{} {path}", req.method())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(a, b))
}

/// The guard of `/v1`.
pub async fn guard(State(state): State<Arc<RState>>, req: Request, next: Next) -> Response {
    lock(&state.stats).count(endpoint_key(&req));
    let config = state.runtime();
    let ip = req.extensions().get::<ClientAddr>().map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0);
    if config.rate_limit.enabled
        && lock(&state.rate).take(ip, config.rate_limit.per_second, Instant::now()).is_err()
    {
        // The window is one second, so whatever is left of it rounds up to 1.
        let mut resp = error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            &format!(
                "At most {} requests per second from one address.",
                config.rate_limit.per_second
            ),
        );
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return resp;
    }
    let sent = req.headers().get("token").map(HeaderValue::as_bytes).unwrap_or_default();
    if !constant_time_eq(sent, state.token.expose().as_bytes()) {
        // Never echo what was sent: it may be a real token sent to the wrong place.
        return error(StatusCode::UNAUTHORIZED, "Unauthorized", "Missing or wrong `token` header.");
    }
    let fault = req.extensions().get::<Fault>().copied().unwrap_or_default();
    if let Some(ms) = fault.slow_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    match fault.error {
        Some(status) => error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            "Injected server error",
            "A sandbox fault (faults.error_rate).",
        ),
        None => next.run(req).await,
    }
}

/// The 404 for paths under `/v1` that are no endpoint.
pub async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "Not Found", "No such endpoint.")
}
