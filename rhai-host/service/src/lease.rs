//! One worker per shop across instances sharing a PostgreSQL store: each instance tries to
//! take every shop's lease, renews what it holds, and lets a shop go when its lease is lost.
//!
//! Taking a shop replays its journal from the database (`journal/pg.rs`) and wakes the
//! worker; losing it empties the journal's state, so the worker goes idle, and every write
//! it still makes is refused by the database (the lease is checked in each transaction).
//! When the holder dies (`kill -9`), its lease lapses after [`TTL`] and another instance
//! takes the shop with a higher epoch and resumes its unfinished deliveries.
//!
//! Each shop's task asks at the same moments (a grid of [`EVERY`]), and [`LeaseRounds`]
//! puts every ask of a moment into one statement: renewals cost the database one statement
//! per instance a round, not one per shop (a thousand shops renewed every 1.5 s one by one
//! kept a two-core database busy enough to hold webhooks' acknowledgements up for seconds).

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use shopflow_pg_store::{Lease, PgStore, StoreError};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot};

use crate::journal::on_store;
use crate::{PgShop, Service};

/// How long a lease lasts unless renewed: how long a dead holder's shops wait for another
/// instance.
pub const TTL: Duration = Duration::from_secs(5);
/// How often a lease is renewed (or a free one looked for): three tries within a lease.
const EVERY: Duration = Duration::from_millis(1500);

/// How long a round waits for the asks of its moment after the first one came.
const GATHER: Duration = Duration::from_millis(20);

/// An ask of a round: renew a lease, or take a shop; answered with the lease (`None`: lost,
/// or held by another instance).
enum Ask {
    Renew(Lease, oneshot::Sender<Result<Option<Lease>, String>>),
    Take(String, oneshot::Sender<Result<Option<Lease>, String>>),
}

/// One instance's rounds of lease statements (see the module's documentation): shops' tasks
/// ask, a task on the store's runtime answers a round's asks with one statement for the
/// renewals and one for the takeovers.
#[derive(Debug)]
pub struct LeaseRounds {
    asks: mpsc::UnboundedSender<Ask>,
}

impl LeaseRounds {
    /// Starts the rounds of the instance named `holder` on the store's `runtime`; they end
    /// when the last handle is dropped.
    #[must_use]
    pub fn start(store: PgStore, holder: String, runtime: &Handle) -> Arc<Self> {
        let (asks, rx) = mpsc::unbounded_channel();
        runtime.spawn(rounds(store, holder, rx));
        Arc::new(LeaseRounds { asks })
    }

    async fn ask(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<Option<Lease>, String>>) -> Ask,
    ) -> Result<Option<Lease>, String> {
        let (answer, answered) = oneshot::channel();
        self.asks.send(make(answer)).map_err(|_| "the lease rounds stopped".to_owned())?;
        answered.await.map_err(|_| "the lease rounds stopped".to_owned())?
    }
}

/// Answers asks a round at a time until every handle is gone.
async fn rounds(store: PgStore, holder: String, mut rx: mpsc::UnboundedReceiver<Ask>) {
    let mut round = Vec::new();
    while rx.recv_many(&mut round, usize::MAX).await > 0 {
        tokio::time::sleep(GATHER).await;
        while let Ok(ask) = rx.try_recv() {
            round.push(ask);
        }
        let (mut renew, mut take) = (Vec::new(), Vec::new());
        for ask in round.drain(..) {
            match ask {
                Ask::Renew(lease, answer) => renew.push((lease, answer)),
                Ask::Take(shop, answer) => take.push((shop, answer)),
            }
        }
        if !renew.is_empty() {
            let leases: Vec<Lease> = renew.iter().map(|(l, _)| l.clone()).collect();
            let done = store.renew_many(&leases, &holder, TTL).await;
            answer(renew.into_iter().map(|(lease, tell)| (lease.shop, tell)), done);
        }
        if !take.is_empty() {
            let shops: Vec<String> = take.iter().map(|(s, _)| s.clone()).collect();
            answer(take.into_iter(), store.acquire_many(&shops, &holder, TTL).await);
        }
    }
}

/// Tells each asker its shop's lease from the round's result, or the round's error.
fn answer(
    asks: impl Iterator<Item = (String, oneshot::Sender<Result<Option<Lease>, String>>)>,
    done: Result<Vec<Lease>, StoreError>,
) {
    let got: Result<HashMap<String, Lease>, String> = done
        .map(|leases| leases.into_iter().map(|l| (l.shop.clone(), l)).collect())
        .map_err(|e| e.to_string());
    for (shop, tell) in asks {
        let lease = match &got {
            Ok(leases) => Ok(leases.get(&shop).cloned()),
            Err(e) => Err(e.clone()),
        };
        let _ = tell.send(lease);
    }
}

/// How long until the next moment of the grid all shops' tasks ask on.
fn until_next_round() -> Duration {
    let every = EVERY.as_millis().max(1);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let left = every - now % every;
    Duration::from_millis(u64::try_from(left).unwrap_or(0))
}

/// Holds (or waits for) the shop's lease until `release` (sent by a stop once the worker's
/// pass in hand is over: the lease must outlive the pass's writes); then gives it up.
pub async fn hold(
    service: Arc<Service>,
    pg: PgShop,
    mut release: tokio::sync::oneshot::Receiver<()>,
) {
    let PgShop { store, shop, runtime, rounds, .. } = pg;
    loop {
        let held = service.journal().lease().cloned();
        match held {
            None if service.stopping() => {}
            None => take(&service, &rounds, &shop).await,
            Some(lease) => match rounds.ask(|tell| Ask::Renew(lease.clone(), tell)).await {
                Ok(Some(renewed)) => service.journal().renewed(renewed),
                Ok(None) => {
                    let e = StoreError::LeaseLost { shop: shop.clone(), epoch: lease.epoch };
                    tracing::warn!(shop = %shop, error = %e, "the shop's lease was lost");
                    service.journal().lose_lease();
                }
                // The database unreachable: the lease may still be ours; try again.
                Err(e) => tracing::warn!(shop = %shop, error = %e, "cannot renew the shop's lease"),
            },
        }
        tokio::select! {
            () = tokio::time::sleep(until_next_round()) => {}
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

/// Takes the shop if its lease is free, replays its journal and wakes the worker.
async fn take(service: &Arc<Service>, rounds: &LeaseRounds, shop: &str) {
    let lease = match rounds.ask(|tell| Ask::Take(shop.to_owned(), tell)).await {
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
                tracing::warn!(error = %e, "cannot listen for new deliveries; holders look now and then");
                tokio::time::sleep(TTL).await;
                continue;
            }
        };
        // What was sent while nobody listened (before the first start, or while the
        // connection was down) is looked for once by every holder.
        for service in shops.values().filter_map(Weak::upgrade) {
            service.wake.notify_one();
        }
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
