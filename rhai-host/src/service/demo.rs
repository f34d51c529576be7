//! The demo: the embedded sandbox as the shop, its webhooks pointed at the service, and a
//! steady trickle of storefront orders, so the README's main command shows rules at work.

use std::collections::BTreeSet;
use std::time::Duration;

use shopflow_core::automation::Hook;
use shopflow_core::upgates::webhook::{WebhookCreate, WebhookEvent, WebhookUrl, webhook_url};
use shopflow_rules::RuleSet;
use shopflow_sandbox::{SandboxConfig, SandboxHandle};

use super::Service;

/// The demo shop's API login.
pub const LOGIN: &str = "demo";
/// The demo shop's API key (local only).
pub const KEY: &str = "demo-key";

/// Starts the sandbox with a few orders already in it.
pub async fn start_shop(port: u16) -> Result<SandboxHandle, String> {
    let config = SandboxConfig {
        port,
        login: LOGIN.to_owned(),
        api_key: KEY.into(),
        seed_orders: 40,
        project_name: "demo".to_owned(),
        ..SandboxConfig::default()
    };
    shopflow_sandbox::start(config).await.map_err(|e| format!("cannot start the demo shop: {e}"))
}

/// The webhook events the rules' hooks need.
pub fn needed_events(rules: &[(String, RuleSet)]) -> Vec<&'static str> {
    let mut events = BTreeSet::new();
    for (_, r) in rules {
        for hook in r.hooks() {
            match hook {
                Hook::OrderCreated => {
                    events.insert("Orders.create");
                }
                Hook::OrderUpdated => {
                    events.insert("Orders.update");
                }
                // A payment shows up on creation (paid at checkout) or as an update.
                Hook::OrderPaid => {
                    events.insert("Orders.create");
                    events.insert("Orders.update");
                }
                Hook::OrderDeleted => {
                    events.insert("Orders.delete");
                }
                Hook::CustomerCreated => {
                    events.insert("Customers.create");
                }
                Hook::CustomerUpdated => {
                    events.insert("Customers.update");
                }
                Hook::CustomerDeleted => {
                    events.insert("Customers.delete");
                }
            }
        }
    }
    events.into_iter().collect()
}

/// Registers a webhook per event at `base` (the service's public address), skipping those
/// already registered with the same URL.
pub async fn register_webhooks(
    service: &Service,
    base: &str,
    events: &[&str],
) -> Result<(), String> {
    let existing = service.shop.webhooks().list().await.map_err(|e| e.to_string())?;
    let base = format!("{}/webhooks", base.trim_end_matches('/'));
    for name in events {
        let event: WebhookEvent = name.parse().map_err(|e| format!("{e}"))?;
        let url = webhook_url(&base, service.secret.expose(), &event).map_err(|e| e.to_string())?;
        if existing.iter().any(|w| w.url.expose() == url) {
            continue;
        }
        let create =
            WebhookCreate::new(format!("shopflow rules: {name}"), WebhookUrl::new(url), event);
        service.shop.webhooks().create(&create).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Generates `count` storefront orders every `every` seconds through the sandbox's control
/// API, as shoppers would place them.
pub async fn generate_orders(origin: String, every: u64, count: usize) {
    let client = reqwest::Client::new();
    let url = format!("{origin}/__sandbox/orders/generate");
    loop {
        tokio::time::sleep(Duration::from_secs(every)).await;
        let body = format!("{{\"count\": {count}}}");
        let sent =
            client.post(&url).header("content-type", "application/json").body(body).send().await;
        if let Err(e) = sent {
            eprintln!("demo: cannot generate orders: {e}");
        }
    }
}
