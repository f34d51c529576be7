//! Word of new deliveries: every row inserted into `delivery` sends its shop's name on the
//! channel `shopflow_delivery` at commit (a trigger, `migrations/0003_delivery_notify.sql`),
//! so an instance's workers need not ask the database every moment whether another instance
//! received something for them.
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
