//! Where a shop's request budget is kept when several processes send to the shop (the rules
//! service's instances on one PostgreSQL): the driver asks it before every request and
//! tells it every answer's figures. The decisions are the core's
//! ([`shopflow_core::shared_budget`]); a store only keeps them, one shop at a time under a
//! lock.

use futures_util::future::BoxFuture;
use shopflow_core::rate_limit::RateBudget;
pub use shopflow_core::shared_budget::Reservation;

/// The shared budget of one shop.
pub trait BudgetStore: Send + Sync {
    /// Takes one request from the budget, or says until when none may go.
    ///
    /// # Errors
    /// Why the store could not be asked (the request then does not leave: the driver asks
    /// again a moment later).
    fn reserve(&self) -> BoxFuture<'_, Result<Reservation, String>>;

    /// The answer to send number `send` came, with the figures it reported, if any.
    ///
    /// # Errors
    /// Why the store could not be told (the figures stay as low as they were: safe).
    fn report(&self, send: u64, figures: Option<RateBudget>) -> BoxFuture<'_, Result<(), String>>;
}
