//! `--state FILE`: state survives a restart.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.json");
    let mut cfg = config();
    cfg.state_file = Some(file.clone());
    cfg.seed_orders = 5;
    let sb = sandbox_with(cfg.clone()).await;
    let numbers = create_orders(&sb.http, 3).await;
    sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": numbers[0], "status_id": 3}]})).await;
    sb.http
        .post(
            &format!("/api/v2/orders/{}/history", numbers[1]),
            &json!({"data": [{"name": "n", "value": "v"}]}),
        )
        .await;
    sb.http.post("/api/v2/customers", &json!({"customers": [{"type": "contact", "language": "cs", "login": {"email": "keep@example.cz"}}]})).await;
    sb.http
        .post(
            "/api/v2/webhooks",
            &json!({"name": "w", "url": "http://127.0.0.1:9/x", "event": "Orders.update"}),
        )
        .await;
    let before = sb.http.get("/api/v2/orders").await.json();
    sb.handle.shutdown().await;
    assert!(file.exists());
    assert!(
        !std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp")),
        "no temp file left"
    );

    let again = sandbox_with(cfg).await;
    assert_eq!(again.http.get("/api/v2/orders").await.json(), before, "same orders, not re-seeded");
    let h = again.http.get(&format!("/api/v2/orders/{}/history", numbers[1])).await.json();
    assert_eq!(h["history"].as_array().unwrap().last().unwrap()["data"][0]["value"], "v");
    assert_eq!(
        again.http.get("/api/v2/customers?email=keep@example.cz").await.json()["number_of_items"],
        1
    );
    assert_eq!(
        again.http.get("/api/v2/webhooks").await.json()["webhooks"].as_array().unwrap().len(),
        1
    );
    // Numbering continues where it stopped.
    let next = create_orders(&again.http, 1).await;
    assert!(next[0] > numbers[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_state_file_is_refused_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.json");
    std::fs::write(
        &file,
        br#"{"project_name": "x", "orders": [{"order_number": "1", "order_total": "abc"}]}"#,
    )
    .unwrap();
    let mut cfg = config();
    cfg.state_file = Some(file);
    let err = shopflow_sandbox::start(cfg).await.unwrap_err().to_string();
    assert!(err.contains("orders[0]"), "{err}");
}
