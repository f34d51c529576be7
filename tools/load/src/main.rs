//! `shopflow-load`: webhook deliveries at fixed rates against a running `shopflow run`, one
//! rate after another, each for a fixed time; prints a Markdown table row per rate (and the
//! full report as a JSON line on stderr). `./scripts/bench-load` starts the sandbox and the
//! service and runs it.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use serde_json::Value;
use shopflow_load::{Plan, Report, client, run};

/// Webhook deliveries at fixed rates for a fixed time, on loopback.
#[derive(Debug, Parser)]
#[command(name = "shopflow-load", version)]
struct Args {
    /// The service's origin (`http://127.0.0.1:PORT`).
    #[arg(long)]
    service: String,
    /// The webhook secret the service was started with.
    #[arg(long, env = "SHOPFLOW_WEBHOOK_SECRET", hide_env_values = true)]
    secret: String,
    /// The operator token for the service's `/status`.
    #[arg(long, env = "SHOPFLOW_OPERATOR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The Upgates shop (sandbox) whose orders the deliveries name: its origin.
    #[arg(long)]
    shop: String,
    /// The shop's API login.
    #[arg(long, default_value = "sandbox")]
    login: String,
    /// The shop's API key.
    #[arg(long, env = "SHOPFLOW_API_KEY", default_value = "sandbox-key", hide_env_values = true)]
    key: String,
    /// Deliveries a second, one run per rate, in order (`500,1000,2000`).
    #[arg(long, value_delimiter = ',', default_value = "2000")]
    rate: Vec<u32>,
    /// Seconds each rate is held.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Seconds to wait for the service to process what it acknowledged.
    #[arg(long, default_value_t = 120.0)]
    drain: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    match load(Args::parse()).await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(lost) => {
            eprintln!("{lost} acknowledged deliveries were never processed");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Runs every rate; returns how many acknowledged deliveries were lost in all.
async fn load(args: Args) -> Result<u64, String> {
    let http = client()?;
    let orders = order_numbers(&http, &args).await?;
    println!(
        "| deliveries/s | sent | acked | p50 ms | p90 ms | p99 ms | max ms | drained after | lost |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut lost = 0;
    for &rate in &args.rate {
        let plan = Plan {
            service: args.service.clone(),
            secret: args.secret.clone(),
            token: args.token.clone(),
            orders: orders.clone(),
            rate,
            duration: Duration::from_secs_f64(args.seconds),
            drain_timeout: Duration::from_secs_f64(args.drain),
        };
        let report = run(&http, &plan).await?;
        row(&report);
        lost += report.lost + report.pending;
    }
    Ok(lost)
}

fn row(r: &Report) {
    let drained = r.drained_ms.map_or_else(|| "not drained".to_owned(), |ms| format!("{ms} ms"));
    println!(
        "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {drained} | {} |",
        r.rate, r.sent, r.acknowledged, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms, r.lost
    );
    if let Ok(json) = serde_json::to_string(r) {
        eprintln!("{json}");
    }
}

/// The first page of the shop's orders (up to 100 numbers).
async fn order_numbers(http: &reqwest::Client, args: &Args) -> Result<Vec<String>, String> {
    let url = format!("{}/api/v2/orders", args.shop);
    let page: Value = http
        .get(&url)
        .basic_auth(&args.login, Some(&args.key))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("GET {url}: {e}"))?
        .json()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let numbers: Vec<String> = page["orders"]
        .as_array()
        .map(|orders| {
            orders.iter().filter_map(|o| o["order_number"].as_str().map(str::to_owned)).collect()
        })
        .unwrap_or_default();
    if numbers.is_empty() {
        return Err(format!("the shop at {} has no orders to name", args.shop));
    }
    Ok(numbers)
}
