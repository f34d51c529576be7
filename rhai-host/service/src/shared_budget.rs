//! A shop's request budget on the shared store (`--store`): the client takes every request
//! from it, so instances that both send to a shop for a moment (a lease moving from a
//! paused holder) never spend more than the shop allows between them. Each call runs on the
//! store's runtime, as every use of the store does (`journal/pg.rs` says why).
//!
//! Answers are handed on with the next request's reservation, in its transaction, rather
//! than each in a transaction of its own: a request then costs the database one commit, not
//! two. Answers not followed by a request within [`FLUSH_AFTER`] are handed on alone (the
//! first answer of a shop tells every instance its budget).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::BoxFuture;
use shopflow_client::shared_budget::{BudgetStore, Reservation};
use shopflow_core::rate_limit::RateBudget;
use shopflow_pg_store::PgStore;
use tokio::runtime::Handle;

use crate::PgShop;
use crate::journal::on_store;

/// How long answers wait for a reservation to ride on.
pub const FLUSH_AFTER: Duration = Duration::from_millis(300);

/// Answers not yet handed on: each request's number and the figures its answer reported.
type Answered = Vec<(u64, Option<RateBudget>)>;

/// One shop's budget in the database.
pub struct PgBudget {
    store: PgStore,
    shop: String,
    runtime: Handle,
    answered: Arc<Mutex<Answered>>,
    flush_due: Arc<AtomicBool>,
}

impl PgBudget {
    /// The budget of the shop `on` names.
    #[must_use]
    pub fn new(on: &PgShop) -> Self {
        PgBudget {
            store: on.store.clone(),
            shop: on.shop.clone(),
            runtime: on.runtime.clone(),
            answered: Arc::default(),
            flush_due: Arc::default(),
        }
    }

    /// Why the store failed, logged once here (the client only waits and asks again).
    fn failed(&self, what: &str, e: &str) -> String {
        tracing::warn!(shop = %self.shop, error = %e, "the shared request budget: cannot {what}");
        format!("the shared request budget: cannot {what}: {e}")
    }
}

/// The answers waiting, taken.
fn take(answered: &Mutex<Answered>) -> Answered {
    std::mem::take(&mut *answered.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Puts answers that could not be handed on back, to go with the next try.
fn put_back(answered: &Mutex<Answered>, mut these: Answered) {
    let mut waiting = answered.lock().unwrap_or_else(PoisonError::into_inner);
    these.append(&mut waiting);
    *waiting = these;
}

impl BudgetStore for PgBudget {
    fn reserve(&self) -> BoxFuture<'_, Result<Reservation, String>> {
        let (store, shop) = (self.store.clone(), self.shop.clone());
        let answered = take(&self.answered);
        Box::pin(async move {
            let asked = on_store(&self.runtime, async move {
                let result = store.reserve(&shop, &answered).await;
                (result, answered)
            })
            .await;
            match asked {
                Ok((Ok(reservation), _)) => Ok(reservation),
                Ok((Err(e), answered)) => {
                    put_back(&self.answered, answered);
                    Err(self.failed("take a request", &e.to_string()))
                }
                Err(e) => Err(self.failed("take a request", &e)),
            }
        })
    }

    fn report(&self, send: u64, figures: Option<RateBudget>) -> BoxFuture<'_, Result<(), String>> {
        self.answered.lock().unwrap_or_else(PoisonError::into_inner).push((send, figures));
        if !self.flush_due.swap(true, Ordering::AcqRel) {
            let (store, shop) = (self.store.clone(), self.shop.clone());
            let (answered, due) = (Arc::clone(&self.answered), Arc::clone(&self.flush_due));
            self.runtime.spawn(async move {
                tokio::time::sleep(FLUSH_AFTER).await;
                due.store(false, Ordering::Release);
                let these = take(&answered);
                if these.is_empty() {
                    return; // a reservation took them
                }
                if let Err(e) = store.report(&shop, &these).await {
                    tracing::warn!(shop = %shop, error = %e, "the shared request budget: cannot record answers");
                    put_back(&answered, these);
                }
            });
        }
        Box::pin(async { Ok(()) })
    }
}
