//! Retailys in the service: how its callbacks and the poller's findings are journaled, and
//! the event subscriptions the rules need, registered at the service's public address.
//!
//! A callback is read by the core (`shopflow_core::retailys::receiver`: the secret in the
//! path, compared in constant time; the ids from the query, a form or JSON) and journaled as
//! a [`CallbackBody`] under `retailys:{event}` before it is answered; the poller's findings
//! are journaled as a [`PolledBody`] under [`POLLED`].

use serde::{Deserialize, Serialize};
use shopflow_client::retailys::RetailysClient;
use shopflow_core::automation::Hook;
use shopflow_core::retailys::events::EventName;
use shopflow_core::retailys::poller::Polled;
use shopflow_core::retailys::receiver::{Callback, callback_path, subscription};
use shopflow_rules::RuleSet;

use crate::Service;

/// The journal's event name of a callback is this and the event's name (`retailys:order-new`).
pub const CALLBACK_PREFIX: &str = "retailys:";
/// The journal's event name of what the poller found.
pub const POLLED: &str = "retailys:poll";

/// A callback as journaled: the ids it carried.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallbackBody {
    /// The order's id.
    pub order: i64,
    /// The status it is now in (`order-change-status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
}

impl CallbackBody {
    /// The journal's event name and body of a callback.
    #[must_use]
    pub fn of(callback: &Callback) -> (String, CallbackBody) {
        let event = format!("{CALLBACK_PREFIX}{}", callback.event.as_str());
        (event, CallbackBody { order: callback.order_id, status: callback.status_id })
    }
}

/// The poller's findings as journaled: the orders that changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolledBody {
    /// Their ids.
    pub orders: Vec<i64>,
}

impl PolledBody {
    /// The body of what a poll found.
    #[must_use]
    pub fn of(found: &[Polled]) -> Self {
        PolledBody { orders: found.iter().map(|p| p.order_id).collect() }
    }
}

/// The events the rules' hooks need Retailys to call back for. A payment, a parcel and a
/// finished order have no event: the poller finds those. Customer hooks never run on
/// Retailys (its apps cannot read customers).
#[must_use]
pub fn needed_events(rules: &[(String, RuleSet)]) -> Vec<EventName> {
    let hooks = |h: Hook| rules.iter().any(|(_, r)| r.handles(h));
    let mut events = Vec::new();
    if hooks(Hook::OrderCreated) || hooks(Hook::OrderPaid) {
        events.push(EventName::OrderNew);
    }
    if hooks(Hook::OrderUpdated) || hooks(Hook::OrderPaid) {
        events.push(EventName::OrderChangeStatus);
    }
    events
}

/// Subscribes each event at `public` (the service's public address, the secret in the
/// path), skipping those already subscribed at the same path.
///
/// # Errors
/// Why the shop refused to list or create a subscription.
pub async fn register_callbacks(
    service: &Service,
    client: &RetailysClient,
    public: &str,
    events: &[EventName],
) -> Result<(), String> {
    let secret = service.secret.expose();
    let existing = client.events().list(None).await.map_err(|e| e.to_string())?;
    for event in events {
        let path = callback_path(public, event, secret);
        if existing.iter().any(|e| e.path.as_deref() == Some(path.as_str())) {
            continue;
        }
        let request = subscription(public, event, secret);
        client.events().subscribe(&request).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
