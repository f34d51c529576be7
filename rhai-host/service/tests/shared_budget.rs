//! Two instances' clients of one shop taking every request from the budget they share on a
//! real PostgreSQL (tools/testdb), against the sandbox over HTTP with a Bronze-like budget
//! of 10 requests an hour: together they send exactly what the shop allows and never a
//! request it refuses. Without the shared budget each client knows only its own sends and
//! the figures its own answers carry, so between them they send past the budget.

use std::sync::Arc;
use std::time::Duration;

use chrono::Timelike;
use shopflow_client::Client;
use shopflow_core::retry::{OnRateLimit, RetryPolicy};
use shopflow_pg_store::PgStore;
use shopflow_sandbox::SandboxConfig;
use shopflow_sandbox::config::{RateLimitConfig, RuntimeConfig};
use shopflow_service::shared_budget::PgBudget;
use shopflow_service::{LeaseRounds, PgShop};
use shopflow_testdb::TestPostgres;

/// A client of the shop as one instance has it, with the shared budget in `store`.
fn instance(base_url: &str, store: PgStore) -> Client {
    let runtime = tokio::runtime::Handle::current();
    let on = PgShop {
        rounds: LeaseRounds::start(store.clone(), "test".to_owned(), 1, &runtime),
        store,
        shop: "bronze".to_owned(),
        holder: "test".to_owned(),
        runtime,
    };
    // Short waits are waited (the first request's answer), the next hour is not.
    let policy = RetryPolicy {
        on_rate_limit: OnRateLimit::Wait { max_wait: Duration::from_secs(2) },
        ..RetryPolicy::default()
    };
    Client::builder(base_url, "sandbox", "sandbox-key")
        .allow_local(true)
        .policy(policy)
        .shared_budget(Arc::new(PgBudget::new(&on)))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_sharing_a_budget_send_what_the_shop_allows_and_no_more() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // The hour's budget refills on the clock hour: start well inside one.
    let now = chrono::Utc::now();
    if now.minute() == 59 && now.second() >= 30 {
        tokio::time::sleep(Duration::from_secs(u64::from(61 - now.second()))).await;
    }
    // No cap on requests at once: two clients have 6 out at a time where the shop serves 3
    // (its 429 for that is not the budget's, and instances only overlap while a lease moves).
    let runtime = RuntimeConfig {
        rate_limit: RateLimitConfig { enabled: true, hour: 10, day: 0 },
        concurrency: None,
        ..RuntimeConfig::default()
    };
    let config = SandboxConfig { runtime, ..SandboxConfig::default() };
    let sb = shopflow_sandbox::start(config).await.unwrap();
    let pg = TestPostgres::start().expect("PostgreSQL starts (scripts/test installs it)");
    let a = instance(&sb.base_url(), PgStore::connect(&pg.url(), 4).await.unwrap());
    let b = instance(&sb.base_url(), PgStore::connect(&pg.url(), 4).await.unwrap());

    // 12 reads asked of each instance at once: 24 for a budget of 10.
    let reads = (0..24).map(|i| {
        let client = if i % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { client.orders().list(&Default::default()).await })
    });
    let mut done = 0;
    for read in futures_util::future::join_all(reads).await {
        match read.unwrap() {
            Ok(_) => done += 1,
            Err(e) => assert_eq!(e.code(), "RATE_LIMITED", "{e}"),
        }
    }
    assert_eq!(done, 10, "the hour's 10 requests, each spent once");
    for client in [&a, &b] {
        let refused = client.answers().get(&Some(429)).copied().unwrap_or(0);
        assert_eq!(refused, 0, "the shop refused a request for its budget: {:?}", client.answers());
    }
    assert_eq!(a.requests_sent() + b.requests_sent(), 10);
    // The shop's own counters agree: 10 came, none over the budget.
    let stats: serde_json::Value = reqwest::get(format!("{}/__sandbox/stats", sb.origin()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests_total"], 10, "{stats}");
    assert_eq!(stats["refused_over_budget"], 0, "{stats}");
}
