//! Rule evaluations per second: `benches/ten_rules.rhai` (every hook, ten rules on each new
//! order) over realistic orders (the API fixtures with real-data quirks and the example
//! rules' orders), one `RuleSet::run` per evaluation, on one thread; and the compile of that
//! file (`RuleSet::compile`: an engine, the parse, the check), which a check, a dry run or a
//! playground keystroke pays. The figures are in docs/benchmarks.md; the target is at least
//! 50,000 evaluations a second.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shopflow_core::automation::model::Order;
use shopflow_core::automation::{Hook, RuleEvent, Subject};
use shopflow_core::upgates::neutral;
use shopflow_rules::{HookInput, Limits, RuleSet};

fn orders() -> Vec<Arc<Order>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut out: Vec<Arc<Order>> = Vec::new();
    let list: shopflow_core::upgates::order::query::OrderList = serde_json::from_slice(
        &std::fs::read(format!("{root}/fixtures/upgates/order-list.json")).unwrap(),
    )
    .unwrap();
    let rules_view = |o| Arc::new(neutral::order(&Arc::new(o)));
    out.extend(list.orders.into_iter().map(rules_view));
    for case in [
        "cod_over_limit/over_limit",
        "pickup_point/zasilkovna",
        "company_note/company",
        "paid_to_processing/paid_at_checkout",
    ] {
        let data = shopflow_rules::ShopData::from_json(
            &std::fs::read(format!("{root}/examples/rules/{case}/data.json")).unwrap(),
        )
        .unwrap();
        out.extend(data.orders.into_iter().map(rules_view));
    }
    out
}

fn bench(c: &mut Criterion) {
    let start = Instant::now();
    let clock = Arc::new(move || start.elapsed().as_secs_f64() * 1000.0);
    let rules = RuleSet::compile(include_str!("ten_rules.rhai"), Limits::default(), clock).unwrap();
    assert_eq!(rules.hooks().len(), 7);
    let orders = orders();
    let events: Vec<RuleEvent> = orders
        .iter()
        .map(|o| RuleEvent {
            hook: Hook::OrderCreated,
            subject: Subject::Order(o.number.clone()),
            change: None,
        })
        .collect();
    // Every evaluation runs cleanly: a benchmark of errors would measure the wrong thing.
    for (o, e) in orders.iter().zip(&events) {
        let run = rules.run(e, HookInput::Order(Arc::clone(o)));
        assert!(run.error.is_none(), "{:?}", run.error);
    }
    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Elements(orders.len() as u64));
    group.bench_function("on_order_created, ten rules, per batch of orders", |b| {
        b.iter(|| {
            for (o, e) in orders.iter().zip(&events) {
                black_box(rules.run(e, HookInput::Order(Arc::clone(o))));
            }
        });
    });
    group.finish();

    let source = include_str!("ten_rules.rhai");
    let clock: shopflow_rules::Clock = Arc::new(|| 0.0);
    c.bench_function("compile ten_rules.rhai", |b| {
        b.iter(|| black_box(RuleSet::compile(source, Limits::default(), Arc::clone(&clock))));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
