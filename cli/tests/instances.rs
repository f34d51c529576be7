//! Two `shopflow run --config shops.toml --store postgres://…` instances sharing one real
//! PostgreSQL (Debian's, started in a temporary folder, stopped by PID) on 50 shops of one
//! `shopflow sandbox --shops 50`, over real HTTP: the shops are shared out 25 and 25,
//! deliveries go to either instance, a resend
//! to the other one is stored once, and when one instance is killed (`kill -9`) in the
//! middle of its passes, the other takes its shops over: every acknowledged event is applied
//! exactly once (the sandbox's history records), and nothing stays unfinished in the store.
//! Every request a shop counted was first taken from the budget the instances share, and
//! every order's run history is in the database, shown by either instance.

use std::time::{Duration, Instant};

use serde_json::json;
use shopflow_pg_store::PgStore;

mod common;
use common::operator::{deliver, faults, notes, operator, orders_create};
use common::shops::{orders, sandbox, secret, service_with, shops_file};

const SHOPS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instances_shops_are_finished_by_the_other_and_each_event_applied_once() {
    let pg = shopflow_testdb::TestPostgres::start().expect("PostgreSQL for the test");
    let url = pg.url();
    let (_sb, sb) = sandbox(SHOPS);
    let names: Vec<String> = (1..=SHOPS).map(|k| format!("shop-{k}")).collect();
    let keys: Vec<String> = names.iter().map(|n| format!("{n}-key")).collect();
    let pairs: Vec<(&str, &str)> =
        names.iter().zip(&keys).map(|(n, k)| (n.as_str(), k.as_str())).collect();
    let dir = shops_file(&sb, &pairs);
    let (mut a, a_url) = service_with(dir.path(), "data-a", &["--store", &url]);
    let (_b, b_url) = service_with(dir.path(), "data-b", &["--store", &url]);
    let store = PgStore::connect(&url, 2).await.unwrap();
    // The shops are shared out: 25 each, whichever started first and took them all.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let held = held_by_holder(&store).await;
        if held == [25, 25] {
            break;
        }
        assert!(Instant::now() < deadline, "not shared out: {held:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Every request to every shop takes 300 ms, so passes are in flight when a is killed.
    let mut orders_of = Vec::new();
    for name in &names {
        let shop = format!("{sb}/shops/{name}");
        orders_of.push(orders(&sb, name, 2).await);
        faults(&shop, json!({"slow_rate": 1.0, "slow_ms": 300})).await;
        // From here on the shop counts only the instances' requests.
        let reset = reqwest::Client::new().post(format!("{shop}/__sandbox/stats/reset"));
        assert!(reset.send().await.unwrap().status().is_success());
    }
    // Each shop: its first order's delivery to a and, resent (the shop retries), to b; its
    // second order's to b. All acknowledged before the kill.
    for (name, numbers) in names.iter().zip(&orders_of) {
        let first = orders_create(&numbers[..1]);
        let second = orders_create(&numbers[1..]);
        for (origin, body) in [(&a_url, &first), (&b_url, &first), (&b_url, &second)] {
            let shop = format!("{origin}/shops/{name}");
            assert_eq!(deliver(&shop, &secret(name), "Orders.create", body).await, 200, "{name}");
        }
    }
    // A shop's dead letters are in its holder's hands: the other instance says so (409), the
    // holder looks (no such dead letter: 404).
    let mut answers = Vec::new();
    for (origin, data) in [(&a_url, "data-a"), (&b_url, "data-b")] {
        let path = "/shops/shop-1/deliveries/1/retry";
        answers.push(operator("POST", origin, &dir.path().join(data), path).await.0);
    }
    answers.sort_unstable();
    assert_eq!(answers, [404, 409], "one instance holds shop-1");
    tokio::time::sleep(Duration::from_millis(700)).await;
    a.0.kill().expect("kill -9 of instance a");
    let _ = a.0.wait();

    let deadline = Instant::now() + Duration::from_secs(120);
    for name in &names {
        while store.queued(name).await.unwrap() > 0 {
            assert!(Instant::now() < deadline, "{name}: deliveries still unfinished");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    // Every request a shop counted was taken from the budget the instances share first
    // (a request taken and then cut off by the kill may never have arrived).
    for name in &names {
        let stats: serde_json::Value = reqwest::get(format!("{sb}/shops/{name}/__sandbox/stats"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let arrived = stats["requests_total"].as_u64().unwrap();
        let taken = store.budget(name).await.unwrap().sends;
        assert!(arrived > 0 && arrived <= taken, "{name}: {arrived} arrived, {taken} taken");
        assert_eq!(stats["refused_over_budget"], 0, "{name}: {stats}");
    }
    let stored: i64 = sqlx_count(&store, "SELECT count(*) FROM delivery").await;
    assert_eq!(stored, 2 * SHOPS as i64, "each resend stored once");
    for ((name, key), numbers) in names.iter().zip(&keys).zip(&orders_of) {
        let shop = format!("{sb}/shops/{name}");
        for n in numbers {
            assert_eq!(notes(&shop, name, key, n, "shopflow", "seen").await, 1, "{name} {n}");
        }
    }
    // Every order's run is in the shared history, whichever instance worked it: the
    // surviving instance shows the runs of the shops the killed one finished, too.
    for (name, numbers) in names.iter().zip(&orders_of) {
        for n in numbers {
            let path = format!("/shops/{name}/runs/{n}");
            let (code, v) = operator("GET", &b_url, &dir.path().join("data-b"), &path).await;
            assert_eq!(code, 200, "{name} {n}: {v}");
            let runs = v["runs"].as_array().unwrap();
            assert!(!runs.is_empty(), "{name} {n}: no run kept: {v}");
            assert_eq!(runs[0]["events"][0]["event"], "Orders.create", "{name} {n}: {v}");
        }
    }
    let kept = sqlx_count(&store, "SELECT count(DISTINCT (shop, order_no)) FROM run_history").await;
    assert_eq!(kept, 2 * SHOPS as i64, "in the table, not in either instance's data folder");
    for data in ["data-a", "data-b"] {
        let folder = dir.path().join(data);
        let files = walk(&folder);
        assert!(!files.iter().any(|f| f.ends_with("runs.jsonl")), "{data}: {files:?}");
    }
    // Some of a's shops were taken over: their leases are at a higher epoch than the first.
    let taken = sqlx_count(&store, "SELECT count(*) FROM shop_lease WHERE epoch > 1").await;
    assert!(taken > 0, "a held shops that b had to take over");
    assert_eq!(held_by_holder(&store).await, [50], "the survivor's share is every shop");
}

async fn sqlx_count(store: &PgStore, query: &str) -> i64 {
    sqlx::query_scalar(query).fetch_one(store.pool()).await.unwrap()
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        match path.is_dir() {
            true => files.extend(walk(&path)),
            false => files.push(path),
        }
    }
    files
}

/// How many live leases each holder has, fewest first.
async fn held_by_holder(store: &PgStore) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM shop_lease WHERE expires_at > now() GROUP BY holder ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}
