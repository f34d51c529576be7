//! A shop's request budget on the shared store (`--store`): the client takes every request
//! from it, so instances that both send to a shop for a moment (a lease moving from a
//! paused holder) never spend more than the shop allows between them. Each call runs on the
//! store's runtime, as every use of the store does (`journal/pg.rs` says why).

use futures_util::future::BoxFuture;
use shopflow_client::shared_budget::{BudgetStore, Reservation};
use shopflow_core::rate_limit::RateBudget;
use shopflow_pg_store::PgStore;
use tokio::runtime::Handle;

use crate::PgShop;
use crate::journal::on_store;

/// One shop's budget in the database.
pub struct PgBudget {
    store: PgStore,
    shop: String,
    runtime: Handle,
}

impl PgBudget {
    /// The budget of the shop `on` names.
    #[must_use]
    pub fn new(on: &PgShop) -> Self {
        PgBudget { store: on.store.clone(), shop: on.shop.clone(), runtime: on.runtime.clone() }
    }

    /// Why the store failed, logged once here (the client only waits and asks again).
    fn failed(&self, what: &str, e: &str) -> String {
        tracing::warn!(shop = %self.shop, error = %e, "the shared request budget: cannot {what}");
        format!("the shared request budget: cannot {what}: {e}")
    }
}

impl BudgetStore for PgBudget {
    fn reserve(&self) -> BoxFuture<'_, Result<Reservation, String>> {
        let (store, shop) = (self.store.clone(), self.shop.clone());
        Box::pin(async move {
            match on_store(&self.runtime, async move { store.reserve(&shop).await }).await {
                Ok(Ok(reservation)) => Ok(reservation),
                Ok(Err(e)) => Err(self.failed("take a request", &e.to_string())),
                Err(e) => Err(self.failed("take a request", &e)),
            }
        })
    }

    fn report(&self, send: u64, figures: Option<RateBudget>) -> BoxFuture<'_, Result<(), String>> {
        let (store, shop) = (self.store.clone(), self.shop.clone());
        Box::pin(async move {
            match on_store(&self.runtime, async move { store.report(&shop, send, figures).await })
                .await
            {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(self.failed("record an answer", &e.to_string())),
                Err(e) => Err(self.failed("record an answer", &e)),
            }
        })
    }
}
