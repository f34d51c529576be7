//! Webhook bodies: with each documented event configured, and inferred.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};

fuzz_target!(|data: &[u8]| {
    let _ = parse_webhook(data, None);
    for event in [
        WebhookEvent::ORDERS_CREATE,
        WebhookEvent::ORDERS_UPDATE,
        WebhookEvent::CUSTOMERS_CREATE,
    ] {
        if let Ok(batch) = parse_webhook(data, Some(&event)) {
            // What was read must write out without failing.
            let _ = serde_json::to_vec(&batch);
        }
    }
});
