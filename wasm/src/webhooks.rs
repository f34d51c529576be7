//! Receiving webhooks: the URL to register, and checking a call's URL.

use shopflow_core::upgates::webhook::{WebhookEvent, receiver};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::envelope::{ErrorInfo, answer, err};

/// The URL to register for `event`: `{base}/{Entity.action}?shopflow_secret={secret}`.
#[wasm_bindgen(js_name = webhookUrl)]
#[must_use]
pub fn webhook_url(base: &str, secret: &str, event: &str) -> String {
    match event.parse::<WebhookEvent>() {
        Ok(e) if e.is_known() => answer(
            receiver::webhook_url(base, secret, &e)
                .map_err(|x| ErrorInfo::new("VALIDATION", x.to_string())),
        ),
        _ => err(&ErrorInfo::new(
            "VALIDATION",
            format!("expected a webhook event like Orders.create, found {event:?}"),
        )),
    }
}

/// Whether a call's URL carries the secret (compared in constant time).
#[wasm_bindgen(js_name = verifyWebhook)]
#[must_use]
pub fn verify_webhook(url: &str, secret: &str) -> bool {
    receiver::verify_webhook(url, secret)
}

/// The event a webhook URL names in its last path segment, or `""`.
#[wasm_bindgen(js_name = webhookEventFromUrl)]
#[must_use]
pub fn webhook_event_from_url(url: &str) -> String {
    receiver::event_from_url(url).map(|e| e.to_string()).unwrap_or_default()
}
