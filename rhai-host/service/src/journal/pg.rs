//! The journal on PostgreSQL (`shopflow run --store postgres://…`), shared by instances.
//!
//! Any instance receives a shop's deliveries: each is committed (and deduplicated by its
//! fingerprint, so the shop's resend to another instance is not worked twice) before the
//! 200. Only the instance holding the shop's lease (`crate::lease`) works them: when it
//! takes the lease it replays the shop's records and unfinished deliveries, it polls for
//! deliveries other instances received, and it writes its records and finishes deliveries
//! with the lease checked in the same transaction, so an instance that lost the shop (paused
//! past its lease, partitioned) writes nothing.
//!
//! The journal's methods are synchronous (the state is behind a mutex held briefly, as the
//! file journal's sync is), so the database's futures are driven to completion here, on the
//! store's own runtime ([`PgShop::runtime`]) as tasks of it, never on the service's: tasks
//! waiting for the journal's lock may hold every thread of the service's runtime, and the
//! store's work (a connection given back to the pool, a transaction rolled back) must still
//! get done; on the service's runtime it did not, connections leaked, and every shop stopped.
//! Whatever else uses the store (the lease tasks) goes through [`on_store`] for the same
//! reason.

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Handle;

use shopflow_pg_store::{Lease, PgStore, Received, StoredDelivery};

use super::{Delivery, JournalState, Record, apply};

/// How often the lease holder looks for deliveries other instances received, besides when
/// the database tells it of one (`crate::lease::wake_holders`, which also wakes every holder
/// once its listener (re)connects): a last resort, rare because each look is a query per
/// shop (a thousand shops every 3 s kept a small database busy).
pub const POLL: Duration = Duration::from_secs(30);

/// At most this many deliveries brought in at a time.
const PAGE: i64 = 1000;

/// One shop in the shared database.
#[derive(Debug, Clone)]
pub struct PgShop {
    /// The database.
    pub store: PgStore,
    /// The shop's name (its rows' key, the same on every instance).
    pub shop: String,
    /// This instance's name as a lease holder.
    pub holder: String,
    /// The runtime the store's connections were opened on (and its IO is driven by): its
    /// own threads, not the service's (see the module's documentation).
    pub runtime: Handle,
    /// The instance's rounds of lease statements, shared by all its shops.
    pub rounds: std::sync::Arc<crate::lease::LeaseRounds>,
}

/// The shop's log in the database, and the lease if this instance holds it.
pub struct PgLog {
    shop: PgShop,
    lease: Option<Lease>,
}

/// Runs `work` as a task of the store's runtime and waits for it from synchronous code.
pub(crate) fn wait<F>(runtime: &Handle, work: F) -> Result<F::Output, String>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let task = runtime.spawn(work);
    let joined = match Handle::try_current() {
        // On a thread of the service's runtime (a worker's task): hand this thread's other
        // tasks away first.
        Ok(_) => tokio::task::block_in_place(|| runtime.block_on(task)),
        // On a thread of its own (the ingest writer, a blocking task).
        Err(_) => runtime.block_on(task),
    };
    joined.map_err(|e| format!("the store's task failed: {e}"))
}

/// Runs `work` as a task of the store's runtime and awaits it from async code (see the
/// module's documentation).
///
/// # Errors
/// The task panicked or was cancelled (the runtime is shutting down).
pub async fn on_store<F>(runtime: &Handle, work: F) -> Result<F::Output, String>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    runtime.spawn(work).await.map_err(|e| format!("the store's task failed: {e}"))
}

/// An id as the journal counts (the database's are positive).
fn id_of(id: i64) -> Result<u64, String> {
    u64::try_from(id).map_err(|_| format!("the database gave delivery id {id}"))
}

/// A stored delivery as the journal has it.
fn delivery(stored: StoredDelivery) -> Result<Delivery, String> {
    let id = id_of(stored.id)?;
    let body = String::from_utf8(stored.body)
        .map_err(|_| format!("delivery {id}: the stored body is not UTF-8"))?;
    let received_at = stored.received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Ok(Delivery { id, event: stored.event, body, received_at })
}

impl PgLog {
    /// The log of `shop`, without its lease.
    pub fn new(shop: PgShop) -> PgLog {
        PgLog { shop, lease: None }
    }

    /// Commits deliveries (event, body, received at; the database keeps its own time) and
    /// returns their ids, with the new ones to work when this instance holds the lease.
    pub fn receive(
        &mut self,
        deliveries: Vec<(String, String, String)>,
    ) -> Result<(Vec<u64>, Vec<Delivery>), String> {
        let store = self.shop.store.clone();
        let shop = self.shop.shop.clone();
        let held_here = self.lease.is_some();
        let (received, deliveries) = wait(&self.shop.runtime, async move {
            let items: Vec<(&str, &[u8])> = deliveries
                .iter()
                .map(|(event, body, _)| (event.as_str(), body.as_bytes()))
                .collect();
            let received = store.receive_many(&shop, &items).await.map_err(|e| e.to_string())?;
            // The holder elsewhere hears of them at once; here the worker is woken anyway.
            let announce = !held_here && received.iter().any(|r| matches!(r, Received::New(_)));
            if announce && let Err(e) = store.announce(&shop).await {
                tracing::warn!(shop = %shop, error = %e, "cannot announce new deliveries; the holder finds them at its next look");
            }
            Ok::<_, String>((received, deliveries))
        })??;
        let mut ids = Vec::with_capacity(received.len());
        let mut new = Vec::new();
        for (r, (event, body, received_at)) in received.into_iter().zip(deliveries) {
            let id = id_of(r.id())?;
            ids.push(id);
            if let (Received::New(_), true) = (r, self.lease.is_some()) {
                new.push(Delivery { id, event, body, received_at });
            }
        }
        Ok((ids, new))
    }

    /// Whether this instance holds the shop (else why not, in words).
    pub fn held(&self) -> Result<(), String> {
        self.lease.as_ref().map(|_| ()).ok_or_else(|| self.not_held())
    }

    /// Writes records under the lease (`Done` and `Dropped` finish their deliveries).
    pub fn write(&mut self, records: &[Record]) -> Result<(), String> {
        let lease = self.lease.as_ref().ok_or_else(|| self.not_held())?;
        let mut texts = Vec::with_capacity(records.len());
        let mut finished = Vec::new();
        for r in records {
            match r {
                Record::Done { ids } => {
                    finished.extend(ids.iter().filter_map(|&id| i64::try_from(id).ok()));
                }
                Record::Delivery(_) => {
                    return Err("a delivery is received, not written as a record".to_owned());
                }
                other => {
                    if let Record::Dropped { id } = other {
                        finished.extend(i64::try_from(*id).ok());
                    }
                    texts.push(serde_json::to_string(other).map_err(|e| e.to_string())?);
                }
            }
        }
        let (store, lease) = (self.shop.store.clone(), lease.clone());
        let committed =
            wait(&self.shop.runtime, async move { store.commit(&lease, &texts, &finished).await })?;
        committed.map(|_| ()).map_err(|e| e.to_string())
    }

    /// The unfinished deliveries not yet brought in (`known`: those pending or set aside
    /// here).
    pub fn newer(&mut self, known: impl Iterator<Item = u64>) -> Result<Vec<Delivery>, String> {
        let Some(lease) = &self.lease else {
            return Ok(Vec::new());
        };
        let known: Vec<i64> = known.filter_map(|id| i64::try_from(id).ok()).collect();
        let (store, lease) = (self.shop.store.clone(), lease.clone());
        let rows =
            wait(&self.shop.runtime, async move { store.pending(&lease, 0, &known, PAGE).await })?
                .map_err(|e| e.to_string())?;
        rows.into_iter().map(delivery).collect()
    }

    /// Takes the shop under `lease`: its state replayed from the records and the unfinished
    /// deliveries (every one of them recovered).
    pub fn take(&mut self, lease: Lease) -> Result<JournalState, String> {
        let (store, held) = (self.shop.store.clone(), lease.clone());
        let (records, rows) = wait(&self.shop.runtime, async move {
            let lease = held;
            let mut rows = Vec::new();
            let mut after = 0;
            loop {
                let page = store.pending(&lease, after, &[], PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                rows.extend(page);
            }
            Ok::<_, shopflow_pg_store::StoreError>((store.records(&lease).await?, rows))
        })?
        .map_err(|e| e.to_string())?;
        let mut state = JournalState::default();
        for row in rows {
            apply(&mut state, Record::Delivery(delivery(row)?));
        }
        for text in records {
            let record: Record = serde_json::from_str(&text).map_err(|e| {
                format!(
                    "shop {:?}: a journal record in the database cannot be read: {e}",
                    lease.shop
                )
            })?;
            apply(&mut state, record);
        }
        // Tries of deliveries finished since are of no use (the file journal's `Done` drops
        // them; here finishing is a column, not a record).
        let pending = state.pending.clone();
        state.tries.retain(|id, _| pending.contains_key(id));
        state.recovered = state.pending.keys().copied().collect();
        self.lease = Some(lease);
        Ok(state)
    }

    /// The lease held, if any.
    pub fn lease(&self) -> Option<&Lease> {
        self.lease.as_ref()
    }

    /// The lease, renewed.
    pub fn renewed(&mut self, lease: Lease) {
        self.lease = Some(lease);
    }

    /// Lets the lease go (lost, or given up); returns it.
    pub fn lose(&mut self) -> Option<Lease> {
        self.lease.take()
    }

    fn not_held(&self) -> String {
        format!(
            "this instance does not hold shop {:?} now (another instance works it); nothing was written",
            self.shop.shop
        )
    }
}
