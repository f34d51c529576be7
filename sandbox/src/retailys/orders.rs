//! The `/System/Orders` endpoints and the lookups (`/System/Me`, `/System/Lists/Shippers`).
//!
//! Bodies are read with the core's request types and checked with their `Validate` impls
//! (400 with the problems in `detail`); answers are the core's models.

// Handlers answer a failure with the `Response` itself, the usual axum idiom.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::de::DeserializeOwned;
use shopflow_core::retailys::expandable::{Expandable, Identified, NonExpanded};
use shopflow_core::retailys::lookups::{MeModel, ShippersModel};
use shopflow_core::retailys::order::{IdModel, OrderModel, OrdersModel};
use shopflow_core::retailys::paginator::PaginatorModel;
use shopflow_core::retailys::query::OrderListQuery;
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderItemRequest, OrderPaidPatchRequest, OrderPostRequest, OrderPutRequest,
    OrderStatusPatchRequest, TrackingPostRequest,
};
use shopflow_core::retailys::status::OrderStatusesModel;
use shopflow_core::validation::{Problems, Validate};

use super::catalog;
use super::events::fire;
use super::guard::{error, invalid, json};
use super::state::RState;
use super::store::{Flag, Refusal, Stored};

type Answer = Result<Response, Response>;
type Pairs = Query<Vec<(String, String)>>;
type St = State<Arc<RState>>;

/// A path id; anything but a whole number names nothing (404).
pub fn path_id(raw: &str) -> Result<i64, Response> {
    raw.parse()
        .map_err(|_| error(StatusCode::NOT_FOUND, "Not Found", &format!("No record {raw:?}.")))
}

/// A JSON body read with the core's type and checked with its `Validate`.
pub fn body<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, Response> {
    let value: T = shopflow_core::json::from_slice(bytes).map_err(|e| {
        error(StatusCode::BAD_REQUEST, "Invalid request", &format!("{}: {}", e.path, e.message))
    })?;
    value.validate().map_err(|p| invalid(&p))?;
    Ok(value)
}

/// The answer to a refused change.
pub fn refused(r: Refusal) -> Response {
    match r {
        Refusal::NotFound(d) => error(StatusCode::NOT_FOUND, "Not Found", &d),
        Refusal::Invalid(d) => error(StatusCode::BAD_REQUEST, "Invalid request", &d),
        Refusal::Conflict(d) => error(StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable Entity", &d),
    }
}

/// The query's filters and paging, checked (page ≥ 1, per_page 10–250).
fn query(pairs: &[(String, String)]) -> Result<OrderListQuery, Response> {
    let q = OrderListQuery::from_query(pairs).map_err(|p| invalid(&Problems(p)))?;
    q.validate().map_err(|p| invalid(&p))?;
    Ok(q)
}

/// One page of `items` and its paginator.
pub fn page_of<T>(
    items: Vec<T>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> (Vec<T>, PaginatorModel) {
    let (page, per_page) =
        (page.unwrap_or(1).max(1) as usize, per_page.unwrap_or(10).max(1) as usize);
    let total = items.len();
    let pages = total.div_ceil(per_page);
    let slice =
        items.into_iter().skip((page - 1).saturating_mul(per_page)).take(per_page).collect();
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    (slice, PaginatorModel::new(n(page), n(per_page), n(pages), n(total)))
}

/// A reference in place of a full record (`expanded=false`).
fn shrink<T: Identified>(e: &mut Option<Expandable<T>>, link: &str) {
    if let Some(id) = e.as_ref().and_then(Expandable::id) {
        *e = Some(Expandable::Ref(NonExpanded::new(id, format!("{link}/{id}"))));
    }
}

/// The order as the API shows it: full records, or references.
fn render(s: &Stored, expanded: bool) -> OrderModel {
    let mut o = s.model.clone();
    if !expanded {
        shrink(&mut o.customer, "/System/People");
        shrink(&mut o.company, "/System/Companies");
        shrink(&mut o.channel, "/System/Channels");
        shrink(&mut o.shipping, "/System/Channels/Shippings");
        shrink(&mut o.payment, "/System/Channels/Payments");
        for line in &mut o.items {
            shrink(&mut line.article, "/System/Content/Articles");
        }
    }
    o
}

/// `GET /System/Orders`.
pub async fn list(state: St, Query(pairs): Pairs) -> Answer {
    let q = query(&pairs)?;
    let expanded = q.expanded.unwrap_or(false);
    let all: Vec<OrderModel> =
        state.store().matching(&q).into_iter().map(|s| render(s, expanded)).collect();
    let (orders, paginator) = page_of(all, q.page, q.per_page);
    let mut body = OrdersModel::default();
    (body.orders, body.paginator) = (orders, Some(paginator));
    Ok(json(StatusCode::OK, &body))
}

/// `GET /System/Orders/{id}`.
pub async fn one(state: St, Path(id): Path<String>, Query(pairs): Pairs) -> Answer {
    let q = query(&pairs)?;
    let id = path_id(&id)?;
    let order = state.store().order(id).map(|s| render(s, q.expanded.unwrap_or(false)));
    order.map(|o| json(StatusCode::OK, &o)).map_err(refused)
}

/// `GET /System/Orders/Statuses`.
pub async fn statuses(Query(pairs): Pairs) -> Answer {
    let q = query(&pairs)?;
    let (statuses, paginator) = page_of(catalog::statuses(), q.page, q.per_page);
    let mut body = OrderStatusesModel::default();
    (body.statuses, body.paginator) = (statuses, Some(paginator));
    Ok(json(StatusCode::OK, &body))
}

/// `GET /System/Lists/Shippers`.
pub async fn shippers(Query(pairs): Pairs) -> Answer {
    let q = query(&pairs)?;
    let (shippers, paginator) = page_of(catalog::shippers(), q.page, q.per_page);
    let mut body = ShippersModel::default();
    (body.shippers, body.paginator) = (shippers, Some(paginator));
    Ok(json(StatusCode::OK, &body))
}

/// `GET /System/Me`.
pub async fn me() -> Response {
    let mut me = MeModel::default();
    (me.id, me.app_id) = (Some(1), Some(1));
    me.name = Some("shopflow sandbox app".to_owned());
    me.system_instance_path = Some("sandbox".to_owned());
    json(StatusCode::OK, &me)
}

fn created(id: i64) -> Response {
    json(StatusCode::CREATED, &IdModel::new(id))
}

/// `POST /System/Orders`: 201 `IdModel`; fires `order-new`.
pub async fn create(state: St, bytes: Bytes) -> Answer {
    let r: OrderPostRequest = body(&bytes)?;
    let fired = state.store().create(&r).map_err(refused)?;
    fire(&state, vec![fired]);
    Ok(created(fired.order_id))
}

/// `PUT /System/Orders`: the delivery address; 200 `IdModel`.
pub async fn update(state: St, bytes: Bytes) -> Answer {
    let r: OrderPutRequest = body(&bytes)?;
    let id = state.store().update_delivery(&r).map_err(refused)?;
    Ok(json(StatusCode::OK, &IdModel::new(id)))
}

/// `POST /System/Orders/{id}/item`: 201 `IdModel` of the new line.
pub async fn add_item(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: OrderItemRequest = body(&bytes)?;
    state.store().add_item(id, &r).map(created).map_err(refused)
}

/// `PUT /System/Orders/{id}/item`: the line id is in the body; 201 `IdModel` (as declared).
pub async fn update_item(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: OrderItemRequest = body(&bytes)?;
    let problems = r.put_problems();
    if !problems.is_empty() {
        return Err(invalid(&Problems(problems)));
    }
    state.store().update_item(id, &r).map(created).map_err(refused)
}

/// `DELETE /System/Orders/{id}/item/{item_id}`: 200 `IdModel`.
pub async fn delete_item(state: St, Path((id, item)): Path<(String, String)>) -> Answer {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let deleted = state.store().delete_item(id, item).map_err(refused)?;
    Ok(json(StatusCode::OK, &IdModel::new(deleted)))
}

/// The order after a change, as `PATCH` answers it (expanded).
fn updated(state: &RState, id: i64) -> Answer {
    let order = state.store().order(id).map(|s| render(s, true));
    order.map(|o| json(StatusCode::OK, &o)).map_err(refused)
}

/// `PATCH /System/Orders/{id}/status`: fires `order-change-status`.
pub async fn set_status(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: OrderStatusPatchRequest = body(&bytes)?;
    let fired = state.store().set_status(id, r.status_id.unwrap_or(0)).map_err(refused)?;
    fire(&state, vec![fired]);
    updated(&state, id)
}

/// `PATCH /System/Orders/{id}/paid`.
pub async fn set_paid(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: OrderPaidPatchRequest = body(&bytes)?;
    state.store().set_paid(id, &r).map_err(refused)?;
    updated(&state, id)
}

/// `PATCH /System/Orders/{id}/{done|cancel|sent|delivered}` (no body).
pub async fn set_flag(state: St, Path((id, flag)): Path<(String, String)>) -> Answer {
    let which = match flag.as_str() {
        "done" => Flag::Done,
        "cancel" => Flag::Cancel,
        "sent" => Flag::Sent,
        "delivered" => Flag::Delivered,
        _ => return Err(error(StatusCode::NOT_FOUND, "Not Found", "No such endpoint.")),
    };
    let id = path_id(&id)?;
    state.store().set_flag(id, which).map_err(refused)?;
    updated(&state, id)
}

/// `POST /System/Orders/{id}/tracking`: 201 `IdModel` of the parcel record.
pub async fn add_tracking(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: TrackingPostRequest = body(&bytes)?;
    state.store().add_tracking(id, &r).map(created).map_err(refused)
}

/// `POST /System/Orders/{id}/history`: 201 `IdModel` of the record.
pub async fn add_history(state: St, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let id = path_id(&id)?;
    let r: HistoryPostRequest = body(&bytes)?;
    state.store().add_history(id, &r).map(created).map_err(refused)
}
