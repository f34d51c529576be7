//! Word of new deliveries: an instance that stored deliveries for a shop another instance
//! works announces the shop's name on the channel `shopflow_delivery` ([`PgStore::announce`],
//! after the deliveries' commit and apart from it: a notifying commit takes a lock every
//! notifying commit shares), so the holder need not ask the database every moment whether
//! another instance received something for it.
//!
//! A listener reconnects on its own when its connection drops; what was sent meanwhile is
//! lost, so a holder still looks now and then.

use sqlx::postgres::PgListener;

use crate::{PgStore, StoreError};

/// The channel the trigger sends on.
const CHANNEL: &str = "shopflow_delivery";

/// Listens for new deliveries (one connection of its own, outside the pool's count).
pub struct DeliveryListener {
    listener: PgListener,
}

impl PgStore {
    /// Starts listening for new deliveries, of every shop.
    ///
    /// # Errors
    /// The database's errors.
    pub async fn listen(&self) -> Result<DeliveryListener, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(DeliveryListener { listener })
    }
}

impl PgStore {
    /// Tells every listener that `shop` has new deliveries.
    ///
    /// # Errors
    /// The database's errors (the holder finds them at its next look).
    pub async fn announce(&self, shop: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(shop)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl DeliveryListener {
    /// The shop of the next new delivery (a shop that received several at once may be named
    /// once). Waits until there is one.
    ///
    /// # Errors
    /// The database's errors (the connection is tried again on the next call).
    pub async fn next_shop(&mut self) -> Result<String, StoreError> {
        let notification = self.listener.recv().await?;
        Ok(notification.payload().to_owned())
    }
}
