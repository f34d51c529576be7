//! A shop's request budget shared by every instance: one row per shop holding the core's
//! [`SharedBudget`], read and written back under a row lock for each request taken and each
//! answer's figures, so that no request is spent twice and none past what the shop allows.
//! The decisions are the core's; this file only keeps them.

use chrono::Utc;
use shopflow_core::rate_limit::RateBudget;
use shopflow_core::shared_budget::{Reservation, SharedBudget};

use crate::{PgStore, StoreError};

impl PgStore {
    /// Takes one request from `shop`'s budget, or says until when none may go, after taking
    /// in the `answered` requests (their numbers and the figures their answers reported): an
    /// instance hands its answers on with its next request, in the same transaction.
    ///
    /// # Errors
    /// The database's errors (nothing was taken, nothing taken in).
    pub async fn reserve(
        &self,
        shop: &str,
        answered: &[(u64, Option<RateBudget>)],
    ) -> Result<Reservation, StoreError> {
        self.with_budget(shop, |b| {
            let now = Utc::now();
            take_in(b, answered, now);
            b.reserve(now)
        })
        .await
    }

    /// Takes in answers to `shop`'s requests (their numbers and the figures they reported)
    /// without asking for another.
    ///
    /// # Errors
    /// The database's errors (the figures stay as they were).
    pub async fn report(
        &self,
        shop: &str,
        answered: &[(u64, Option<RateBudget>)],
    ) -> Result<(), StoreError> {
        self.with_budget(shop, |b| take_in(b, answered, Utc::now())).await
    }

    /// The shop's shared figures as they stand (for operators and tests).
    ///
    /// # Errors
    /// The database's errors.
    pub async fn budget(&self, shop: &str) -> Result<SharedBudget, StoreError> {
        let row: Option<sqlx::types::Json<SharedBudget>> =
            sqlx::query_scalar("SELECT budget FROM shop_budget WHERE shop = $1")
                .bind(shop)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|j| j.0).unwrap_or_default())
    }

    /// Runs `decide` on the shop's figures under the row's lock and writes them back.
    async fn with_budget<T>(
        &self,
        shop: &str,
        decide: impl FnOnce(&mut SharedBudget) -> T,
    ) -> Result<T, StoreError> {
        let mut tx = self.pool().begin().await?;
        // Creates the row or locks it as it is, in one statement: an update that changes
        // nothing still takes the row's lock, so instances taking requests at once queue here.
        let sqlx::types::Json(mut budget): sqlx::types::Json<SharedBudget> = sqlx::query_scalar(
            "INSERT INTO shop_budget (shop, budget) VALUES ($1, '{}')
             ON CONFLICT (shop) DO UPDATE SET budget = shop_budget.budget
             RETURNING budget",
        )
        .bind(shop)
        .fetch_one(&mut *tx)
        .await?;
        let decided = decide(&mut budget);
        sqlx::query("UPDATE shop_budget SET budget = $2 WHERE shop = $1")
            .bind(shop)
            .bind(sqlx::types::Json(&budget))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(decided)
    }
}

/// Each answer, in turn, into the figures.
fn take_in(
    b: &mut SharedBudget,
    answered: &[(u64, Option<RateBudget>)],
    now: chrono::DateTime<Utc>,
) {
    for (send, figures) in answered {
        b.report(*send, figures.clone(), now);
    }
}
