//! Retailys parsing (see docs/benchmarks.md, "Retailys parsing"):
//! - an order-list page of 100 orders made from the fixture shapes (`OrdersModel` + `into_page`,
//!   and `kinds::parse`, the normalized and redacted value `shopflow parse` prints);
//! - a single expanded order (`GET /System/Orders/{id}?expanded=true`);
//! - the event-callback receiver's input: a query string, a form body and a JSON body read
//!   through `CallbackParams` and resolved to typed ids.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use shopflow_core::retailys::events::{CallbackParams, EventParameter};
use shopflow_core::retailys::kinds::{ParseKind, parse};
use shopflow_core::retailys::order::{OrderModel, OrdersModel};
use std::hint::black_box;

const ORDER_LIST: &str = include_str!("../../fixtures/retailys/order-list.json");
const ORDER_QUIRKS: &str = include_str!("../../fixtures/retailys/order-quirks.json");
const ORDER: &[u8] = include_bytes!("../../fixtures/retailys/order.json");

/// A page of 100 orders from the fixtures' three shapes (expanded, references only, loose
/// spellings) in turn, renumbered.
fn order_page() -> Vec<u8> {
    let list: Value = serde_json::from_str(ORDER_LIST).unwrap();
    let mut templates = list["orders"].as_array().unwrap().clone();
    templates.push(serde_json::from_str(ORDER_QUIRKS).unwrap());
    let orders: Vec<Value> = (0..100)
        .map(|i| {
            let mut o = templates[i % templates.len()].clone();
            o["id"] = json!(20_000 + i);
            o
        })
        .collect();
    serde_json::to_vec(&json!({
        "paginator": {"page": 1, "per_page": 100, "pages": 50, "total": 5000},
        "orders": orders,
    }))
    .unwrap()
}

fn bindings() -> Vec<EventParameter> {
    vec![
        EventParameter::new("order", "%orderId%"),
        EventParameter::new("status", "%statusId%"),
        EventParameter::new("channel", "%channelId%"),
        EventParameter::new("login", "%login%"),
        EventParameter::new("token", "literal"),
    ]
}

fn benches(c: &mut Criterion) {
    let page = order_page();
    let mut g = c.benchmark_group("retailys_order_list");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function(BenchmarkId::new("parse_page_of_100_orders", page.len()), |b| {
        b.iter(|| {
            let list: OrdersModel = shopflow_core::json::from_slice(black_box(&page)).unwrap();
            black_box(list.into_page())
        })
    });
    g.bench_function(BenchmarkId::new("kinds_parse_page_of_100_orders", page.len()), |b| {
        b.iter(|| black_box(parse(ParseKind::OrderList, black_box(&page)).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("retailys_order");
    g.throughput(Throughput::Bytes(ORDER.len() as u64));
    g.bench_function(BenchmarkId::new("parse_expanded_order", ORDER.len()), |b| {
        b.iter(|| {
            black_box(shopflow_core::json::from_slice::<OrderModel>(black_box(ORDER)).unwrap())
        })
    });
    g.finish();

    let params = bindings();
    let query = "order=10452&status=4&channel=1&login=jan.nov%C3%A1kov%C3%A1&token=s3cr3t";
    let form = "order=10452&status=4&channel=1&login=jan+novakova&token=s3cr3t";
    let body =
        br#"{"order": 10452, "status": "4", "channel": 1, "login": "jan.nov\u00e1kov\u00e1", "token": "s3cr3t"}"#;
    let mut g = c.benchmark_group("retailys_callback");
    g.throughput(Throughput::Bytes(query.len() as u64));
    g.bench_function(BenchmarkId::new("query_and_resolve", query.len()), |b| {
        b.iter(|| {
            let p = CallbackParams::from_query(black_box(query));
            black_box(p.resolve(&params))
        })
    });
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function(BenchmarkId::new("json_body_and_resolve", body.len()), |b| {
        b.iter(|| {
            let p = CallbackParams::from_json(black_box(body)).unwrap();
            black_box(p.resolve(&params))
        })
    });
    g.throughput(Throughput::Bytes((query.len() + form.len()) as u64));
    g.bench_function(
        BenchmarkId::new("query_plus_form_merged_and_resolve", query.len() + form.len()),
        |b| {
            b.iter(|| {
                let mut p = CallbackParams::from_query(black_box(query));
                p.merge(CallbackParams::from_query(black_box(form)));
                black_box(p.resolve(&params))
            })
        },
    );
    g.finish();
}

criterion_group!(retailys_parse, benches);
criterion_main!(retailys_parse);
