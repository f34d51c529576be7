//! The Retailys documents shopflow can read, by name (`retailys-…`, so one vocabulary serves
//! the command line beside the Upgates kinds): `shopflow parse retailys-order-list` prints one
//! normalized, `shopflow validate retailys-order-post-request` runs a body's pre-send checks.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::json::{self, JsonError};
use crate::kinds::{kinds, problems_of};
use crate::retailys::events::{EventModel, EventPostRequest, EventPutRequest, EventsModel};
use crate::retailys::lookups::{MeModel, ShippersModel};
use crate::retailys::order::{ErrorModel, IdModel, OrderModel, OrdersModel};
use crate::retailys::requests::{
    HistoryPostRequest, OrderItemRequest, OrderPaidPatchRequest, OrderPostRequest, OrderPutRequest,
    OrderStatusPatchRequest, TrackingPostRequest,
};
use crate::retailys::status::OrderStatusesModel;
use crate::validation::Problem;

kinds! {
    /// Retailys documents `shopflow parse` reads.
    ParseKind {
        OrderList = "retailys-order-list": "a page of GET /System/Orders",
        Order = "retailys-order": "GET /System/Orders/{id}, or the order a PATCH answers with",
        OrderStatuses = "retailys-order-statuses": "GET /System/Orders/Statuses",
        OrderPostRequest = "retailys-order-post-request": "a POST /System/Orders body",
        OrderPutRequest = "retailys-order-put-request": "a PUT /System/Orders body",
        OrderItemRequest = "retailys-order-item-request": "a POST or PUT /System/Orders/{id}/item body (unverified fields)",
        OrderStatusRequest = "retailys-order-status-request": "a PATCH /System/Orders/{id}/status body",
        OrderPaidRequest = "retailys-order-paid-request": "a PATCH /System/Orders/{id}/paid body",
        TrackingRequest = "retailys-tracking-request": "a POST /System/Orders/{id}/tracking body",
        HistoryRequest = "retailys-history-request": "a POST /System/Orders/{id}/history body",
        Events = "retailys-events": "GET /System/Events",
        Event = "retailys-event": "GET /System/Events/{id}",
        EventPostRequest = "retailys-event-post-request": "a POST /System/Events body",
        EventPutRequest = "retailys-event-put-request": "a PUT /System/Events body",
        Id = "retailys-id": "the {\"id\": ...} answer of a create or update",
        Error = "retailys-error": "an error answer ({\"message\", \"detail\"})",
        Me = "retailys-me": "GET /System/Me",
        Shippers = "retailys-shippers": "GET /System/Lists/Shippers",
    }
}

kinds! {
    /// Retailys request bodies `shopflow validate` checks.
    ValidateKind {
        OrderPostRequest = "retailys-order-post-request": "a POST /System/Orders body",
        OrderPutRequest = "retailys-order-put-request": "a PUT /System/Orders body",
        OrderItemPostRequest = "retailys-order-item-post-request": "a POST /System/Orders/{id}/item body",
        OrderItemPutRequest = "retailys-order-item-put-request": "a PUT /System/Orders/{id}/item body (needs the item id)",
        OrderStatusRequest = "retailys-order-status-request": "a PATCH /System/Orders/{id}/status body",
        OrderPaidRequest = "retailys-order-paid-request": "a PATCH /System/Orders/{id}/paid body",
        TrackingRequest = "retailys-tracking-request": "a POST /System/Orders/{id}/tracking body",
        HistoryRequest = "retailys-history-request": "a POST /System/Orders/{id}/history body",
        EventPostRequest = "retailys-event-post-request": "a POST /System/Events body",
        EventPutRequest = "retailys-event-put-request": "a PUT /System/Events body",
    }
}

fn normalized<T: DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, JsonError> {
    let typed: T = json::from_slice(bytes)?;
    serde_json::to_value(&typed).map_err(|e| JsonError::whole(".", e.to_string()))
}

/// Reads a document of `kind` and returns it normalized, with secrets (credentials and
/// secret query values in callback paths) redacted.
///
/// # Errors
/// [`JsonError`] naming the JSON path and line:column of the first value that does not fit.
pub fn parse(kind: ParseKind, bytes: &[u8]) -> Result<serde_json::Value, JsonError> {
    let mut value = match kind {
        ParseKind::OrderList => normalized::<OrdersModel>(bytes),
        ParseKind::Order => normalized::<OrderModel>(bytes),
        ParseKind::OrderStatuses => normalized::<OrderStatusesModel>(bytes),
        ParseKind::OrderPostRequest => normalized::<OrderPostRequest>(bytes),
        ParseKind::OrderPutRequest => normalized::<OrderPutRequest>(bytes),
        ParseKind::OrderItemRequest => normalized::<OrderItemRequest>(bytes),
        ParseKind::OrderStatusRequest => normalized::<OrderStatusPatchRequest>(bytes),
        ParseKind::OrderPaidRequest => normalized::<OrderPaidPatchRequest>(bytes),
        ParseKind::TrackingRequest => normalized::<TrackingPostRequest>(bytes),
        ParseKind::HistoryRequest => normalized::<HistoryPostRequest>(bytes),
        ParseKind::Events => normalized::<EventsModel>(bytes),
        ParseKind::Event => normalized::<EventModel>(bytes),
        ParseKind::EventPostRequest => normalized::<EventPostRequest>(bytes),
        ParseKind::EventPutRequest => normalized::<EventPutRequest>(bytes),
        ParseKind::Id => normalized::<IdModel>(bytes),
        ParseKind::Error => normalized::<ErrorModel>(bytes),
        ParseKind::Me => normalized::<MeModel>(bytes),
        ParseKind::Shippers => normalized::<ShippersModel>(bytes),
    }?;
    crate::secret::redact_json(&mut value);
    Ok(value)
}

/// Reads a request body of `kind` and returns every problem that would stop it being sent.
///
/// # Errors
/// [`JsonError`] when the document cannot be read at all.
pub fn validate(kind: ValidateKind, bytes: &[u8]) -> Result<Vec<Problem>, JsonError> {
    match kind {
        ValidateKind::OrderPostRequest => problems_of::<OrderPostRequest>(bytes),
        ValidateKind::OrderPutRequest => problems_of::<OrderPutRequest>(bytes),
        ValidateKind::OrderItemPostRequest => problems_of::<OrderItemRequest>(bytes),
        ValidateKind::OrderItemPutRequest => {
            let item: OrderItemRequest = json::from_slice(bytes)?;
            Ok(item.put_problems())
        }
        ValidateKind::OrderStatusRequest => problems_of::<OrderStatusPatchRequest>(bytes),
        ValidateKind::OrderPaidRequest => problems_of::<OrderPaidPatchRequest>(bytes),
        ValidateKind::TrackingRequest => problems_of::<TrackingPostRequest>(bytes),
        ValidateKind::HistoryRequest => problems_of::<HistoryPostRequest>(bytes),
        ValidateKind::EventPostRequest => problems_of::<EventPostRequest>(bytes),
        ValidateKind::EventPutRequest => problems_of::<EventPutRequest>(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../fixtures/retailys/{name}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
    }

    #[test]
    fn every_kind_has_a_name_that_reads_back() {
        for k in ParseKind::ALL {
            assert_eq!(k.name().parse::<ParseKind>().unwrap(), *k);
        }
        for k in ValidateKind::ALL {
            assert_eq!(k.name().parse::<ValidateKind>().unwrap(), *k);
        }
    }

    #[test]
    fn documents_parse_and_bad_input_is_located() {
        let list = parse(ParseKind::OrderList, &fixture("order-list.json")).unwrap();
        assert!(list["orders"].as_array().is_some_and(|o| o.len() == 2), "{list}");
        let e = parse(ParseKind::OrderList, b"{\"orders\": [{\"id\": \"x\"}]}").unwrap_err();
        assert_eq!(e.path, "orders[0].id");
        assert!(e.line > 0);
    }
}
