//! The `/api/v2` endpoints and the legacy `/api/orders/state/update`.
//!
//! Handlers read requests with shopflow-core's types and answer with them. A body that is
//! not a JSON object is a 400; more than `max_items` items is a 413 with nothing processed;
//! everything else is a 200 with per-item results, as on a real shop.

// Handlers answer a failure with the `Response` itself (`Result<Response, Response>`), the
// usual axum idiom; boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use shopflow_core::upgates::customer::{
    CustomerDeleteQuery, CustomerListQuery, CustomersWriteRequest,
};
use shopflow_core::upgates::legacy::LegacyUpdateRequest;
use shopflow_core::upgates::order::{
    HistoryAddRequest, OrderCreateRequest, OrderDeleteQuery, OrderListQuery, OrderUpdateRequest,
};
use shopflow_core::upgates::order_status::{OrderStatusType, OrderStatusWrite};
use shopflow_core::upgates::webhook::{WebhookCreate, WebhookList, WebhookUpdate};

use super::respond::{api_error, json, raw_json};
use crate::shop::Shop;
use crate::shop::orders::Notify;
use crate::state::AppState;

type Answer = Result<Response, Response>;
type Pairs = Query<Vec<(String, String)>>;

/// The body as a JSON object (the API refuses anything else with 400).
fn object(body: &[u8]) -> Result<Value, Response> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        api_error(StatusCode::BAD_REQUEST, &format!("The body is not valid JSON: {e}"))
    })?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(api_error(StatusCode::BAD_REQUEST, "The body must be a JSON object."))
    }
}

/// 413 when a list holds more items than one request may; nothing is processed then.
fn not_too_large(state: &AppState, v: &Value, key: &str) -> Result<(), Response> {
    let max = state.runtime().max_items;
    match v.get(key).and_then(Value::as_array) {
        Some(items) if items.len() > max => Err(api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "The request has {} items in `{key}`; at most {max} are accepted, so none were processed.",
                items.len()
            ),
        )),
        _ => Ok(()),
    }
}

fn typed<T: DeserializeOwned>(v: Value) -> Result<T, Response> {
    shopflow_core::json::from_value(&v).map_err(|e| {
        api_error(StatusCode::BAD_REQUEST, &format!("Invalid value at {}: {}", e.path, e.message))
    })
}

/// `send_emails_yn`/`send_sms_yn` as the request gave them (`None`: left out, so the API
/// sends).
fn flags(v: &Value) -> (Option<bool>, Option<bool>) {
    let read = |k: &str| {
        v.get(k)
            .and_then(|x| serde_json::from_value::<LenientBool>(x.clone()).ok())
            .and_then(|b| b.0)
    };
    (read("send_emails_yn"), read("send_sms_yn"))
}

struct LenientBool(Option<bool>);

impl<'de> serde::Deserialize<'de> for LenientBool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        shopflow_core::lenient::optional(d).map(LenientBool)
    }
}

async fn saved(state: &AppState) -> Result<(), Response> {
    state.persist().await.map_err(|e| {
        api_error(StatusCode::INTERNAL_SERVER_ERROR, &format!("The change could not be saved: {e}"))
    })
}

fn query<T>(parsed: Result<T, shopflow_core::upgates::query::QueryError>) -> Result<T, Response> {
    parsed.map_err(|e| api_error(StatusCode::BAD_REQUEST, &e.to_string()))
}

/// `GET /orders`.
pub async fn list_orders(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Answer {
    let q = query(OrderListQuery::from_query(None, &pairs))?;
    let refused = state.runtime().faults.refuse_reads_of;
    if let Some(n) = q.order_numbers.iter().find(|n| refused.contains(n)) {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            &format!("Order '{n}' cannot be listed (refuse_reads_of)."),
        ));
    }
    Ok(raw_json(StatusCode::OK, state.shop().list_orders_json(&q)))
}

/// `GET /orders/{order_number}` (filters in the query apply too).
pub async fn get_order(
    State(state): State<Arc<AppState>>,
    Path(number): Path<String>,
    Query(pairs): Pairs,
) -> Answer {
    if pairs.is_empty() {
        return match state.shop().order_json(&number) {
            Some(body) => Ok(raw_json(StatusCode::OK, body)),
            None => {
                Err(api_error(StatusCode::NOT_FOUND, &format!("Order '{number}' does not exist.")))
            }
        };
    }
    let q = query(OrderListQuery::from_query(Some(&number), &pairs))?;
    Ok(raw_json(StatusCode::OK, state.shop().list_orders_json(&q)))
}

/// `POST /orders`.
pub async fn create_orders(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let v = object(&body)?;
    not_too_large(&state, &v, "orders")?;
    let (emails, sms) = flags(&v);
    let req: OrderCreateRequest = typed(v)?;
    let (resp, emitted) = {
        let mut shop = state.shop_mut();
        shop.record_write("POST /api/v2/orders", emails, sms, req.orders.len());
        shop.create_orders(
            &req,
            Notify { emails: req.send_emails_yn, sms: req.send_sms_yn },
            "POST /api/v2/orders",
        )
    };
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

/// `PUT /orders`.
pub async fn update_orders(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let v = object(&body)?;
    not_too_large(&state, &v, "orders")?;
    let (emails, sms) = flags(&v);
    let req: OrderUpdateRequest = typed(v)?;
    let (resp, emitted) = {
        let mut shop = state.shop_mut();
        shop.record_write("PUT /api/v2/orders", emails, sms, req.orders.len());
        shop.update_orders(
            &req,
            Notify { emails: req.send_emails_yn, sms: req.send_sms_yn },
            "PUT /api/v2/orders",
        )
    };
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

/// `DELETE /orders?order_number=…&order_numbers=…`.
pub async fn delete_orders(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Answer {
    let q = query(OrderDeleteQuery::from_query(&pairs))?;
    let numbers = q.all_numbers();
    if numbers.is_empty() {
        return Err(api_error(StatusCode::BAD_REQUEST, "Give order_number or order_numbers."));
    }
    let (resp, emitted) = state.shop_mut().delete_orders(&numbers);
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

/// `GET /orders/{order_number}/pdf`.
pub async fn order_pdf(State(state): State<Arc<AppState>>, Path(number): Path<String>) -> Answer {
    let order = state.shop().order(&number).ok_or_else(|| {
        api_error(StatusCode::NOT_FOUND, &format!("Order '{number}' does not exist."))
    })?;
    let mut resp = (StatusCode::OK, crate::pdf::order_pdf(&order)).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    Ok(resp)
}

/// `GET /orders/{order_number}/history`.
pub async fn order_history(
    State(state): State<Arc<AppState>>,
    Path(number): Path<String>,
) -> Answer {
    let h = state.shop().order_history(&number).ok_or_else(|| {
        api_error(StatusCode::NOT_FOUND, &format!("Order '{number}' does not exist."))
    })?;
    Ok(json(StatusCode::OK, &h))
}

/// `POST /orders/{order_number}/history`.
pub async fn add_history(
    State(state): State<Arc<AppState>>,
    Path(number): Path<String>,
    body: Bytes,
) -> Answer {
    let req: HistoryAddRequest = typed(object(&body)?)?;
    if state.runtime().faults.refuse_writes_of.contains(&number) {
        return Err(api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Order '{number}' does not take history records (refuse_writes_of)."),
        ));
    }
    let resp = state.shop_mut().add_history(&number, &req);
    let resp = resp.ok_or_else(|| {
        api_error(StatusCode::NOT_FOUND, &format!("Order '{number}' does not exist."))
    })?;
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `GET /orders/states`: the retired status list.
pub async fn legacy_states(State(state): State<Arc<AppState>>) -> Response {
    json(StatusCode::OK, &state.shop().legacy_states())
}

fn status_type(pairs: &[(String, String)]) -> Option<OrderStatusType> {
    pairs.iter().rev().find(|(k, _)| k == "type").map(|(_, v)| OrderStatusType::from(v.as_str()))
}

/// `GET /order-statuses`.
pub async fn list_statuses(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Response {
    json(StatusCode::OK, &state.shop().list_statuses(None, status_type(&pairs).as_ref()))
}

/// `GET /order-statuses/{id}`.
pub async fn get_status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    Query(pairs): Pairs,
) -> Response {
    json(StatusCode::OK, &state.shop().list_statuses(Some(id), status_type(&pairs).as_ref()))
}

/// `POST /order-statuses` (one status per request).
pub async fn create_status(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let w: OrderStatusWrite = typed(object(&body)?)?;
    let resp = state.shop_mut().create_status(&w);
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `PUT /order-statuses`.
pub async fn update_status(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let w: OrderStatusWrite = typed(object(&body)?)?;
    let resp = state.shop_mut().update_status(&w);
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `DELETE /order-statuses/{id}`.
pub async fn delete_status(State(state): State<Arc<AppState>>, Path(id): Path<u64>) -> Answer {
    let resp = state.shop_mut().delete_status(id);
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `GET /customers`.
pub async fn list_customers(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Answer {
    let q = query(CustomerListQuery::from_query(&pairs))?;
    Ok(json(StatusCode::OK, &state.shop().list_customers(&q)))
}

/// `POST /customers`.
pub async fn create_customers(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let v = object(&body)?;
    not_too_large(&state, &v, "customers")?;
    let req: CustomersWriteRequest = typed(v)?;
    let (resp, emitted) = state.shop_mut().create_customers(&req.customers);
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

/// `PUT /customers`.
pub async fn update_customers(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let v = object(&body)?;
    not_too_large(&state, &v, "customers")?;
    let req: CustomersWriteRequest = typed(v)?;
    let (resp, emitted) = state.shop_mut().update_customers(&req.customers);
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

/// `DELETE /customers?id|ids|email`.
pub async fn delete_customers(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Answer {
    let q = query(CustomerDeleteQuery::from_query(&pairs))?;
    if q.id.is_none() && q.ids.is_empty() && q.email.is_none() {
        return Err(api_error(StatusCode::BAD_REQUEST, "Give id, ids or email."));
    }
    let (resp, emitted) = state.shop_mut().delete_customers(&q);
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}

fn webhook_list(state: &AppState, id: Option<u64>) -> Response {
    let mut list = WebhookList::default();
    list.webhooks = state.shop().list_webhooks(id);
    json(StatusCode::OK, &list)
}

/// `GET /webhooks`.
pub async fn list_webhooks(State(state): State<Arc<AppState>>) -> Response {
    webhook_list(&state, None)
}

/// `GET /webhooks/{id}`.
pub async fn get_webhook(State(state): State<Arc<AppState>>, Path(id): Path<u64>) -> Response {
    webhook_list(&state, Some(id))
}

/// `GET /webhooks/events`.
pub async fn webhook_events() -> Response {
    json(StatusCode::OK, &Shop::webhook_events())
}

/// `POST /webhooks`.
pub async fn create_webhook(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let w: WebhookCreate = typed(object(&body)?)?;
    let result = state.shop_mut().create_webhook(&w);
    saved(&state).await?;
    match result {
        Ok(r) => Ok(json(StatusCode::OK, &r)),
        Err(messages) => {
            Err(json(StatusCode::BAD_REQUEST, &serde_json::json!({ "messages": messages })))
        }
    }
}

/// `PUT /webhooks`.
pub async fn update_webhook(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let w: WebhookUpdate = typed(object(&body)?)?;
    let result = state.shop_mut().update_webhook(&w);
    saved(&state).await?;
    match result {
        Ok(r) => Ok(json(StatusCode::OK, &r)),
        Err(messages) => {
            Err(json(StatusCode::BAD_REQUEST, &serde_json::json!({ "messages": messages })))
        }
    }
}

/// `DELETE /webhooks/{id}`.
pub async fn delete_webhook(State(state): State<Arc<AppState>>, Path(id): Path<u64>) -> Answer {
    let resp = state.shop_mut().delete_webhooks(&[id]);
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `DELETE /webhooks?ids=a;b`.
pub async fn delete_webhooks(State(state): State<Arc<AppState>>, Query(pairs): Pairs) -> Answer {
    let reader = shopflow_core::upgates::query::QueryReader::new(&pairs);
    let mut ids: Vec<u64> = query(reader.list("ids", "webhook ids joined with ;"))?;
    ids.extend(query(reader.parsed::<u64>("id", "a webhook id"))?);
    if ids.is_empty() {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "Give the webhook id in the path or as ids=a;b.",
        ));
    }
    let resp = state.shop_mut().delete_webhooks(&ids);
    saved(&state).await?;
    Ok(json(StatusCode::OK, &resp))
}

/// `GET /status`: every endpoint, full access.
pub async fn api_status(State(state): State<Arc<AppState>>) -> Response {
    let base = format!("https://{}.example/api/v2", state.shop().project_name());
    let services: Vec<Value> = [
        "orders",
        "order-statuses",
        "customers",
        "webhooks",
        "products",
        "invoices",
    ]
    .iter()
    .map(|s| serde_json::json!({"service": s, "url": format!("{base}/{s}"), "privilege": "all"}))
    .collect();
    json(
        StatusCode::OK,
        &serde_json::json!({"services": services, "documentation_link": "https://upgatesapiv2.docs.apiary.io/"}),
    )
}

/// `POST /api/orders/state/update`: the legacy API, with the key in the body.
pub async fn legacy_update(State(state): State<Arc<AppState>>, body: Bytes) -> Answer {
    let refuse = |status: StatusCode, message: &str| {
        json(
            status,
            &serde_json::json!([{"order_number": null, "error": true, "message": message}]),
        )
    };
    let v = object(&body).map_err(|_| refuse(StatusCode::BAD_REQUEST, "Invalid JSON."))?;
    let req: LegacyUpdateRequest = shopflow_core::json::from_value(&v).map_err(|e| {
        refuse(StatusCode::BAD_REQUEST, &format!("Invalid value at {}: {}", e.path, e.message))
    })?;
    let key_ok = req.api_key.as_ref().is_some_and(|k| {
        bool::from(subtle::ConstantTimeEq::ct_eq(
            k.expose().as_bytes(),
            state.api_key.expose().as_bytes(),
        ))
    });
    if !key_ok {
        return Err(refuse(StatusCode::UNAUTHORIZED, "Invalid API key."));
    }
    let (resp, emitted) = {
        let mut shop = state.shop_mut();
        shop.record_write(
            "POST /api/orders/state/update",
            req.send_emails,
            Some(false),
            req.orders.len(),
        );
        shop.legacy_update(&req)
    };
    saved(&state).await?;
    state.fire(emitted);
    Ok(json(StatusCode::OK, &resp))
}
