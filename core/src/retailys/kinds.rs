//! The Retailys documents shopflow can read, by name (`retailys-…`, so one vocabulary serves
//! the command line beside the Upgates kinds): `shopflow parse retailys-order-list` prints one
//! normalized, `shopflow validate retailys-order-create-request` runs a body's pre-send checks.

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
        OrderDetail = "retailys-order-detail": "GET /System/Orders/{id}, or the order a PATCH answers with",
        OrderCreateRequest = "retailys-order-create-request": "a POST /System/Orders body",
        OrderUpdateRequest = "retailys-order-update-request": "a PUT /System/Orders body",
        OrderItemCreateRequest = "retailys-order-item-create-request": "a POST /System/Orders/{id}/item body (unverified fields)",
        OrderItemUpdateRequest = "retailys-order-item-update-request": "a PUT /System/Orders/{id}/item body (unverified fields)",
        OrderStatusUpdateRequest = "retailys-order-status-update-request": "a PATCH /System/Orders/{id}/status body",
        OrderPaidUpdateRequest = "retailys-order-paid-update-request": "a PATCH /System/Orders/{id}/paid body",
        OrderTrackingCreateRequest = "retailys-order-tracking-create-request": "a POST /System/Orders/{id}/tracking body",
        OrderHistoryCreateRequest = "retailys-order-history-create-request": "a POST /System/Orders/{id}/history body",
        OrderStatusList = "retailys-order-status-list": "GET /System/Orders/Statuses",
        EventList = "retailys-event-list": "GET /System/Events",
        EventDetail = "retailys-event-detail": "GET /System/Events/{id}",
        EventCreateRequest = "retailys-event-create-request": "a POST /System/Events body",
        EventUpdateRequest = "retailys-event-update-request": "a PUT /System/Events body",
        ShipperList = "retailys-shipper-list": "GET /System/Lists/Shippers",
        Me = "retailys-me": "GET /System/Me",
        Id = "retailys-id": "the {\"id\": ...} answer of a create or update",
        Error = "retailys-error": "an error answer ({\"message\", \"detail\"})",
    }
    aliases {
        "retailys-order" => OrderDetail,
        "retailys-order-statuses" => OrderStatusList,
        "retailys-order-post-request" => OrderCreateRequest,
        "retailys-order-put-request" => OrderUpdateRequest,
        "retailys-order-item-request" => OrderItemCreateRequest,
        "retailys-order-status-request" => OrderStatusUpdateRequest,
        "retailys-order-paid-request" => OrderPaidUpdateRequest,
        "retailys-tracking-request" => OrderTrackingCreateRequest,
        "retailys-history-request" => OrderHistoryCreateRequest,
        "retailys-events" => EventList,
        "retailys-event" => EventDetail,
        "retailys-event-post-request" => EventCreateRequest,
        "retailys-event-put-request" => EventUpdateRequest,
        "retailys-shippers" => ShipperList,
    }
}

kinds! {
    /// Retailys request bodies `shopflow validate` checks.
    ValidateKind {
        OrderCreateRequest = "retailys-order-create-request": "a POST /System/Orders body",
        OrderUpdateRequest = "retailys-order-update-request": "a PUT /System/Orders body",
        OrderItemCreateRequest = "retailys-order-item-create-request": "a POST /System/Orders/{id}/item body",
        OrderItemUpdateRequest = "retailys-order-item-update-request": "a PUT /System/Orders/{id}/item body (needs the item id)",
        OrderStatusUpdateRequest = "retailys-order-status-update-request": "a PATCH /System/Orders/{id}/status body",
        OrderPaidUpdateRequest = "retailys-order-paid-update-request": "a PATCH /System/Orders/{id}/paid body",
        OrderTrackingCreateRequest = "retailys-order-tracking-create-request": "a POST /System/Orders/{id}/tracking body",
        OrderHistoryCreateRequest = "retailys-order-history-create-request": "a POST /System/Orders/{id}/history body",
        EventCreateRequest = "retailys-event-create-request": "a POST /System/Events body",
        EventUpdateRequest = "retailys-event-update-request": "a PUT /System/Events body",
    }
    aliases {
        "retailys-order-post-request" => OrderCreateRequest,
        "retailys-order-put-request" => OrderUpdateRequest,
        "retailys-order-item-post-request" => OrderItemCreateRequest,
        "retailys-order-item-put-request" => OrderItemUpdateRequest,
        "retailys-order-status-request" => OrderStatusUpdateRequest,
        "retailys-order-paid-request" => OrderPaidUpdateRequest,
        "retailys-tracking-request" => OrderTrackingCreateRequest,
        "retailys-history-request" => OrderHistoryCreateRequest,
        "retailys-event-post-request" => EventCreateRequest,
        "retailys-event-put-request" => EventUpdateRequest,
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
        ParseKind::OrderDetail => normalized::<OrderModel>(bytes),
        ParseKind::OrderStatusList => normalized::<OrderStatusesModel>(bytes),
        ParseKind::OrderCreateRequest => normalized::<OrderPostRequest>(bytes),
        ParseKind::OrderUpdateRequest => normalized::<OrderPutRequest>(bytes),
        ParseKind::OrderItemCreateRequest | ParseKind::OrderItemUpdateRequest => {
            normalized::<OrderItemRequest>(bytes)
        }
        ParseKind::OrderStatusUpdateRequest => normalized::<OrderStatusPatchRequest>(bytes),
        ParseKind::OrderPaidUpdateRequest => normalized::<OrderPaidPatchRequest>(bytes),
        ParseKind::OrderTrackingCreateRequest => normalized::<TrackingPostRequest>(bytes),
        ParseKind::OrderHistoryCreateRequest => normalized::<HistoryPostRequest>(bytes),
        ParseKind::EventList => normalized::<EventsModel>(bytes),
        ParseKind::EventDetail => normalized::<EventModel>(bytes),
        ParseKind::EventCreateRequest => normalized::<EventPostRequest>(bytes),
        ParseKind::EventUpdateRequest => normalized::<EventPutRequest>(bytes),
        ParseKind::Id => normalized::<IdModel>(bytes),
        ParseKind::Error => normalized::<ErrorModel>(bytes),
        ParseKind::Me => normalized::<MeModel>(bytes),
        ParseKind::ShipperList => normalized::<ShippersModel>(bytes),
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
        ValidateKind::OrderCreateRequest => problems_of::<OrderPostRequest>(bytes),
        ValidateKind::OrderUpdateRequest => problems_of::<OrderPutRequest>(bytes),
        ValidateKind::OrderItemCreateRequest => problems_of::<OrderItemRequest>(bytes),
        ValidateKind::OrderItemUpdateRequest => {
            let item: OrderItemRequest = json::from_slice(bytes)?;
            Ok(item.put_problems())
        }
        ValidateKind::OrderStatusUpdateRequest => problems_of::<OrderStatusPatchRequest>(bytes),
        ValidateKind::OrderPaidUpdateRequest => problems_of::<OrderPaidPatchRequest>(bytes),
        ValidateKind::OrderTrackingCreateRequest => problems_of::<TrackingPostRequest>(bytes),
        ValidateKind::OrderHistoryCreateRequest => problems_of::<HistoryPostRequest>(bytes),
        ValidateKind::EventCreateRequest => problems_of::<EventPostRequest>(bytes),
        ValidateKind::EventUpdateRequest => problems_of::<EventPutRequest>(bytes),
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
            assert!(k.name().parse::<ParseKind>().is_ok(), "{} is a parse kind too", k.name());
        }
        for (old, new) in ParseKind::ALIASES {
            assert_eq!(old.parse::<ParseKind>().unwrap(), *new);
        }
        for (old, new) in ValidateKind::ALIASES {
            assert_eq!(old.parse::<ValidateKind>().unwrap(), *new);
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
