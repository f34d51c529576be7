//! What the HTTP suites share: the sandboxes' control API (`/__sandbox/...`).

use serde_json::Value;

/// Calls the control API of the sandbox at `origin` and returns its JSON answer.
pub async fn control(origin: &str, method: &str, path: &str, body: Value) -> Value {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let url = format!("{origin}/__sandbox/{path}");
    let req = match method {
        "GET" => http.get(url),
        "PUT" => http.put(url).json(&body),
        _ => http.post(url).json(&body),
    };
    let resp = req.send().await.unwrap();
    assert!(resp.status().is_success(), "control {path}: {}", resp.status());
    resp.json().await.unwrap()
}
