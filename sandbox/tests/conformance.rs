//! Every answer the sandbox gives parses with shopflow-core: successes as their kind, and
//! failures as a typed `ApiError` with a message.

mod common;

use chrono::Utc;
use common::*;
use serde_json::{Value, json};
use shopflow_core::upgates::kinds::{self, ParseKind};
use shopflow_core::upgates::response::error_for;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_reads_with_the_core() {
    let sb = sandbox().await;
    sb.http.post("/__sandbox/orders/generate", &json!({"count": 30, "seed": 9})).await;
    let numbers = create_orders(&sb.http, 2).await;
    let n = &numbers[0];
    sb.http.post("/api/v2/customers", &json!({"customers": [{"type": "customer", "language": "cs", "login": {"email": "conf@example.cz"}}]})).await;
    let hook = sb
        .http
        .post(
            "/api/v2/webhooks",
            &json!({"name": "c", "url": "http://127.0.0.1:9/c", "event": "Orders.update"}),
        )
        .await
        .json();
    let hook_id = hook["webhook"]["id"].as_u64().unwrap();

    let cases: Vec<(&str, String, Option<Value>, ParseKind)> = vec![
        ("GET", "/api/v2/orders".into(), None, ParseKind::OrderList),
        (
            "GET",
            "/api/v2/orders?page=2&order_by=last_update_time&order_dir=desc".into(),
            None,
            ParseKind::OrderList,
        ),
        ("GET", format!("/api/v2/orders/{n}"), None, ParseKind::OrderDetail),
        (
            "POST",
            "/api/v2/orders".into(),
            Some(
                json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [new_order("x@example.cz", "C1"), {"language_id": "cs"}]}),
            ),
            ParseKind::OrderCreateResponse,
        ),
        (
            "PUT",
            "/api/v2/orders".into(),
            Some(
                json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": n, "status_id": 9}, {"order_number": "nope", "tracking_code": "x"}]}),
            ),
            ParseKind::OrderUpdateResponse,
        ),
        ("GET", format!("/api/v2/orders/{n}/history"), None, ParseKind::OrderHistoryList),
        (
            "POST",
            format!("/api/v2/orders/{n}/history"),
            Some(json!({"data": [{"name": "a", "value": "b"}]})),
            ParseKind::OrderHistoryCreateResponse,
        ),
        ("GET", "/api/v2/order-statuses".into(), None, ParseKind::OrderStatusList),
        ("GET", "/api/v2/orders/states".into(), None, ParseKind::OrderStatusList),
        (
            "POST",
            "/api/v2/order-statuses".into(),
            Some(json!({"descriptions": [{"language_id": "cs", "name": "X"}]})),
            ParseKind::OrderStatusCreateResponse,
        ),
        ("GET", "/api/v2/customers".into(), None, ParseKind::CustomerList),
        (
            "POST",
            "/api/v2/customers".into(),
            Some(
                json!({"customers": [{"type": "contact", "language": "cs", "login": {"email": "c2@example.cz"}}]}),
            ),
            ParseKind::CustomerCreateResponse,
        ),
        (
            "PUT",
            "/api/v2/customers".into(),
            Some(json!({"customers": [{"login": {"email": "conf@example.cz"}, "note": "n"}]})),
            ParseKind::CustomerUpdateResponse,
        ),
        ("GET", "/api/v2/webhooks".into(), None, ParseKind::WebhookList),
        ("GET", "/api/v2/webhooks/events".into(), None, ParseKind::WebhookEventList),
        (
            "PUT",
            "/api/v2/webhooks".into(),
            Some(json!({"id": hook_id, "active_yn": false})),
            ParseKind::WebhookUpdateResponse,
        ),
        ("GET", "/api/v2/status".into(), None, ParseKind::ApiStatus),
        (
            "POST",
            "/api/orders/state/update".into(),
            Some(json!({"apiKey": KEY, "orders": [{"order_number": "nope"}]})),
            ParseKind::LegacyUpdateResponse,
        ),
        (
            "DELETE",
            "/api/v2/customers?email=conf@example.cz".into(),
            None,
            ParseKind::CustomerDeleteResponse,
        ),
        (
            "DELETE",
            format!("/api/v2/orders?order_numbers={}", numbers[1]),
            None,
            ParseKind::OrderDeleteResponse,
        ),
    ];
    for (method, path, body, kind) in cases {
        let r = sb.http.send(method, &path, body.as_ref()).await;
        assert_eq!(r.status, 200, "{method} {path}: {}", String::from_utf8_lossy(&r.body));
        if let Err(e) = kinds::parse(kind, &r.body, None) {
            panic!("{method} {path} does not read as {}: {e}", kind.name());
        }
    }
    let del: shopflow_core::upgates::webhook::WebhookDeleteResponse =
        serde_json::from_slice(&sb.http.delete(&format!("/api/v2/webhooks/{hook_id}")).await.body)
            .unwrap();
    assert_eq!(del.webhooks.len(), 1);

    // Failures: each is a typed error with a message.
    let failures = [
        sb.http.get("/api/v2/orders/0000").await,
        sb.http.get("/api/v2/orders?page=x").await,
        Http::new(&sb.http.origin, LOGIN, "bad").get("/api/v2/orders").await,
        sb.http.send("POST", "/api/v2/orders", Some(&json!([]))).await,
    ];
    for r in failures {
        let e = error_for(&r.view(), Utc::now())
            .unwrap_or_else(|| panic!("status {} should be an error", r.status));
        assert!(e.to_string().len() > 10, "{e}");
    }
}
