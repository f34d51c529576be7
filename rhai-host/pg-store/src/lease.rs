//! One worker per shop at a time, across instances: a lease row per shop that its holder
//! renews, that lapses when the holder dies, and whose epoch rises with every new holder
//! (the fencing token every finishing write checks); and a row per instance, renewed the
//! same way, by which instances count each other to share the shops out.

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

/// Leases of `holder` from the rows a statement returned (shop, epoch, expiry).
fn held_by(rows: Vec<(String, i64, DateTime<Utc>)>, holder: &str) -> Vec<Lease> {
    rows.into_iter()
        .map(|(shop, epoch, expires_at)| Lease {
            shop,
            holder: holder.to_owned(),
            epoch,
            expires_at,
        })
        .collect()
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
        Ok(self.acquire_many(&[shop.to_owned()], holder, ttl, 1).await?.pop())
    }

    /// Extends a held lease by `ttl` from now.
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`] when it lapsed or was taken over; the database's errors.
    pub async fn renew(&self, lease: &Lease, ttl: Duration) -> Result<Lease, StoreError> {
        let renewed = self.renew_many(std::slice::from_ref(lease), &lease.holder, ttl).await?;
        renewed.into_iter().next().ok_or_else(|| lease.lost())
    }

    /// [`PgStore::acquire`] for many shops in one statement (an instance's round of asking
    /// for the shops it does not hold), at most `at_most` of them: the leases it got. Each
    /// holder picks among the free shops in an order of its own (a hash of shop and holder),
    /// so instances taking at once mostly take different shops; rows are then locked in the
    /// shops' order, the same on every instance, so two rounds never wait on each other in a
    /// circle.
    ///
    /// # Errors
    /// The database's errors (nothing was taken).
    pub async fn acquire_many(
        &self,
        shops: &[String],
        holder: &str,
        ttl: Duration,
        at_most: usize,
    ) -> Result<Vec<Lease>, StoreError> {
        let mut sorted: Vec<&str> = shops.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let at_most = i64::try_from(at_most).unwrap_or(i64::MAX);
        // The epoch stays for a renewal by the holder of a running lease and rises for
        // anything else, so work finished under the old epoch is told apart.
        let rows: Vec<(String, i64, DateTime<Utc>)> = sqlx::query_as(
            "WITH free AS (
                 SELECT s FROM unnest($1::text[]) AS s
                 WHERE NOT EXISTS (SELECT 1 FROM shop_lease l
                                   WHERE l.shop = s AND l.holder <> $2 AND l.expires_at > now())
                 ORDER BY md5(s || $2) LIMIT $4)
             INSERT INTO shop_lease (shop, holder, epoch, expires_at)
             SELECT s, $2, 1, now() + $3 * interval '1 millisecond' FROM free ORDER BY s
             ON CONFLICT (shop) DO UPDATE SET
                 epoch = CASE WHEN shop_lease.holder = EXCLUDED.holder
                                   AND shop_lease.expires_at > now()
                              THEN shop_lease.epoch ELSE shop_lease.epoch + 1 END,
                 holder = EXCLUDED.holder,
                 expires_at = EXCLUDED.expires_at
             WHERE shop_lease.holder = EXCLUDED.holder OR shop_lease.expires_at <= now()
             RETURNING shop, epoch, expires_at",
        )
        .bind(&sorted)
        .bind(holder)
        .bind(millis(ttl))
        .bind(at_most)
        .fetch_all(self.pool())
        .await?;
        Ok(held_by(rows, holder))
    }

    /// Says `holder` serves shops from this database for `ttl` more, and returns how many
    /// instances do (itself included): the shops' fair share is the shops over that. Rows
    /// of instances lapsed a day ago are deleted on the way.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn heartbeat(&self, holder: &str, ttl: Duration) -> Result<u64, StoreError> {
        // The statement's snapshot does not see its own insert: the others are counted.
        let others: i64 = sqlx::query_scalar(
            "WITH me AS (
                 INSERT INTO service_instance (holder, expires_at)
                 VALUES ($1, now() + $2 * interval '1 millisecond')
                 ON CONFLICT (holder) DO UPDATE SET expires_at = EXCLUDED.expires_at
                 RETURNING holder),
             gone AS (
                 DELETE FROM service_instance
                 WHERE expires_at < now() - interval '1 day' AND holder <> $1)
             SELECT count(*) FROM service_instance WHERE expires_at > now() AND holder <> $1",
        )
        .bind(holder)
        .bind(millis(ttl))
        .fetch_one(self.pool())
        .await?;
        Ok(u64::try_from(others).unwrap_or(0) + 1)
    }

    /// Says `holder` serves no more (a clean stop, after its leases were given up): the
    /// others count it out at once instead of after its row lapses.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn leave(&self, holder: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE service_instance SET expires_at = now() WHERE holder = $1")
            .bind(holder)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// [`PgStore::renew`] for many leases of one holder in one statement: those renewed
    /// (the others were lost).
    ///
    /// # Errors
    /// The database's errors (nothing was renewed).
    pub async fn renew_many(
        &self,
        leases: &[Lease],
        holder: &str,
        ttl: Duration,
    ) -> Result<Vec<Lease>, StoreError> {
        let shops: Vec<&str> = leases.iter().map(|l| l.shop.as_str()).collect();
        let epochs: Vec<i64> = leases.iter().map(|l| l.epoch).collect();
        let rows: Vec<(String, i64, DateTime<Utc>)> = sqlx::query_as(
            "UPDATE shop_lease SET expires_at = now() + $4 * interval '1 millisecond'
             FROM unnest($1::text[], $2::bigint[]) AS held(shop, epoch)
             WHERE shop_lease.shop = held.shop AND shop_lease.epoch = held.epoch
               AND shop_lease.holder = $3 AND shop_lease.expires_at > now()
             RETURNING shop_lease.shop, shop_lease.epoch, shop_lease.expires_at",
        )
        .bind(&shops)
        .bind(&epochs)
        .bind(holder)
        .bind(millis(ttl))
        .fetch_all(self.pool())
        .await?;
        Ok(held_by(rows, holder))
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
