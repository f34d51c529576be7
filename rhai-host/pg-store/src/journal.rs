//! A shop's journal records (what its worker wrote besides finishing deliveries), written
//! only under the shop's lease and replayed by whoever takes the lease next.
//!
//! The records are the service's own (JSON text, one per row): this crate stores and fences
//! them and knows nothing of their meaning, so the file journal and this store share one
//! record format and one replay.

use crate::{Lease, PgStore, StoreError};

impl PgStore {
    /// Writes `records` (in order) and marks deliveries `finished` done, in one transaction,
    /// only while `lease` is held: the lease row is locked for the transaction, so a takeover
    /// waits until this commits, and a holder whose lease lapsed or was taken over is refused
    /// ([`StoreError::LeaseLost`]) and writes nothing. Returns how many deliveries were
    /// finished now (one finished before is left as it is).
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`]; the database's errors (then nothing was written).
    pub async fn commit(
        &self,
        lease: &Lease,
        records: &[String],
        finished: &[i64],
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT epoch FROM shop_lease
             WHERE shop = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() FOR SHARE",
        )
        .bind(&lease.shop)
        .bind(&lease.holder)
        .bind(lease.epoch)
        .fetch_optional(&mut *tx)
        .await?;
        if held.is_none() {
            // Said, not left to the drop: the connection goes back to the pool clean now.
            tx.rollback().await?;
            return Err(lease.lost());
        }
        if !records.is_empty() {
            // One statement for the lot; `WITH ORDINALITY` keeps their order in `seq`.
            sqlx::query(
                "INSERT INTO journal_record (shop, epoch, record)
                 SELECT $1, $2, r FROM unnest($3::text[]) WITH ORDINALITY AS t(r, n) ORDER BY n",
            )
            .bind(&lease.shop)
            .bind(lease.epoch)
            .bind(records)
            .execute(&mut *tx)
            .await?;
        }
        let done = match finished.is_empty() {
            true => 0,
            false => sqlx::query(
                "UPDATE delivery SET done_at = now(), done_epoch = $3
                     WHERE shop = $1 AND id = ANY($2) AND done_at IS NULL",
            )
            .bind(&lease.shop)
            .bind(finished)
            .bind(lease.epoch)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        tx.commit().await?;
        Ok(done)
    }

    /// The lease's shop's journal records, in the order they were written (for the holder
    /// to replay when it takes the shop).
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`]; the database's errors.
    pub async fn records(&self, lease: &Lease) -> Result<Vec<String>, StoreError> {
        self.check_held(lease).await?;
        let rows =
            sqlx::query_scalar("SELECT record FROM journal_record WHERE shop = $1 ORDER BY seq")
                .bind(&lease.shop)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows)
    }
}
