//! Sending one request with gloo-net: the global `fetch`, or the app's own when it gave one.
//! Shared by every platform's client: nothing here knows which shop it talks to.

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::{Function, Promise};
use shopflow_core::http::RequestSpec;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How requests leave: the app's `fetch` (or the global one) and the per-request timeout.
pub(crate) struct Transport {
    /// The app's `fetch`, called with a `Request`; `None` for the global `fetch`.
    pub(crate) fetch: Option<Function>,
    /// Milliseconds before a request is aborted.
    pub(crate) timeout_ms: u32,
}

/// What came back: status, headers, body.
type Answered = (u16, Vec<(String, String)>, Vec<u8>);

/// Sends `spec`; `Err` says why no answer came (connection failed, timed out).
pub(crate) async fn send(transport: &Transport, spec: &RequestSpec) -> Result<Answered, String> {
    let method = match spec.method.as_str() {
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "DELETE" => Method::DELETE,
        "PATCH" => Method::PATCH,
        _ => Method::GET,
    };
    let signal = web_sys::AbortSignal::timeout_with_u32(transport.timeout_ms);
    let mut builder = RequestBuilder::new(&spec.url()).method(method).abort_signal(Some(&signal));
    for (name, value) in &spec.headers {
        builder = builder.header(name, value.expose());
    }
    // Upgates answers 301 without a Location header, so fetch hands it over as it is.
    let request = match &spec.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| e.to_string())?;
    let response = match &transport.fetch {
        Some(fetch) => Response::from(with_app_fetch(fetch, request.into()).await?),
        None => request.send().await.map_err(|e| e.to_string())?,
    };
    let headers = response.headers().entries().collect();
    let body = response.binary().await.map_err(|e| e.to_string())?;
    Ok((response.status(), headers, body))
}

/// Calls the app's `fetch` with the request and waits for its `Response`.
async fn with_app_fetch(
    fetch: &Function,
    raw: web_sys::Request,
) -> Result<web_sys::Response, String> {
    let promise = fetch.call1(&JsValue::UNDEFINED, &raw).map_err(|e| failure(&e))?;
    let promise = promise.dyn_into::<Promise>().unwrap_or_else(|v| Promise::resolve(&v));
    let value = JsFuture::from(promise).await.map_err(|e| failure(&e))?;
    value
        .dyn_into::<web_sys::Response>()
        .map_err(|_| "the fetch given to the client did not return a Response".to_owned())
}

/// What a rejected `fetch` said: its error, and the system error under it (ECONNREFUSED, …).
fn failure(e: &JsValue) -> String {
    let text = |v: &JsValue, key: &str| {
        js_sys::Reflect::get(v, &JsValue::from_str(key)).ok().and_then(|x| x.as_string())
    };
    let name = text(e, "name").unwrap_or_else(|| "Error".to_owned());
    let message = text(e, "message").or_else(|| e.as_string()).unwrap_or_default();
    let cause = js_sys::Reflect::get(e, &JsValue::from_str("cause")).ok();
    let under = cause.as_ref().and_then(|c| text(c, "code").or_else(|| text(c, "message")));
    match under {
        Some(u) => format!("{name}: {message} ({u})"),
        None => format!("{name}: {message}"),
    }
}
