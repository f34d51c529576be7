//! A paged export of 1000 orders through the Rust client, against the sandbox on loopback
//! (10 pages of 100): `cargo bench -p shopflow-client`. The figure is in docs/benchmarks.md
//! beside the npm package's (`node wasm/bench/export.mjs`).

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::StreamExt;
use shopflow_client::Client;
use shopflow_core::upgates::order::OrderListQuery;
use shopflow_sandbox::SandboxConfig;

fn export(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let sb = rt
        .block_on(shopflow_sandbox::start(SandboxConfig {
            seed_orders: 1000,
            ..SandboxConfig::default()
        }))
        .unwrap();
    let client =
        Client::builder(sb.base_url(), "sandbox", "sandbox-key").allow_local(true).build().unwrap();
    c.bench_function("export 1000 orders (10 pages)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let orders = client.orders().stream(OrderListQuery::default(), |_| {});
                let n = orders.filter(|o| std::future::ready(o.is_ok())).count().await;
                assert_eq!(n, 1000);
            })
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = export
}
criterion_main!(benches);
