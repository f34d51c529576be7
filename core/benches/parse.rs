//! The figures issue 2 asks for (see docs/benchmarks.md):
//! - an order-list page of 100 full orders (target: at least 100 MB/s, native);
//! - a 5000-record Orders.update webhook (target: under 5 ms);
//! - validating and chunking a 5000-order update.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use shopflow_core::batch::{MAX_ITEMS_PER_REQUEST, chunk};
use shopflow_core::upgates::order::{Notify, OrderList, OrderUpdate, OrderUpdateRequest};
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use shopflow_core::validation::Validate;
use std::hint::black_box;

const FULL_ORDERS: &str = include_str!("../../fixtures/upgates/order-list.json");

/// A page of 100 orders made from the fixture's fully populated orders, renumbered.
fn order_page() -> Vec<u8> {
    let fixture: Value = serde_json::from_str(FULL_ORDERS).unwrap();
    let templates = fixture["orders"].as_array().unwrap();
    let orders: Vec<Value> = (0..100)
        .map(|i| {
            let mut o = templates[i % 2].clone();
            o["order_number"] = json!(format!("2024{i:06}"));
            o["order_id"] = json!(48_000 + i);
            o
        })
        .collect();
    serde_json::to_vec(&json!({"current_page": 1, "current_page_items": 100, "number_of_pages": 50, "number_of_items": 5000, "orders": orders})).unwrap()
}

fn update_webhook(n: usize) -> Vec<u8> {
    let orders: Vec<Value> = (0..n)
        .map(|i| json!({"order_number": format!("2024{i:06}"), "last_update_time": "2024-02-29T15:02:11+01:00", "status_id": 4, "status": "Vyřizuje se"}))
        .collect();
    serde_json::to_vec(&json!({"project_name": "beershop", "orders": orders})).unwrap()
}

fn update_request(n: usize) -> OrderUpdateRequest {
    let orders = (0..n)
        .map(|i| {
            let mut u = OrderUpdate::new(format!("2024{i:06}"));
            u.status_id = Some(4);
            u.tracking_code = Some(format!("DR{i:010}C"));
            u
        })
        .collect();
    OrderUpdateRequest::new(Notify::NONE, orders)
}

fn benches(c: &mut Criterion) {
    let page = order_page();
    let mut g = c.benchmark_group("order_list");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function(BenchmarkId::new("parse_page_of_100_full_orders", page.len()), |b| {
        b.iter(|| {
            let list: OrderList = shopflow_core::json::from_slice(black_box(&page)).unwrap();
            black_box(list.into_page())
        })
    });
    // What the npm package's `parse('order-list')` does in WebAssembly: the page read and its
    // orders written as JSON text, typed, and by the field tables in one pass.
    g.bench_function(BenchmarkId::new("typed_read_and_write_100", page.len()), |b| {
        b.iter(|| {
            let list: OrderList = shopflow_core::json::from_slice(black_box(&page)).unwrap();
            black_box(shopflow_core::ascii_json::to_string(&list.into_page().items).unwrap())
        })
    });
    #[cfg(feature = "page-text")]
    g.bench_function(BenchmarkId::new("page_text_100", page.len()), |b| {
        use shopflow_core::upgates::order::order_page_text;
        b.iter(|| black_box(order_page_text(black_box(&page)).unwrap()))
    });
    g.finish();

    let hook = update_webhook(5000);
    let mut g = c.benchmark_group("webhook");
    g.throughput(Throughput::Elements(5000));
    g.bench_function(BenchmarkId::new("parse_orders_update_5000", hook.len()), |b| {
        b.iter(|| {
            black_box(parse_webhook(black_box(&hook), Some(&WebhookEvent::ORDERS_UPDATE)).unwrap())
        })
    });
    g.finish();

    let req = update_request(5000);
    let mut g = c.benchmark_group("orders_update");
    g.throughput(Throughput::Elements(5000));
    g.bench_function("validate_and_chunk_5000", |b| {
        b.iter(|| {
            let chunks = chunk(black_box(&req), MAX_ITEMS_PER_REQUEST);
            for c in &chunks {
                c.request.validate().unwrap();
            }
            black_box(chunks)
        })
    });
    g.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
