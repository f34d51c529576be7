//! Webhook deliveries: committed before the 200, deduplicated across instances, handed to
//! the shop's lease holder in the order they came, finished under the lease.

use sha2::{Digest, Sha256};

use crate::{Lease, PgStore, StoreError};

/// What storing a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored now, with this id.
    New(i64),
    /// The same event and body were stored before (a resent delivery), as this id.
    Again(i64),
}

impl Received {
    /// The delivery's id, new or not.
    #[must_use]
    pub fn id(self) -> i64 {
        match self {
            Received::New(id) | Received::Again(id) => id,
        }
    }
}

/// A delivery waiting for its shop's worker.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredDelivery {
    /// Its id (increasing in the order deliveries were stored).
    pub id: i64,
    /// The event it was registered for (`Orders.create`).
    pub event: String,
    /// The body as the shop sent it.
    pub body: Vec<u8>,
    /// When it was stored (the database's clock).
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// The fingerprint of a delivery: SHA-256 of the event and the body, as hex. A shop that
/// resends a call sends the same bytes; a new event about the same order differs (its
/// update time, its status).
#[must_use]
pub fn fingerprint(event: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(event.as_bytes());
    hash.update([0]);
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl PgStore {
    /// Stores a delivery for `shop`, committed when this returns: answer the shop 200 only
    /// then. The same event and body stored before (by any instance) are not stored twice.
    ///
    /// # Errors
    /// [`StoreError::Database`]: answer the shop 503, so it sends the delivery again.
    pub async fn receive(
        &self,
        shop: &str,
        event: &str,
        body: &[u8],
    ) -> Result<Received, StoreError> {
        let mut received = self.receive_many(shop, &[(event, body)]).await?;
        received.pop().ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// [`PgStore::receive`] for deliveries that arrived together, in their order: stored in
    /// one transaction with whatever other shops' deliveries are waiting (`receipts.rs`: one
    /// commit for all, as the file journal syncs a group once).
    ///
    /// # Errors
    /// [`StoreError::Receipts`] (nothing of the group was stored): answer each 503.
    pub async fn receive_many(
        &self,
        shop: &str,
        deliveries: &[(&str, &[u8])],
    ) -> Result<Vec<Received>, StoreError> {
        let owned = deliveries.iter().map(|(e, b)| ((*e).to_owned(), b.to_vec())).collect();
        self.receipts.receive(shop, owned).await
    }

    /// Up to `limit` of the lease's shop's unfinished deliveries after id `after` (0: from
    /// the first) and not in `except` (those the holder has already), oldest first. Ids are
    /// taken in one order and committed in another, so a holder that looks again must name
    /// what it has rather than start after the highest id it saw.
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`] when the lease is no longer held; the database's errors.
    pub async fn pending(
        &self,
        lease: &Lease,
        after: i64,
        except: &[i64],
        limit: i64,
    ) -> Result<Vec<StoredDelivery>, StoreError> {
        self.check_held(lease).await?;
        let rows = sqlx::query_as::<_, StoredDelivery>(
            "SELECT id, event, body, received_at FROM delivery
             WHERE shop = $1 AND done_at IS NULL AND id > $2 AND NOT (id = ANY($3))
             ORDER BY id LIMIT $4",
        )
        .bind(&lease.shop)
        .bind(after)
        .bind(except)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Marks deliveries `ids` of the lease's shop finished, only while the lease is held
    /// (see [`PgStore::commit`]). Returns how many were finished now (a finished one is left
    /// as it is).
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`]; the database's errors (then nothing was finished).
    pub async fn finish(&self, lease: &Lease, ids: &[i64]) -> Result<u64, StoreError> {
        self.commit(lease, &[], ids).await
    }

    /// How many of `shop`'s deliveries are not finished.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn queued(&self, shop: &str) -> Result<i64, StoreError> {
        let n =
            sqlx::query_scalar("SELECT count(*) FROM delivery WHERE shop = $1 AND done_at IS NULL")
                .bind(shop)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}
