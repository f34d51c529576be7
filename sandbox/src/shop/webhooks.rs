//! What `/webhooks` does: registrations, and the bookkeeping deliveries report back.

use shopflow_core::ApiDate;
use shopflow_core::upgates::message::ApiMessage;
use shopflow_core::upgates::webhook::management::{AvailableEvent, WebhookDeleted};
use shopflow_core::upgates::webhook::{
    Webhook, WebhookCreate, WebhookDeleteResponse, WebhookEventList, WebhookResponse, WebhookUpdate,
};

use super::{Shop, catalog, error};
use crate::clock;

impl Shop {
    /// `GET /webhooks[/{id}]`.
    #[must_use]
    pub fn list_webhooks(&self, id: Option<u64>) -> Vec<Webhook> {
        self.webhooks.values().filter(|w| id.is_none_or(|id| w.id == Some(id))).cloned().collect()
    }

    /// Active webhooks registered for an event.
    #[must_use]
    pub fn webhooks_for(&self, event: &str) -> Vec<Webhook> {
        self.webhooks
            .values()
            .filter(|w| w.active_yn && w.event.as_ref().is_some_and(|e| e.to_string() == event))
            .cloned()
            .collect()
    }

    /// A webhook by id.
    #[must_use]
    pub fn webhook(&self, id: u64) -> Option<&Webhook> {
        self.webhooks.get(&id)
    }

    /// `GET /webhooks/events`: every event, allowed for the sandbox's API user.
    #[must_use]
    pub fn webhook_events() -> WebhookEventList {
        let mut list = WebhookEventList::default();
        list.events = catalog::WEBHOOK_EVENTS
            .iter()
            .map(|e| {
                let mut a = AvailableEvent::default();
                a.name = Some((*e).to_owned());
                a.allowed_yn = true;
                a
            })
            .collect();
        list
    }

    /// `POST /webhooks`.
    pub fn create_webhook(
        &mut self,
        w: &WebhookCreate,
    ) -> Result<WebhookResponse, Vec<ApiMessage>> {
        let mut problems = Vec::new();
        if w.name.as_deref().is_none_or(str::is_empty) {
            problems.push(error("webhook", "name", "The name is required."));
        }
        let url = w.url.expose();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            problems.push(error(
                "webhook",
                "url",
                "The URL must be absolute, with a scheme and a host.",
            ));
        }
        match &w.event {
            Some(e) if catalog::WEBHOOK_EVENTS.contains(&e.to_string().as_str()) => {}
            Some(e) => {
                problems.push(error("webhook", "event", format!("Event '{e}' does not exist.")))
            }
            None => problems.push(error("webhook", "event", "The event is required.")),
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.seq.webhook += 1;
        let mut hook = Webhook::default();
        hook.id = Some(self.seq.webhook);
        hook.active_yn = w.active_yn;
        hook.name.clone_from(&w.name);
        hook.url = w.url.clone();
        hook.event.clone_from(&w.event);
        hook.creation_time = Some(clock::now());
        self.webhooks.insert(self.seq.webhook, hook.clone());
        let mut r = WebhookResponse::default();
        r.webhook = Some(hook);
        Ok(r)
    }

    /// `PUT /webhooks`.
    pub fn update_webhook(
        &mut self,
        w: &WebhookUpdate,
    ) -> Result<WebhookResponse, Vec<ApiMessage>> {
        let Some(hook) = w.id.and_then(|id| self.webhooks.get_mut(&id)) else {
            return Err(vec![error(
                "webhook",
                "id",
                format!("Webhook {:?} does not exist.", w.id),
            )]);
        };
        if let Some(a) = w.active_yn {
            hook.active_yn = a;
        }
        if w.name.is_some() {
            hook.name.clone_from(&w.name);
        }
        if let Some(u) = &w.url {
            hook.url = u.clone();
        }
        if w.event.is_some() {
            hook.event.clone_from(&w.event);
        }
        let mut r = WebhookResponse::default();
        r.webhook = Some(hook.clone());
        Ok(r)
    }

    /// `DELETE /webhooks/{id}` or `?ids=`.
    pub fn delete_webhooks(&mut self, ids: &[u64]) -> WebhookDeleteResponse {
        let mut out = WebhookDeleteResponse::default();
        for id in ids {
            let mut d = WebhookDeleted::default();
            d.id = Some(id.to_string());
            d.deleted = Some(self.webhooks.remove(id).is_some());
            if d.deleted == Some(false) {
                d.messages.push(error("webhook", "id", format!("Webhook {id} does not exist.")));
            }
            out.webhooks.push(d);
        }
        out
    }

    /// Records the outcome of a delivery on the registration (`last_success_call`, …).
    pub fn record_delivery(&mut self, id: u64, status: Option<u16>, success: bool, at: ApiDate) {
        if let Some(hook) = self.webhooks.get_mut(&id) {
            if success {
                hook.last_success_call = Some(at);
                hook.last_success_call_status = status;
            } else {
                hook.last_error_call = Some(at);
                hook.last_error_call_status = status;
            }
        }
    }

    /// Deactivates a webhook that has failed for too long.
    pub fn deactivate_webhook(&mut self, id: u64) {
        if let Some(hook) = self.webhooks.get_mut(&id) {
            hook.active_yn = false;
        }
    }
}
