//! A small HTTP load generator for the sandbox benchmarks (see `scripts/bench-sandbox`).
//!
//! `load URL SECONDS CONNECTIONS LOGIN KEY PATH...` keeps CONNECTIONS keep-alive connections
//! busy for SECONDS, cycling through the PATHs, and prints requests per second, the status
//! counts and latency percentiles as one JSON line.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, seconds, connections, login, key, paths @ ..] = args.as_slice() else {
        eprintln!("usage: load URL SECONDS CONNECTIONS LOGIN KEY PATH...");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("SECONDS");
    let connections: usize = connections.parse().expect("CONNECTIONS");
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{login}:{key}"))
    );
    let client: Client<_, Empty<Bytes>> =
        Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build_http();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let (client, auth, url, paths) =
            (client.clone(), auth.clone(), url.clone(), paths.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
            let mut bytes = 0u64;
            let mut i = worker;
            while Instant::now() < deadline {
                let path = &paths[i % paths.len()];
                i += 1;
                let req = hyper::Request::get(format!("{url}{path}"))
                    .header("Authorization", &auth)
                    .body(Empty::new())
                    .expect("request");
                let t = Instant::now();
                match client.request(req).await {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let body = resp
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes().len())
                            .unwrap_or(0);
                        bytes += body as u64;
                        *statuses.entry(status).or_default() += 1;
                    }
                    Err(_) => *statuses.entry(0).or_default() += 1,
                }
                latencies.push(t.elapsed());
            }
            (latencies, statuses, bytes)
        }));
    }
    let mut latencies = Vec::new();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut bytes = 0;
    for t in tasks {
        let (l, s, b) = t.await.expect("worker");
        latencies.extend(l);
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
        bytes += b;
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let total = latencies.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "requests": latencies.len(),
            "requests_per_second": (total / seconds as f64).round(),
            "statuses": statuses,
            "mean_response_bytes": if total > 0.0 { (bytes as f64 / total).round() } else { 0.0 },
            "latency_ms": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99)},
        })
    );
}
