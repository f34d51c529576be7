//! The driver: runs the core's exchange over reqwest, sleeping on tokio's timers.
//!
//! Every decision is the core's ([`shopflow_core::exchange`]); this file only sends what a
//! [`Call`] says to send, reports what came back, sleeps until the instant it names, and
//! wakes calls that wait for a free slot when a request finishes. One driver serves both
//! platforms: what differs (how answers read, where a shop may move) is the wire's.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::Utc;
use shopflow_core::exchange::write::{BatchError, BatchWrite, Chunk, Reconcile};
use shopflow_core::exchange::{Answer, Call, CallError, ExchangeConfig, Session, Step, Wire};
use shopflow_core::http::RequestSpec;
use shopflow_core::retailys::RetailysWire;
use shopflow_core::retailys::api::RetailysApi;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::wire::UpgatesWire;
use shopflow_core::upgates::{BaseUrl, UpgatesApi};
use shopflow_core::validation::Problems;
use tokio::sync::Notify;

use crate::Error;
use crate::shared_budget::{BudgetStore, Reservation};

/// How soon a request the budget's store could not be asked about is tried again.
const STORE_RETRY: chrono::TimeDelta = chrono::TimeDelta::seconds(1);

/// A call's failure, as the exchange reports it.
pub(crate) type CallFailure<W> = CallError<<W as Wire>::Error>;

/// What a relocation callback receives: the new API base URL.
pub type OnRelocate = Box<dyn Fn(&str) + Send + Sync>;

/// A wire the driver can run, with the platform's request builder.
pub(crate) trait WireApi: Wire {
    /// The request builder (it knows the base URL and the credentials).
    type Api: Clone;

    /// Where the builder sends: the session starts there.
    fn base_url(api: &Self::Api) -> &str;

    /// Points the builder at `base`, where the shop moved (the wire allowed it).
    fn relocate(&self, api: &mut Self::Api, base: &str);
}

impl WireApi for UpgatesWire {
    type Api = UpgatesApi;

    fn base_url(api: &UpgatesApi) -> &str {
        api.base_url().as_str()
    }

    fn relocate(&self, api: &mut UpgatesApi, base: &str) {
        if let Ok(b) = BaseUrl::parse(base, self.allow_local) {
            api.relocate(b);
        }
    }
}

impl WireApi for RetailysWire {
    type Api = RetailysApi;

    fn base_url(api: &RetailysApi) -> &str {
        api.base_url().as_str()
    }

    // Retailys has one API address: its wire refuses every relocation, so the session never
    // reports one and this is never asked.
    fn relocate(&self, _api: &mut RetailysApi, _base: &str) {}
}

/// The shared state of one client.
pub(crate) struct Driver<W: WireApi> {
    api: Mutex<W::Api>,
    session: Mutex<Session<W>>,
    http: reqwest::Client,
    /// Signalled whenever a request finishes, for calls waiting for a slot.
    freed: Notify,
    on_relocate: Option<OnRelocate>,
    /// The budget shared with other processes, if any: every request is taken from it.
    shared: Option<Arc<dyn BudgetStore>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<W: WireApi> Driver<W> {
    pub(crate) fn new(
        api: W::Api,
        wire: W,
        config: ExchangeConfig,
        timeout: Duration,
        on_relocate: Option<OnRelocate>,
        shared: Option<Arc<dyn BudgetStore>>,
    ) -> Result<Self, String> {
        // ring is the one crypto provider built in; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // Upgates relocates with a 301 whose body names the new address; the exchange
            // decides whether to follow it, never the HTTP layer (which would also carry the
            // credentials to wherever a redirect points).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot set up HTTPS: {e}"))?;
        let session = Session::new(wire, W::base_url(&api), config);
        Ok(Driver {
            api: Mutex::new(api),
            session: Mutex::new(session),
            http,
            freed: Notify::new(),
            on_relocate,
            shared,
        })
    }

    /// The API as it stands (its base URL follows relocations).
    pub(crate) fn api(&self) -> W::Api {
        lock(&self.api).clone()
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Session<W>> {
        lock(&self.session)
    }

    /// Runs one call to its end.
    pub(crate) async fn run(&self, mut call: Call<W>) -> Result<Answer, CallFailure<W>> {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            // Registered before the session is read, so a slot freed in between is not missed.
            freed.as_mut().enable();
            let step = call.poll(&mut self.session(), Utc::now(), rand::random::<f64>());
            match step {
                Step::Send(spec) => {
                    if let Some(send) = self.take_from_shared(&mut call).await {
                        self.exchange(&mut call, &spec, send).await;
                    }
                }
                Step::Wait(until) => {
                    let wait = (until - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                    tokio::time::sleep(wait).await;
                }
                Step::Blocked | Step::Pending => freed.await,
                Step::Done(answer) => return Ok(answer),
                Step::Failed(e) => return Err(e),
            }
        }
    }

    /// Takes the request the call is about to send from the shared budget, if there is one:
    /// `Some` with its number (`None` without a shared budget) when it may leave, `None`
    /// when it may not (the call then waits or fails, and its slot is free again).
    async fn take_from_shared(&self, call: &mut Call<W>) -> Option<Option<u64>> {
        let Some(shared) = &self.shared else { return Some(None) };
        let until = match shared.reserve().await {
            Ok(Reservation::Send(send)) => return Some(Some(send)),
            Ok(Reservation::WaitUntil(until)) => until,
            // Never send without the store's word: ask again in a moment.
            Err(_) => Utc::now().checked_add_signed(STORE_RETRY).unwrap_or_else(Utc::now),
        };
        call.not_sent(&mut self.session(), until, Utc::now());
        self.freed.notify_waiters();
        None
    }

    /// Sends one request and reports what came back (to the shared budget too: `send` is
    /// the request's number there).
    async fn exchange(&self, call: &mut Call<W>, spec: &RequestSpec, send: Option<u64>) {
        let result = self.send(spec).await;
        let (now, jitter) = (Utc::now(), rand::random::<f64>());
        let (moved, figures) = {
            let mut s = self.session();
            match result {
                Ok((status, headers, body)) => {
                    call.answered(&mut s, status, headers, body, now, jitter);
                }
                Err(e) => call.no_answer(&mut s, describe(&e), now, jitter),
            }
            (s.take_relocation(), s.take_report())
        };
        self.freed.notify_waiters();
        if let (Some(shared), Some(send)) = (&self.shared, send) {
            // A failure leaves the shared figures lower than they are: the safe side.
            let _ = shared.report(send, figures).await;
        }
        if let Some(base) = moved {
            self.session().wire().relocate(&mut lock(&self.api), &base);
            if let Some(tell) = &self.on_relocate {
                tell(&base);
            }
        }
    }

    async fn send(
        &self,
        spec: &RequestSpec,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>), reqwest::Error> {
        let method = reqwest::Method::from_bytes(spec.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut req = self.http.request(method, spec.url());
        for (name, value) in &spec.headers {
            req = req.header(name.as_str(), value.expose());
        }
        if let Some(body) = &spec.body {
            req = req.body(body.clone());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
            .collect();
        let body = resp.bytes().await?.to_vec();
        Ok((status, headers, body))
    }
}

impl Driver<UpgatesWire> {
    /// Runs a batched write: at most as many chunks at once as the session has slots.
    pub(crate) async fn write(
        &self,
        items: usize,
        list_key: &str,
        chunks: Vec<(usize, Result<Chunk, Problems>)>,
        reconcile: Reconcile<ItemOutcome, shopflow_core::upgates::ApiError>,
    ) -> Result<Vec<ItemOutcome>, Error> {
        let mut batch =
            BatchWrite::<UpgatesWire, ItemOutcome>::new(items, list_key, chunks, reconcile)
                .map_err(Error::Invalid)?;
        let lanes = self.session().config().max_in_flight;
        let mut running = futures_util::stream::FuturesUnordered::new();
        loop {
            while running.len() < lanes {
                let Some((id, call)) = batch.next_chunk() else { break };
                running.push(async move { (id, self.run(call).await) });
            }
            let Some((id, result)) = futures_util::StreamExt::next(&mut running).await else {
                break;
            };
            batch.chunk_done(id, result);
        }
        batch.finish().map_err(|e| match e {
            BatchError::Call { error, results } => Error::WriteFailed { error, results },
            BatchError::ItemsFailed(results) => Error::ItemsFailed(results),
        })
    }
}

/// What reqwest said, with the cause under it (connection refused, timed out), and without
/// the URL (whose query may carry values).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() { kind.to_owned() } else { format!("{kind}: {cause}") }
}
