//! Test harness: a sandbox on 127.0.0.1:0, an HTTP client over real loopback, and a webhook
//! receiver whose answers a test can change. Everything stops when the test's values drop.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use shopflow_sandbox::{SandboxConfig, SandboxHandle};

pub const LOGIN: &str = "test-login";
pub const KEY: &str = "test-key-123";

/// A response, fully read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn view(&self) -> shopflow_core::http::Response<'_> {
        shopflow_core::http::Response::new(self.status, &self.headers, &self.body)
    }
}

/// An HTTP client for one sandbox.
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    pub origin: String,
    pub auth: String,
}

impl Http {
    pub fn new(origin: &str, login: &str, key: &str) -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            origin: origin.to_owned(),
            auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{login}:{key}"))
            ),
        }
    }

    pub async fn try_send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Resp, String> {
        let mut req =
            hyper::Request::builder().method(method).uri(format!("{}{path}", self.origin));
        if path.starts_with("/api/v2") {
            req = req.header("Authorization", &self.auth);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let bytes = match body {
            Some(b) => {
                req = req.header("Content-Type", "application/json");
                serde_json::to_vec(b).unwrap()
            }
            None => Vec::new(),
        };
        let resp = self
            .client
            .request(req.body(Full::new(Bytes::from(bytes))).unwrap())
            .await
            .map_err(|e| format!("{e:?}"))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = resp.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes().to_vec();
        Ok(Resp { status, headers, body })
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        self.try_send(method, path, body, &[])
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.send("PUT", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, None).await
    }

    /// `PUT /__sandbox/config` with a merge patch.
    pub async fn config(&self, patch: Value) {
        let r = self.put("/__sandbox/config", &patch).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }

    pub async fn stats(&self) -> Value {
        self.get("/__sandbox/stats").await.json()
    }
}

/// A running sandbox and a client for it.
pub struct Sandbox {
    pub handle: SandboxHandle,
    pub http: Http,
}

pub fn config() -> SandboxConfig {
    SandboxConfig {
        login: LOGIN.to_owned(),
        api_key: KEY.into(),
        project_name: "testshop".to_owned(),
        ..SandboxConfig::default()
    }
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    let handle = shopflow_sandbox::start(config).await.expect("sandbox starts");
    let http = Http::new(&handle.origin(), LOGIN, KEY);
    Sandbox { handle, http }
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(config()).await
}

/// A minimal valid order for `POST /orders`.
pub fn new_order(email: &str, ext: &str) -> Value {
    serde_json::json!({
        "external_order_number": ext,
        "language_id": "cs",
        "customer": {"email": email, "phone": "+420777000111", "firstname_invoice": "Test", "surname_invoice": "Zákazník"},
        "products": [{"code": "GLASS-TULIP", "title": "Pohár Tulipán", "quantity": 2, "price_per_unit": 168.6, "vat": 21}],
        "shipment": {"code": "PPL", "name": "PPL", "price": 129, "vat": 21},
        "payment": {"code": "DOBIRKA", "name": "Dobírka", "price": 39, "vat": 21}
    })
}

/// Creates `n` orders through the API (chunks of 100) and returns their numbers.
pub async fn create_orders(http: &Http, n: usize) -> Vec<String> {
    let mut numbers = Vec::new();
    let all: Vec<Value> =
        (0..n).map(|i| new_order(&format!("c{}@example.cz", i % 7), &format!("EXT-{i}"))).collect();
    for chunk in all.chunks(100) {
        let r = http.post("/api/v2/orders", &serde_json::json!({"send_emails_yn": false, "send_sms_yn": false, "orders": chunk})).await;
        assert_eq!(r.status, 200);
        for o in r.json()["orders"].as_array().unwrap() {
            assert_eq!(o["created_yn"], true, "{o}");
            numbers.push(o["order_number"].as_str().unwrap().to_owned());
        }
    }
    numbers
}

/// One call a receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Value,
    pub at: Instant,
}

/// How a receiver answers.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    pub status: u16,
    pub delay_ms: u64,
}

#[derive(Clone)]
struct ReceiverState {
    calls: Arc<Mutex<Vec<Received>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

/// A webhook receiver on 127.0.0.1.
pub struct Receiver {
    pub url: String,
    state: ReceiverState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(
    State(s): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::StatusCode {
    let behaviour = *s.behaviour.lock().unwrap();
    if behaviour.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(behaviour.delay_ms)).await;
    }
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    s.calls.lock().unwrap().push(Received { headers, body, at: Instant::now() });
    axum::http::StatusCode::from_u16(behaviour.status).unwrap()
}

impl Receiver {
    pub async fn start() -> Receiver {
        let state = ReceiverState {
            calls: Arc::default(),
            behaviour: Arc::new(Mutex::new(Behaviour { status: 200, delay_ms: 0 })),
        };
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = serve_plain(listener, app).await;
        });
        Receiver { url, state, task }
    }

    pub fn set(&self, status: u16, delay_ms: u64) {
        *self.state.behaviour.lock().unwrap() = Behaviour { status, delay_ms };
    }

    pub fn calls(&self) -> Vec<Received> {
        self.state.calls.lock().unwrap().clone()
    }
}

/// axum's router on a plain hyper accept loop (the sandbox does not enable axum::serve).
async fn serve_plain(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    use tower::ServiceExt;
    loop {
        let (stream, _) = listener.accept().await?;
        let app = app.clone();
        tokio::spawn(async move {
            let svc =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let app = app.clone();
                    async move { app.oneshot(req.map(axum::body::Body::new)).await }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                .await;
        });
    }
}

/// Waits until `check` passes, failing with `what` after `timeout`.
pub async fn eventually<F: FnMut() -> bool>(timeout: Duration, what: &str, mut check: F) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
