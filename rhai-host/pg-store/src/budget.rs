//! A shop's request budget, spent atomically across instances: each window (an hour, a day)
//! is a counter raised only while it stays within its limit, every window in one
//! transaction, so no request is spent twice and none past a limit.

use crate::{PgStore, StoreError};

/// A budget window: `limit` requests per `secs` seconds, aligned to the epoch (an hour
/// window starts on the clock hour, as the shops count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The window's length in seconds (3600, 86400).
    pub secs: i32,
    /// Requests allowed in it.
    pub limit: i32,
}

impl PgStore {
    /// Spends `n` requests of `shop`'s budget in every window of `windows`, or none: `true`
    /// when they were spent, `false` when a window had not enough left (then nothing was
    /// spent). The database's clock says which window is current, so instances agree.
    ///
    /// # Errors
    /// The database's errors (nothing was spent).
    pub async fn spend(&self, shop: &str, n: i32, windows: &[Window]) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        for w in windows {
            // Inserts the window's row with `n`, or raises it; the conflict's WHERE leaves a
            // row that would go past the limit as it is, and then no row comes back. The
            // row lock the update takes makes instances spending at once queue here.
            let spent: Option<i32> = sqlx::query_scalar(
                "INSERT INTO budget_spent (shop, window_secs, window_start, spent)
                 SELECT $1, $2, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), $3
                 WHERE $3 <= $4
                 ON CONFLICT (shop, window_secs, window_start) DO UPDATE
                     SET spent = budget_spent.spent + EXCLUDED.spent
                     WHERE budget_spent.spent + EXCLUDED.spent <= $4
                 RETURNING spent",
            )
            .bind(shop)
            .bind(w.secs)
            .bind(n)
            .bind(w.limit)
            .fetch_optional(&mut *tx)
            .await?;
            if spent.is_none() {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Requests spent in `shop`'s current window of `secs` seconds.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn spent(&self, shop: &str, secs: i32) -> Result<i32, StoreError> {
        let spent: Option<i32> = sqlx::query_scalar(
            "SELECT spent FROM budget_spent WHERE shop = $1 AND window_secs = $2
             AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)",
        )
        .bind(shop)
        .bind(secs)
        .fetch_optional(self.pool())
        .await?;
        Ok(spent.unwrap_or(0))
    }
}
