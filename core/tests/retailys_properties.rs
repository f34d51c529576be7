//! Properties of the Retailys models over generated input: whatever the API may send in any
//! of its spellings reads into a model that writes out and reads back equal, and no input,
//! however broken, panics a parser or a validator.

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use shopflow_core::retailys::events::{
    CallbackParams, EventModel, EventPostRequest, EventPutRequest, EventsModel,
};
use shopflow_core::retailys::expandable::Expandable;
use shopflow_core::retailys::lookups::{
    MeModel, PaymentsModel, PaymentsProvidersModel, ShippersModel, ShippingsModel,
};
use shopflow_core::retailys::order::{ErrorModel, IdModel, OrderModel, OrdersModel, ShippingModel};
use shopflow_core::retailys::paginator::PaginatorModel;
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderItemRequest, OrderPaidPatchRequest, OrderPostRequest, OrderPutRequest,
    OrderStatusPatchRequest, TrackingPostRequest,
};
use shopflow_core::retailys::status::OrderStatusesModel;
use shopflow_core::validation::Validate;
use shopflow_core::{Decimal, json};

fn any_id() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("")),
        (1i64..10_000_000).prop_map(Value::from),
        (1i64..10_000_000).prop_map(|n| json!(n.to_string()))
    ]
}

/// Money as a float or a numeric string, up to 3 places.
fn any_money() -> impl Strategy<Value = Value> {
    (-10_000_000i64..10_000_000, 0u32..=3, any::<bool>()).prop_map(|(m, scale, as_string)| {
        let d = Decimal::new(m, scale);
        if as_string { json!(d.to_string()) } else { serde_json::from_str(&d.to_string()).unwrap() }
    })
}

/// A date in a form §1.8 allows: offset, `Z` with a fraction, no offset, or none at all.
fn any_date() -> impl Strategy<Value = Value> {
    (2000i32..2040, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60, 0u32..60, 0u8..5).prop_map(
        |(y, mo, d, h, mi, s, form)| match form {
            0 => json!(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+01:00")),
            1 => json!(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.250Z")),
            2 => json!(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")),
            3 => json!(""),
            _ => Value::Null,
        },
    )
}

fn any_bool() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(true)),
        Just(json!(0)),
        Just(json!("1")),
        Just(json!("")),
        Just(Value::Null)
    ]
}

fn any_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("")),
        "[a-zA-Z0-9 čřžýáíé@.-]{1,16}".prop_map(Value::from)
    ]
}

/// A reference, or a full record built by `full`, or an empty shape.
fn expandable(full: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![
        (1i64..1000, "[a-z/]{0,12}").prop_map(|(id, link)| json!({"id": id, "api_link": link})),
        full,
        Just(Value::Null),
        Just(json!([])),
    ]
}

prop_compose! {
    fn any_shipping()(id in any_id(), name in any_text(), price in any_money(), shipper in expandable(Just(json!({"id": 3, "name": "PPL"}))),
                      payments in prop_oneof![Just(json!({"id": 8, "api_link": "x"})), Just(json!([{"id": 8, "name": "Karta", "price": 0}])), Just(Value::Null)],
                      time_from in any_id()) -> Value {
        json!({"id": id, "name": name, "price": price, "shipper": shipper, "payments": payments, "time_from": time_from, "unknown": [1]})
    }
}

prop_compose! {
    fn any_item()(id in any_id(), count in any_id(), name in any_text(), price in any_money(), vat in any_money(),
                  article in expandable(Just(json!({"id": 7, "default_name": "Hrnek", "state": "refurbished", "idents": [{"type": "EAN", "value": "859"}]})))) -> Value {
        json!({"id": id, "count": count, "name": name, "article": article, "price": {"final_price": price, "vat": vat, "currency": "CZK"}})
    }
}

prop_compose! {
    fn any_order()(id in any_id(), money in any_money(), paid in prop_oneof![any_money(), Just(Value::Null)], rate in any_money(),
                   date_order in any_date(), date_paid in any_date(), email in any_text(), zip in prop_oneof![any_text(), (10000u32..99999).prop_map(Value::from)],
                   sent in any_bool(), done in any_bool(), items in prop::collection::vec(any_item(), 0..3),
                   customer in expandable(Just(json!({"id": 5, "login": "jan", "newsletter": "1", "channel": {"channel": {"id": 1, "api_link": "x"}}}))),
                   channel in expandable(Just(json!({"id": 1, "type": "kiosk", "domain": {"id": 2, "api_link": "d"}, "default_store": {"id": 3, "name": "S"}}))),
                   shipping in expandable(any_shipping()),
                   trackings in prop::collection::vec((any_id(), any_text()), 0..3)) -> Value {
        json!({
            "id": id, "money": money, "paid": paid, "currency_rate": rate, "date_order": date_order, "date_paid": date_paid,
            "email": email, "zip": zip, "sent": sent, "done": done, "items": items, "customer": customer,
            "channel": channel, "shipping": shipping, "payment": {"id": 8, "provider": 2},
            "trackings": trackings.into_iter().map(|(s, n)| json!({"shipper_id": s, "tracking_number": n})).collect::<Vec<_>>(),
            "status_id": 4,
        })
    }
}

/// Reads, writes, reads again: the two reads are equal.
fn round_trips<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    v: &Value,
) -> Result<(), TestCaseError> {
    let parsed: T = json::from_slice(&serde_json::to_vec(v).unwrap())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let again: T = json::from_slice(&serde_json::to_vec(&parsed).unwrap())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(parsed, again);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn order_pages_round_trip(orders in prop::collection::vec(any_order(), 0..4), page in any_id(), pages in any_id()) {
        let body = json!({"paginator": {"page": page, "per_page": 10, "pages": pages, "total": "37"}, "orders": orders});
        round_trips::<OrdersModel>(&body)?;
        let list: OrdersModel = serde_json::from_value(body).unwrap();
        let n = list.orders.len();
        let p = list.into_page();
        prop_assert_eq!(p.items.len(), n);
        prop_assert!(p.current_page >= 1);
        if n == 0 { prop_assert!(p.next_page().is_none()); }
    }

    #[test]
    fn references_keep_their_shape(shipping in expandable(any_shipping())) {
        // Through a field: empty shapes are "none" only where a field may be missing.
        round_trips::<OrderModel>(&json!({"shipping": shipping.clone()}))?;
        let order: OrderModel = serde_json::from_value(json!({"shipping": shipping})).unwrap();
        if let Some(s) = &order.shipping {
            let text = serde_json::to_value(s).unwrap();
            prop_assert_eq!(s.is_ref(), serde_json::from_value::<Expandable<ShippingModel>>(text).unwrap().is_ref());
        }
    }

    #[test]
    fn lists_round_trip(ids in prop::collection::vec(any_id(), 0..5), names in prop::collection::vec(any_text(), 5), flags in prop::collection::vec(any_bool(), 5)) {
        let statuses: Vec<Value> = ids.iter().zip(&names).zip(&flags)
            .map(|((id, n), f)| json!({"id": id, "name": n, "complete_order": f, "cancel_order": f, "sort": id})).collect();
        round_trips::<OrderStatusesModel>(&json!({"paginator": {"page": 1}, "statuses": statuses}))?;
        let events: Vec<Value> = ids.iter().zip(&names)
            .map(|(id, n)| json!({"id": id, "event": "order-new", "method": n, "path": n, "params": [{"key": n, "macro": "%orderId%"}]})).collect();
        round_trips::<EventsModel>(&json!({"events": events}))?;
        let shippers: Vec<Value> = ids.iter().zip(&names).map(|(id, n)| json!({"id": id, "name": n})).collect();
        round_trips::<ShippersModel>(&json!({"paginator": {}, "shippers": shippers}))?;
    }

    #[test]
    fn requests_round_trip(channel in any_id(), email in any_text(), currency in any_text(), date in any_date(),
                           paid in any_money(), status in prop_oneof![Just("success"), Just("refunded")], text in any_text()) {
        round_trips::<OrderPostRequest>(&json!({"channel": channel, "email": email, "order_currency_code": currency, "date_order": date}))?;
        round_trips::<OrderPutRequest>(&json!({"id": channel, "delivery_email": email}))?;
        round_trips::<OrderItemRequest>(&json!({"id": channel, "count": channel, "price": paid, "name": text, "extra_key": {"a": [1]}}))?;
        round_trips::<OrderStatusPatchRequest>(&json!({"status_id": channel}))?;
        round_trips::<OrderPaidPatchRequest>(&json!({"paid": paid, "status": status, "payment_id": text}))?;
        round_trips::<TrackingPostRequest>(&json!({"shipper_id": channel, "tracking_number": text}))?;
        round_trips::<HistoryPostRequest>(&json!({"type": status, "record": {"name": text, "status": text}}))?;
        round_trips::<EventPutRequest>(&json!({"id": channel, "event": status, "path": text, "method": "POST", "parameters": [{"name": text, "variable": "%orderId%"}]}))?;
    }
}

/// Any JSON, nested a few levels, with Retailys keys mixed in so parsers get past the top.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("orders".to_owned()),
        Just("paginator".to_owned()),
        Just("id".to_owned()),
        Just("api_link".to_owned()),
        Just("customer".to_owned()),
        Just("shipping".to_owned()),
        Just("payments".to_owned()),
        Just("items".to_owned()),
        Just("article".to_owned()),
        Just("price".to_owned()),
        Just("money".to_owned()),
        Just("date_order".to_owned()),
        Just("statuses".to_owned()),
        Just("events".to_owned()),
        Just("params".to_owned()),
        Just("parameters".to_owned()),
        Just("record".to_owned()),
        Just("type".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
        Just(json!("2024-02-29T14:24:49+01:00")),
        Just(json!("")),
        Just(json!("%orderId%")),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) {
    let _ = json::from_slice::<T>(bytes);
}

fn check<T: DeserializeOwned + Validate>(bytes: &[u8]) {
    if let Ok(t) = json::from_slice::<T>(bytes) {
        let _ = t.validate();
    }
}

/// Every Retailys parser and validator on the same input.
fn everything(bytes: &[u8]) {
    parse::<OrdersModel>(bytes);
    parse::<OrderModel>(bytes);
    parse::<OrderStatusesModel>(bytes);
    parse::<EventsModel>(bytes);
    parse::<EventModel>(bytes);
    parse::<MeModel>(bytes);
    parse::<ShippersModel>(bytes);
    parse::<PaymentsProvidersModel>(bytes);
    parse::<ShippingsModel>(bytes);
    parse::<PaymentsModel>(bytes);
    parse::<IdModel>(bytes);
    parse::<ErrorModel>(bytes);
    parse::<PaginatorModel>(bytes);
    check::<OrderPostRequest>(bytes);
    check::<OrderPutRequest>(bytes);
    check::<OrderItemRequest>(bytes);
    check::<OrderStatusPatchRequest>(bytes);
    check::<OrderPaidPatchRequest>(bytes);
    check::<TrackingPostRequest>(bytes);
    check::<HistoryPostRequest>(bytes);
    check::<EventPostRequest>(bytes);
    check::<EventPutRequest>(bytes);
    if let Ok(item) = json::from_slice::<OrderItemRequest>(bytes) {
        let _ = item.put_problems();
    }
    let _ = CallbackParams::from_json(bytes);
    let _ = CallbackParams::from_query(&String::from_utf8_lossy(bytes));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_json_panics_any_parser(value in arbitrary_json()) {
        everything(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn no_bytes_panic_any_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        everything(&bytes);
    }

    #[test]
    fn no_query_panics_the_callback_reader(query in "[a-z=&%+0-9A-F\u{e1}]{0,40}") {
        let params = CallbackParams::from_query(&query);
        let _ = params.resolve(&[shopflow_core::retailys::events::EventParameter::new("a", "%orderId%")]);
    }
}
