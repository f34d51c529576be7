//! `order_page_text` is the typed reading of an order-list page in another form: whenever it
//! answers, its page is exactly what `OrderList` read and written out gives, and it never
//! answers a page the typed reading refuses. Checked over the fixtures and generated pages:
//! every field of every record given each of PHP's spellings (and none), keys reordered,
//! escaped and repeated, and pages broken at random bytes.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Value, json};
use shopflow_core::ascii_json;
use shopflow_core::json;
use shopflow_core::upgates::order::{NotHere, OrderList, order_page_text};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/upgates").join(name);
    std::fs::read(path).unwrap()
}

/// Both readings of one page; answers whether the table reading answered. Panics with the
/// page when it answers something else than the typed reading, or answers what it refuses.
fn same(body: &[u8]) -> bool {
    let typed = json::from_slice::<OrderList>(body).map(OrderList::into_page);
    let fast = order_page_text(body);
    let text = String::from_utf8_lossy(body);
    match (typed, fast) {
        (Ok(page), Ok(got)) => {
            assert_eq!(got.items, ascii_json::to_string(&page.items).unwrap(), "page {text}");
            assert_eq!(
                (got.page.current_page, got.page.current_page_items),
                (page.current_page, page.current_page_items),
                "page {text}"
            );
            assert_eq!(
                (got.page.number_of_pages, got.page.number_of_items, got.page.items.len()),
                (page.number_of_pages, page.number_of_items, page.items.len()),
                "page {text}"
            );
            true
        }
        (Err(_), Ok(got)) => panic!("answered a page the typed reading refuses: {text}\n{got:?}"),
        (_, Err(NotHere)) => false,
    }
}

/// A page of the one order.
fn page_of(order: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"current_page": 1, "number_of_pages": 1, "orders": [order]}))
        .unwrap()
}

#[test]
fn the_fixtures_are_read_by_the_tables() {
    for name in [
        "order-list.json",
        "order-list-empty.json",
        "order-list-page-2-of-3.json",
        "order-detail.json",
    ] {
        assert!(same(&fixture(name)), "{name} was left to the typed reading");
    }
    for name in ["invalid/order-list-bad-total.json", "invalid/order-list-truncated.json"] {
        assert!(!same(&fixture(name)), "{name} was answered");
    }
}

/// What a value is replaced with: PHP's spellings of every type, and what no type takes.
fn spellings() -> Vec<Value> {
    [
        "null",
        "\"\"",
        "\" \"",
        "\"0\"",
        "\"1\"",
        "0",
        "1",
        "2",
        "-1",
        "1.5",
        "-0.0",
        "1e3",
        "18446744073709551616",
        "\"1.50\"",
        "\" 42 \"",
        "\"abc\"",
        "\"true\"",
        "true",
        "false",
        "[]",
        "{}",
        "[1]",
        "{\"a\":1}",
        "\"2024-03-01\"",
        "\"2024-3-1 9:15\"",
        "\"0000-00-00 00:00:00\"",
        "\"cash\u{2013}register\"",
        "\"percent\"",
        "\"Vyřizuje se\"",
        "\"a\\\"b\\\\c\\n\"",
    ]
    .iter()
    .map(|s| serde_json::from_str(s).unwrap())
    .collect()
}

/// Every object of `v` (itself first), by its path of keys and indexes.
fn objects(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(map) => {
            out.push(path.clone());
            for (k, child) in map {
                path.push(Step::Key(k.clone()));
                objects(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                objects(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// The fixture's orders, with every field of every record they hold given every spelling,
/// left out, and joined by one the model does not know; and each record's keys reversed.
#[test]
fn every_field_in_every_spelling() {
    let list: Value = serde_json::from_slice(&fixture("order-list.json")).unwrap();
    let mut orders = list["orders"].as_array().unwrap().clone();
    orders.push(full_order());
    let (mut answered, mut refused) = (0, 0);
    for order in &orders {
        let mut records = Vec::new();
        objects(order, &mut Vec::new(), &mut records);
        for path in records {
            let keys: Vec<String> =
                at(&mut order.clone(), &path).as_object().unwrap().keys().cloned().collect();
            let mut variants = Vec::new();
            for key in &keys {
                for spelling in spellings() {
                    let mut o = order.clone();
                    at(&mut o, &path)[key.as_str()] = spelling;
                    variants.push(o);
                }
                let mut o = order.clone();
                at(&mut o, &path).as_object_mut().unwrap().shift_remove(key);
                variants.push(o);
            }
            let mut o = order.clone();
            at(&mut o, &path)["not_in_the_model"] = json!({"x": [1, {"y": null}]});
            variants.push(o);
            let mut o = order.clone();
            let record = at(&mut o, &path).as_object_mut().unwrap();
            let reversed: serde_json::Map<String, Value> =
                std::mem::take(record).into_iter().rev().collect();
            *record = reversed;
            variants.push(o);
            for o in variants {
                let body = page_of(&o);
                let typed_reads = json::from_slice::<OrderList>(&body).is_ok();
                if same(&body) {
                    answered += 1;
                } else if typed_reads {
                    // Only refusals are left to the typed reading in these pages.
                    panic!("left to the typed reading: {}", String::from_utf8_lossy(&body));
                } else {
                    refused += 1;
                }
            }
        }
    }
    assert!(answered > 1000 && refused > 1000, "answered {answered}, refused {refused}");
}

/// An order with every field of the model and of every record in it, so that each gets
/// every spelling: the fixture's first order as the model writes it (every field, `null`
/// where it had none), with a record wherever it had none.
fn full_order() -> Value {
    let typed = json::from_slice::<OrderList>(&fixture("order-list.json")).unwrap();
    let mut o = serde_json::to_value(&typed.orders[0]).unwrap();
    let discounts =
        json!([{"price": 1, "price_with_vat": "1.21", "price_without_vat": 1, "vat": 21}]);
    o["dimensions"] = json!({"width": 1, "length": "2.5", "height": 3});
    o["discount_voucher"] =
        json!({"code": "SLEVA", "type": "percent", "amount": 10, "discounts": discounts});
    o["quantity_discount"] = json!({"type": "price", "amount": "50", "discounts": discounts});
    o["loyalty_points"] = json!({"one_point_for": "0.5", "amount": 20, "discounts": discounts});
    o["attachments"] =
        json!([{"id": "7", "name": "faktura", "url": "https://x/f.pdf", "code": "F"}]);
    let product = &mut o["products"][0];
    product["parameters"] = json!([{"name": "barva", "value": "modrá"}]);
    product["configurations"] = json!([{"name": "gravírování", "values": [{"value": "ano", "operation": "+", "price": 99}]}]);
    product["categories"] = json!([{"category_id": 12, "code": "SKLO"}]);
    for record in ["shipment", "payment"] {
        assert!(o[record].is_object(), "the fixture's first order has a {record}");
    }
    o
}

#[test]
fn paging_fields_in_their_spellings() {
    for (paging, answers) in [
        (r#""current_page":"2","number_of_pages":3,"number_of_items":"250""#, true),
        (r#""current_page_items":null"#, true),
        (r#""number_of_pages":"","current_page":1"#, true),
        (r#""number_of_items":18446744073709551615"#, true),
        (r#""current_page":4294967296"#, false),
        (r#""current_page":1,"current_page":1"#, false),
        (r#""current_page":true"#, false),
    ] {
        let body = format!(r#"{{{paging},"orders":[{{"order_number":"1"}}]}}"#);
        assert_eq!(same(body.as_bytes()), answers, "{body}");
    }
}

#[test]
fn text_as_written_by_hand() {
    let pages = [
        // Whitespace everywhere, escapes in keys and values, non-ASCII text.
        "{ \"orders\" : [ { \"order\\u005fnumber\" : \"A\\u00e9\\n\" , \"status\" : \"Vyřizuje se\" ,\n\t\"customer\" : { } } ] }\n",
        // A field given twice, known and unknown.
        r#"{"orders":[{"order_number":"1","status":"a","status":"b"}]}"#,
        r#"{"orders":[{"order_number":"1","x":1,"x":2}]}"#,
        r#"{"orders":[{"order_number":"1"}],"orders":[]}"#,
        // A record as a list, which serde reads by position.
        r#"{"orders":[["1"]]}"#,
        r#"{"orders":[{"order_number":"1","products":[["1"]]}]}"#,
        // What is not an answer at all.
        r#"[]"#,
        r#"{"orders":[{"order_number":"1"}]} x"#,
        r#"{"orders":[{}]}"#,
        r#"{"orders":[{"order_number":null}]}"#,
        "{\"orders\":[{\"order_number\":\"\u{7f}\"}]}",
        r#"{"orders":null}"#,
        r#"{"orders":{}}"#,
        r#"{}"#,
    ];
    let answered: Vec<bool> = pages.iter().map(|p| same(p.as_bytes())).collect();
    assert_eq!(
        answered,
        [
            true, false, true, false, false, false, false, false, false, false, true, true, true,
            true
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// A page cut short, or with a byte changed, is read the same or left to the typed reading.
    #[test]
    fn broken_pages(cut in 0usize..12_000, byte in any::<u8>(), change in any::<bool>()) {
        let mut body = fixture("order-list.json");
        let at = cut % body.len();
        if change {
            body[at] = byte;
        } else {
            body.truncate(at);
        }
        same(&body);
    }
}

/// Keys in another order than the model's: a required one last, a nested record's reversed.
#[test]
fn keys_in_any_order() {
    assert!(same(br#"{"orders":[{"status":"a","order_number":"1"}]}"#), "flat");
    assert!(
        same(br#"{"orders":[{"order_number":"1","customer":{"phone":"1","email":"a"}}]}"#),
        "nested"
    );
    assert!(
        same(br#"{"orders":[{"customer":{"phone":"1","email":"a"},"order_number":"1"}]}"#),
        "nested2"
    );
    assert!(
        same(br#"{"orders":[{"customer":{"email":"a","phone":"1"},"order_number":"1"}]}"#),
        "nested3"
    );
}
