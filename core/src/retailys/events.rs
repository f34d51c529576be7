//! `/System/Events`: callback subscriptions (§4), Retailys's webhooks, and the callback a
//! subscription makes.
//!
//! A subscription names an event, a `path` and `method` to call, and `parameters` whose
//! `variable` holds macros such as `%orderId%`. **The read model uses other keys than the
//! requests:** `parameters[].{name, variable}` are read back as `params[].{key, macro}`
//! ([`EventModel::parameters`] converts). The names of events disagree between the prose
//! docs (`order-new`) and the SDK's enums (`new-order`), so [`EventName`] knows both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::json::{self, JsonError};
use crate::lenient::{list, object, optional as opt};
use crate::open_enum;
use crate::pagination::Page;
use crate::retailys::expandable::Identified;
use crate::retailys::paginator::{PaginatorModel, page_of};
use crate::validation::{At, NOTHING, Problem, Validate, quoted};

open_enum! {
    /// An event to subscribe to. The first six are the prose docs' names (current portal);
    /// the last three are the SDK schema's, which the server may be the one to accept.
    pub enum EventName {
        /// A new order (`%orderId%`, `%channelId%`).
        OrderNew = "order-new",
        /// An order's status changed (`%orderId%`, `%statusId%`, `%channelId%`).
        OrderChangeStatus = "order-change-status",
        /// An article's availability changed (`%articleId%`, `%channelId%`).
        ArticleChangeAvailability = "article-change-availability",
        /// A user registered (sic: the API spells it `registred`).
        UserRegistred = "user-registred",
        /// A user confirmed the registration.
        UserRegistrationConfirmed = "user-registration-confirmed",
        /// A user asked to reset the password.
        UserResetPassword = "user-reset-password",
        /// The SDK's name for a new order.
        NewOrder = "new-order",
        /// The SDK's name for an availability change.
        ChangeArticleAvailability = "change-article-availability",
        /// A new article (SDK read model only).
        NewArticle = "new-article",
    }
}

open_enum! {
    /// A macro that Retailys replaces in a parameter's `variable` or in a `condition`.
    pub enum MacroVariable {
        /// The order id.
        OrderId = "%orderId%",
        /// The new status id.
        StatusId = "%statusId%",
        /// The sales channel id (also usable in `condition`).
        ChannelId = "%channelId%",
        /// The article id.
        ArticleId = "%articleId%",
        /// The user id.
        UserId = "%userId%",
        /// The user's login.
        Login = "%login%",
        /// An activation or password-reset link.
        Link = "%link%",
    }
}

use MacroVariable as M;

impl EventName {
    /// The same event under the other source's name, to retry with when the server refuses
    /// this one (§4.3); `None` when there is no twin.
    #[must_use]
    pub fn twin(&self) -> Option<EventName> {
        match self {
            EventName::OrderNew => Some(EventName::NewOrder),
            EventName::NewOrder => Some(EventName::OrderNew),
            EventName::ArticleChangeAvailability => Some(EventName::ChangeArticleAvailability),
            EventName::ChangeArticleAvailability => Some(EventName::ArticleChangeAvailability),
            _ => None,
        }
    }

    /// The macros documented for this event's `parameters` (empty when undocumented).
    #[must_use]
    pub fn parameter_macros(&self) -> &'static [MacroVariable] {
        match self {
            EventName::OrderNew | EventName::NewOrder => &[M::OrderId, M::ChannelId],
            EventName::OrderChangeStatus => &[M::OrderId, M::StatusId, M::ChannelId],
            EventName::ArticleChangeAvailability
            | EventName::ChangeArticleAvailability
            | EventName::NewArticle => &[M::ArticleId, M::ChannelId],
            EventName::UserRegistred | EventName::UserResetPassword => {
                &[M::UserId, M::Login, M::Link, M::ChannelId]
            }
            EventName::UserRegistrationConfirmed => &[M::UserId, M::Login, M::ChannelId],
            EventName::Other(_) => &[],
        }
    }

    /// The macros documented for `condition`: only `%channelId%`, for every event.
    #[must_use]
    pub fn condition_macros(&self) -> &'static [MacroVariable] {
        &[M::ChannelId]
    }
}

open_enum! {
    /// The HTTP method Retailys calls the callback with. The read model's enum lists only
    /// GET and POST; requests also allow PUT.
    pub enum CallbackMethod {
        /// GET (parameters in the query string).
        Get = "GET",
        /// POST.
        Post = "POST",
        /// PUT.
        Put = "PUT",
    }
}

/// A callback parameter as requests write it: `name` is what Retailys calls it in the
/// callback, `variable` what it holds (`%orderId%`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventParameter {
    /// Parameter name in the callback.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its value, with macros.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
}

impl EventParameter {
    /// `name` carrying `variable`.
    #[must_use]
    pub fn new(name: impl Into<String>, variable: impl Into<String>) -> Self {
        EventParameter { name: Some(name.into()), variable: Some(variable.into()) }
    }
}

/// `EventPostRequest`: subscribe to an event (`POST /System/Events`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventPostRequest {
    /// The event.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub event: Option<EventName>,
    /// Where Retailys calls (relative or absolute: not documented).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// How it calls.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub method: Option<CallbackMethod>,
    /// What it sends.
    #[serde(default, deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<EventParameter>,
    /// A filter; only `%channelId%` is documented in it, its syntax is not.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// The `%…%` tokens of a text (an unclosed `%` is not a token).
fn macros_in(text: &str) -> impl Iterator<Item = &str> {
    let parts: Vec<&str> = text.split('%').collect();
    let closed = parts.len().saturating_sub(1);
    parts.into_iter().enumerate().filter(move |(i, _)| i % 2 == 1 && *i < closed).map(|(_, p)| p)
}

/// Reports macros in `text` that are not among `allowed` (only for a known event).
fn check_macros(at: &At, text: &str, allowed: &[MacroVariable], out: &mut Vec<Problem>) {
    for token in macros_in(text) {
        let wanted = format!("%{token}%");
        if !allowed.iter().any(|m| m.as_str() == wanted) {
            let names: Vec<&str> = allowed.iter().map(MacroVariable::as_str).collect();
            out.push(
                at.problem(format!("one of the macros {}", names.join(", ")), quoted(&wanted)),
            );
        }
    }
}

impl EventPostRequest {
    fn problems_at(&self, root: &At, out: &mut Vec<Problem>) {
        let event = root.field("event");
        match &self.event {
            None => out.push(event.problem("an event name like order-new", NOTHING)),
            Some(e) if e.as_str().trim().is_empty() => {
                out.push(event.problem("an event name", "\"\""))
            }
            Some(_) => {}
        }
        root.field("path").require_text(self.path.as_deref(), "the callback path", out);
        let method = root.field("method");
        match &self.method {
            None => out.push(method.problem("GET, POST or PUT", NOTHING)),
            Some(m) if !m.is_known() => {
                out.push(method.problem("GET, POST or PUT", quoted(m.as_str())))
            }
            Some(_) => {}
        }
        let known = self.event.as_ref().filter(|e| e.is_known());
        for (i, p) in self.parameters.iter().enumerate() {
            let at = root.index("parameters", i);
            at.field("name").require_text(p.name.as_deref(), "a parameter name", out);
            let variable = at.field("variable");
            variable.require_text(p.variable.as_deref(), "a value such as %orderId%", out);
            if let (Some(e), Some(v)) = (known, p.variable.as_deref()) {
                check_macros(&variable, v, e.parameter_macros(), out);
            }
        }
        if let (Some(e), Some(c)) = (known, self.condition.as_deref()) {
            check_macros(&root.field("condition"), c, e.condition_macros(), out);
        }
    }
}

impl Validate for EventPostRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        self.problems_at(&At::root(), out);
    }
}

/// `EventPutRequest`: change a subscription (`PUT /System/Events`; the id is in the body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventPutRequest {
    /// The subscription to change.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Everything else, as for a new subscription.
    #[serde(flatten)]
    pub event: EventPostRequest,
}

impl Validate for EventPutRequest {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        match self.id {
            None => out.push(root.field("id").problem("a positive id", NOTHING)),
            Some(n) if n <= 0 => out.push(root.field("id").problem("a positive id", n.to_string())),
            Some(_) => {}
        }
        self.event.problems_at(&root, out);
    }
}

/// A callback parameter as the read model writes it (`params[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventParam {
    /// The parameter's name (the request's `name`).
    #[serde(default, deserialize_with = "opt")]
    pub key: Option<String>,
    /// Its value with macros (the request's `variable`).
    #[serde(default, rename = "macro", deserialize_with = "opt")]
    pub macro_text: Option<String>,
}

/// `EventModel`: a subscription as `GET /System/Events[/{id}]` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventModel {
    /// The event.
    #[serde(default, deserialize_with = "opt")]
    pub event: Option<EventName>,
    /// Subscription id.
    #[serde(default, deserialize_with = "opt")]
    pub id: Option<i64>,
    /// Callback path.
    #[serde(default, deserialize_with = "opt")]
    pub path: Option<String>,
    /// Callback method.
    #[serde(default, deserialize_with = "opt")]
    pub method: Option<CallbackMethod>,
    /// Callback parameters, under the read model's keys.
    #[serde(default, deserialize_with = "list")]
    pub params: Vec<EventParam>,
    /// Filter.
    #[serde(default, deserialize_with = "opt")]
    pub condition: Option<String>,
}

impl EventModel {
    /// The parameters under the request keys (`key` → `name`, `macro` → `variable`).
    #[must_use]
    pub fn parameters(&self) -> Vec<EventParameter> {
        let to_request =
            |p: &EventParam| EventParameter { name: p.key.clone(), variable: p.macro_text.clone() };
        self.params.iter().map(to_request).collect()
    }

    /// The request that changes this subscription to what it is now; edit and send it.
    #[must_use]
    pub fn to_put_request(&self) -> EventPutRequest {
        let event = EventPostRequest {
            event: self.event.clone(),
            path: self.path.clone(),
            method: self.method.clone(),
            parameters: self.parameters(),
            condition: self.condition.clone(),
        };
        EventPutRequest { id: self.id, event }
    }
}

impl Identified for EventModel {
    fn id(&self) -> Option<i64> {
        self.id
    }
}

/// `EventsModel`: one page of `GET /System/Events` (filter by `path` to find your own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct EventsModel {
    /// Paging.
    #[serde(default, deserialize_with = "object")]
    pub paginator: Option<PaginatorModel>,
    /// The subscriptions.
    #[serde(default, deserialize_with = "list")]
    pub events: Vec<EventModel>,
}

impl EventsModel {
    /// The page; what the paginator leaves out is filled in.
    #[must_use]
    pub fn into_page(self) -> Page<EventModel> {
        page_of(self.paginator.as_ref(), self.events)
    }
}

/// The parameters of one callback call, by name, from wherever they came (§4.4: the
/// encoding is not documented, so the query string, a form body and a JSON body are all
/// read). Plain data for the receiver, which is written elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct CallbackParams(pub BTreeMap<String, String>);

impl CallbackParams {
    /// Reads `a=1&b=x+y` (a query string without its `?`, or a form body); `+` is a space,
    /// `%XX` is decoded, invalid UTF-8 is replaced. Later duplicates win.
    #[must_use]
    pub fn from_query(query: &str) -> Self {
        let decode = |s: &str| {
            let spaced = s.replace('+', " ");
            percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
        };
        let pairs = query.split('&').filter(|p| !p.is_empty()).map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        });
        CallbackParams(pairs.collect())
    }

    /// Reads a JSON object of scalars (`{"order": 12345}` or `{"order": "12345"}`); nested
    /// values are kept as their JSON text.
    ///
    /// # Errors
    /// A [`JsonError`] when the body is not a JSON object.
    pub fn from_json(body: &[u8]) -> Result<Self, JsonError> {
        let map: serde_json::Map<String, serde_json::Value> = json::from_slice(body)?;
        let text = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        Ok(CallbackParams(map.into_iter().map(|(k, v)| (k, text(v))).collect()))
    }

    /// Adds the parameters of `other` (a body's over the query's, say).
    pub fn merge(&mut self, other: CallbackParams) {
        self.0.extend(other.0);
    }

    /// The value of a parameter.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// What the subscription's `parameters` say each macro became: for every parameter whose
    /// `variable` is exactly one macro, the value sent under its `name`.
    #[must_use]
    pub fn resolve(&self, parameters: &[EventParameter]) -> CallbackValues {
        let mut out = CallbackValues::default();
        for p in parameters {
            let (Some(name), Some(variable)) = (p.name.as_deref(), p.variable.as_deref()) else {
                continue;
            };
            if let Some(value) = self.get(name) {
                out.set(&MacroVariable::from(variable.trim()), value);
            }
        }
        out
    }
}

/// The macro values of one callback, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CallbackValues {
    /// `%orderId%`.
    pub order_id: Option<i64>,
    /// `%statusId%`.
    pub status_id: Option<i64>,
    /// `%channelId%`.
    pub channel_id: Option<i64>,
    /// `%articleId%`.
    pub article_id: Option<i64>,
    /// `%userId%`.
    pub user_id: Option<i64>,
    /// `%login%`.
    pub login: Option<String>,
    /// `%link%`.
    pub link: Option<String>,
}

impl CallbackValues {
    fn set(&mut self, which: &MacroVariable, value: &str) {
        let id = || value.trim().parse::<i64>().ok();
        match which {
            M::OrderId => self.order_id = id(),
            M::StatusId => self.status_id = id(),
            M::ChannelId => self.channel_id = id(),
            M::ArticleId => self.article_id = id(),
            M::UserId => self.user_id = id(),
            M::Login => self.login = Some(value.to_owned()),
            M::Link => self.link = Some(value.to_owned()),
            M::Other(_) => {}
        }
    }
}
