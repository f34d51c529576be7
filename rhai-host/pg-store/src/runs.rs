//! A shop's run history in a table: one row per order per pass, the run as the service's
//! JSON (this crate keeps it and knows nothing of its fields but the order and the time).
//!
//! The history is not the promise made to the shop (that is the journal), so its rows are
//! committed asynchronously: the insert does not wait for the WAL to reach the disk, and a
//! crash of the database may lose the last runs, as a crash of the service may lose the
//! last lines of the file history. A pass then pays for its history without a disk flush.

use chrono::{DateTime, Utc};

use crate::{PgStore, StoreError};

/// One order's run in one pass, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// The order number.
    pub order: String,
    /// When the pass recorded it.
    pub at: DateTime<Utc>,
    /// The run, as JSON text.
    pub run: String,
}

impl PgStore {
    /// Adds a pass's runs of `shop` in one asynchronously committed transaction (see the
    /// module's documentation). Any instance may add them: the history is not fenced by the
    /// lease, because a run describes work already done and reported to the shop.
    ///
    /// # Errors
    /// The database's errors (a run that is not JSON among them); nothing was added.
    pub async fn add_runs(&self, shop: &str, runs: &[RunRow]) -> Result<(), StoreError> {
        if runs.is_empty() {
            return Ok(());
        }
        let orders: Vec<&str> = runs.iter().map(|r| r.order.as_str()).collect();
        let ats: Vec<DateTime<Utc>> = runs.iter().map(|r| r.at).collect();
        let texts: Vec<&str> = runs.iter().map(|r| r.run.as_str()).collect();
        let mut tx = self.pool().begin().await?;
        sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO run_history (shop, order_no, at, run)
             SELECT $1, o, a, r::jsonb
             FROM unnest($2::text[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS t(o, a, r, n)
             ORDER BY n",
        )
        .bind(shop)
        .bind(&orders)
        .bind(&ats)
        .bind(&texts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `shop`'s runs of `order`, newest first, at most `limit`.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn runs(
        &self,
        shop: &str,
        order: &str,
        limit: i64,
    ) -> Result<Vec<RunRow>, StoreError> {
        let rows: Vec<(String, DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT order_no, at, run::text FROM run_history
             WHERE shop = $1 AND order_no = $2 ORDER BY at DESC, seq DESC LIMIT $3",
        )
        .bind(shop)
        .bind(order)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(order, at, run)| RunRow { order, at, run }).collect())
    }

    /// Deletes `shop`'s runs recorded before `before`; how many.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn prune_runs(&self, shop: &str, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM run_history WHERE shop = $1 AND at < $2")
            .bind(shop)
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
