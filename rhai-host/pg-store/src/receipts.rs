//! Receipts across shops: the deliveries of every shop that arrive while a commit is under
//! way are stored together in the next transaction, on a connection of their own.
//!
//! With many shops a delivery is mostly its shop's only one of the moment, so the service's
//! group commit per shop (its ingest) stored each alone: 500 deliveries a second spread over
//! 1000 shops were 500 commits a second, each waiting for one of the pool's connections
//! behind the passes' work, and acknowledgements queued for seconds. One writer taking
//! every receipt waiting, as the file journal's writer does for one shop, makes it a commit
//! per group whatever the number of shops, and its own connection keeps acknowledgements
//! from waiting for pass work.

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

use crate::StoreError;
use crate::deliveries::{Received, fingerprint};

/// At most this many askers' deliveries go into one transaction.
const MAX_ASKS: usize = 256;

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

/// A delivery of a group: which asker's and which of its deliveries, with its fingerprint.
struct Item<'a> {
    shop: &'a str,
    print: String,
    event: &'a str,
    body: &'a [u8],
    ask: usize,
    at: usize,
}

impl Receipts {
    /// Starts the writer on the current runtime with `pool` (its own connection); it ends
    /// when the last handle is dropped.
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

/// Takes every ask waiting (at most [`MAX_ASKS`]), stores them in one transaction and
/// answers each, until every handle is gone.
async fn writer(pool: PgPool, mut rx: mpsc::UnboundedReceiver<Ask>) {
    let mut asks = Vec::new();
    while rx.recv_many(&mut asks, MAX_ASKS).await > 0 {
        match store_group(&pool, &asks).await {
            Ok(mut outcomes) => {
                for (ask, got) in asks.drain(..).zip(outcomes.drain(..)) {
                    let _ = ask.answer.send(Ok(got));
                }
            }
            Err(e) => {
                let e = e.to_string();
                for ask in asks.drain(..) {
                    let _ = ask.answer.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Stores the asks' deliveries in one transaction: each asker's outcomes, in its order.
/// Deliveries are inserted in the order of (shop, fingerprint), so two instances storing
/// the same deliveries at once take their rows in one order and never wait on each other
/// in a circle.
async fn store_group(pool: &PgPool, asks: &[Ask]) -> Result<Vec<Vec<Received>>, StoreError> {
    let mut items: Vec<Item<'_>> = Vec::new();
    for (ask, a) in asks.iter().enumerate() {
        for (at, (event, body)) in a.deliveries.iter().enumerate() {
            let print = fingerprint(event, body);
            items.push(Item { shop: &a.shop, print, event, body, ask, at });
        }
    }
    items.sort_unstable_by(|x, y| (x.shop, &x.print).cmp(&(y.shop, &y.print)));
    let mut outcomes: Vec<Vec<Received>> =
        asks.iter().map(|a| vec![Received::Again(0); a.deliveries.len()]).collect();
    let mut tx = pool.begin().await?;
    for item in &items {
        // Of two instances storing the same delivery at once, one inserts and the other's
        // conflict (once the first commits) does nothing: no row returned. The same
        // delivery twice in one group is inserted once and found the second time.
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO delivery (shop, fingerprint, event, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (shop, fingerprint) DO NOTHING RETURNING id",
        )
        .bind(item.shop)
        .bind(&item.print)
        .bind(item.event)
        .bind(item.body)
        .fetch_optional(&mut *tx)
        .await?;
        let got = match inserted {
            Some(id) => Received::New(id),
            None => Received::Again(
                sqlx::query_scalar("SELECT id FROM delivery WHERE shop = $1 AND fingerprint = $2")
                    .bind(item.shop)
                    .bind(&item.print)
                    .fetch_one(&mut *tx)
                    .await?,
            ),
        };
        if let Some(slot) = outcomes.get_mut(item.ask).and_then(|o| o.get_mut(item.at)) {
            *slot = got;
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}
