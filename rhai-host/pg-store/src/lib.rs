//! The rules service's PostgreSQL storage: what instances of `shopflow run` share when they
//! serve many shops from one database (issue 15).
//!
//! Four guarantees, each kept by PostgreSQL itself in one statement or one transaction, so
//! they hold across instances and survive any instance dying (`kill -9` included):
//! - [`deliveries`]: a delivery is committed before the shop hears 200, and the same delivery
//!   sent again (the shop retries unanswered calls, maybe to another instance) is recognised
//!   by its fingerprint and stored once. Deliveries of all shops arriving together are
//!   stored in one transaction, on a connection of their own (`receipts.rs`).
//! - [`lease`]: one worker per shop at a time. A lease expires unless renewed, so a dead
//!   holder's shop is taken over; each takeover raises the lease's epoch, and finishing
//!   deliveries checks the epoch under a row lock, so a holder that lost its lease cannot
//!   finish work another holder now owns.
//! - [`journal`]: what a worker writes besides finishing deliveries (its journal records)
//!   is written with the lease checked in the same transaction, and replayed by the next
//!   holder.
//! - [`budget`]: a shop's request budget (the figures it last reported, less every send
//!   since) is taken from under a row lock before every request: at 10 requests an hour,
//!   two instances asking for the 10th request at once get it once.
//!
//! And [`notify`]: a new delivery wakes its shop's holder on any instance; [`runs`]: each
//! shop's run history, readable from any instance.
//!
//! The schema is in `migrations/`, applied by [`PgStore::connect`].

pub mod budget;
pub mod deliveries;
pub mod journal;
pub mod lease;
pub mod notify;
mod receipts;
pub mod runs;

use std::sync::Arc;

use sqlx::postgres::{PgPool, PgPoolOptions};

pub use deliveries::{Received, StoredDelivery};
pub use lease::Lease;
pub use notify::DeliveryListener;
pub use runs::RunRow;

/// What went wrong with the database. Messages never contain the connection URL (it may
/// carry a password).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be reached or refused a statement.
    #[error("PostgreSQL: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("PostgreSQL migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A group of deliveries could not be stored (the database's error, in words: every
    /// delivery of the group shares it). Nothing of the group was stored.
    #[error("PostgreSQL: {0}")]
    Receipts(String),
    /// The lease was taken over (it expired, and another instance holds the shop now).
    #[error(
        "the lease on shop {shop:?} is no longer held at epoch {epoch}; another instance took the shop over"
    )]
    LeaseLost {
        /// The shop.
        shop: String,
        /// The epoch that was held.
        epoch: i64,
    },
}

/// The shared storage: a connection pool to one database, its schema up to date.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Deliveries are stored through it, on a connection of its own (`receipts.rs`).
    receipts: Arc<receipts::Receipts>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The pool's options hold the connection URL's password: never shown.
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) with at most
    /// `connections` connections, and a few more for storing deliveries, and applies the
    /// migrations the database lacks (each instance may do so at start: sqlx takes an
    /// advisory lock while migrating). Must be called on the runtime that will drive the
    /// store: the deliveries' writer is started on it.
    ///
    /// # Errors
    /// [`StoreError`] when the database cannot be reached or migrated.
    pub async fn connect(url: &str, connections: u32) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new().max_connections(connections.max(1)).connect(url).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let receipts = PgPoolOptions::new()
            .max_connections(u32::try_from(receipts::IN_FLIGHT).unwrap_or(4))
            .connect(url)
            .await?;
        Ok(PgStore { pool, receipts: Arc::new(receipts::Receipts::start(receipts)) })
    }

    /// The pool, for what this crate does not cover yet.
    #[must_use]
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}
