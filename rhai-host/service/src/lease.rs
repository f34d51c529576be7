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
//!
//! The shops are shared out: each round an instance says it is alive and counts the live
//! instances (`PgStore::heartbeat`), and its fair share is its shops over that count,
//! rounded up. It takes free shops only up to its share, and when it holds more (a second
//! instance came, or returned after a failover), as many of its idle shops (no delivery
//! pending) give their leases up, which the instance short of its share takes at its next
//! round. Without this the first instance to start held every shop, and a second one added
//! availability but no capacity. The count assumes the instances serve the same shops file.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// How many shops held past the instance's share are still to be given up.
    excess: Arc<AtomicUsize>,
}

impl LeaseRounds {
    /// Starts the rounds of the instance named `holder`, serving `shops` shops, on the
    /// store's `runtime`; they end when the last handle is dropped.
    #[must_use]
    pub fn start(store: PgStore, holder: String, shops: usize, runtime: &Handle) -> Arc<Self> {
        let (asks, rx) = mpsc::unbounded_channel();
        let excess = Arc::new(AtomicUsize::new(0));
        let sharing = Sharing { shops, held: HashSet::new(), excess: Arc::clone(&excess) };
        runtime.spawn(rounds(store, holder, sharing, rx));
        Arc::new(LeaseRounds { asks, excess })
    }

    /// Whether a shop idle now should give its lease up (the instance holds more than its
    /// share); `true` counts it as given.
    fn give_one_up(&self) -> bool {
        self.excess.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok()
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

/// What the rounds know of the instance's share (see the module's documentation).
struct Sharing {
    /// The shops the instance serves.
    shops: usize,
    /// The shops it holds, as its shops' asks and their answers say (a round may hold only
    /// part of the asks of a moment, so this is kept across rounds).
    held: HashSet<String>,
    /// Shared with [`LeaseRounds`]: how many to give up.
    excess: Arc<AtomicUsize>,
}

impl Sharing {
    /// The instance's fair share with `live` instances (all of them when unknown).
    fn share(&self, live: Option<u64>) -> usize {
        let live = live.and_then(|n| usize::try_from(n).ok()).unwrap_or(1).max(1);
        self.shops.div_ceil(live)
    }

    /// Takes in a round's answers: `asked` shops, of which `got` are held now.
    fn answered(&mut self, asked: &[String], got: &Result<Vec<Lease>, StoreError>) {
        let Ok(got) = got else { return };
        for shop in asked {
            self.held.remove(shop);
        }
        self.held.extend(got.iter().map(|l| l.shop.clone()));
    }
}

/// Answers asks a round at a time until every handle is gone.
async fn rounds(
    store: PgStore,
    holder: String,
    mut sharing: Sharing,
    mut rx: mpsc::UnboundedReceiver<Ask>,
) {
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
        let live = match store.heartbeat(&holder, TTL).await {
            Ok(n) => Some(n),
            Err(e) => {
                tracing::warn!(error = %e, "cannot count the instances; shops are not shared out this round");
                None
            }
        };
        let share = sharing.share(live);
        if !renew.is_empty() {
            let leases: Vec<Lease> = renew.iter().map(|(l, _)| l.clone()).collect();
            let asked: Vec<String> = leases.iter().map(|l| l.shop.clone()).collect();
            let done = store.renew_many(&leases, &holder, TTL).await;
            sharing.answered(&asked, &done);
            answer(renew.into_iter().map(|(lease, tell)| (lease.shop, tell)), done);
        }
        let held = sharing.held.len();
        // Unknown: nobody gives up, as before shops were shared out.
        let excess = live.map_or(0, |_| held.saturating_sub(share));
        sharing.excess.store(excess, Ordering::Release);
        if !take.is_empty() {
            let shops: Vec<String> = take.iter().map(|(s, _)| s.clone()).collect();
            let room = share.saturating_sub(held);
            let done = match room {
                0 => Ok(Vec::new()),
                _ => store.acquire_many(&shops, &holder, TTL, room).await,
            };
            sharing.answered(&shops, &done);
            answer(take.into_iter(), done);
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
                Ok(Some(renewed)) => {
                    if let Some(given) = renewed_or_given_up(&service, &rounds, renewed) {
                        give_up(&store, &runtime, &shop, given).await;
                    }
                }
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
        give_up(&store, &runtime, &shop, lease).await;
    }
}

/// Keeps the renewed lease, or, when the instance holds more than its share and the shop
/// is idle (nothing pending, so no pass is in hand), gives it up: the lease is returned to
/// be released. Checked and lost under one hold of the journal, so no pass starts between.
fn renewed_or_given_up(service: &Service, rounds: &LeaseRounds, renewed: Lease) -> Option<Lease> {
    let mut journal = service.journal();
    journal.renewed(renewed);
    if !journal.state.pending.is_empty() || !rounds.give_one_up() {
        return None;
    }
    let lease = journal.lose_lease();
    tracing::info!(shop = ?lease.as_ref().map(|l| &l.shop), "gave the shop up to an instance short of its share");
    lease
}

/// Releases the lease now, so another instance need not wait for it to lapse.
async fn give_up(store: &PgStore, runtime: &Handle, shop: &str, lease: Lease) {
    let store = store.clone();
    let given_up = on_store(runtime, async move { store.release(&lease).await }).await;
    if let Err(e) = given_up.and_then(|r| r.map_err(|e| e.to_string())) {
        tracing::warn!(shop = %shop, error = %e, "cannot give the shop's lease up");
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
