//! `/System/Events` (§4): subscriptions kept as the core's `EventModel`, and the callbacks
//! they make when an order is created or its status set (the rules are in the module docs
//! of `retailys`: macros replaced, GET in the query, POST/PUT as a JSON object of strings,
//! one attempt with a timeout, every attempt logged).

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use http_body_util::Full;
use serde::Serialize;
use shopflow_core::retailys::events::{
    CallbackMethod, EventModel, EventName, EventParam, EventPostRequest, EventPutRequest,
    EventsModel,
};
use shopflow_core::retailys::order::IdModel;

use super::guard::{error, json};
use super::orders::{body, page_of, path_id};
use super::state::RState;
use super::store::{Fired, Happened, now};
use crate::state::lock;

type Answer = Result<Response, Response>;

/// One callback attempt, for `GET /__sandbox/deliveries`.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// The subscription.
    pub subscription: i64,
    /// Its event name.
    pub event: String,
    /// `GET`, `POST` or `PUT`.
    pub method: String,
    /// The URL called (with the query, for GET).
    pub url: String,
    /// The parameters sent, macros replaced.
    pub params: BTreeMap<String, String>,
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// Whether it answered 2xx.
    pub ok: bool,
    /// Why it failed, when it did without a status.
    pub error: Option<String>,
    /// How long it took.
    pub ms: u64,
    /// When it was made.
    pub at: String,
}

/// The stored form of a request: `parameters[].{name, variable}` become `params[].{key,
/// macro}`, as the read model has them.
fn to_model(id: i64, r: &EventPostRequest) -> EventModel {
    let mut m = EventModel::default();
    m.id = Some(id);
    (m.event, m.path, m.method) = (r.event.clone(), r.path.clone(), r.method.clone());
    m.condition.clone_from(&r.condition);
    m.params = r
        .parameters
        .iter()
        .map(|p| {
            let mut e = EventParam::default();
            (e.key, e.macro_text) = (p.name.clone(), p.variable.clone());
            e
        })
        .collect();
    m
}

/// 400 for an event name neither source knows (a typo would otherwise never fire).
fn known_event(r: &EventPostRequest) -> Result<(), Response> {
    match &r.event {
        Some(e) if !e.is_known() => Err(error(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            &format!("event: unknown event {:?} (order-new, order-change-status, …)", e.as_str()),
        )),
        _ => Ok(()),
    }
}

/// `POST /System/Events`: 201 `IdModel`.
pub async fn create(State(state): State<Arc<RState>>, bytes: Bytes) -> Answer {
    let r: EventPostRequest = body(&bytes)?;
    known_event(&r)?;
    let mut store = state.store();
    let id = store.next_event;
    store.next_event += 1;
    store.events.insert(id, to_model(id, &r));
    Ok(json(StatusCode::CREATED, &IdModel::new(id)))
}

/// `PUT /System/Events`: the id is in the body; 200 `IdModel`.
pub async fn update(State(state): State<Arc<RState>>, bytes: Bytes) -> Answer {
    let r: EventPutRequest = body(&bytes)?;
    known_event(&r.event)?;
    let id = r.id.unwrap_or(0);
    let mut store = state.store();
    let slot = store.events.get_mut(&id).ok_or_else(|| missing(id))?;
    *slot = to_model(id, &r.event);
    Ok(json(StatusCode::OK, &IdModel::new(id)))
}

fn missing(id: i64) -> Response {
    error(StatusCode::NOT_FOUND, "Not Found", &format!("No event subscription {id}."))
}

/// `GET /System/Events`: `page`, `per_page` (1–250) and `path` (exact match).
pub async fn list(
    State(state): State<Arc<RState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Answer {
    let (mut page, mut per_page, mut path) = (None, None, None);
    for (k, v) in &pairs {
        let number = || {
            v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                error(
                    StatusCode::BAD_REQUEST,
                    "Invalid request",
                    &format!("{k}: expected 1 or more, found {v:?}"),
                )
            })
        };
        match k.as_str() {
            "page" => page = Some(number()?),
            "per_page" => per_page = Some(number()?.min(251)),
            "path" => path = Some(v.clone()),
            _ => {}
        }
    }
    if per_page.is_some_and(|n| n > 250) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Invalid request",
            "per_page: expected 1 to 250",
        ));
    }
    let all: Vec<EventModel> = state
        .store()
        .events
        .values()
        .filter(|e| path.as_ref().is_none_or(|p| e.path.as_ref() == Some(p)))
        .cloned()
        .collect();
    let (events, paginator) = page_of(all, page, per_page);
    let mut out = EventsModel::default();
    (out.events, out.paginator) = (events, Some(paginator));
    Ok(json(StatusCode::OK, &out))
}

/// `GET /System/Events/{id}`.
pub async fn one(State(state): State<Arc<RState>>, Path(id): Path<String>) -> Answer {
    let id = path_id(&id)?;
    let found = state.store().events.get(&id).cloned();
    found.map(|e| json(StatusCode::OK, &e)).ok_or_else(|| missing(id))
}

/// `DELETE /System/Events/{id}`: 200 `IdModel`.
pub async fn remove(State(state): State<Arc<RState>>, Path(id): Path<String>) -> Answer {
    let id = path_id(&id)?;
    let removed = state.store().events.remove(&id);
    removed.map(|_| json(StatusCode::OK, &IdModel::new(id))).ok_or_else(|| missing(id))
}

/// Whether a subscription wants this event.
fn wants(sub: &EventModel, f: &Fired) -> bool {
    let name_fits = matches!(
        (&sub.event, f.what),
        (Some(EventName::OrderNew | EventName::NewOrder), Happened::OrderNew)
            | (Some(EventName::OrderChangeStatus), Happened::StatusChanged)
    );
    name_fits && condition_holds(sub.condition.as_deref(), f.channel_id)
}

/// `%channelId% == N` and `%channelId% != N` filter; anything else does not.
fn condition_holds(condition: Option<&str>, channel_id: i64) -> bool {
    let Some(c) = condition.map(|c| c.replace(' ', "")) else { return true };
    let Some(rest) = c.strip_prefix("%channelId%") else { return true };
    let (equal, value) = match (rest.strip_prefix("=="), rest.strip_prefix("!=")) {
        (Some(v), _) => (true, v),
        (_, Some(v)) => (false, v),
        _ => return true,
    };
    value.parse::<i64>().map_or(true, |n| (n == channel_id) == equal)
}

/// `variable` with the event's macros replaced.
fn substitute(variable: &str, f: &Fired) -> String {
    variable
        .replace("%orderId%", &f.order_id.to_string())
        .replace("%channelId%", &f.channel_id.to_string())
        .replace("%statusId%", &f.status_id.to_string())
}

/// Starts the callbacks of these events, in the background.
pub fn fire(state: &Arc<RState>, fired: Vec<Fired>) {
    let subs: Vec<EventModel> = state.store().events.values().cloned().collect();
    for f in &fired {
        for sub in subs.iter().filter(|s| wants(s, f)) {
            let params: BTreeMap<String, String> = sub
                .params
                .iter()
                .filter_map(|p| Some((p.key.clone()?, substitute(p.macro_text.as_deref()?, f))))
                .collect();
            state.pending.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(deliver(Arc::clone(state), sub.clone(), params));
        }
    }
}

/// Makes one callback and logs it.
async fn deliver(state: Arc<RState>, sub: EventModel, params: BTreeMap<String, String>) {
    let config = state.runtime().callbacks;
    let method = sub.method.clone().unwrap_or(CallbackMethod::Post);
    let started = Instant::now();
    let mut record = Delivery {
        subscription: sub.id.unwrap_or(0),
        event: sub.event.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
        method: method.as_str().to_owned(),
        url: String::new(),
        params,
        status: None,
        ok: false,
        error: None,
        ms: 0,
        at: now().to_string(),
    };
    match target(sub.path.as_deref().unwrap_or(""), config.base_url.as_deref()) {
        Err(e) => record.error = Some(e),
        Ok(url) => {
            let timeout = Duration::from_millis(config.timeout_ms);
            match tokio::time::timeout(timeout, call(&state, &method, url, &mut record)).await {
                Ok(Ok(status)) => {
                    (record.status, record.ok) = (Some(status), (200..300).contains(&status))
                }
                Ok(Err(e)) => record.error = Some(e),
                Err(_) => record.error = Some(format!("no answer within {} ms", config.timeout_ms)),
            }
        }
    }
    record.ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    lock(&state.deliveries).push(record);
    state.pending.fetch_sub(1, Ordering::SeqCst);
}

/// The URL to call: an absolute `http://` path as it is, else joined to the base URL.
fn target(path: &str, base: Option<&str>) -> Result<String, String> {
    if path.starts_with("http://") {
        return Ok(path.to_owned());
    }
    if path.starts_with("https://") {
        return Err("https callbacks are not supported by the sandbox".to_owned());
    }
    let base = base.ok_or("the path is relative and callbacks.base_url is not set")?;
    Ok(format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/')))
}

/// Sends the request; the receiver's status.
async fn call(
    state: &RState,
    method: &CallbackMethod,
    url: String,
    record: &mut Delivery,
) -> Result<u16, String> {
    let query: Vec<String> =
        record.params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    let (url, body, verb) = match method {
        CallbackMethod::Get => {
            let sep = if url.contains('?') { '&' } else { '?' };
            let url = if query.is_empty() { url } else { format!("{url}{sep}{}", query.join("&")) };
            (url, Vec::new(), "GET")
        }
        other => {
            let verb = if *other == CallbackMethod::Put { "PUT" } else { "POST" };
            (url, serde_json::to_vec(&record.params).map_err(|e| e.to_string())?, verb)
        }
    };
    record.url.clone_from(&url);
    let mut req = hyper::Request::builder()
        .method(verb)
        .uri(&url)
        .header("user-agent", "shopflow-sandbox (Retailys event callbacks)");
    if verb != "GET" {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(Full::new(Bytes::from(body))).map_err(|e| e.to_string())?;
    let resp = state.client.request(req).await.map_err(|e| e.to_string())?;
    Ok(resp.status().as_u16())
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_conditions_and_urls() {
        let f = Fired { what: Happened::OrderNew, order_id: 7, channel_id: 2, status_id: 1 };
        assert_eq!(substitute("o-%orderId%/%channelId%", &f), "o-7/2");
        assert!(condition_holds(Some("%channelId% == 2"), 2));
        assert!(!condition_holds(Some("%channelId%==1"), 2));
        assert!(condition_holds(Some("%channelId% != 1"), 2));
        assert!(condition_holds(Some("something else"), 2));
        assert_eq!(target("/cb", Some("http://x/")), Ok("http://x/cb".to_owned()));
        assert!(target("/cb", None).is_err());
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
