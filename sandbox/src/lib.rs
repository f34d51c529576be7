//! shopflow-sandbox: a local, stateful Upgates shop.
//!
//! A real HTTP server that behaves like an Upgates shop as the spec describes it: the API
//! under `/api/v2` with Basic auth, per-item results inside 200 answers, webhooks delivered
//! to registered URLs, request budgets, the concurrency cap, the 100-item limit, login
//! lockout, relocation, and injected faults reproducible from a seed. It is the default shop
//! of the main command and the server every client, rules and browser test talks to.
//!
//! Besides its own shop, a sandbox hosts shops by name under `/shops/{name}/`, each with
//! its own credentials, state, budget and webhooks ([`shops`]).
//!
//! [`start_retailys`] starts the same kind of sandbox for Retailys, the second platform
//! (`/v1/System/...`, token auth), hosting shops by name the same way; see [`retailys`].
//!
//! It reads requests and writes answers with shopflow-core's types, but its behaviour is
//! written from the spec, not from what shopflow's client happens to send.

#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod delivery;
pub mod faults;
pub mod generate;
pub mod http;
pub mod limits;
mod locks;
pub mod pdf;
pub mod persist;
pub mod retailys;
pub mod shop;
pub mod shops;
pub mod state;
pub mod stats;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{RuntimeConfig, SandboxConfig};
pub use retailys::{NewRetailysShop, RetailysConfig, RetailysHandle, start_retailys};
pub use state::AppState;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// The state file could not be read or is not a sandbox state.
    #[error("cannot load the state file: {0}")]
    State(String),
    /// A shop to host at start could not be added.
    #[error("cannot host the shop: {0}")]
    Shop(#[from] shops::AddError),
}

/// A running sandbox.
#[derive(Debug)]
pub struct SandboxHandle {
    addr: SocketAddr,
    state: Arc<AppState>,
    shops: Arc<shops::Shops<AppState>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl SandboxHandle {
    /// Where it listens.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base URL, `http://127.0.0.1:PORT/api/v2`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("{}/api/v2", self.origin())
    }

    /// The shared state (for in-process tests and the rules service).
    #[must_use]
    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    /// The shops hosted besides this one (`/shops/{name}/...`).
    #[must_use]
    pub fn shops(&self) -> &Arc<shops::Shops<AppState>> {
        &self.shops
    }

    /// A hosted shop's API base URL, `http://127.0.0.1:PORT/shops/NAME/api/v2`.
    #[must_use]
    pub fn shop_base_url(&self, name: &str) -> String {
        format!("{}/shops/{name}/api/v2", self.origin())
    }

    /// Stops serving and closes every connection.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a sandbox on 127.0.0.1.
///
/// # Errors
/// [`StartError`] when the port cannot be bound, the state file cannot be loaded, or a shop
/// cannot be hosted.
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, StartError> {
    let shop = match &config.state_file {
        Some(path) => match persist::read(path).map_err(StartError::State)? {
            Some(bytes) => shop::Shop::from_snapshot(&bytes)
                .map_err(|e| StartError::State(format!("{}: {e}", path.display())))?,
            None => seeded(&config),
        },
        None => seeded(&config),
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|source| StartError::Bind { port: config.port, source })?;
    let addr =
        listener.local_addr().map_err(|source| StartError::Bind { port: config.port, source })?;
    let state = Arc::new(AppState::new(
        shop,
        config.runtime.clone(),
        config.login.clone(),
        config.api_key.clone(),
        config.state_file.clone(),
        config.seed,
    ));
    state.persist().await.map_err(StartError::State)?;
    let shops = Arc::new(shops::Shops::<AppState>::new(shops::Template {
        runtime: config.runtime.clone(),
        seed_orders: config.seed_orders,
        seed: config.seed,
        cors_origin: config.cors_origin.clone(),
    }));
    for k in 1..=config.shops {
        let name = format!("shop-{k}");
        shops.add(shops::NewShop { name, login: None, key: None })?;
    }
    let router = http::router(Arc::clone(&state), &config.cors_origin)
        .merge(shops::routes(Arc::clone(&shops)));
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(http::server::serve(
        listener,
        router,
        Arc::clone(&state),
        Arc::clone(&shops),
        rx,
    ));
    Ok(SandboxHandle { addr, state, shops, shutdown: Some(tx), task })
}

fn seeded(config: &SandboxConfig) -> shop::Shop {
    let mut shop = shop::Shop::new(&config.project_name);
    // No webhooks are registered yet, so the records these fire go nowhere.
    let _ = generate::generate(&mut shop, config.seed_orders, config.seed);
    shop
}
