//! One worker per shop across instances sharing a PostgreSQL store: each instance tries to
//! take every shop's lease, renews what it holds, and lets a shop go when its lease is lost.
//!
//! Taking a shop replays its journal from the database (`journal/pg.rs`) and wakes the
//! worker; losing it empties the journal's state, so the worker goes idle, and every write
//! it still makes is refused by the database (the lease is checked in each transaction).
//! When the holder dies (`kill -9`), its lease lapses after [`TTL`] and another instance
//! takes the shop with a higher epoch and resumes its unfinished deliveries.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use shopflow_pg_store::{Lease, PgStore, StoreError};
use tokio::runtime::Handle;

use crate::journal::on_store;
use crate::{PgShop, Service};

/// How long a lease lasts unless renewed: how long a dead holder's shops wait for another
/// instance.
pub const TTL: Duration = Duration::from_secs(5);
/// How often a lease is renewed (or a free one looked for): three tries within a lease.
const EVERY: Duration = Duration::from_millis(1500);

/// Holds (or waits for) the shop's lease until `release` (sent by a stop once the worker's
/// pass in hand is over: the lease must outlive the pass's writes); then gives it up.
pub async fn hold(
    service: Arc<Service>,
    pg: PgShop,
    mut release: tokio::sync::oneshot::Receiver<()>,
) {
    let PgShop { store, shop, holder, runtime } = pg;
    loop {
        let held = service.journal().lease().cloned();
        match held {
            None if service.stopping() => {}
            None => take(&service, &store, &runtime, &shop, &holder).await,
            Some(lease) => match renew(&runtime, &store, lease).await {
                Ok(Ok(renewed)) => service.journal().renewed(renewed),
                Ok(Err(e @ StoreError::LeaseLost { .. })) => {
                    tracing::warn!(shop = %shop, error = %e, "the shop's lease was lost");
                    service.journal().lose_lease();
                }
                // The database unreachable: the lease may still be ours; try again.
                Ok(Err(e)) => {
                    tracing::warn!(shop = %shop, error = %e, "cannot renew the shop's lease")
                }
                Err(e) => tracing::warn!(shop = %shop, error = %e, "cannot renew the shop's lease"),
            },
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            _ = &mut release => break,
        }
    }
    // The worker has ended its pass, or was cut off: let another instance take over at once
    // instead of after the lease lapses.
    let released = service.journal().lose_lease();
    if let Some(lease) = released {
        let store = store.clone();
        let given_up = on_store(&runtime, async move { store.release(&lease).await }).await;
        if let Err(e) = given_up.and_then(|r| r.map_err(|e| e.to_string())) {
            tracing::warn!(shop = %shop, error = %e, "cannot give the shop's lease up");
        }
    }
}

/// Renews `lease` (on the store's runtime; the outer error: that runtime failed the task).
async fn renew(
    runtime: &Handle,
    store: &PgStore,
    lease: Lease,
) -> Result<Result<Lease, StoreError>, String> {
    let store = store.clone();
    on_store(runtime, async move { store.renew(&lease, TTL).await }).await
}

/// Takes the shop if its lease is free, replays its journal and wakes the worker.
async fn take(service: &Arc<Service>, store: &PgStore, runtime: &Handle, shop: &str, holder: &str) {
    let (store, asked) = (store.clone(), (shop.to_owned(), holder.to_owned()));
    let acquired = on_store(runtime, async move {
        store.acquire(&asked.0, &asked.1, TTL).await.map_err(|e| e.to_string())
    })
    .await
    .and_then(|r| r);
    let lease = match acquired {
        Ok(Some(lease)) => lease,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(shop = %shop, error = %e, "cannot ask for the shop's lease");
            return;
        }
    };
    let epoch = lease.epoch;
    let service2 = Arc::clone(service);
    let today = crate::today().to_string();
    // Replaying reads the database and holds the journal: off the runtime's threads.
    let taken = tokio::task::spawn_blocking(move || service2.journal().take_lease(lease, &today))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
    match taken {
        Ok(()) => {
            let pending = service.journal().state.pending.len();
            tracing::info!(shop = %shop, epoch, pending, "took the shop");
            service.wake.notify_one();
        }
        Err(e) => {
            tracing::warn!(shop = %shop, error = %e, "took the shop's lease but cannot read its journal")
        }
    }
}

/// Wakes the worker of a shop when any instance stores a delivery for it (PostgreSQL's
/// notifications, `shopflow_pg_store::notify`): the holder then brings it in at once instead
/// of at its next look. Runs until the instance stops; meant for the store's runtime.
pub async fn wake_holders(store: PgStore, shops: HashMap<String, Weak<Service>>) {
    loop {
        let mut listener = match store.listen().await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for new deliveries; holders look every few seconds");
                tokio::time::sleep(TTL).await;
                continue;
            }
        };
        loop {
            match listener.next_shop().await {
                Ok(shop) => {
                    // Not one of this instance's shops (another shops file on the same
                    // database), or stopped: nobody to wake.
                    if let Some(service) = shops.get(&shop).and_then(Weak::upgrade) {
                        service.wake.notify_one();
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the database's word of new deliveries; listening again");
                    tokio::time::sleep(EVERY).await;
                    break;
                }
            }
        }
    }
}
