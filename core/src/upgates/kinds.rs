//! Every document shape shopflow can read, by name, for the command line and the npm package.
//!
//! `shopflow parse KIND` reads a document of a kind and prints it normalized (booleans as
//! booleans, numbers as numbers, dates padded, both shapes of a quirk in one); `shopflow
//! validate KIND` runs the pre-send checks. This registry is the single list of kinds.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::json::{self, JsonError};
use crate::upgates::api_status::ApiStatus;
use crate::upgates::customer::{
    CustomerList, CustomerWriteMode, CustomersCreateResponse, CustomersDeleteResponse,
    CustomersUpdateResponse, CustomersWriteRequest,
};
use crate::upgates::legacy::{LegacyUpdateRequest, LegacyUpdateResponse};
use crate::upgates::order::{
    HistoryAddRequest, HistoryAddResponse, Order, OrderCreateRequest, OrderDeleteQuery,
    OrderHistory, OrderList, OrderListQuery, OrderUpdateRequest, OrdersCreateResponse,
    OrdersDeleteResponse, OrdersUpdateResponse,
};
use crate::upgates::order_status::{OrderStatusList, OrderStatusWrite, OrderStatusWriteResponse};
use crate::upgates::webhook::{
    WebhookCreate, WebhookDeleteResponse, WebhookError, WebhookEvent, WebhookEventList,
    WebhookList, WebhookResponse, WebhookUpdate, parse_webhook,
};
use crate::validation::{Problem, Validate};

pub use crate::kinds::UnknownKind;
use crate::kinds::{kinds, problems_of};

kinds! {
    /// Documents `shopflow parse` reads.
    ParseKind {
        OrderList = "order-list": "a page of GET /orders",
        OrderDetail = "order-detail": "GET /orders/{order_number}: {\"orders\": [...]}, {\"order\": {...}} or a bare order",
        OrderListQuery = "order-list-query": "GET /orders filters as JSON",
        OrderCreateRequest = "order-create-request": "a POST /orders body",
        OrderCreateResponse = "order-create-response": "the answer to POST /orders",
        OrderUpdateRequest = "order-update-request": "a PUT /orders body",
        OrderUpdateResponse = "order-update-response": "the answer to PUT /orders",
        OrderDeleteQuery = "order-delete-query": "DELETE /orders parameters as JSON ({\"order_numbers\": [...]})",
        OrderDeleteResponse = "order-delete-response": "the answer to DELETE /orders",
        OrderHistoryList = "order-history-list": "GET /orders/{order_number}/history",
        OrderHistoryCreateRequest = "order-history-create-request": "a POST /orders/{order_number}/history body",
        OrderHistoryCreateResponse = "order-history-create-response": "the answer to POST /orders/{order_number}/history",
        OrderStatusList = "order-status-list": "GET /order-statuses, or the retired GET /orders/states",
        OrderStatusCreateRequest = "order-status-create-request": "a POST /order-statuses body",
        OrderStatusCreateResponse = "order-status-create-response": "the answer to POST /order-statuses",
        OrderStatusUpdateRequest = "order-status-update-request": "a PUT /order-statuses body",
        OrderStatusUpdateResponse = "order-status-update-response": "the answer to PUT /order-statuses",
        OrderStatusDeleteResponse = "order-status-delete-response": "the answer to DELETE /order-statuses",
        CustomerList = "customer-list": "a page of GET /customers",
        CustomerCreateRequest = "customer-create-request": "a POST /customers body",
        CustomerCreateResponse = "customer-create-response": "the answer to POST /customers",
        CustomerUpdateRequest = "customer-update-request": "a PUT /customers body",
        CustomerUpdateResponse = "customer-update-response": "the answer to PUT /customers",
        CustomerDeleteResponse = "customer-delete-response": "the answer to DELETE /customers",
        WebhookBatch = "webhook-batch": "a webhook call's body (give --event, or it is inferred)",
        WebhookList = "webhook-list": "GET /webhooks",
        WebhookCreateRequest = "webhook-create-request": "a POST /webhooks body",
        WebhookCreateResponse = "webhook-create-response": "the answer to POST /webhooks",
        WebhookUpdateRequest = "webhook-update-request": "a PUT /webhooks body",
        WebhookUpdateResponse = "webhook-update-response": "the answer to PUT /webhooks",
        WebhookDeleteResponse = "webhook-delete-response": "the answer to DELETE /webhooks",
        WebhookEventList = "webhook-event-list": "GET /webhooks/events",
        ApiStatus = "api-status": "GET /status",
        LegacyUpdateRequest = "legacy-update-request": "a legacy POST /api/orders/state/update body",
        LegacyUpdateResponse = "legacy-update-response": "the legacy API's answer ({\"success\": true} or a list of errors)",
    }
    aliases {
        "orders-create-response" => OrderCreateResponse,
        "orders-update-response" => OrderUpdateResponse,
        "orders-delete-response" => OrderDeleteResponse,
        "order-history" => OrderHistoryList,
        "order-history-request" => OrderHistoryCreateRequest,
        "order-history-response" => OrderHistoryCreateResponse,
        "order-statuses" => OrderStatusList,
        "order-status-request" => OrderStatusCreateRequest,
        "order-status-response" => OrderStatusCreateResponse,
        "customers-create-response" => CustomerCreateResponse,
        "customers-update-response" => CustomerUpdateResponse,
        "customers-delete-response" => CustomerDeleteResponse,
        "webhook" => WebhookBatch,
        "webhook-response" => WebhookCreateResponse,
        "webhook-events" => WebhookEventList,
    }
}

kinds! {
    /// Documents `shopflow validate` checks.
    ValidateKind {
        OrderListQuery = "order-list-query": "GET /orders filters as JSON",
        OrderCreateRequest = "order-create-request": "a POST /orders body",
        OrderUpdateRequest = "order-update-request": "a PUT /orders body",
        OrderDeleteQuery = "order-delete-query": "DELETE /orders parameters as JSON",
        OrderHistoryCreateRequest = "order-history-create-request": "a POST /orders/{order_number}/history body",
        OrderStatusCreateRequest = "order-status-create-request": "a POST /order-statuses body",
        OrderStatusUpdateRequest = "order-status-update-request": "a PUT /order-statuses body",
        CustomerCreateRequest = "customer-create-request": "a POST /customers body",
        CustomerUpdateRequest = "customer-update-request": "a PUT /customers body",
        WebhookCreateRequest = "webhook-create-request": "a POST /webhooks body",
        WebhookUpdateRequest = "webhook-update-request": "a PUT /webhooks body",
        LegacyUpdateRequest = "legacy-update-request": "a legacy POST /api/orders/state/update body",
    }
    aliases {
        "order-history-request" => OrderHistoryCreateRequest,
        "order-status-request" => OrderStatusCreateRequest,
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Not JSON, or not this kind's shape.
    #[error("{0}")]
    Json(JsonError),
    /// A webhook body that does not fit its event.
    #[error("{0}")]
    Webhook(WebhookError),
}

impl ParseError {
    /// The JSON location, when the error has one.
    #[must_use]
    pub fn location(&self) -> Option<&JsonError> {
        match self {
            ParseError::Json(j) | ParseError::Webhook(WebhookError::Json(j)) => Some(j),
            ParseError::Webhook(_) => None,
        }
    }
}

/// One kind's reading and writing, a function of its own for each kind: inlined, every
/// kind's code became one function in the npm package's module (`parse`, 93 KB), which
/// V8 compiles whole on its first call: 10 ms of a cold first parse of one order.
#[inline(never)]
fn normalized<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<String, ParseError> {
    let typed: T = json::from_slice(bytes).map_err(ParseError::Json)?;
    to_text(&typed)
}

fn to_text<T: Serialize>(value: &T) -> Result<String, ParseError> {
    // ASCII: the text goes to JavaScript, which decodes it faster (see ascii_json).
    crate::ascii_json::to_string(value)
        .map_err(|e| ParseError::Json(JsonError::whole(".", e.to_string())))
}

/// Reads a document of `kind` and returns it normalized, with secrets (API keys, passwords,
/// credentials in webhook URLs) redacted: the output is for people and logs, not for
/// sending. `event` is the configured webhook event, for [`ParseKind::WebhookBatch`] only.
///
/// # Errors
/// [`ParseError`] naming the JSON path and line:column of the first problem.
pub fn parse(
    kind: ParseKind,
    bytes: &[u8],
    event: Option<&WebhookEvent>,
) -> Result<serde_json::Value, ParseError> {
    let text = parse_unredacted(kind, bytes, event)?;
    let mut value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ParseError::Json(JsonError::whole(".", e.to_string())))?;
    crate::secret::redact_json(&mut value);
    Ok(value)
}

/// Like [`parse`], without redaction: for programs that need the values themselves (a
/// client reading back its own webhook URLs), never for output a person or a log sees.
///
/// # Errors
/// [`ParseError`] naming the JSON path and line:column of the first problem.
pub fn parse_unredacted(
    kind: ParseKind,
    bytes: &[u8],
    event: Option<&WebhookEvent>,
) -> Result<String, ParseError> {
    match kind {
        ParseKind::OrderList => normalized::<OrderList>(bytes),
        ParseKind::OrderDetail => {
            #[derive(Serialize)]
            #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
            struct Detail {
                orders: Vec<Order>,
            }
            to_text(&Detail { orders: parse_order_detail(bytes).map_err(ParseError::Json)? })
        }
        ParseKind::OrderCreateRequest => normalized::<OrderCreateRequest>(bytes),
        ParseKind::OrderUpdateRequest => normalized::<OrderUpdateRequest>(bytes),
        ParseKind::OrderDeleteQuery => normalized::<OrderDeleteQuery>(bytes),
        ParseKind::OrderListQuery => normalized::<OrderListQuery>(bytes),
        ParseKind::OrderCreateResponse => normalized::<OrdersCreateResponse>(bytes),
        ParseKind::OrderUpdateResponse => normalized::<OrdersUpdateResponse>(bytes),
        ParseKind::OrderDeleteResponse => normalized::<OrdersDeleteResponse>(bytes),
        ParseKind::OrderHistoryList => normalized::<OrderHistory>(bytes),
        ParseKind::OrderHistoryCreateRequest => normalized::<HistoryAddRequest>(bytes),
        ParseKind::OrderHistoryCreateResponse => normalized::<HistoryAddResponse>(bytes),
        ParseKind::OrderStatusList => normalized::<OrderStatusList>(bytes),
        ParseKind::OrderStatusCreateRequest | ParseKind::OrderStatusUpdateRequest => {
            normalized::<OrderStatusWrite>(bytes)
        }
        ParseKind::OrderStatusCreateResponse
        | ParseKind::OrderStatusUpdateResponse
        | ParseKind::OrderStatusDeleteResponse => normalized::<OrderStatusWriteResponse>(bytes),
        ParseKind::CustomerList => normalized::<CustomerList>(bytes),
        ParseKind::CustomerCreateRequest | ParseKind::CustomerUpdateRequest => {
            normalized::<CustomersWriteRequest>(bytes)
        }
        ParseKind::CustomerCreateResponse => normalized::<CustomersCreateResponse>(bytes),
        ParseKind::CustomerUpdateResponse => normalized::<CustomersUpdateResponse>(bytes),
        ParseKind::CustomerDeleteResponse => normalized::<CustomersDeleteResponse>(bytes),
        ParseKind::WebhookBatch => {
            to_text(&parse_webhook(bytes, event).map_err(ParseError::Webhook)?)
        }
        ParseKind::WebhookCreateRequest => normalized::<WebhookCreate>(bytes),
        ParseKind::WebhookUpdateRequest => normalized::<WebhookUpdate>(bytes),
        ParseKind::WebhookCreateResponse | ParseKind::WebhookUpdateResponse => {
            normalized::<WebhookResponse>(bytes)
        }
        ParseKind::WebhookDeleteResponse => normalized::<WebhookDeleteResponse>(bytes),
        ParseKind::WebhookList => normalized::<WebhookList>(bytes),
        ParseKind::WebhookEventList => normalized::<WebhookEventList>(bytes),
        ParseKind::ApiStatus => normalized::<ApiStatus>(bytes),
        ParseKind::LegacyUpdateRequest => normalized::<LegacyUpdateRequest>(bytes),
        ParseKind::LegacyUpdateResponse => normalized::<LegacyUpdateResponse>(bytes),
    }
}

/// Reads a document of `kind` and returns every problem that would stop it being sent.
///
/// # Errors
/// [`JsonError`] when the document cannot be read at all.
pub fn validate(kind: ValidateKind, bytes: &[u8]) -> Result<Vec<Problem>, JsonError> {
    match kind {
        ValidateKind::OrderCreateRequest => problems_of::<OrderCreateRequest>(bytes),
        ValidateKind::OrderUpdateRequest => problems_of::<OrderUpdateRequest>(bytes),
        ValidateKind::OrderDeleteQuery => problems_of::<OrderDeleteQuery>(bytes),
        ValidateKind::OrderListQuery => problems_of::<OrderListQuery>(bytes),
        ValidateKind::OrderHistoryCreateRequest => problems_of::<HistoryAddRequest>(bytes),
        ValidateKind::OrderStatusCreateRequest | ValidateKind::OrderStatusUpdateRequest => {
            problems_of::<OrderStatusWrite>(bytes)
        }
        ValidateKind::CustomerCreateRequest | ValidateKind::CustomerUpdateRequest => {
            let mut req: CustomersWriteRequest = json::from_slice(bytes)?;
            req.mode = if kind == ValidateKind::CustomerCreateRequest {
                CustomerWriteMode::Create
            } else {
                CustomerWriteMode::Update
            };
            let mut out = Vec::new();
            req.collect_problems(&mut out);
            Ok(out)
        }
        ValidateKind::WebhookCreateRequest => problems_of::<WebhookCreate>(bytes),
        ValidateKind::WebhookUpdateRequest => problems_of::<WebhookUpdate>(bytes),
        ValidateKind::LegacyUpdateRequest => problems_of::<LegacyUpdateRequest>(bytes),
    }
}

/// Reads `GET /orders/{order_number}`, which has been seen as a one-item list envelope (with
/// or without paging fields) and described as a single object; all three are accepted.
///
/// # Errors
/// [`JsonError`] with the location of the first problem.
pub fn parse_order_detail(bytes: &[u8]) -> Result<Vec<Order>, JsonError> {
    #[derive(serde::Deserialize)]
    struct Single {
        order: Order,
    }
    let shape: serde_json::Value = json::from_slice(bytes)?;
    if shape.get("orders").is_some() {
        Ok(json::from_slice::<OrderList>(bytes)?.orders)
    } else if shape.get("order").is_some() {
        Ok(vec![json::from_slice::<Single>(bytes)?.order])
    } else {
        Ok(vec![json::from_slice::<Order>(bytes)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_unique_name_that_parses_back() {
        let mut names = std::collections::HashSet::new();
        for k in ParseKind::ALL {
            assert!(names.insert(k.name()));
            assert_eq!(k.name().parse::<ParseKind>().unwrap(), *k);
        }
        for k in ValidateKind::ALL {
            assert_eq!(k.name().parse::<ValidateKind>().unwrap(), *k);
            assert!(
                k.name().parse::<ParseKind>().is_ok(),
                "validate kinds are parse kinds too: {}",
                k.name()
            );
        }
        let e = "orders".parse::<ParseKind>().unwrap_err();
        assert!(e.to_string().contains("order-list"));
        assert!(!e.to_string().contains("orders-create-response"), "aliases are not listed");
    }

    #[test]
    fn names_follow_one_rule_and_old_names_still_read() {
        // Singular resources: no kind's first word is a plural.
        for k in ParseKind::ALL {
            let first = k.name().split('-').next().unwrap_or_default();
            assert!(!first.ends_with('s') || first == "status", "{}", k.name());
        }
        for (old, new) in ParseKind::ALIASES {
            assert!(!ParseKind::ALL.iter().any(|k| k.name() == *old), "{old} is listed");
            assert_eq!(old.parse::<ParseKind>().unwrap(), *new);
        }
        for (old, new) in ValidateKind::ALIASES {
            assert_eq!(old.parse::<ValidateKind>().unwrap(), *new);
            assert_eq!(old.parse::<ParseKind>().unwrap().name(), new.name());
        }
        assert_eq!(
            "orders-update-response".parse::<ParseKind>().unwrap(),
            ParseKind::OrderUpdateResponse
        );
        assert_eq!("webhook".parse::<ParseKind>().unwrap(), ParseKind::WebhookBatch);
    }

    #[test]
    fn secrets_are_redacted_in_output() {
        let legacy = parse(
            ParseKind::LegacyUpdateRequest,
            br#"{"apiKey":"0123456789","orders":[{"order_number":"1"}]}"#,
            None,
        )
        .unwrap();
        assert_eq!(legacy["apiKey"], "[redacted]");
        let c = parse(
            ParseKind::CustomerCreateRequest,
            br#"{"customers":[{"login":{"email":"a@b.cz","password":"pw1"}}]}"#,
            None,
        )
        .unwrap();
        assert_eq!(c["customers"][0]["login"]["password"], "[redacted]");
        let w = parse(ParseKind::WebhookList, br#"{"webhooks":[{"id":1,"url":"https://u:pw@h.example/x?token=t","event":"Orders.create"}]}"#, None).unwrap();
        assert_eq!(w["webhooks"][0]["url"], "https://***@h.example/x?***");
    }

    #[test]
    fn order_detail_in_three_shapes() {
        for body in [
            r#"{"orders":[{"order_number":"1"}]}"#,
            r#"{"order":{"order_number":"1"}}"#,
            r#"{"order_number":"1"}"#,
        ] {
            assert_eq!(parse_order_detail(body.as_bytes()).unwrap()[0].order_number, "1");
        }
        assert!(parse_order_detail(br#"{"foo": 1}"#).is_err());
    }

    #[test]
    fn customer_validation_uses_the_kind_for_its_mode() {
        let body = br#"{"customers":[{"login":{"email":"a@b.cz"}}]}"#;
        assert_eq!(validate(ValidateKind::CustomerCreateRequest, body).unwrap().len(), 2);
        assert!(validate(ValidateKind::CustomerUpdateRequest, body).unwrap().is_empty());
    }
}
