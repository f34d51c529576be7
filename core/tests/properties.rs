//! Properties over generated input: whatever the API may send in any of its spellings reads
//! into a model that writes out and reads back equal; and no input, however broken, panics.

use proptest::prelude::*;
use serde_json::{Value, json};
use shopflow_core::upgates::kinds::{self, ParseKind, ValidateKind};
use shopflow_core::upgates::order::{OrderList, OrderUpdate, OrderUpdateRequest, PaidDate};
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use shopflow_core::{ApiDate, Decimal, json};

/// A boolean in one of the API's spellings.
fn any_bool() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(true)),
        Just(json!(false)),
        Just(json!(1)),
        Just(json!(0)),
        Just(json!("1")),
        Just(json!("0"))
    ]
}

/// An exact decimal with up to 3 places, as a JSON number or a numeric string.
fn any_money() -> impl Strategy<Value = Value> {
    (-10_000_000i64..10_000_000, 0u32..=3, any::<bool>()).prop_map(
        |(mantissa, scale, as_string)| {
            let d = Decimal::new(mantissa, scale);
            if as_string {
                json!(d.to_string())
            } else {
                serde_json::from_str(&d.to_string()).unwrap()
            }
        },
    )
}

/// A date in one of the forms real data has.
fn any_date() -> impl Strategy<Value = Value> {
    (2000i32..2040, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60, 0u32..60, -12i32..=14, 0u8..4)
        .prop_map(|(y, mo, d, h, mi, s, off, form)| {
            let text = match form {
                0 => format!("{y:04}-{mo:02}-{d:02}"),
                1 => format!("{y}-{mo}-{d}"),
                2 => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
                _ => format!(
                    "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}{:02}:00",
                    if off < 0 { '-' } else { '+' },
                    off.abs()
                ),
            };
            json!(text)
        })
}

/// Text, sometimes empty, sometimes null, with Czech letters.
fn any_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("")),
        "[a-zA-Z0-9 čřžýáíéůúěšďťň.,-]{1,20}".prop_map(Value::from)
    ]
}

fn any_id() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("")),
        (1u64..10_000_000).prop_map(Value::from),
        (1u64..10_000_000).prop_map(|n| json!(n.to_string()))
    ]
}

fn maybe<S: Strategy<Value = Value>>(s: S) -> impl Strategy<Value = Value> {
    prop_oneof![1 => Just(Value::Null), 4 => s]
}

prop_compose! {
    fn any_product()(code in any_text(), title in any_text(), quantity in maybe(any_money()), price in maybe(any_money()),
                     vat in maybe(any_money()), adult in any_bool(), kind in prop_oneof![Just("product"), Just("gift"), Just("set_part"), Just("voucher")],
                     params in prop::collection::vec((any_text(), any_text()), 0..3)) -> Value {
        json!({
            "code": code, "title": title, "quantity": quantity, "price_per_unit": price, "vat": vat, "adult_yn": adult, "type": kind,
            "parameters": params.into_iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
        })
    }
}

prop_compose! {
    fn any_order()(number in "[0-9]{6,10}", paid in maybe(prop_oneof![any_date(), Just(json!(""))]), created in maybe(any_date()),
                   total in maybe(any_money()), status_id in any_id(), resolved in any_bool(), with_vat in any_bool(),
                   origin in prop_oneof![Just("api"), Just("cash\u{2013}register"), Just("cash-register"), Just("kiosk")],
                   shipment_type in prop_oneof![Just(json!("zasilkovna")), Just(json!("wedo")), Just(Value::Null)],
                   email in any_text(), zip in prop_oneof![any_text(), (10000u32..99999).prop_map(Value::from)],
                   products in prop::collection::vec(any_product(), 0..4),
                   meta_value in any_text(), meta_shape in any::<bool>(),
                   valid_to in prop_oneof![Just(Value::Null), any_date(), Just(json!({"date": "2025-03-01 14:24:49.000000", "timezone_type": 3, "timezone": "Europe/Prague"}))]) -> Value {
        let values = if meta_shape {
            json!({"cs": {"language": "cs", "value": meta_value.clone()}})
        } else {
            json!([{"language": "cs", "value": meta_value.clone()}])
        };
        json!({
            "order_number": number, "paid_date": paid, "creation_time": created, "order_total": total, "status_id": status_id,
            "resolved_yn": resolved, "prices_with_vat_yn": with_vat, "origin": origin,
            "customer": {"email": email, "zip_invoice": zip, "agreements": [{"name": "GDPR", "valid_to": valid_to, "status": true}]},
            "products": products,
            "shipment": {"name": "Doprava", "price": 0, "type": shipment_type},
            "metas": [{"key": "k", "type": "input", "value": Value::Null, "values": values}],
            "quantity_discount": [],
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn order_pages_round_trip(orders in prop::collection::vec(any_order(), 0..5), page in 1u32..5) {
        let body = json!({"current_page": page, "number_of_pages": page + 1, "number_of_items": 500, "orders": orders});
        let bytes = serde_json::to_vec(&body).unwrap();
        let parsed: OrderList = json::from_slice(&bytes).unwrap();
        let written = serde_json::to_vec(&parsed).unwrap();
        let again: OrderList = json::from_slice(&written).unwrap();
        prop_assert_eq!(parsed, again);
    }

    #[test]
    fn decimals_round_trip_exactly(mantissa in -1_000_000_000_000i64..1_000_000_000_000, scale in 0u32..=6) {
        let d = Decimal::new(mantissa, scale);
        let text = serde_json::to_string(&d).unwrap();
        let back: Decimal = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(d, back);
        let from_string: Decimal = serde_json::from_str(&format!("\"{d}\"")).unwrap();
        prop_assert_eq!(d, from_string);
    }

    #[test]
    fn dates_round_trip(date in any_date()) {
        let parsed: ApiDate = serde_json::from_value(date).unwrap();
        let back: ApiDate = serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
        prop_assert_eq!(parsed, back);
    }

    #[test]
    fn update_requests_round_trip(numbers in prop::collection::vec("[0-9]{4,10}", 1..20), status in prop::option::of(1u64..50),
                                  note in prop::option::of("[a-zA-Z čř]{0,30}"), unpaid in any::<bool>(), emails in any::<bool>()) {
        let orders: Vec<OrderUpdate> = numbers.iter().map(|n| {
            let mut u = OrderUpdate::new(n.clone());
            u.status_id = status;
            u.internal_note.clone_from(&note);
            u.paid_date = Some(if unpaid { PaidDate::Unpaid } else { PaidDate::On("2025-01-01".parse().unwrap()) });
            u
        }).collect();
        let notify = shopflow_core::upgates::order::Notify { emails, sms: false };
        let req = OrderUpdateRequest::new(notify, orders);
        let text = serde_json::to_string(&req).unwrap();
        let flag = format!("\"send_emails_yn\":{emails}");
        prop_assert!(text.contains(&flag), "flag written explicitly");
        let back: OrderUpdateRequest = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(req, back);
    }
}

/// Any JSON value, nested a few levels, with the API's field names mixed in so the parsers
/// get past their first checks.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("orders".to_owned()),
        Just("order_number".to_owned()),
        Just("customers".to_owned()),
        Just("customer_id".to_owned()),
        Just("products".to_owned()),
        Just("metas".to_owned()),
        Just("values".to_owned()),
        Just("valid_to".to_owned()),
        Just("paid_date".to_owned()),
        Just("groups".to_owned()),
        Just("creation_time".to_owned()),
        Just("states".to_owned()),
        Just("apiKey".to_owned()),
        Just("customer".to_owned()),
        Just("agreements".to_owned()),
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
        Just(json!("1")),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_json_panics_any_parser(value in arbitrary_json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        for kind in ParseKind::ALL {
            let _ = kinds::parse(*kind, &bytes, None);
        }
        for kind in ValidateKind::ALL {
            let _ = kinds::validate(*kind, &bytes);
        }
        let _ = parse_webhook(&bytes, Some(&WebhookEvent::ORDERS_UPDATE));
        let _ = parse_webhook(&bytes, Some(&"Categories.update".parse().unwrap()));
    }

    #[test]
    fn no_bytes_panic_any_parser(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        for kind in ParseKind::ALL {
            let _ = kinds::parse(*kind, &bytes, None);
        }
        let _ = parse_webhook(&bytes, None);
    }
}
