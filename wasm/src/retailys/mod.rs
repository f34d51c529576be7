//! `RetailysCore`: the npm package's `RetailysClient` runs the core's exchange here, with
//! `RetailysWire` (the status table, 429 with `Retry-After` in seconds, 401/403 locking the
//! client) and the core's pace (at most 100 sends a second), through the same driver as the
//! Upgates `ClientCore` (`crate::client::run`).
//! Requests are built by the core's `RetailysApi` (`request`), answers read by the core's
//! models (`read`); callbacks are read by the core's receiver (`callback`).

mod callback;
mod read;
mod request;

use std::rc::Rc;

use js_sys::Promise;
use shopflow_core::exchange::{Call, CallError};
use shopflow_core::retailys::api::RetailysApi;
use shopflow_core::retailys::{ApiError, BaseUrl, RetailysWire};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

pub use callback::read_retailys_callback;

use crate::client::options;
use crate::client::{Inner, Settings, run};
use crate::envelope::{ErrorInfo, err};
use crate::request::base_url_problem;

/// The exchange of one `RetailysClient`, driven over `fetch`.
#[wasm_bindgen]
pub struct RetailysCore {
    inner: Rc<Inner<RetailysWire, RetailysApi>>,
}

#[wasm_bindgen]
impl RetailysCore {
    /// A client of the instance `options` describe (`{baseUrl, token, allowLocal, retries,
    /// onRateLimit, maxWait, concurrency, timeout}`); `fetch` replaces the global `fetch`
    /// when it is a function. Throws the error envelope's text when the options are not valid.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, fetch: JsValue) -> Result<RetailysCore, JsValue> {
        let settings = start(options).map_err(|e| JsValue::from_str(&err(&e)))?;
        Ok(RetailysCore { inner: Inner::new(RetailysWire, settings, fetch, JsValue::UNDEFINED) })
    }

    /// Operation `op` with JSON `args`: resolves to the envelope text of the answer read as
    /// `kind` (`order`, `id`, `me`, or a page of `orders`, `statuses`, `shippers`, `events`),
    /// or of the error. Never rejects.
    pub fn call(&self, op: String, args: String, kind: String) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let spec = match request::build(&inner.config, &op, &args) {
                Ok(spec) => spec,
                Err(e) => return Ok(JsValue::from_str(&err(&e))),
            };
            let text = match run(&inner, Call::new(spec)).await {
                Ok(answer) => read::read(&kind, &answer.body),
                // A list with no match may answer 404 (spec §2.1): that is an empty page.
                Err(CallError::Api { error: ApiError::NotFound { .. }, .. })
                    if read::is_list(&kind) =>
                {
                    read::read(&kind, b"{}")
                }
                Err(e) => err(&ErrorInfo::from(&e)),
            };
            Ok(JsValue::from_str(&text))
        })
    }

    /// The API base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url()
    }

    /// Requests sent (every attempt counts, a refused one too).
    #[wasm_bindgen(getter, js_name = requestsSent)]
    pub fn requests_sent(&self) -> f64 {
        self.inner.requests_sent()
    }

    /// Allows sending again after the instance refused the token (401/403).
    #[wasm_bindgen(js_name = resetCredentials)]
    pub fn reset_credentials(&self) {
        self.inner.reset_credentials();
    }
}

/// The options read and checked, with the base URL checked by the core (only
/// `https://api.retailys.com/v1`, or loopback with `allowLocal`).
fn start(options: JsValue) -> Result<Settings<RetailysApi>, ErrorInfo> {
    let s = options::retailys(options)?;
    let base = BaseUrl::parse(&s.base_url, s.config.allow).map_err(|e| base_url_problem(&e))?;
    let api = RetailysApi::new(base, s.config.token);
    Ok(Settings {
        base_url: api.base_url().as_str().to_owned(),
        config: api,
        exchange: s.exchange,
        timeout_ms: s.timeout_ms,
    })
}
