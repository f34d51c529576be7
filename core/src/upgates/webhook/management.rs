//! Registering webhooks: `/webhooks` (create, update, delete, list) and `/webhooks/events`.
//!
//! Webhooks can only be managed through the API. A webhook's URL may carry credentials
//! (the only way Upgates lets a receiver authenticate calls), so [`WebhookUrl`] hides them
//! in `Debug` and in errors.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::lenient::{self, flag, list, object, optional as opt};
use crate::secret::redact_url;
use crate::upgates::message::{ApiMessage, ItemResult, item_succeeded};
use crate::upgates::webhook::event::WebhookEvent;
use crate::validation::{At, NOTHING, Problem, Validate, quoted};

/// A webhook URL; its userinfo and query are redacted when debug-printed.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    /// Wraps a URL.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        WebhookUrl(url.into())
    }

    /// The URL, with any secret in it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with credentials hidden.
    #[must_use]
    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookUrl({:?})", self.redacted())
    }
}

/// A webhook registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Webhook {
    /// Id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<u64>,
    /// Whether it fires.
    #[serde(default, deserialize_with = "flag")]
    pub active_yn: bool,
    /// Internal label.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Where it posts.
    #[serde(default)]
    pub url: WebhookUrl,
    /// The event.
    #[serde(default, deserialize_with = "opt")]
    pub event: Option<WebhookEvent>,
    /// Last successful call.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_success_call: Option<ApiDate>,
    /// Its HTTP status.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_success_call_status: Option<u16>,
    /// Last failed call.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_error_call: Option<ApiDate>,
    /// Its HTTP status.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_error_call_status: Option<u16>,
    /// Creation.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<ApiDate>,
}

/// A webhook to register (`POST /webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookCreate {
    /// Whether it fires (the API's default is true; we always say).
    #[serde(default = "active_by_default", deserialize_with = "flag_default_true")]
    pub active_yn: bool,
    /// Internal label (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Absolute URL; may carry credentials (required).
    #[serde(default, skip_serializing_if = "is_empty_url")]
    pub url: WebhookUrl,
    /// The event (required; one registration per event).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEvent>,
}

fn active_by_default() -> bool {
    true
}

fn flag_default_true<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(<bool as lenient::Lenient>::deserialize_lenient(d)?.unwrap_or(true))
}

fn is_empty_url(u: &WebhookUrl) -> bool {
    u.0.is_empty()
}

impl WebhookCreate {
    /// An active webhook for `event` posting to `url`.
    #[must_use]
    pub fn new(name: impl Into<String>, url: WebhookUrl, event: WebhookEvent) -> Self {
        WebhookCreate { active_yn: true, name: Some(name.into()), url, event: Some(event) }
    }
}

/// Checks an absolute http(s) URL with a host, without echoing its secrets.
fn check_url(at: &At, url: &WebhookUrl, out: &mut Vec<Problem>) {
    let u = url.expose();
    let ok = ["https://", "http://"].iter().any(|scheme| {
        u.strip_prefix(scheme).is_some_and(|rest| {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            !host.is_empty() && !host.contains(' ')
        })
    });
    if !ok {
        out.push(at.problem("an absolute http(s) URL with a host", quoted(&url.redacted())));
    }
}

impl Validate for WebhookCreate {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        root.field("name").require_text(self.name.as_deref(), "a name for the webhook", out);
        if self.url.expose().is_empty() {
            out.push(root.field("url").problem("the URL to call", NOTHING));
        } else {
            check_url(&root.field("url"), &self.url, out);
        }
        match &self.event {
            None => out.push(root.field("event").problem("an event like Orders.create", NOTHING)),
            Some(e) if !e.is_known() => out.push(
                root.field("event")
                    .problem("a documented event like Orders.create", quoted(&e.to_string())),
            ),
            Some(_) => {}
        }
    }
}

/// Changes to a webhook (`PUT /webhooks`), matched by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookUpdate {
    /// Which webhook (required).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Whether it fires.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub active_yn: Option<bool>,
    /// Label.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebhookUrl>,
    /// Event.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEvent>,
}

impl Validate for WebhookUpdate {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        root.field("id").require(self.id.as_ref(), "the id of the webhook to change", out);
        if let Some(u) = &self.url {
            check_url(&root.field("url"), u, out);
        }
    }
}

/// The answer to creating or changing a webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookResponse {
    /// The webhook as stored.
    #[serde(default, deserialize_with = "object")]
    pub webhook: Option<Webhook>,
    /// Messages, when it was refused.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ApiMessage>,
}

/// The answer to `GET /webhooks`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookList {
    /// The registrations.
    #[serde(default, deserialize_with = "list")]
    pub webhooks: Vec<Webhook>,
}

/// The answer to `DELETE /webhooks`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookDeleteResponse {
    /// One result per id.
    #[serde(default, deserialize_with = "list")]
    pub webhooks: Vec<WebhookDeleted>,
}

/// What happened to one webhook of a delete. Note `deleted`, not `deleted_yn`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookDeleted {
    /// Id (a string in the documentation).
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<String>,
    /// Deleted.
    #[serde(default, alias = "deleted_yn", deserialize_with = "opt")]
    pub deleted: Option<bool>,
    /// Messages.
    #[serde(default, deserialize_with = "list")]
    pub messages: Vec<ApiMessage>,
}

impl ItemResult for WebhookDeleted {
    fn key(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn succeeded(&self) -> bool {
        item_succeeded(self.deleted, false, &self.messages)
    }
    fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// The answer to `GET /webhooks/events`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct WebhookEventList {
    /// Events and whether this API user may register them.
    #[serde(default, deserialize_with = "list")]
    pub events: Vec<AvailableEvent>,
}

/// An event a webhook can be registered for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct AvailableEvent {
    /// Event name.
    #[serde(default, deserialize_with = "opt")]
    pub name: Option<String>,
    /// Allowed for this user (a string in the documentation).
    #[serde(default, deserialize_with = "flag")]
    pub allowed_yn: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_stay_out_of_debug_and_problems() {
        let w = WebhookCreate::new(
            "orders",
            WebhookUrl::new("https://u:topsecret@hooks.example.com/in?token=abc"),
            WebhookEvent::ORDERS_CREATE,
        );
        assert!(w.validate().is_ok());
        let dbg = format!("{w:?}");
        assert!(!dbg.contains("topsecret") && !dbg.contains("abc"), "{dbg}");
        let bad = WebhookCreate::new(
            "x",
            WebhookUrl::new("ftp://u:topsecret@h/?token=abc"),
            WebhookEvent::ORDERS_CREATE,
        );
        let p = bad.validate().unwrap_err().to_string();
        assert!(!p.contains("topsecret") && !p.contains("abc"), "{p}");
        assert_eq!(serde_json::to_value(&w).unwrap()["active_yn"], true);
    }

    #[test]
    fn events_list_and_delete_shapes() {
        let e: WebhookEventList = serde_json::from_str(r#"{"events":[{"name":"Orders.create","allowed_yn":"1"},{"name":"Products.update","allowed_yn":"0"}]}"#).unwrap();
        assert!(e.events[0].allowed_yn && !e.events[1].allowed_yn);
        let d: WebhookDeleteResponse =
            serde_json::from_str(r#"{"webhooks":[{"id":"5","deleted":true,"messages":[]}]}"#)
                .unwrap();
        assert!(d.webhooks[0].succeeded());
    }
}
