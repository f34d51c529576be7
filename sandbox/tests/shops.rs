//! Many shops in one sandbox, over HTTP: `/shops/{name}/api/v2/...` and
//! `/shops/{name}/__sandbox/...`, each shop with its own credentials, orders, budget and
//! webhooks, and the sandbox's own shop at `/api/v2` untouched.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use shopflow_sandbox::SandboxConfig;

async fn two_shops() -> (Sandbox, Http, Http) {
    let sb = sandbox_with(SandboxConfig { shops: 2, ..config() }).await;
    let origin = sb.handle.origin();
    let one = Http::new(&format!("{origin}/shops/shop-1"), "shop-1", "shop-1-key");
    let two = Http::new(&format!("{origin}/shops/shop-2"), "shop-2", "shop-2-key");
    (sb, one, two)
}

fn numbers(body: &serde_json::Value) -> Vec<String> {
    body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shop_has_its_own_orders() {
    let (sb, one, two) = two_shops().await;
    create_orders(&one, 3).await;
    create_orders(&two, 1).await;
    assert_eq!(numbers(&one.get("/api/v2/orders").await.json()).len(), 3);
    assert_eq!(numbers(&two.get("/api/v2/orders").await.json()).len(), 1);
    // The sandbox's own shop is where it always was, and saw none of them.
    assert_eq!(numbers(&sb.http.get("/api/v2/orders").await.json()).len(), 0);
    // The control API is per shop too: each counts its own requests (one POST, one GET;
    // the sandbox's own shop one GET).
    one.get("/api/v2/status").await;
    assert_eq!(one.stats().await["requests_total"], 3);
    assert_eq!(two.stats().await["requests_total"], 2);
    assert_eq!(sb.http.stats().await["requests_total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_key_for_one_shop_leaves_the_other_working() {
    let (sb, one, two) = two_shops().await;
    let wrong = Http::new(&format!("{}/shops/shop-1", sb.handle.origin()), "shop-1", "shop-2-key");
    let refused = wrong.get("/api/v2/orders").await;
    assert_eq!(refused.status, 401, "{}", String::from_utf8_lossy(&refused.body));
    // Shop 2's key is its own, not a key to every shop.
    let crossed =
        Http::new(&format!("{}/shops/shop-2", sb.handle.origin()), "shop-1", "shop-1-key");
    assert_eq!(crossed.get("/api/v2/orders").await.status, 401);
    assert_eq!(two.get("/api/v2/orders").await.status, 200);
    assert_eq!(one.get("/api/v2/orders").await.status, 200);
    // The sandbox's own credentials open no hosted shop.
    let own = Http::new(&format!("{}/shops/shop-1", sb.handle.origin()), LOGIN, KEY);
    assert_eq!(own.get("/api/v2/orders").await.status, 401);
    let unknown = Http::new(&format!("{}/shops/shop-9", sb.handle.origin()), LOGIN, KEY);
    assert_eq!(unknown.get("/api/v2/orders").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shop_spends_its_own_budget() {
    let (sb, one, two) = two_shops().await;
    one.config(json!({"rate_limit": {"enabled": true, "hour": 1, "day": 1}})).await;
    assert_eq!(one.get("/api/v2/orders").await.status, 200);
    assert_eq!(one.get("/api/v2/orders").await.status, 200);
    assert_eq!(one.get("/api/v2/orders").await.status, 429);
    let other = two.get("/api/v2/orders").await;
    assert_eq!(other.status, 200);
    assert_eq!(other.header("x-rate-limit-hour"), Some("1000"));
    assert_eq!(sb.http.get("/api/v2/orders").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shops_are_listed_and_added_while_it_runs() {
    let (sb, _, _) = two_shops().await;
    let listed = sb.http.get("/__sandbox/shops").await.json();
    let names: Vec<&str> =
        listed["shops"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["shop-1", "shop-2"]);
    assert_eq!(listed["shops"][0]["api"], "/shops/shop-1/api/v2");
    assert!(!listed.to_string().contains("shop-1-key"), "keys are never listed: {listed}");
    let added =
        sb.http.post("/__sandbox/shops", &json!({"name": "corner", "key": "corner-secret"})).await;
    assert_eq!(added.status, 201, "{}", String::from_utf8_lossy(&added.body));
    assert_eq!(added.json()["login"], "corner");
    assert!(!String::from_utf8_lossy(&added.body).contains("corner-secret"));
    let corner =
        Http::new(&format!("{}/shops/corner", sb.handle.origin()), "corner", "corner-secret");
    assert_eq!(corner.get("/api/v2/orders").await.status, 200);
    assert_eq!(sb.http.post("/__sandbox/shops", &json!({"name": "corner"})).await.status, 409);
    let bad = sb.http.post("/__sandbox/shops", &json!({"name": "a/b"})).await;
    assert_eq!(bad.status, 400);
    assert!(String::from_utf8_lossy(&bad.body).contains("letters, digits"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_go_out_per_shop() {
    let (_sb, one, two) = two_shops().await;
    let receiver = Receiver::start().await;
    for (http, path) in [(&one, "one"), (&two, "two")] {
        http.config(json!({"webhooks": {"coalesce_ms": 50}})).await;
        let r = http
            .post(
                "/api/v2/webhooks",
                &json!({"name": "t", "url": format!("{}/{path}", receiver.url), "event": "Orders.create", "active_yn": true}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
    create_orders(&one, 2).await;
    eventually(Duration::from_secs(10), "shop 1's delivery", || !receiver.calls().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let calls = receiver.calls();
    assert_eq!(calls.len(), 1, "only shop 1 had orders: {calls:?}");
    assert_eq!(calls[0].body["project_name"], "shop-1");
    assert_eq!(calls[0].body["orders"].as_array().unwrap().len(), 2);
    let log = one.get("/__sandbox/deliveries").await.json();
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 1);
    let none = two.get("/__sandbox/deliveries").await.json();
    assert_eq!(none["deliveries"].as_array().unwrap().len(), 0);
}
