//! Calls to a running service's operator API, for the subcommands that manage it
//! (`shopflow deliveries`, `shopflow runs`): the token from `--token` or
//! `SHOPFLOW_OPERATOR_TOKEN`, else from the data folder's `operator-token` file when it
//! exists, sent as `Authorization: Bearer` whenever one was found. A failure is the
//! service's own error message, or why it could not be reached.

use std::time::Duration;

use serde_json::Value;

use crate::cli::ServiceArgs;

/// How long a call may take: the service answers from memory or its data folder.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The operator token, if one was given or kept in the data folder.
fn token(args: &ServiceArgs) -> Option<String> {
    if let Some(t) = &args.token {
        return Some(t.clone());
    }
    let kept = std::fs::read_to_string(args.data.join("operator-token")).ok()?;
    Some(kept.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Sends `METHOD path` to the service and returns its JSON answer.
///
/// # Errors
/// The service cannot be reached, or answered with an error (its message, and the status).
pub fn call(args: &ServiceArgs, method: reqwest::Method, path: &str) -> Result<Value, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(send(args, method, path))
}

async fn send(args: &ServiceArgs, method: reqwest::Method, path: &str) -> Result<Value, String> {
    // ring is the one crypto provider built in; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let base = args.service.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(format!(
            "--service must be the service's address, http://HOST:PORT or https://..., not {:?}",
            args.service
        ));
    }
    let http = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let url = format!("{base}{path}");
    let mut request = http.request(method.clone(), &url);
    if let Some(t) = token(args) {
        request = request.bearer_auth(t);
    }
    let answer =
        request.send().await.map_err(|e| format!("cannot reach the service at {base}: {e}"))?;
    let status = answer.status();
    let body = answer.text().await.map_err(|e| format!("{method} {path}: {e}"))?;
    let json: Option<Value> = serde_json::from_str(&body).ok();
    if !status.is_success() {
        let why = json
            .as_ref()
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or_else(|| body.trim().to_owned());
        return Err(format!("{method} {path}: the service answered {status}: {why}"));
    }
    json.ok_or_else(|| format!("{method} {path}: the answer is not JSON: {}", body.trim()))
}
