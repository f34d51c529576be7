//! Webhooks: event names, managing registrations, and the payloads Upgates posts.
//!
//! A payload lists identifiers only (order numbers, customer ids), never whole objects,
//! and does not name its event: the receiver knows the event from the URL it registered,
//! and [`payload::parse_webhook`] falls back to inferring it from the body's shape.

pub mod edits;
pub mod event;
mod fields;
pub mod management;
pub mod payload;
pub(crate) mod reader;
pub mod receiver;

pub use edits::{
    Edit, EditValue, ListKey, ProjectName, WebhookEdits, webhook_edits, webhook_edits_text,
};
pub use event::{WebhookAction, WebhookEntity, WebhookEvent};
pub use management::{
    Webhook, WebhookCreate, WebhookDeleteResponse, WebhookEventList, WebhookList, WebhookResponse,
    WebhookUpdate, WebhookUrl,
};
pub use payload::{EventSource, WebhookBatch, WebhookError, WebhookRecords, parse_webhook};
pub use receiver::{SECRET_PARAM, event_from_url, verify_webhook, webhook_url};
