//! One worker per shop at a time, across instances: a lease row per shop that its holder
//! renews, that lapses when the holder dies, and whose epoch rises with every new holder
//! (the fencing token every finishing write checks).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::{PgStore, StoreError};

/// A shop's lease as its holder has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The shop.
    pub shop: String,
    /// Who holds it (an instance's name: host, process, a random part).
    pub holder: String,
    /// The lease's epoch: raised by every takeover.
    pub epoch: i64,
    /// When it lapses unless renewed (the database's clock).
    pub expires_at: DateTime<Utc>,
}

impl Lease {
    /// The error saying this lease is no longer held.
    pub(crate) fn lost(&self) -> StoreError {
        StoreError::LeaseLost { shop: self.shop.clone(), epoch: self.epoch }
    }
}

/// Milliseconds of `ttl` for the database (whole, at least one).
fn millis(ttl: Duration) -> f64 {
    (ttl.as_secs_f64() * 1000.0).max(1.0)
}

impl PgStore {
    /// Takes `shop`'s lease for `holder` for `ttl`: when nobody holds it, when its holder
    /// let it lapse, or when `holder` holds it already (then it is renewed). `None` while
    /// another holder's lease runs. One statement, so two instances never both get it.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn acquire(
        &self,
        shop: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Lease>, StoreError> {
        // The epoch stays for a renewal by the holder of a running lease and rises for
        // anything else, so work finished under the old epoch is told apart.
        let row: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
            "INSERT INTO shop_lease (shop, holder, epoch, expires_at)
             VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
             ON CONFLICT (shop) DO UPDATE SET
                 epoch = CASE WHEN shop_lease.holder = EXCLUDED.holder
                                   AND shop_lease.expires_at > now()
                              THEN shop_lease.epoch ELSE shop_lease.epoch + 1 END,
                 holder = EXCLUDED.holder,
                 expires_at = EXCLUDED.expires_at
             WHERE shop_lease.holder = EXCLUDED.holder OR shop_lease.expires_at <= now()
             RETURNING epoch, expires_at",
        )
        .bind(shop)
        .bind(holder)
        .bind(millis(ttl))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(epoch, expires_at)| Lease {
            shop: shop.to_owned(),
            holder: holder.to_owned(),
            epoch,
            expires_at,
        }))
    }

    /// Extends a held lease by `ttl` from now.
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`] when it lapsed or was taken over; the database's errors.
    pub async fn renew(&self, lease: &Lease, ttl: Duration) -> Result<Lease, StoreError> {
        let expires_at: Option<DateTime<Utc>> = sqlx::query_scalar(
            "UPDATE shop_lease SET expires_at = now() + $4 * interval '1 millisecond'
             WHERE shop = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()
             RETURNING expires_at",
        )
        .bind(&lease.shop)
        .bind(&lease.holder)
        .bind(lease.epoch)
        .bind(millis(ttl))
        .fetch_optional(self.pool())
        .await?;
        let expires_at = expires_at.ok_or_else(|| lease.lost())?;
        Ok(Lease { expires_at, ..lease.clone() })
    }

    /// Gives the lease up now (a clean stop), so another instance need not wait for it to
    /// lapse. Releasing a lease no longer held does nothing.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE shop_lease SET expires_at = now()
             WHERE shop = $1 AND holder = $2 AND epoch = $3",
        )
        .bind(&lease.shop)
        .bind(&lease.holder)
        .bind(lease.epoch)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Fails unless `lease` is still held.
    pub(crate) async fn check_held(&self, lease: &Lease) -> Result<(), StoreError> {
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT epoch FROM shop_lease
             WHERE shop = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()",
        )
        .bind(&lease.shop)
        .bind(&lease.holder)
        .bind(lease.epoch)
        .fetch_optional(self.pool())
        .await?;
        held.map(|_| ()).ok_or_else(|| lease.lost())
    }
}
