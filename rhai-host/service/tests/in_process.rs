//! The service as a library, in one process with the sandbox: a webhook in, the rule's
//! action in the shop, the outcome on /status. (The process-level tests, crash and restart
//! included, are in cli/tests/service.rs.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shopflow_client::Client;
use shopflow_rules::{Limits, RuleSet};
use shopflow_sandbox::SandboxConfig;
use shopflow_service::Config;

const SECRET: &str = "an-in-process-webhook-secret";
const TOKEN: &str = "an-in-process-operator-token";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_becomes_an_action_in_the_shop_and_an_outcome_on_status() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sb = shopflow_sandbox::start(SandboxConfig { seed_orders: 2, ..SandboxConfig::default() })
        .await
        .unwrap();
    let shop =
        Client::builder(sb.base_url(), "sandbox", "sandbox-key").allow_local(true).build().unwrap();
    let number =
        shop.orders().list(&Default::default()).await.unwrap().orders[0].order_number.clone();
    let start = Instant::now();
    let clock: shopflow_rules::Clock = Arc::new(move || start.elapsed().as_secs_f64() * 1000.0);
    let rule = RuleSet::compile(
        r#"fn on_order_created(order) { set_tracking(order, "IN-PROCESS-1"); }"#,
        Limits::default(),
        clock,
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let config = Config {
        shop: shopflow_service::Shop::Upgates(shop.clone()),
        rules: vec![("tracking".to_owned(), rule)],
        data: data.path().to_owned(),
        secret: Some(SECRET.to_owned()),
        operator_token: Some(TOKEN.to_owned()),
        allow_origins: Vec::new(),
        reloader: None,
        www: None,
        demo: None,
        poll_per_hour: 120,
        keep_runs: std::time::Duration::from_secs(14 * 86_400),
        store: None,
    };
    let running = shopflow_service::start(config, listener).await.unwrap();

    let http = reqwest::Client::new();
    let body = json!({"project_name": "sandbox", "orders": [{"order_number": number}]});
    let url = format!("{}/webhooks/Orders.create?shopflow_secret={SECRET}", running.origin);
    let r = http.post(url).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);

    let deadline = Instant::now() + Duration::from_secs(30);
    let status: Value = loop {
        let v: Value = http
            .get(format!("{}/status", running.origin))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["events_processed"] == 1 {
            break v;
        }
        assert!(Instant::now() < deadline, "not processed: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status["actions_applied"], 1, "{status}");
    assert_eq!(status["last_outcomes"][0]["outcome"], "applied");
    let order = shop.orders().get(&number).await.unwrap().unwrap();
    assert_eq!(order.tracking_code.as_deref(), Some("IN-PROCESS-1"));
}
