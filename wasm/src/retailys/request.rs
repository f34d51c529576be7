//! The HTTP request a `RetailysClient` operation (`listOrders`, `setFlag`, …) is, built and
//! checked by the core's `RetailysApi` (validation first; an invalid request is never sent).
//! One order per request: Retailys has no batch writes.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shopflow_core::http::RequestSpec;
use shopflow_core::retailys::api::{OrderFlag, RetailysApi};
use shopflow_core::retailys::events::{EventName, EventPostRequest};
use shopflow_core::retailys::query::OrderListQuery;
use shopflow_core::retailys::receiver::subscription;
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderPaidPatchRequest, OrderPostRequest, OrderStatusPatchRequest,
    TrackingPostRequest,
};
use shopflow_core::secret::{URL_SECRET_RULE, url_secret_flaw};
use shopflow_core::validation::{At, Problem, Problems};

use crate::envelope::{ErrorInfo, problem};
use crate::request::args;

/// An order and a body for it: `{id, body}`.
#[derive(Deserialize)]
struct On<B> {
    id: i64,
    #[serde(default)]
    body: B,
}

/// An id and the page or options a read takes.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Key {
    id: i64,
    expanded: bool,
    page: u32,
    path: Option<String>,
    flag: String,
}

/// A subscription of shopflow's callback path: `{publicUrl}/retailys/{event}/{secret}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscribe {
    event: String,
    public_url: String,
    secret: String,
    condition: Option<String>,
}

/// The request operation `op` with JSON arguments `json` is, at the instance `api`.
pub(crate) fn build(api: &RetailysApi, op: &str, json: &str) -> Result<RequestSpec, ErrorInfo> {
    let key = || args::<Key>(json);
    Ok(match op {
        "listOrders" => api.list_orders(&order_query(json)?)?,
        "getOrder" => {
            let k = key()?;
            api.get_order(k.id, k.expanded)?
        }
        "createOrder" => api.create_order(&args::<OrderPostRequest>(json)?)?,
        "setStatus" => on(json, |id, b: OrderStatusPatchRequest| api.set_status(id, &b))?,
        "markPaid" => on(json, |id, b: OrderPaidPatchRequest| api.set_paid(id, &b))?,
        "addTracking" => on(json, |id, b: TrackingPostRequest| api.add_tracking(id, &b))?,
        "addHistory" => on(json, |id, b: HistoryPostRequest| api.add_history(id, &b))?,
        "setFlag" => {
            let k = key()?;
            api.set_flag(k.id, flag(&k.flag)?)?
        }
        "statuses" => api.order_statuses(key()?.page),
        "shippers" => api.shippers(key()?.page),
        "me" => api.me(),
        "listEvents" => {
            let k = key()?;
            api.list_events(k.page, k.path.as_deref())
        }
        "createEvent" => api.create_event(&args::<EventPostRequest>(json)?)?,
        "subscribe" => api.create_event(&subscribe(&args::<Subscribe>(json)?)?)?,
        "deleteEvent" => api.delete_event(key()?.id)?,
        other => return Err(ErrorInfo::validation(format!("unknown operation {other:?}"))),
    })
}

/// `{id, body}` read and handed to `make`.
fn on<B: DeserializeOwned + Default>(
    json: &str,
    make: impl FnOnce(i64, B) -> Result<RequestSpec, shopflow_core::http::BuildError>,
) -> Result<RequestSpec, ErrorInfo> {
    let a: On<B> = args(json)?;
    Ok(make(a.id, a.body)?)
}

/// A state flag by its path name.
fn flag(name: &str) -> Result<OrderFlag, ErrorInfo> {
    Ok(match name {
        "done" => OrderFlag::Done,
        "cancel" => OrderFlag::Cancel,
        "sent" => OrderFlag::Sent,
        "delivered" => OrderFlag::Delivered,
        other => {
            let found = format!("{other:?}");
            return Err(problem(
                At::root().field("flag").problem("done, cancel, sent or delivered", found),
            ));
        }
    })
}

/// The list filters, from a JSON object of the query keys (`status_id`, `done`, `from`, …):
/// read by the core's query reader, so a value that does not read is a problem at its key,
/// and so is a key the API does not have.
fn order_query(json: &str) -> Result<OrderListQuery, ErrorInfo> {
    let given: serde_json::Map<String, serde_json::Value> = args(json)?;
    let pairs: Vec<(String, String)> = given
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect();
    let query = OrderListQuery::from_query(&pairs).map_err(Problems)?;
    let known: Vec<String> = query.to_query().into_iter().map(|(k, _)| k).collect();
    let unknown: Vec<Problem> = pairs
        .iter()
        .filter(|(k, _)| !known.contains(k))
        .map(|(k, _)| {
            At::root().field(k).problem("a filter of GET /System/Orders", "an unknown key")
        })
        .collect();
    if unknown.is_empty() { Ok(query) } else { Err(Problems(unknown).into()) }
}

/// The subscription of `s.event` to shopflow's callback path, as the core builds it (the
/// order id, and for a status change the status id, as parameters). The secret becomes a
/// path segment, so it follows the one receiver-secret rule (`url_secret_flaw`).
fn subscribe(s: &Subscribe) -> Result<EventPostRequest, ErrorInfo> {
    if let Some(flaw) = url_secret_flaw(&s.secret) {
        // The flaw's message never contains the secret.
        return Err(problem(At::root().field("secret").problem(URL_SECRET_RULE, flaw.found())));
    }
    let mut request = subscription(&s.public_url, &EventName::from(s.event.as_str()), &s.secret);
    request.condition.clone_from(&s.condition);
    Ok(request)
}
