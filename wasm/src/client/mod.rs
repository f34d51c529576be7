//! `ClientCore`: the npm package's `Client` runs the core's exchange here.
//!
//! Every decision is the core's ([`shopflow_core::exchange`]), the same loop the Rust client
//! runs: this module sends what a call says to send with gloo-net (`fetch`), reports what came
//! back, waits on JavaScript timers, and wakes calls waiting for a free slot. The JavaScript
//! `Client` (`wasm/js/client.js`) keeps only the public surface: namespaces, async iterators
//! and error classes.

mod batch;
mod options;
mod send;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, TimeZone, Utc};
use js_sys::{Function, Promise, Uint8Array};
use shopflow_core::exchange::{Answer, Call, CallError, Session, Step};
use shopflow_core::upgates::ApiError;
use shopflow_core::upgates::wire::UpgatesWire;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::envelope::{ErrorInfo, err, ok};
use crate::request::{Config, build_spec};

/// The caller's clock, read from `Date.now()`.
pub(crate) fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now();
    // `as` saturates for out-of-range floats: no panic.
    Utc.timestamp_millis_opt(ms as i64).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn jitter() -> f64 {
    js_sys::Math::random()
}

/// One client's state, shared by its calls in flight.
pub(crate) struct Inner {
    config: RefCell<Config>,
    session: RefCell<Session<UpgatesWire>>,
    /// Resolvers of calls waiting for a free slot; called whenever a request finishes.
    waiting: RefCell<Vec<Function>>,
    fetch: Option<Function>,
    on_relocate: Option<Function>,
    timeout_ms: u32,
}

/// The exchange of one `Client`, driven over `fetch`.
#[wasm_bindgen]
pub struct ClientCore {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ClientCore {
    /// A client of the shop `options` describe (`{baseUrl, login, apiKey, allowLocal,
    /// retries, onRateLimit, maxWait, concurrency, timeout}`). `fetch` replaces the global
    /// `fetch` when it is a function; `on_relocate` hears the new base URL after a 301.
    /// Throws the error envelope's text when the options are not valid.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: JsValue,
        fetch: JsValue,
        on_relocate: JsValue,
    ) -> Result<ClientCore, JsValue> {
        let o = options::Options::read(options).map_err(|e| JsValue::from_str(&err(&e)))?;
        let (config, exchange, timeout_ms) = o.split().map_err(|e| JsValue::from_str(&err(&e)))?;
        // Checks the base URL now (only Upgates shops, loopback only with allowLocal).
        crate::request::api_of(&config).map_err(|e| JsValue::from_str(&err(&e)))?;
        let wire = UpgatesWire { allow_local: config.allow() };
        let session = Session::new(wire, config.base_url.clone(), exchange);
        let inner = Inner {
            config: RefCell::new(config),
            session: RefCell::new(session),
            waiting: RefCell::new(Vec::new()),
            fetch: fetch.dyn_into::<Function>().ok(),
            on_relocate: on_relocate.dyn_into::<Function>().ok(),
            timeout_ms,
        };
        Ok(ClientCore { inner: Rc::new(inner) })
    }

    /// Operation `op` with JSON `args`: resolves to the answer read as `read` says
    /// (`parse:KIND` or `page:KIND` give the envelope text of `parse`/`page`; `""` gives the
    /// body's bytes), or to an error envelope's text. Never rejects.
    pub fn call(&self, op: String, args: String, read: String) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let built = build_spec(&inner.config.borrow(), &op, &args);
            let spec = match built {
                Ok(spec) => spec,
                Err(e) => return Ok(JsValue::from_str(&err(&e))),
            };
            Ok(match run(&inner, Call::new(spec)).await {
                Ok(answer) => read_answer(&answer, &read),
                Err(e) => JsValue::from_str(&err(&ErrorInfo::from(&e))),
            })
        })
    }

    /// A write of the JSON array `items` (`list_key`, `orders` or `customers`) with the
    /// settings `shared` (JSON object), as operation `op`: chunks of 100, all validated
    /// before any is sent. Resolves to the envelope text of every item's outcome, or of the
    /// error (`results` holds every item's outcome). Never rejects.
    pub fn write(&self, op: String, list_key: String, shared: String, items: String) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            Ok(JsValue::from_str(&batch::write(&inner, &op, &list_key, &shared, &items).await))
        })
    }

    /// The API base URL in use (it changes when the shop moves).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.borrow().base_url.clone()
    }

    /// The request budget as the shop last reported it, adjusted since (envelope text).
    pub fn budget(&self) -> String {
        ok(&self.inner.session.borrow().budget(now()))
    }

    /// Requests sent (every attempt counts against the shop's budget).
    #[wasm_bindgen(getter, js_name = requestsSent)]
    pub fn requests_sent(&self) -> f64 {
        self.inner.session.borrow().requests_sent() as f64
    }

    /// Allows sending again after the shop refused the credentials.
    #[wasm_bindgen(js_name = resetCredentials)]
    pub fn reset_credentials(&self) {
        self.inner.session.borrow_mut().reset_credentials();
    }
}

fn read_answer(answer: &Answer, read: &str) -> JsValue {
    match read.split_once(':') {
        Some(("parse", kind)) => JsValue::from_str(&crate::parse::parse(kind, &answer.body)),
        Some(("page", kind)) => JsValue::from_str(&crate::parse::page(kind, &answer.body)),
        _ => Uint8Array::from(answer.body.as_slice()).into(),
    }
}

/// Runs one call to its end.
pub(crate) async fn run(
    inner: &Rc<Inner>,
    mut call: Call<UpgatesWire>,
) -> Result<Answer, CallError<ApiError>> {
    loop {
        let step = call.poll(&mut inner.session.borrow_mut(), now(), jitter());
        match step {
            Step::Send(spec) => {
                let sent = send::send(inner, &spec).await;
                let moved = {
                    let mut s = inner.session.borrow_mut();
                    match sent {
                        Ok((status, headers, body)) => {
                            call.answered(&mut s, status, headers, body, now(), jitter());
                        }
                        Err(why) => call.no_answer(&mut s, why, now(), jitter()),
                    }
                    s.take_relocation()
                };
                inner.freed();
                if let Some(base) = moved {
                    inner.relocated(base).await;
                }
            }
            Step::Wait(until) => {
                let ms = (until - now()).num_milliseconds().clamp(0, i64::from(u32::MAX));
                gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX))
                    .await;
            }
            Step::Blocked | Step::Pending => inner.slot_freed().await,
            Step::Done(answer) => return Ok(answer),
            Step::Failed(e) => return Err(e),
        }
    }
}

impl Inner {
    /// Wakes every call waiting for a slot (they poll again; the first ones take it).
    fn freed(&self) {
        for resolve in self.waiting.borrow_mut().drain(..) {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    async fn slot_freed(&self) {
        let mut register = |resolve: Function, _reject: Function| {
            self.waiting.borrow_mut().push(resolve);
        };
        let _ = JsFuture::from(Promise::new(&mut register)).await;
    }

    /// The shop moved: later calls go to `base`, and the app hears of it (awaited when its
    /// callback returns a promise).
    async fn relocated(&self, base: String) {
        self.config.borrow_mut().base_url.clone_from(&base);
        if let Some(tell) = &self.on_relocate
            && let Ok(r) = tell.call1(&JsValue::UNDEFINED, &JsValue::from_str(&base))
            && let Ok(p) = r.dyn_into::<Promise>()
        {
            let _ = JsFuture::from(p).await;
        }
    }
}
