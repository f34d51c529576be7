//! shopflow-service: the rules service (`shopflow run`) as a library.
//!
//! Webhooks come in (`http`), are journaled before they are acknowledged (`journal`), and a
//! worker turns them into the fewest API calls (`worker`) through the shop's client
//! (`shopflow-client`, the core's exchange over reqwest). `board` is what `/status` shows;
//! `webhooks` registers the webhooks the rules need; `metrics` is `/metrics`. [`start`] runs
//! it on a listener and [`Running::stop`] stops it without losing what was acknowledged; the
//! command line (`cli/`) adds the demo shop and signals. [`many`] runs many shops in one
//! process: a service each, behind one router.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod access;
mod api;
mod board;
mod http;
mod ingest;
mod journal;
mod lease;
pub mod many;
mod metrics;
mod poller;
pub mod retailys;
pub mod rules;
mod runs;
pub mod shared_budget;
pub mod shop;
pub mod webhooks;
mod worker;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use shopflow_core::date::ApiDate;
use shopflow_core::secret::Secret;

use board::{Board, RuleInfo};
use journal::Journal;
pub use journal::PgShop;
pub use lease::{LeaseRounds, wake_holders};
use metrics::Metrics;
use rules::{LiveRules, Reloader, Rules};
use runs::RunHistory;
pub use shop::Shop;
use shopflow_core::retailys::poller::PollerConfig;

/// What the demo tells the dashboard (`GET /demo.json`): the local sandbox's address and its
/// demo key. Never served for a real shop.
#[derive(Debug, Clone, Serialize)]
pub struct DemoInfo {
    /// The sandbox's API.
    pub shop: DemoShop,
}

/// The demo shop's connection.
#[derive(Debug, Clone, Serialize)]
pub struct DemoShop {
    /// `upgates` or `retailys`.
    pub platform: &'static str,
    /// `http://127.0.0.1:PORT/api/v2` (Upgates) or `http://127.0.0.1:PORT/v1` (Retailys).
    #[serde(rename = "baseUrl")]
    pub base_url: String,
    /// The API login (Upgates; empty for Retailys).
    pub login: String,
    /// The demo key or token (a local sandbox's; not a secret of any real shop).
    #[serde(rename = "apiKey")]
    pub api_key: String,
}

/// The running service's shared parts.
pub struct Service {
    journal: Mutex<Journal>,
    /// Deliveries are journaled through it, synced in groups.
    ingest: ingest::Ingest,
    board: Mutex<Board>,
    runs: Mutex<RunHistory>,
    /// The rule files in use, swapped by a reload.
    live_rules: LiveRules,
    /// The shop's API client (its budget, slots and refused credentials are shared by
    /// every request of the service).
    pub shop: Shop,
    /// Wakes the worker when a delivery is journaled.
    pub wake: tokio::sync::Notify,
    secret: Secret,
    operator_token: Secret,
    demo: Option<DemoInfo>,
    metrics: Metrics,
    /// `true` once the service is stopping: deliveries get 503, the worker ends after the
    /// pass in hand.
    stop: tokio::sync::watch::Sender<bool>,
}

impl Service {
    /// The journal (held briefly; never across an await).
    pub fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The status board.
    pub fn board(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The run history.
    pub(crate) fn runs(&self) -> MutexGuard<'_, RunHistory> {
        self.runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The rules in use now: a pass keeps this snapshot to its end, so a reload never
    /// changes the rules in the middle of one.
    pub fn rules(&self) -> Arc<Rules> {
        self.live_rules.current()
    }

    /// Loads the rule files again and swaps them in; rules that fail the check leave the
    /// running ones in place, and `/status` says why. Blocking (it compiles the rules).
    ///
    /// # Errors
    /// The problems, one `FILE:LINE:COLUMN: code: message` a line.
    pub fn reload_rules(&self) -> Result<Vec<String>, String> {
        self.live_rules.reload(&self.board)
    }

    /// Wakes on every good reload of the rules (to register what new rules need).
    pub fn rules_reloaded(&self) -> tokio::sync::watch::Receiver<u64> {
        self.live_rules.reloads()
    }

    /// Whether the service is stopping.
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Waits `d`, or less if the service starts stopping; `false` if it is stopping.
    pub async fn pause(&self, d: Duration) -> bool {
        let mut stop = self.stop.subscribe();
        tokio::select! {
            () = tokio::time::sleep(d) => !self.stopping(),
            _ = stop.wait_for(|s| *s) => false,
        }
    }
}

/// Today in UTC (the payment date of `mark_paid` without one).
pub fn today() -> ApiDate {
    ApiDate::Date(chrono::Utc::now().date_naive())
}

/// What a service needs to start.
pub struct Config {
    /// The shop's client.
    pub shop: Shop,
    /// Retailys: how many requests an hour the poller may spend finding the events Retailys
    /// does not call back for (payments, parcels, finished and canceled orders).
    pub poll_per_hour: u32,
    /// The compiled rule files, by name.
    pub rules: Rules,
    /// Loads and checks the rule files again for a reload (SIGHUP, the file watch,
    /// `POST /rules/reload`); `None`: the rules cannot be reloaded.
    pub reloader: Option<Reloader>,
    /// Where the journal, the webhook secret and the operator token live.
    pub data: PathBuf,
    /// The webhook secret; `None`: generated once and kept in `data`.
    pub secret: Option<String>,
    /// The operator token the operator API asks for; `None`: generated once and kept in
    /// `data`.
    pub operator_token: Option<String>,
    /// Origins whose pages may call the service from a browser (CORS); none: no CORS.
    pub allow_origins: Vec<String>,
    /// The built dashboard to serve at `/`, if any.
    pub www: Option<PathBuf>,
    /// The demo shop's connection, served at `/demo.json` (the demo only).
    pub demo: Option<DemoInfo>,
    /// How long the run history keeps a run (`shopflow run --keep-runs`, days).
    pub keep_runs: Duration,
    /// The journal on PostgreSQL, shared with other instances (`--store`); `None`: the file
    /// journal in `data`.
    pub store: Option<PgShop>,
}

/// A running service: its shared parts and its address.
pub struct Running {
    /// The service.
    pub service: Arc<Service>,
    /// `http://127.0.0.1:PORT` (a shop of many: `http://127.0.0.1:PORT/shops/NAME`).
    pub origin: String,
    /// Where the webhook secret is, in words (for people; never the secret).
    pub secret_is: String,
    /// Where the operator token is, in words (for people; never the token).
    pub token_is: String,
    /// Deliveries found unfinished in the journal at start.
    pub resumed: usize,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    worker: tokio::task::JoinHandle<()>,
    poller: Option<tokio::task::JoinHandle<()>>,
    /// On PostgreSQL: the task holding the shop's lease, and what tells it to give it up.
    lease: Option<(tokio::task::JoinHandle<()>, tokio::sync::oneshot::Sender<()>)>,
    /// Ends the HTTP server (after the worker, so deliveries get 503 meanwhile, not a refused
    /// connection).
    close: Option<tokio::sync::oneshot::Sender<()>>,
}

/// How long a stopping server waits for open connections to end.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

impl Running {
    /// The operator token (the demo puts it in the dashboard's address; never log it).
    pub fn operator_token(&self) -> &Secret {
        &self.service.operator_token
    }

    /// Waits until the HTTP server stops (it runs until [`Running::stop`] or the process
    /// ends).
    ///
    /// # Errors
    /// Why the server stopped.
    pub async fn serve(&mut self) -> Result<(), String> {
        let Some(server) = self.server.as_mut() else {
            return Ok(());
        };
        let ended = server.await;
        self.server = None;
        match ended {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("the server stopped: {e}")),
            Err(e) => Err(format!("the server stopped: {e}")),
        }
    }

    /// Stops without losing anything acknowledged: from now on deliveries get 503 (the shop
    /// sends them again) and `/readyz` says so; the pass in hand finishes (at most `grace`;
    /// past that it is cut off, and its deliveries, still unfinished in the journal, are
    /// resumed at the next start); the journal is synced; then the server closes.
    ///
    /// # Errors
    /// The journal could not be synced.
    pub async fn stop(mut self, grace: Duration) -> Result<(), String> {
        self.service.stop.send_replace(true);
        self.service.wake.notify_one();
        if let Some(poller) = self.poller.take() {
            poller.abort();
        }
        if tokio::time::timeout(grace, &mut self.worker).await.is_err() {
            tracing::warn!(
                grace_s = grace.as_secs(),
                "the pass in hand did not finish in time; its deliveries stay in the journal and are resumed at the next start"
            );
            self.worker.abort();
        }
        if let Some((holder, release)) = self.lease.take() {
            let _ = release.send(());
            let _ = tokio::time::timeout(CLOSE_WAIT, holder).await;
        }
        let service = Arc::clone(&self.service);
        let flushed = tokio::task::spawn_blocking(move || service.journal().flush())
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r);
        if let Some(close) = self.close.take() {
            let _ = close.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(CLOSE_WAIT, server).await;
        }
        flushed
    }
}

/// Starts the service on `listener`: opens the journal (resuming what it holds), serves
/// webhooks, `/status` and the dashboard, and starts the worker.
///
/// # Errors
/// The journal or the secret cannot be read or written.
pub async fn start(config: Config, listener: tokio::net::TcpListener) -> Result<Running, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (mut running, app) = open(config, format!("http://{addr}")).await?;
    let (close, closed) = tokio::sync::oneshot::channel::<()>();
    running.server = Some(tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = closed.await;
            })
            .await
    }));
    running.close = Some(close);
    Ok(running)
}

/// Opens the service without serving it: the journal (resuming what it holds), the worker
/// (and Retailys' poller), and the router its requests go to, for whoever serves it (one
/// service: [`start`]; many shops behind one router: [`many`]). `origin` is where the router
/// is reached (`http://HOST:PORT`, or `http://HOST:PORT/shops/NAME` for a shop of many).
///
/// # Errors
/// The journal or the secret cannot be read or written.
pub async fn open(config: Config, origin: String) -> Result<(Running, axum::Router), String> {
    let pg = config.store.clone();
    // A generated secret lives in the data folder on either store (and the run history on
    // file).
    std::fs::create_dir_all(&config.data)
        .map_err(|e| format!("cannot create {}: {e}", config.data.display()))?;
    let journal = match config.store {
        Some(shop) => Journal::on_postgres(shop),
        None => Journal::open(&config.data, &today().to_string())?,
    };
    let (secret, secret_is) = kept(config.secret.as_deref(), &config.data, WEBHOOK_SECRET)?;
    let (operator_token, token_is) =
        kept(config.operator_token.as_deref(), &config.data, OPERATOR_TOKEN)?;
    let cors = access::cors(&config.allow_origins)?;
    let runs = RunHistory::open(&config.data, pg.clone(), config.keep_runs)?;
    let board = Board {
        rules: RuleInfo::of(&config.rules),
        rules_loaded_at: worker::now_text(),
        ..Board::default()
    };
    let resumed = journal.state.pending.len();
    let (ingest, writer) = ingest::Ingest::new();
    let service = Arc::new(Service {
        journal: Mutex::new(journal),
        ingest,
        board: Mutex::new(board),
        runs: Mutex::new(runs),
        live_rules: LiveRules::new(config.rules, config.reloader),
        shop: config.shop,
        wake: tokio::sync::Notify::new(),
        secret,
        operator_token,
        demo: config.demo,
        metrics: Metrics::new()?,
        stop: tokio::sync::watch::Sender::new(false),
    });
    writer.start(Arc::downgrade(&service))?;
    let app = http::router(Arc::clone(&service), config.www, cors);
    let worker = tokio::spawn(worker::run(Arc::clone(&service)));
    let poller = match &service.shop {
        Shop::Retailys(client) => {
            let config =
                PollerConfig { requests_per_hour: config.poll_per_hour, ..PollerConfig::default() };
            Some(tokio::spawn(poller::run(Arc::clone(&service), client.clone(), config)))
        }
        Shop::Upgates(_) => None,
    };
    let lease = pg.map(|pg| {
        let (release, released) = tokio::sync::oneshot::channel();
        let task = lease::hold(Arc::clone(&service), pg, released);
        (tokio::spawn(task), release)
    });
    service.wake.notify_one();
    let running = Running {
        service,
        origin,
        secret_is,
        token_is,
        resumed,
        server: None,
        worker,
        poller,
        lease,
        close: None,
    };
    Ok((running, app))
}

/// A secret the service keeps: where its file is, and what to call it when it was given.
struct KeptSecret {
    /// The file in the data folder.
    file: &'static str,
    /// The flag or variable that gives it instead.
    given_by: &'static str,
    /// Whether it travels in the URLs the shop calls, so it follows the one receiver-secret
    /// rule (`url_secret_flaw`, the npm package's too).
    in_url: bool,
}

/// The webhook secret (in the URLs the shop calls).
const WEBHOOK_SECRET: KeptSecret =
    KeptSecret { file: "webhook-secret", given_by: "--secret", in_url: true };
/// The operator token (what the operator API asks for).
const OPERATOR_TOKEN: KeptSecret = KeptSecret {
    file: "operator-token",
    given_by: "--operator-token (or SHOPFLOW_OPERATOR_TOKEN)",
    in_url: false,
};

/// Refuses a secret of `what` that travels in URLs and breaks the receiver-secret rule;
/// `given` says where it came from. The message never contains the secret.
fn url_safe(secret: &str, given: &str, what: &KeptSecret) -> Result<(), String> {
    match shopflow_core::secret::url_secret_flaw(secret) {
        Some(flaw) if what.in_url => Err(format!("the webhook secret {given} {flaw}")),
        _ => Ok(()),
    }
}

/// A kept secret: given, else read from `dir/FILE`, else generated (24 random bytes, hex)
/// and written there once, owner-only. With where it is, in words (never the secret).
fn kept(given: Option<&str>, dir: &Path, what: KeptSecret) -> Result<(Secret, String), String> {
    if let Some(s) = given {
        if s.trim().is_empty() {
            return Err(format!(
                "{} is empty; give a long random value, or leave it out to have one generated into {}",
                what.given_by,
                dir.join(what.file).display()
            ));
        }
        url_safe(s, &format!("given with {}", what.given_by), &what)?;
        return Ok((Secret::new(s), format!("the one given with {}", what.given_by)));
    }
    let path = dir.join(what.file);
    let is = format!("in {}", path.display());
    if let Ok(s) = std::fs::read_to_string(&path) {
        url_safe(s.trim(), &is, &what)?;
        return Ok((Secret::new(s.trim()), is));
    }
    let bytes: [u8; 24] = rand::random();
    let s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(s.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| e.to_string())?;
    Ok((Secret::new(s), is))
}
