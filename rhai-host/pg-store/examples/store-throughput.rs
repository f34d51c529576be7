//! How fast the PostgreSQL store takes deliveries and spends budgets, for
//! `docs/benchmarks.md`: `cargo run --release -p shopflow-pg-store --example store-throughput`
//! (starts its own throwaway server with tools/testdb, commits synced to disk as in production;
//! `SHOPFLOW_BENCH_URL` uses another).
//!
//! Deliveries: `--deliveries N` (default 20 000) spread over `--shops S` (default 1000) by
//! `--concurrency C` (default 64) tasks at once, through one pool and then through two pools
//! (two instances) on one database; each delivery is one committed INSERT, as the 200 waits
//! for it. Prints deliveries per second and the p50/p99 of one commit. Budgets: the same for
//! `reserve` of one request (a transaction that locks the shop's budget row, decides and
//! writes it back), what every request to a shop costs on a shared store.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shopflow_pg_store::PgStore;
use shopflow_testdb::TestPostgres;

struct Args {
    deliveries: usize,
    shops: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args { deliveries: 20_000, shops: 1000, concurrency: 64 };
    let given: Vec<String> = std::env::args().skip(1).collect();
    for pair in given.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse().ok());
        match (pair.first().map(String::as_str), value) {
            (Some("--deliveries"), Some(v)) => a.deliveries = v,
            (Some("--shops"), Some(v)) => a.shops = v,
            (Some("--concurrency"), Some(v)) => a.concurrency = v,
            _ => eprintln!("ignored: {pair:?}"),
        }
    }
    a
}

/// Runs `n` operations over `stores` (round robin) with `concurrency` at once; returns the
/// rate per second and each operation's time.
async fn run<F, Fut>(
    stores: &[Arc<PgStore>],
    n: usize,
    concurrency: usize,
    op: F,
) -> (f64, Vec<Duration>)
where
    F: Fn(Arc<PgStore>, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for lane in 0..concurrency {
        let store = Arc::clone(&stores[lane % stores.len()]);
        let (op, next) = (Arc::clone(&op), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return times;
                }
                let t = Instant::now();
                op(Arc::clone(&store), i).await;
                times.push(t.elapsed());
            }
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap_or_default());
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    times.sort();
    (rate, times)
}

fn quantile(times: &[Duration], q: f64) -> f64 {
    let i = ((times.len() as f64 - 1.0) * q).round() as usize;
    times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args();
    let server = match std::env::var("SHOPFLOW_BENCH_URL") {
        Ok(_) => None,
        Err(_) => Some(TestPostgres::start_durable()?),
    };
    let url = std::env::var("SHOPFLOW_BENCH_URL")
        .unwrap_or_else(|_| server.as_ref().map(TestPostgres::url).unwrap_or_default());
    println!("| measure | instances | rate | p50 | p99 |\n|---|---|---|---|---|");
    for (round, instances) in [1usize, 2].into_iter().enumerate() {
        let mut stores = Vec::new();
        for _ in 0..instances {
            let pool = (a.concurrency / instances).max(1) as u32;
            stores.push(Arc::new(PgStore::connect(&url, pool).await?));
        }
        let shops = a.shops;
        let (rate, times) = run(&stores, a.deliveries, a.concurrency, move |s, i| async move {
            let body =
                format!(r#"{{"project_name":"x","orders":[{{"order_number":"{round}-{i}"}}]}}"#);
            let shop = format!("shop-{}", i % shops);
            let _ = s.receive(&shop, "Orders.create", body.as_bytes()).await;
        })
        .await;
        println!(
            "| deliveries committed ({} shops) | {instances} | {rate:.0}/s | {:.2} ms | {:.2} ms |",
            a.shops,
            quantile(&times, 0.5),
            quantile(&times, 0.99)
        );
        let (rate, times) = run(&stores, a.deliveries, a.concurrency, move |s, i| async move {
            let _ = s.reserve(&format!("shop-{}-{round}", i % shops), &[]).await;
        })
        .await;
        println!(
            "| budget reservations | {instances} | {rate:.0}/s | {:.2} ms | {:.2} ms |",
            quantile(&times, 0.5),
            quantile(&times, 0.99)
        );
    }
    Ok(())
}
