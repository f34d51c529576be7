//! The load generator against a real rules service and a real sandbox (both in this process,
//! over loopback HTTP): every delivery sent is acknowledged and processed, none lost. No
//! timing is asserted; the figures come from `./scripts/bench-load`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shopflow_client::Client;
use shopflow_core::secret::Secret;
use shopflow_load::{Plan, Target, client, run};
use shopflow_rules::{Limits, RuleSet};
use shopflow_sandbox::SandboxConfig;
use shopflow_service::{Config, Shop};

const RULE: &str = r#"
fn on_order_created(order) {
    if order.status != "Ke kontrole" { set_status(order, "Ke kontrole"); }
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_delivery_sent_at_a_fixed_rate_is_acknowledged_and_processed() {
    let mut config = SandboxConfig { seed_orders: 40, ..SandboxConfig::default() };
    config.runtime.rate_limit.enabled = false;
    let shop = shopflow_sandbox::start(config).await.unwrap();
    let client = Client::builder(shop.base_url(), "sandbox", Secret::new("sandbox-key"))
        .allow_local(true)
        .build()
        .unwrap();
    let start = Instant::now();
    let clock = Arc::new(move || start.elapsed().as_secs_f64() * 1000.0);
    let rules = RuleSet::compile(RULE, Limits::default(), clock).unwrap();
    let data = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = shopflow_service::start(
        Config {
            shop: Shop::Upgates(client.clone()),
            poll_per_hour: 0,
            keep_runs: Duration::from_secs(86_400),
            store: None,
            rules: vec![("r".into(), rules)],
            data: data.path().to_owned(),
            secret: Some("load-test-secret-0123".into()),
            operator_token: Some("load-token".into()),
            allow_origins: Vec::new(),
            reloader: None,
            www: None,
            demo: None,
        },
        listener,
    )
    .await
    .unwrap();
    let orders: Vec<String> = client
        .orders()
        .list(&Default::default())
        .await
        .unwrap()
        .orders
        .into_iter()
        .map(|o| o.order_number)
        .collect();
    assert_eq!(orders.len(), 40);

    let plan = Plan {
        targets: vec![Target {
            webhook: format!(
                "{}/webhooks/Orders.create?shopflow_secret=load-test-secret-0123",
                running.origin
            ),
            orders,
        }],
        statuses: vec![format!("{}/status", running.origin)],
        token: Some("load-token".into()),
        rate: 200,
        duration: Duration::from_secs(1),
        drain_timeout: Duration::from_secs(60),
    };
    let report = run(&client_or_panic(), &plan).await.unwrap();
    assert_eq!(report.sent, 200, "{report:?}");
    assert_eq!(report.acknowledged, 200, "{report:?}");
    assert_eq!(report.received, 200, "{report:?}");
    assert_eq!(report.processed, 200, "{report:?}");
    assert_eq!((report.lost, report.pending), (0, 0), "{report:?}");
    assert!(report.drained_ms.is_some(), "{report:?}");
    assert!(report.p50_ms <= report.p99_ms && report.p99_ms <= report.max_ms, "{report:?}");
    // The rule ran: every order is in the status it sets (named in the order's language).
    let page = client.orders().list(&Default::default()).await.unwrap();
    let statuses: Vec<_> = page.orders.iter().map(|o| o.status_id).collect();
    assert!(statuses.windows(2).all(|w| w[0] == w[1]) && statuses[0] != Some(1), "{statuses:?}");
    running.stop(Duration::from_secs(5)).await.unwrap();
}

fn client_or_panic() -> reqwest::Client {
    client().unwrap()
}
