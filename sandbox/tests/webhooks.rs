//! Webhooks: registration over the API, and real deliveries to a receiver on 127.0.0.1.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use shopflow_core::upgates::webhook::{
    EventSource, WebhookEvent, WebhookList, WebhookResponse, parse_webhook,
};

async fn register(http: &Http, event: &str, url: &str) -> u64 {
    let r = http.post("/api/v2/webhooks", &json!({"name": format!("test {event}"), "url": url, "event": event, "active_yn": true})).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let resp: WebhookResponse = serde_json::from_slice(&r.body).unwrap();
    resp.webhook.unwrap().id.unwrap()
}

async fn fast_timings(http: &Http) {
    http.config(
        json!({"webhooks": {"coalesce_ms": 100, "retry_interval_ms": 200, "give_up_ms": 60_000}}),
    )
    .await;
}

async fn deliveries(http: &Http) -> Vec<Value> {
    http.get("/__sandbox/deliveries").await.json()["deliveries"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_crud_and_events() {
    let sb = sandbox().await;
    let events = sb.http.get("/api/v2/webhooks/events").await.json();
    assert!(
        events["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Orders.create" && e["allowed_yn"] == true)
    );
    let id = register(&sb.http, "Orders.create", "http://127.0.0.1:9/hook").await;
    let bad = sb
        .http
        .post(
            "/api/v2/webhooks",
            &json!({"name": "x", "url": "not a url", "event": "Orders.explode"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["messages"].as_array().unwrap().len(), 2);
    let r = sb
        .http
        .put("/api/v2/webhooks", &json!({"id": id, "active_yn": false, "name": "renamed"}))
        .await;
    assert_eq!(r.json()["webhook"]["active_yn"], false);
    let list: WebhookList =
        serde_json::from_slice(&sb.http.get(&format!("/api/v2/webhooks/{id}")).await.body).unwrap();
    assert_eq!(list.webhooks[0].name.as_deref(), Some("renamed"));
    let del = sb.http.delete(&format!("/api/v2/webhooks?ids={id}%3B777")).await.json();
    assert_eq!(del["webhooks"][0]["deleted"], true, "the field is `deleted`, not `deleted_yn`");
    assert_eq!(del["webhooks"][1]["deleted"], false);
    assert!(
        sb.http.get("/api/v2/webhooks").await.json()["webhooks"].as_array().unwrap().is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storefront_orders_arrive_coalesced_in_one_call_that_parses() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    fast_timings(&sb.http).await;
    register(&sb.http, "Orders.create", &format!("{}/hooks/orders-create", rx.url)).await;
    let g =
        sb.http.post("/__sandbox/orders/generate", &json!({"count": 40, "seed": 3})).await.json();
    assert_eq!(g["created"], 40);
    eventually(Duration::from_secs(5), "the delivery", || !rx.calls().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let calls = rx.calls();
    assert_eq!(calls.len(), 1, "40 records within the window go in one call");
    let body = serde_json::to_vec(&calls[0].body).unwrap();
    let batch = parse_webhook(&body, Some(&WebhookEvent::ORDERS_CREATE)).unwrap();
    assert_eq!(batch.order_numbers().len(), 40);
    assert_eq!(batch.project_name.as_deref(), Some("testshop"));
    let inferred = parse_webhook(&body, None).unwrap();
    assert_eq!(
        (inferred.event, inferred.event_source),
        (WebhookEvent::ORDERS_CREATE, EventSource::Inferred)
    );
    let log = deliveries(&sb.http).await;
    assert_eq!(
        (log[0]["outcome"].as_str(), log[0]["records"].as_u64(), log[0]["status"].as_u64()),
        (Some("delivered"), Some(40), Some(200))
    );
    let hook: WebhookList =
        serde_json::from_slice(&sb.http.get("/api/v2/webhooks").await.body).unwrap();
    assert_eq!(hook.webhooks[0].last_success_call_status, Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_hold_at_most_max_batch_records_in_order() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    sb.http.config(json!({"webhooks": {"coalesce_ms": 100, "max_batch": 25}})).await;
    register(&sb.http, "Orders.create", &format!("{}/h", rx.url)).await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 60, "seed": 1})).await;
    eventually(Duration::from_secs(5), "three calls", || rx.calls().len() >= 3).await;
    let sizes: Vec<usize> =
        rx.calls().iter().map(|c| c.body["orders"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, vec![25, 25, 10]);
    let numbers: Vec<String> = rx
        .calls()
        .iter()
        .flat_map(|c| {
            c.body["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["order_number"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted, "in order, none lost or repeated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_writes_fire_update_and_customer_events_with_their_fields() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    fast_timings(&sb.http).await;
    register(&sb.http, "Orders.update", &format!("{}/u", rx.url)).await;
    register(&sb.http, "Customers.create", &format!("{}/c", rx.url)).await;
    let numbers = create_orders(&sb.http, 2).await;
    sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": numbers[1], "status_id": 9}]})).await;
    sb.http.post("/api/v2/customers", &json!({"customers": [{"type": "customer", "language": "cs", "login": {"email": "new@example.cz", "active_yn": false}}]})).await;
    eventually(Duration::from_secs(5), "two calls", || rx.calls().len() >= 2).await;
    let calls = rx.calls();
    let update = calls.iter().find(|c| c.body.get("orders").is_some()).unwrap();
    assert_eq!(update.body["orders"][0]["order_number"], numbers[1]);
    assert_eq!(update.body["orders"][0]["status_id"], 9);
    assert!(update.body["orders"][0]["last_update_time"].is_string());
    let customers = calls.iter().find(|c| c.body.get("customers").is_some()).unwrap();
    let batch = parse_webhook(
        &serde_json::to_vec(&customers.body).unwrap(),
        Some(&WebhookEvent::CUSTOMERS_CREATE),
    )
    .unwrap();
    assert_eq!(batch.customer_ids().len(), 1);
    assert_eq!(customers.body["customers"][0]["active_yn"], false);
    assert_eq!(customers.body["customers"][0]["blocked_yn"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_at_the_interval_until_a_200() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    rx.set(500, 0);
    fast_timings(&sb.http).await;
    register(&sb.http, "Orders.create", &format!("{}/h", rx.url)).await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 3})).await;
    eventually(Duration::from_secs(5), "three failed calls", || rx.calls().len() >= 3).await;
    rx.set(204, 0);
    eventually(Duration::from_secs(5), "a fourth call, answered 204", || rx.calls().len() >= 4)
        .await;
    let calls = rx.calls();
    let gaps: Vec<Duration> = calls.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(180)),
        "retries wait the interval: {gaps:?}"
    );
    assert!(calls.iter().all(|c| c.body == calls[0].body), "the same batch is resent");
    let log = deliveries(&sb.http).await;
    let outcomes: Vec<&str> = log.iter().map(|d| d["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.last(), Some(&"delivered"));
    assert!(outcomes.iter().filter(|o| **o == "failed").count() >= 3);
    assert_eq!(log[0]["attempt"], 1);
    assert_eq!(log[1]["attempt"], 2);
    assert!(log[0]["error"].as_str().unwrap().contains("500"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_receiver_fails_the_one_second_timeout_and_is_deactivated_after_give_up() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    rx.set(200, 1500);
    sb.http
        .config(
            json!({"webhooks": {"coalesce_ms": 50, "retry_interval_ms": 100, "give_up_ms": 2500}}),
        )
        .await;
    let id = register(&sb.http, "Orders.create", &format!("{}/h", rx.url)).await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 1})).await;
    eventually(Duration::from_secs(10), "give-up", || deactivated(&sb, id)).await;
    let log = deliveries(&sb.http).await;
    assert!(log.iter().all(|d| d["outcome"] != "delivered"));
    assert!(
        log.iter()
            .any(|d| d["error"].as_str().is_some_and(|e| e.contains("no answer within 1000 ms")))
    );
    assert_eq!(log.last().unwrap()["outcome"], "gave_up");
    let hooks: WebhookList =
        serde_json::from_slice(&sb.http.get("/api/v2/webhooks").await.body).unwrap();
    assert!(!hooks.webhooks[0].active_yn, "deactivated after the give-up time");
    assert!(hooks.webhooks[0].last_error_call.is_some());
    // A deactivated webhook is not called.
    rx.set(200, 0);
    let before = rx.calls().len();
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 1})).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(rx.calls().len(), before);
}

fn deactivated(sb: &Sandbox, id: u64) -> bool {
    sb.handle.state().shop().webhook(id).is_some_and(|w| !w.active_yn)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_the_url_arrive_as_basic_auth_and_stay_out_of_the_log() {
    let sb = sandbox().await;
    let rx = Receiver::start().await;
    fast_timings(&sb.http).await;
    let url = rx.url.replace("http://", "http://hook-user:s3cret@") + "/in?token=abc";
    register(&sb.http, "Orders.create", &url).await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 1})).await;
    eventually(Duration::from_secs(5), "the call", || !rx.calls().is_empty()).await;
    let auth = rx.calls()[0].headers.get("authorization").unwrap().to_str().unwrap().to_owned();
    assert_eq!(auth, "Basic aG9vay11c2VyOnMzY3JldA==");
    let log = serde_json::to_string(&deliveries(&sb.http).await).unwrap();
    assert!(!log.contains("s3cret") && !log.contains("abc"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_receivers_are_logged_as_unsupported() {
    let sb = sandbox().await;
    fast_timings(&sb.http).await;
    register(&sb.http, "Orders.create", "https://hooks.example.com/in").await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 1})).await;
    let http = sb.http.clone();
    let mut log = Vec::new();
    for _ in 0..100 {
        log = deliveries(&http).await;
        if !log.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(log[0]["error"].as_str().unwrap().contains("plain http only"));
}
