//! Retailys event callbacks into neutral triggers (spec §4.4's working model).
//!
//! Retailys calls the `path` of a subscription with its parameters, macros replaced: ids only,
//! like Upgates webhooks. How it encodes them is not documented, so the query string, a form
//! body and a JSON body are all read. Nothing signs the call: the subscription's path carries
//! a high-entropy secret as its last segment, compared in constant time, and the event name as
//! the segment before it: `{public}/retailys/{event}/{secret}`.
//!
//! `order-new` becomes a created order, `order-change-status` an updated one. Retailys sends
//! nothing for paid, sent, delivered or deleted orders; `poller` finds those.

use crate::automation::{Subject, Trigger, TriggerKind};
use crate::retailys::events::{
    CallbackMethod, CallbackParams, EventName, EventParameter, EventPostRequest, MacroVariable,
};

/// The parameters shopflow subscribes `event` with: the order id as `order`, and for a status
/// change the status id as `status` (only the macros documented for the event).
#[must_use]
pub fn callback_parameters(event: &EventName) -> Vec<EventParameter> {
    let mut p = vec![EventParameter::new("order", MacroVariable::OrderId.as_str())];
    if event.parameter_macros().contains(&MacroVariable::StatusId) {
        p.push(EventParameter::new("status", MacroVariable::StatusId.as_str()));
    }
    p
}

/// The events shopflow subscribes to (the names both prose sources use).
pub const EVENTS: [EventName; 2] = [EventName::OrderNew, EventName::OrderChangeStatus];

/// The callback path of `event` under `public` (the service's public address and prefix):
/// `{public}/retailys/{event}/{secret}`.
#[must_use]
pub fn callback_path(public: &str, event: &EventName, secret: &str) -> String {
    format!("{}/retailys/{}/{secret}", public.trim_end_matches('/'), event.as_str())
}

/// The subscription for `event`: a POST to its callback path with the order and status ids.
#[must_use]
pub fn subscription(public: &str, event: &EventName, secret: &str) -> EventPostRequest {
    EventPostRequest {
        event: Some(event.clone()),
        path: Some(callback_path(public, event, secret)),
        method: Some(CallbackMethod::Post),
        parameters: callback_parameters(event),
        ..EventPostRequest::default()
    }
}

/// Why a callback was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The path does not end in the secret (answer 401; store nothing).
    #[error("the callback path does not carry the secret")]
    WrongSecret,
    /// The path names no event shopflow subscribes to (answer 404).
    #[error("the callback path names no known event: {0:?}")]
    UnknownEvent(String),
    /// The call names no order (answer 400, so Retailys may send it again).
    #[error("the callback carries no order id (parameter \"order\" with a whole number)")]
    NoOrder,
}

/// One callback, read: the event and the order it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// The event.
    pub event: EventName,
    /// The order's id.
    pub order_id: i64,
    /// The new status id, for `order-change-status`.
    pub status_id: Option<i64>,
}

impl Callback {
    /// The neutral trigger: a created order for `order-new`, an updated one otherwise.
    #[must_use]
    pub fn trigger(&self) -> Trigger {
        let kind = match self.event {
            EventName::OrderNew | EventName::NewOrder => TriggerKind::Created,
            _ => TriggerKind::Updated,
        };
        Trigger { kind, subject: Subject::Order(self.order_id.to_string()) }
    }
}

/// Reads a callback call: its path (`…/retailys/{event}/{secret}`), its query string (without
/// `?`), and its body (JSON when it starts with `{`, else a form), against `secret`.
///
/// # Errors
/// [`CallbackError`]: a wrong secret first (nothing else is read then), an unknown event, no
/// order id.
pub fn read_callback(
    path: &str,
    query: &str,
    body: &[u8],
    secret: &str,
) -> Result<Callback, CallbackError> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let given = segments.next().unwrap_or_default();
    if !crate::secret::matches(given, secret) {
        return Err(CallbackError::WrongSecret);
    }
    let name = segments.next().unwrap_or_default();
    let event = event_named(name).ok_or_else(|| CallbackError::UnknownEvent(name.to_owned()))?;
    let values = params_of(query, body).resolve(&callback_parameters(&event));
    let order_id = values.order_id.filter(|id| *id > 0).ok_or(CallbackError::NoOrder)?;
    Ok(Callback { event, order_id, status_id: values.status_id })
}

/// One of [`EVENTS`] by its name, or by its twin's (`new-order` for `order-new`).
fn event_named(name: &str) -> Option<EventName> {
    EVENTS.iter().find_map(|e| {
        if e.as_str() == name { Some(e.clone()) } else { e.twin().filter(|t| t.as_str() == name) }
    })
}

/// The query's parameters, and the body's over them (JSON when it starts with `{`, else a form).
fn params_of(query: &str, body: &[u8]) -> CallbackParams {
    let mut params = CallbackParams::from_query(query);
    let text = std::str::from_utf8(body).unwrap_or_default();
    if text.trim_start().starts_with('{') {
        if let Ok(json) = CallbackParams::from_json(body) {
            params.merge(json);
        }
    } else if !text.trim().is_empty() {
        params.merge(CallbackParams::from_query(text.trim()));
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "9f2c1e7a0b4d4e6f8a1b2c3d4e5f6a7b";

    #[test]
    fn ids_come_from_the_query_a_form_or_json() {
        let path = format!("/hooks/retailys/order-new/{SECRET}");
        let q = read_callback(&path, "order=12345", b"", SECRET).unwrap();
        assert_eq!((q.order_id, q.trigger().kind), (12345, TriggerKind::Created));
        let form = read_callback(&path, "", b"order=77&status=3", SECRET).unwrap();
        assert_eq!(form.order_id, 77);
        let path = format!("/retailys/order-change-status/{SECRET}/");
        let json = read_callback(&path, "", br#"{"order": "88", "status": 4}"#, SECRET).unwrap();
        assert_eq!((json.order_id, json.status_id), (88, Some(4)));
        assert_eq!(
            json.trigger(),
            Trigger { kind: TriggerKind::Updated, subject: Subject::Order("88".into()) }
        );
    }

    #[test]
    fn wrong_secrets_unknown_events_and_missing_ids_are_refused() {
        let e = read_callback("/retailys/order-new/guess", "order=1", b"", SECRET).unwrap_err();
        assert_eq!(e, CallbackError::WrongSecret);
        assert_eq!(
            read_callback("/retailys/order-new/x", "", b"", "").unwrap_err(),
            CallbackError::WrongSecret
        );
        let path = format!("/retailys/user-registred/{SECRET}");
        assert!(matches!(
            read_callback(&path, "order=1", b"", SECRET),
            Err(CallbackError::UnknownEvent(_))
        ));
        let path = format!("/retailys/new-order/{SECRET}");
        assert_eq!(
            read_callback(&path, "order=1", b"", SECRET).unwrap().event,
            EventName::NewOrder
        );
        let path = format!("/retailys/order-new/{SECRET}");
        assert_eq!(
            read_callback(&path, "order=abc", b"", SECRET).unwrap_err(),
            CallbackError::NoOrder
        );
        assert_eq!(
            read_callback(&path, "", b"\xff\xfe", SECRET).unwrap_err(),
            CallbackError::NoOrder
        );
    }

    #[test]
    fn subscriptions_carry_the_path_and_the_parameters() {
        let s = subscription("https://svc.example.cz/", &EventName::OrderNew, SECRET);
        assert_eq!(
            s.path.as_deref(),
            Some(format!("https://svc.example.cz/retailys/order-new/{SECRET}").as_str())
        );
        assert_eq!(s.parameters.len(), 1);
        let change = subscription("https://svc.example.cz", &EventName::OrderChangeStatus, SECRET);
        assert_eq!(change.parameters.len(), 2);
        assert!(crate::validation::Validate::validate(&change).is_ok());
        assert!(crate::validation::Validate::validate(&s).is_ok());
    }
}
