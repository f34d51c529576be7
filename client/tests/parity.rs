//! The parity suite, Rust face: every scenario of `tests/parity/scenarios.json` against the
//! sandbox over HTTP, checking outcomes and the sandbox's request counters. The npm package
//! runs the same file (`tests/node/parity.test.mjs`).

mod common;

use std::collections::HashMap;

use serde_json::{Value, json};
use shopflow_client::{Client, Error};
use shopflow_core::retry::{OnRateLimit, RetryPolicy};
use shopflow_core::upgates::order::{
    CustomerWrite, HistoryAddRequest, NewOrder, Notify, OrderListQuery, OrderUpdate, ProductWrite,
};
use shopflow_sandbox::{SandboxConfig, SandboxHandle};

const LOGIN: &str = "parity";
const KEY: &str = "parity-key-0123456789";

async fn sandbox() -> SandboxHandle {
    shopflow_sandbox::start(SandboxConfig {
        login: LOGIN.to_owned(),
        api_key: KEY.into(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

async fn control(sb: &SandboxHandle, method: &str, path: &str, body: Value) -> Value {
    common::control(&sb.origin(), method, path, body).await
}

fn client(base: &str, options: &Value) -> Client {
    let key = options["key"].as_str().unwrap_or(KEY);
    let mut policy = RetryPolicy::default();
    if let Some(n) = options["retries"].as_u64() {
        policy.max_attempts = u32::try_from(n).unwrap();
    }
    if options["onRateLimit"] == "throw" {
        policy.on_rate_limit = OnRateLimit::Fail;
    }
    Client::builder(base, LOGIN, key).allow_local(true).policy(policy).build().unwrap()
}

fn new_order(i: u64) -> NewOrder {
    let mut o = NewOrder::new(
        "cs",
        CustomerWrite::with_email(format!("buyer{i}@example.cz")),
        vec![ProductWrite::new("Pohár", 1_i64.into(), 168_i64.into(), 21_i64.into())],
    );
    o.external_order_number = Some(format!("PARITY-{i}"));
    o
}

/// What a step came to: `{ok, items, baseUrl}` or `{error, status, retryAfter, message}`.
async fn step(c: &Client, call: &str, count: u64) -> Value {
    let result: Result<usize, Error> = match call {
        "orders.list" => c.orders().list(&OrderListQuery::default()).await.map(|l| l.orders.len()),
        "orders.create" => c
            .orders()
            .create((0..count).map(new_order).collect(), Notify::NONE)
            .await
            .map(|r| r.len()),
        "orders.update" => {
            let orders = (0..count)
                .map(|i| {
                    let mut u = OrderUpdate::new(format!("{}", 1000 + i));
                    u.status_id = Some(3);
                    u
                })
                .collect();
            c.orders().update(orders, Notify::NONE).await.map(|r| r.len())
        }
        "orders.addHistory" => c
            .orders()
            .add_history("1000", &HistoryAddRequest::note("shopflow", "parity"))
            .await
            .map(|_| 1),
        other => panic!("unknown call {other}"),
    };
    match result {
        Ok(items) => json!({ "ok": true, "items": items, "baseUrl": c.base_url() }),
        Err(e) => json!({
            "error": e.code(),
            "status": e.status(),
            "retryAfter": e.retry_after().is_some(),
            "message": e.to_string(),
        }),
    }
}

fn check(name: &str, got: &Value, want: &Value, other: &str) {
    for (k, v) in want.as_object().unwrap() {
        let g = &got[k];
        match (k.as_str(), v) {
            ("message", Value::String(part)) => {
                assert!(g.as_str().unwrap_or("").contains(part.as_str()), "{name}: {got}")
            }
            ("baseUrl", Value::String(s)) if s == "$other" => assert_eq!(g, other, "{name}"),
            _ => assert_eq!(g, v, "{name}: {k} in {got}"),
        }
    }
}

fn check_counts(name: &str, stats: &Value, want: &Value) {
    for (k, v) in want.as_object().into_iter().flatten() {
        let got =
            if k == "total" { &stats["requests_total"] } else { &stats["requests_by_endpoint"][k] };
        assert_eq!(
            got.as_u64().unwrap_or(0),
            v.as_u64().unwrap(),
            "{name}: requests {k} in {stats}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_has_the_same_outcome_and_count_as_the_npm_package() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/parity/scenarios.json"
    ))
    .unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let sb = sandbox().await;
    let other = sandbox().await;
    let other_base = other.base_url();
    for s in file["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        for shop in [&sb, &other] {
            control(shop, "POST", "reset", json!({})).await;
        }
        if let Some(n) = s["seed_orders"].as_u64() {
            control(&sb, "POST", "orders/generate", json!({ "count": n, "seed": 3 })).await;
        }
        if let Some(n) = s["other_orders"].as_u64() {
            control(&other, "POST", "orders/generate", json!({ "count": n, "seed": 4 })).await;
        }
        let setup = s["setup"].to_string().replace("$other", &other_base);
        if s["setup"].is_object() {
            control(&sb, "PUT", "config", serde_json::from_str(&setup).unwrap()).await;
        }
        for shop in [&sb, &other] {
            control(shop, "POST", "stats/reset", json!({})).await;
        }
        let clients: HashMap<&str, Client> = s["clients"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str(), client(&sb.base_url(), v)))
            .collect();
        for st in s["steps"].as_array().unwrap() {
            let c = &clients[st["client"].as_str().unwrap()];
            let got =
                step(c, st["call"].as_str().unwrap(), st["count"].as_u64().unwrap_or(1)).await;
            check(name, &got, &st["expect"], &other_base);
        }
        check_counts(name, &control(&sb, "GET", "stats", Value::Null).await, &s["counts"]);
        check_counts(name, &control(&other, "GET", "stats", Value::Null).await, &s["other_counts"]);
        eprintln!("ok: {name}");
    }
}
