//! Everything a running sandbox shares between connections, handlers and delivery workers.
//!
//! Dependencies go one way, state → delivery: [`AppState`] owns the delivery [`Hub`] and
//! lends itself to the delivery workers through [`delivery::Host`], which it implements
//! here, so delivery never names `AppState` (nor imports this module).

use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use shopflow_core::Secret;

use crate::config::{RuntimeConfig, WebhookTiming};
use crate::delivery::{self, Hub};
use crate::faults::FaultDice;
use crate::limits::{BadLogins, RateWindows};
use crate::shop::{Emitted, Shop};
use crate::stats::Stats;

pub use crate::locks::lock;
use crate::locks::recover;

/// The sandbox's shared state.
#[derive(Debug)]
pub struct AppState {
    shop: RwLock<Shop>,
    runtime: RwLock<RuntimeConfig>,
    /// The limits and faults the sandbox started with (a reset restores them).
    pub initial_runtime: RuntimeConfig,
    /// The API user's login.
    pub login: String,
    /// The API user's key.
    pub api_key: Secret,
    /// Where state is saved, if anywhere.
    pub state_file: Option<PathBuf>,
    /// Seed for generated data.
    pub seed: u64,
    persist_lock: tokio::sync::Mutex<()>,
    /// Request counts.
    pub stats: Mutex<Stats>,
    /// The request budget.
    pub rate: Mutex<RateWindows>,
    /// The login lockout.
    pub bad_logins: Mutex<BadLogins>,
    /// API requests being served.
    pub in_flight: AtomicUsize,
    /// Injected failures.
    pub faults: Mutex<FaultDice>,
    /// Webhook deliveries.
    pub hub: Hub,
}

impl AppState {
    /// State around a shop.
    #[must_use]
    pub fn new(
        shop: Shop,
        runtime: RuntimeConfig,
        login: String,
        api_key: Secret,
        state_file: Option<PathBuf>,
        seed: u64,
    ) -> Self {
        AppState {
            shop: RwLock::new(shop),
            faults: Mutex::new(FaultDice::new(runtime.faults.clone())),
            initial_runtime: runtime.clone(),
            runtime: RwLock::new(runtime),
            login,
            api_key,
            state_file,
            seed,
            persist_lock: tokio::sync::Mutex::new(()),
            stats: Mutex::new(Stats::default()),
            rate: Mutex::new(RateWindows::default()),
            bad_logins: Mutex::new(BadLogins::default()),
            in_flight: AtomicUsize::new(0),
            hub: Hub::default(),
        }
    }

    /// Reads the shop.
    pub fn shop(&self) -> RwLockReadGuard<'_, Shop> {
        recover(self.shop.read())
    }

    /// Changes the shop.
    pub fn shop_mut(&self) -> RwLockWriteGuard<'_, Shop> {
        recover(self.shop.write())
    }

    /// The current limits and faults.
    pub fn runtime(&self) -> RuntimeConfig {
        recover(self.runtime.read()).clone()
    }

    /// Replaces the limits and faults (restarting the fault sequence).
    pub fn set_runtime(&self, next: RuntimeConfig) {
        *lock(&self.faults) = FaultDice::new(next.faults.clone());
        *recover(self.runtime.write()) = next;
    }

    /// Saves the shop to the state file, if there is one, before a change is answered.
    ///
    /// # Errors
    /// When the file cannot be written; the caller answers 500 (the change is not durable).
    pub async fn persist(&self) -> Result<(), String> {
        let Some(path) = self.state_file.clone() else { return Ok(()) };
        // One writer at a time; each writes the newest state, which includes its own change.
        let _guard = self.persist_lock.lock().await;
        let bytes = self.shop().to_snapshot().map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || crate::persist::write_atomic(&path, &bytes))
            .await
            .map_err(|e| e.to_string())?
    }

    /// Hands webhook records to the delivery workers of the webhooks registered for them.
    pub fn fire(self: &std::sync::Arc<Self>, emitted: Vec<Emitted>) {
        Hub::fire(self, emitted);
    }
}

/// What the delivery workers read and change: the shop's webhooks, the timing, the state file.
impl delivery::Host for AppState {
    fn hub(&self) -> &Hub {
        &self.hub
    }

    fn shop(&self) -> RwLockReadGuard<'_, Shop> {
        AppState::shop(self)
    }

    fn shop_mut(&self) -> RwLockWriteGuard<'_, Shop> {
        AppState::shop_mut(self)
    }

    fn webhook_timing(&self) -> WebhookTiming {
        self.runtime().webhooks
    }

    fn persist(&self) -> impl Future<Output = Result<(), String>> + Send {
        AppState::persist(self)
    }
}

/// Zeroes the counts, budget, lockouts and deliveries (a reset).
pub fn reset_counters(state: &AppState) {
    *lock(&state.stats) = Stats::default();
    lock(&state.rate).clear();
    lock(&state.bad_logins).clear();
    state.hub.clear();
}
