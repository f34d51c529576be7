//! Upgates as the exchange sees it: the status table, the `X-Rate-Limit-*` budget, where a
//! shop may move, and how a create whose answer was lost is found by external order number.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::exchange::write::ItemOutcomeLike;
use crate::exchange::{Found, PlatformError, Reading, Wire};
use crate::http::{RequestSpec, ResendSafety, Response};
use crate::json;
use crate::upgates::base_url::{AllowLocal, BaseUrl};
use crate::upgates::customer::{CustomersCreateResponse, CustomersUpdateResponse};
use crate::upgates::message::{ApiMessage, ItemOutcome, ItemResult, MessageLevel, reconcile};
use crate::upgates::order::OrderCreateRequest;
use crate::upgates::order::query::OrderList;
use crate::upgates::order::results::{OrderCreated, OrdersCreateResponse, OrdersUpdateResponse};
use crate::upgates::response::{ApiError, classify, error_for, rate_budget};

/// Upgates for the exchange. `allow_local` also admits loopback addresses (the sandbox) as
/// the target of a relocation, as it does for the base URL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpgatesWire {
    /// Whether loopback API addresses are allowed.
    pub allow_local: AllowLocal,
}

impl PlatformError for ApiError {
    fn code(&self) -> &'static str {
        ApiError::code(self)
    }
    fn status(&self) -> Option<u16> {
        ApiError::status(self)
    }
    fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            ApiError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl Wire for UpgatesWire {
    type Error = ApiError;

    fn read(&self, resp: &Response<'_>, now: DateTime<Utc>) -> Reading<ApiError> {
        let budget = rate_budget(resp, now);
        Reading {
            outcome: classify(resp, now),
            error: error_for(resp, now),
            budget: budget.is_known().then_some(budget),
        }
    }

    fn refuses_credentials(&self, error: &ApiError) -> bool {
        matches!(error, ApiError::Unauthorized { .. } | ApiError::Forbidden { .. })
    }

    fn relocation(&self, api_url: &str) -> Result<String, String> {
        BaseUrl::parse(api_url, self.allow_local)
            .map(|b| b.as_str().to_owned())
            .map_err(|e| e.to_string())
    }

    fn lookup(&self, sent: &RequestSpec, key: &str) -> RequestSpec {
        RequestSpec {
            method: crate::http::Method::Get,
            base_url: sent.base_url.clone(),
            path: "/orders".to_owned(),
            query: vec![("external_order_number".to_owned(), key.to_owned())],
            headers: sent
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
                .cloned()
                .collect(),
            body: None,
            resend: ResendSafety::Idempotent,
            items: 0,
        }
    }

    fn found(&self, key: &str, body: &[u8]) -> Result<Option<Found>, ApiError> {
        let list: OrderList = json::from_slice(body).map_err(ApiError::Decode)?;
        Ok(list
            .orders
            .into_iter()
            .find(|o| o.external_order_number.as_deref() == Some(key))
            .map(|o| Found { key: key.to_owned(), id: o.order_number }))
    }

    fn without(&self, sent: &RequestSpec, found: &[Found]) -> Option<RequestSpec> {
        let req = created_request(sent)?;
        let existing: HashSet<&str> = found.iter().map(|f| f.key.as_str()).collect();
        let rest = req.without_existing(&existing);
        if rest.orders.is_empty() {
            return None;
        }
        let keys = rest.orders.iter().filter_map(|o| o.external_order_number.clone()).collect();
        Some(RequestSpec {
            body: Some(serde_json::to_string(&rest).ok()?),
            resend: ResendSafety::LookupFirst(keys),
            items: rest.orders.len(),
            ..sent.clone()
        })
    }

    fn merge_found(&self, sent: &RequestSpec, found: &[Found], body: Option<&[u8]>) -> Vec<u8> {
        let sent_orders = created_request(sent).map(|r| r.orders).unwrap_or_default();
        let mut answered = body
            .and_then(|b| json::from_slice::<OrdersCreateResponse>(b).ok())
            .map(|r| r.orders)
            .unwrap_or_default()
            .into_iter();
        let orders = sent_orders
            .iter()
            .map(|o| {
                let ext = o.external_order_number.clone();
                match found.iter().find(|f| Some(&f.key) == ext.as_ref()) {
                    Some(f) => OrderCreated {
                        external_order_number: ext,
                        order_number: Some(f.id.clone()),
                        order_url: None,
                        created_yn: Some(true),
                        messages: vec![ApiMessage::new(
                            MessageLevel::Info,
                            "created by an earlier attempt whose answer was lost; found by its external order number",
                        )],
                    },
                    None => answered.next().unwrap_or_else(|| OrderCreated {
                        external_order_number: ext,
                        created_yn: Some(false),
                        messages: vec![ApiMessage::new(
                            MessageLevel::Error,
                            "the API response had no result for this order; treat it as not created",
                        )],
                        ..OrderCreated::default()
                    }),
                }
            })
            .collect();
        let merged = OrdersCreateResponse { orders, messages: Vec::new() };
        serde_json::to_vec(&merged).unwrap_or_default()
    }
}

fn created_request(sent: &RequestSpec) -> Option<OrderCreateRequest> {
    json::from_str(sent.body.as_deref()?).ok()
}

impl ItemOutcomeLike for ItemOutcome {
    fn failed(index: usize, key: Option<String>, message: String, code: &'static str) -> Self {
        ItemOutcome {
            index,
            key,
            ok: false,
            messages: vec![ApiMessage::new(MessageLevel::Error, message)],
            error: Some(code.to_owned()),
        }
    }
    fn is_ok(&self) -> bool {
        self.ok
    }
    fn index(&self) -> usize {
        self.index
    }
}

fn reconcile_list<T, R: ItemResult>(
    keys: &[Option<String>],
    body: &[u8],
    offset: usize,
    items: impl FnOnce(T) -> Vec<R>,
) -> Result<Vec<ItemOutcome>, ApiError>
where
    T: serde::de::DeserializeOwned,
{
    let answer: T = json::from_slice(body).map_err(ApiError::Decode)?;
    Ok(reconcile(keys, &items(answer), offset))
}

/// Each order's outcome of a `POST /orders` answer.
///
/// # Errors
/// [`ApiError::Decode`] when the body is not a create answer.
pub fn orders_created(
    keys: &[Option<String>],
    body: &[u8],
    offset: usize,
) -> Result<Vec<ItemOutcome>, ApiError> {
    reconcile_list(keys, body, offset, |r: OrdersCreateResponse| r.orders)
}

/// Each order's outcome of a `PUT /orders` answer.
///
/// # Errors
/// [`ApiError::Decode`] when the body is not an update answer.
pub fn orders_updated(
    keys: &[Option<String>],
    body: &[u8],
    offset: usize,
) -> Result<Vec<ItemOutcome>, ApiError> {
    reconcile_list(keys, body, offset, |r: OrdersUpdateResponse| r.orders)
}

/// Each customer's outcome of a `POST /customers` answer.
///
/// # Errors
/// [`ApiError::Decode`] when the body is not a create answer.
pub fn customers_created(
    keys: &[Option<String>],
    body: &[u8],
    offset: usize,
) -> Result<Vec<ItemOutcome>, ApiError> {
    reconcile_list(keys, body, offset, |r: CustomersCreateResponse| r.customers)
}

/// Each customer's outcome of a `PUT /customers` answer.
///
/// # Errors
/// [`ApiError::Decode`] when the body is not an update answer.
pub fn customers_updated(
    keys: &[Option<String>],
    body: &[u8],
    offset: usize,
) -> Result<Vec<ItemOutcome>, ApiError> {
    reconcile_list(keys, body, offset, |r: CustomersUpdateResponse| r.customers)
}
