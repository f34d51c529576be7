//! Receipts across shops: the deliveries of every shop that arrive while commits are under
//! way are stored together in the next transaction (two statements, whatever their number),
//! on connections of their own.
//!
//! With many shops a delivery is mostly its shop's only one of the moment, so the service's
//! group commit per shop (its ingest) stored each alone: 500 deliveries a second spread over
//! 1000 shops were 500 commits a second, each waiting for one of the pool's connections
//! behind the passes' work, and acknowledgements queued for seconds. A writer taking every
//! receipt waiting, as the file journal's writer does for one shop, makes it a commit per
//! group whatever the number of shops, and its own connections keep acknowledgements from
//! waiting for pass work.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::StoreError;
use crate::deliveries::{Received, fingerprint};

/// At most this many askers' deliveries go into one transaction.
const MAX_ASKS: usize = 256;

/// Groups stored at once, each on a connection of the receipts' pool: while they commit,
/// the next asks gather into the next group. One group at a time made every
/// acknowledgement wait for the one commit before it (20 ms at the median under load).
pub(crate) const IN_FLIGHT: usize = 4;

/// The receipts' writer, fed by every clone of the store.
#[derive(Debug)]
pub(crate) struct Receipts {
    asks: mpsc::UnboundedSender<Ask>,
}

/// One asker's deliveries (event, body) of one shop, and where their outcome goes.
#[derive(Debug)]
struct Ask {
    shop: String,
    deliveries: Vec<(String, Vec<u8>)>,
    answer: oneshot::Sender<Result<Vec<Received>, String>>,
}

impl Receipts {
    /// Starts the writer on the current runtime with `pool` (connections of its own, at
    /// least [`IN_FLIGHT`]); it ends when the last handle is dropped.
    pub(crate) fn start(pool: PgPool) -> Receipts {
        let (asks, rx) = mpsc::unbounded_channel();
        tokio::spawn(writer(pool, rx));
        Receipts { asks }
    }

    /// Stores `shop`'s deliveries with whatever else is waiting; their outcomes in order,
    /// once committed.
    pub(crate) async fn receive(
        &self,
        shop: &str,
        deliveries: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<Received>, StoreError> {
        let (answer, answered) = oneshot::channel();
        let stopped = || StoreError::Receipts("the receipts' writer stopped".to_owned());
        let ask = Ask { shop: shop.to_owned(), deliveries, answer };
        self.asks.send(ask).map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?.map_err(StoreError::Receipts)
    }
}

/// Takes every ask waiting (at most [`MAX_ASKS`]) once a group may start, stores them in
/// one transaction and answers each, until every handle is gone.
async fn writer(pool: PgPool, mut rx: mpsc::UnboundedReceiver<Ask>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else { return };
        let mut asks = Vec::new();
        if rx.recv_many(&mut asks, MAX_ASKS).await == 0 {
            return;
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            let stored = store_group(&pool, &asks).await.map_err(|e| e.to_string());
            drop(slot);
            answer(asks, stored);
        });
    }
}

/// Tells each asker its deliveries' outcomes, or the group's error.
fn answer(asks: Vec<Ask>, stored: Result<Vec<Vec<Received>>, String>) {
    match stored {
        Ok(outcomes) => {
            for (ask, got) in asks.into_iter().zip(outcomes) {
                let _ = ask.answer.send(Ok(got));
            }
        }
        Err(e) => {
            for ask in asks {
                let _ = ask.answer.send(Err(e.clone()));
            }
        }
    }
}

/// A delivery of a group, once however often it came in the group.
struct Distinct<'a> {
    event: &'a str,
    body: &'a [u8],
    /// Where its outcome goes: (asker, its place among the asker's deliveries).
    places: Vec<(usize, usize)>,
}

/// The group's deliveries, each (shop, fingerprint) once, in that order.
type Group<'a> = BTreeMap<(&'a str, String), Distinct<'a>>;

/// What storing a delivery did, by (shop, fingerprint).
type Stored = HashMap<(String, String), Received>;

/// Stores the asks' deliveries in one transaction of two statements, whatever their number:
/// each asker's outcomes, in its order.
async fn store_group(pool: &PgPool, asks: &[Ask]) -> Result<Vec<Vec<Received>>, StoreError> {
    let group = distinct(asks);
    let stored = store_distinct(pool, &group).await?;
    outcomes(asks, group, &stored)
}

/// Each distinct (shop, fingerprint) of the asks once, with where its outcome goes.
fn distinct(asks: &[Ask]) -> Group<'_> {
    let mut group = Group::new();
    for (ask, a) in asks.iter().enumerate() {
        for (at, (event, body)) in a.deliveries.iter().enumerate() {
            let key = (a.shop.as_str(), fingerprint(event, body));
            let entry = group.entry(key).or_insert(Distinct { event, body, places: Vec::new() });
            entry.places.push((ask, at));
        }
    }
    group
}

/// Inserts the group's deliveries and looks up those stored before. Rows are inserted in
/// the order of (shop, fingerprint), so two transactions storing the same deliveries at once
/// (two instances, or two groups of one) take their rows in one order and never wait on
/// each other in a circle.
async fn store_distinct(pool: &PgPool, group: &Group<'_>) -> Result<Stored, StoreError> {
    let shops: Vec<&str> = group.keys().map(|(shop, _)| *shop).collect();
    let prints: Vec<&str> = group.keys().map(|(_, print)| print.as_str()).collect();
    let events: Vec<&str> = group.values().map(|d| d.event).collect();
    let bodies: Vec<&[u8]> = group.values().map(|d| d.body).collect();
    let mut tx = pool.begin().await?;
    // A delivery another transaction stored first (once that commits) conflicts and is
    // not returned: the second statement finds it.
    let new: Vec<(String, String, i64)> = sqlx::query_as(
        "INSERT INTO delivery (shop, fingerprint, event, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) ORDER BY 1, 2
         ON CONFLICT (shop, fingerprint) DO NOTHING RETURNING shop, fingerprint, id",
    )
    .bind(&shops)
    .bind(&prints)
    .bind(&events)
    .bind(&bodies)
    .fetch_all(&mut *tx)
    .await?;
    let mut stored: Stored =
        new.into_iter().map(|(shop, print, id)| ((shop, print), Received::New(id))).collect();
    let (mut old_shops, mut old_prints) = (Vec::new(), Vec::new());
    for (shop, print) in group.keys() {
        if !stored.contains_key(&((*shop).to_owned(), print.clone())) {
            old_shops.push(*shop);
            old_prints.push(print.as_str());
        }
    }
    if !old_shops.is_empty() {
        let old: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT d.shop, d.fingerprint, d.id FROM delivery d
             JOIN unnest($1::text[], $2::text[]) AS o(shop, fingerprint)
               ON d.shop = o.shop AND d.fingerprint = o.fingerprint",
        )
        .bind(&old_shops)
        .bind(&old_prints)
        .fetch_all(&mut *tx)
        .await?;
        stored
            .extend(old.into_iter().map(|(shop, print, id)| ((shop, print), Received::Again(id))));
    }
    tx.commit().await?;
    Ok(stored)
}

/// Each asker's outcomes, in its order, from what storing the group did.
fn outcomes(
    asks: &[Ask],
    group: Group<'_>,
    stored: &Stored,
) -> Result<Vec<Vec<Received>>, StoreError> {
    let mut outcomes: Vec<Vec<Received>> =
        asks.iter().map(|a| vec![Received::Again(0); a.deliveries.len()]).collect();
    for ((shop, print), Distinct { places, .. }) in group {
        let Some(&got) = stored.get(&(shop.to_owned(), print.clone())) else {
            return Err(StoreError::Receipts(format!(
                "delivery {print} of shop {shop:?} was neither stored nor found"
            )));
        };
        // The first of the same delivery twice in one group is the new one.
        for (n, (ask, at)) in places.into_iter().enumerate() {
            let this = if n == 0 { got } else { Received::Again(got.id()) };
            if let Some(slot) = outcomes.get_mut(ask).and_then(|o| o.get_mut(at)) {
                *slot = this;
            }
        }
    }
    Ok(outcomes)
}
