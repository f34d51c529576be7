//! The clients' engine: the npm package's `Client` (Upgates) and `RetailysClient` run the
//! core's exchange here, one driver for both platforms.
//!
//! Every decision is the core's ([`shopflow_core::exchange`]), the same loop the Rust client
//! runs: [`run`] sends what a call says to send with gloo-net (`fetch`), reports what came
//! back, waits on JavaScript timers, and wakes calls waiting for a free slot. It is generic
//! over the platform's [`Wire`]; [`ClientCore`] is the Upgates face, `RetailysCore`
//! (`crate::retailys`) the Retailys one. The JavaScript classes (`wasm/js/client.js`,
//! `wasm/js/retailys.js`) keep only the public surface: namespaces, async iterators and
//! error classes.

mod batch;
mod js_options;
pub(crate) mod options;
mod send;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, TimeZone, Utc};
use js_sys::{Function, Promise, Uint8Array};
use shopflow_core::exchange::{Answer, Call, CallError, Session, Step, Wire};
use shopflow_core::upgates::wire::UpgatesWire;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::envelope::{ErrorInfo, err, ok};
use crate::request::{Config, api_of, build_spec};
pub(crate) use options::Settings;
pub(crate) use send::Transport;

/// The caller's clock, read from `Date.now()`.
pub(crate) fn now() -> DateTime<Utc> {
    let ms = js_sys::Date::now();
    // `as` saturates for out-of-range floats: no panic.
    Utc.timestamp_millis_opt(ms as i64).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn jitter() -> f64 {
    js_sys::Math::random()
}

/// One client's state, shared by its calls in flight: the platform's request settings `C`,
/// the exchange's session (budget, pace, slots, base URL, refused credentials), and the
/// calls waiting for a slot.
pub(crate) struct Inner<W: Wire, C> {
    /// What the platform's requests are built from (credentials).
    pub(crate) config: C,
    session: RefCell<Session<W>>,
    /// Resolvers of calls waiting for a free slot; called whenever a request finishes.
    waiting: RefCell<Vec<Function>>,
    transport: Transport,
    on_relocate: Option<Function>,
}

impl<W: Wire, C> Inner<W, C> {
    /// A client of the shop `settings` describe, over `wire`; `fetch` replaces the global
    /// one when it is a function, `on_relocate` hears a new base URL.
    pub(crate) fn new(
        wire: W,
        settings: Settings<C>,
        fetch: JsValue,
        on_relocate: JsValue,
    ) -> Rc<Self> {
        let session = Session::new(wire, settings.base_url, settings.exchange);
        let transport =
            Transport { fetch: fetch.dyn_into::<Function>().ok(), timeout_ms: settings.timeout_ms };
        Rc::new(Inner {
            config: settings.config,
            session: RefCell::new(session),
            waiting: RefCell::new(Vec::new()),
            transport,
            on_relocate: on_relocate.dyn_into::<Function>().ok(),
        })
    }

    /// The API base URL requests go to now (it changes when the shop moves).
    pub(crate) fn base_url(&self) -> String {
        self.session.borrow().base_url().to_owned()
    }

    /// Requests sent (every attempt counts).
    pub(crate) fn requests_sent(&self) -> f64 {
        self.session.borrow().requests_sent() as f64
    }

    /// Allows sending again after the shop refused the credentials.
    pub(crate) fn reset_credentials(&self) {
        self.session.borrow_mut().reset_credentials();
    }

    /// Requests in flight at most.
    pub(crate) fn lanes(&self) -> usize {
        self.session.borrow().config().max_in_flight
    }

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

    /// The shop moved (the session sends later calls to `base`): the app hears of it,
    /// awaited when its callback returns a promise.
    async fn relocated(&self, base: String) {
        if let Some(tell) = &self.on_relocate
            && let Ok(r) = tell.call1(&JsValue::UNDEFINED, &JsValue::from_str(&base))
            && let Ok(p) = r.dyn_into::<Promise>()
        {
            let _ = JsFuture::from(p).await;
        }
    }

    /// Sends what the call says and reports the answer (or its absence) to it.
    async fn send_for(&self, call: &mut Call<W>, spec: &shopflow_core::http::RequestSpec) {
        let sent = send::send(&self.transport, spec).await;
        let moved = {
            let mut s = self.session.borrow_mut();
            match sent {
                Ok((status, headers, body)) => {
                    call.answered(&mut s, status, headers, body, now(), jitter());
                }
                Err(why) => call.no_answer(&mut s, why, now(), jitter()),
            }
            s.take_relocation()
        };
        self.freed();
        if let Some(base) = moved {
            self.relocated(base).await;
        }
    }
}

/// Runs one call to its end.
pub(crate) async fn run<W: Wire, C>(
    inner: &Inner<W, C>,
    mut call: Call<W>,
) -> Result<Answer, CallError<W::Error>> {
    loop {
        let step = call.poll(&mut inner.session.borrow_mut(), now(), jitter());
        match step {
            Step::Send(spec) => inner.send_for(&mut call, &spec).await,
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

/// The body's bytes, for an answer read as raw bytes.
pub(crate) fn bytes(answer: &Answer) -> JsValue {
    Uint8Array::from(answer.body.as_slice()).into()
}

/// The exchange of one `Client` (Upgates), driven over `fetch`.
#[wasm_bindgen]
pub struct ClientCore {
    inner: Rc<Inner<UpgatesWire, Config>>,
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
        let refused = |e: ErrorInfo| JsValue::from_str(&err(&e));
        let settings = options::upgates(options).map_err(refused)?;
        // Checks the base URL now (only Upgates shops, loopback only with allowLocal).
        api_of(&settings.config, &settings.base_url).map_err(refused)?;
        let wire = UpgatesWire { allow_local: settings.config.allow() };
        Ok(ClientCore { inner: Inner::new(wire, settings, fetch, on_relocate) })
    }

    /// Operation `op` with JSON `args`: resolves to the answer read as `read` says
    /// (`parse:KIND` or `page:KIND` give the envelope text of `parse`/`page`; `""` gives the
    /// body's bytes), or to an error envelope's text. Never rejects.
    pub fn call(&self, op: String, args: String, read: String) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let built = build_spec(&inner.config, &inner.base_url(), &op, &args);
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
        self.inner.base_url()
    }

    /// The request budget as the shop last reported it, adjusted since (envelope text).
    pub fn budget(&self) -> String {
        ok(&self.inner.session.borrow().budget(now()))
    }

    /// Requests sent (every attempt counts against the shop's budget).
    #[wasm_bindgen(getter, js_name = requestsSent)]
    pub fn requests_sent(&self) -> f64 {
        self.inner.requests_sent()
    }

    /// Allows sending again after the shop refused the credentials.
    #[wasm_bindgen(js_name = resetCredentials)]
    pub fn reset_credentials(&self) {
        self.inner.reset_credentials();
    }
}

fn read_answer(answer: &Answer, read: &str) -> JsValue {
    match read.split_once(':') {
        Some(("parse", kind)) => JsValue::from_str(&crate::parse::parse(kind, &answer.body)),
        Some(("page", kind)) => JsValue::from_str(&crate::parse::page(kind, &answer.body)),
        _ => bytes(answer),
    }
}
