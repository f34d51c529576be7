//! Receiving webhooks: the URL to register, and checking a call's URL.

use shopflow_core::upgates::webhook::{WebhookEvent, receiver};
use wasm_bindgen::prelude::wasm_bindgen;

use shopflow_core::secret::{URL_SECRET_RULE, url_secret_flaw};
use shopflow_core::validation::At;

use crate::envelope::{ErrorInfo, answer, err, ok, problem};

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

/// The receiver secret checked by the one rule (`url_secret_flaw`): the envelope of `true`,
/// or of a VALIDATION error whose problem is at `field` (`secret`). The handlers check their
/// secret with it when they are made, `verifyWebhook` on each call.
#[wasm_bindgen(js_name = checkSecret)]
#[must_use]
pub fn check_secret(field: &str, secret: Option<String>) -> String {
    let found = match secret.as_deref().map(url_secret_flaw) {
        Some(None) => return ok(&true),
        Some(Some(flaw)) => flaw.found(),
        None => "no text (the secret is missing)".to_owned(),
    };
    err(&problem(At::root().field(field).problem(URL_SECRET_RULE, found)))
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
