//! The webhooks a service needs: which events its rules' hooks call for, registered with the
//! shop at the service's public address (with the secret in the URL), once each.

use std::collections::BTreeSet;

use shopflow_core::automation::Hook;
use shopflow_core::upgates::webhook::{WebhookCreate, WebhookEvent, WebhookUrl, webhook_url};
use shopflow_rules::RuleSet;

use crate::{Service, Shop};

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
    let Shop::Upgates(shop) = &service.shop else {
        return Err("webhooks are Upgates'; a Retailys shop calls back for events".to_owned());
    };
    let existing = shop.webhooks().list().await.map_err(|e| e.to_string())?;
    let base = format!("{}/webhooks", base.trim_end_matches('/'));
    for name in events {
        let event: WebhookEvent = name.parse().map_err(|e| format!("{e}"))?;
        let url = webhook_url(&base, service.secret.expose(), &event).map_err(|e| e.to_string())?;
        if existing.iter().any(|w| w.url.expose() == url) {
            continue;
        }
        let create =
            WebhookCreate::new(format!("shopflow rules: {name}"), WebhookUrl::new(url), event);
        shop.webhooks().create(&create).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
