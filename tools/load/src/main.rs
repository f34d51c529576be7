//! `shopflow-load`: webhook deliveries at fixed rates against a running `shopflow run`, one
//! rate after another, each for a fixed time; prints a Markdown table row per rate (and the
//! full report as a JSON line on stderr). `./scripts/bench-load` starts the sandbox and the
//! service and runs it on one shop; `./scripts/bench-shops` on many shops of one service
//! (`--shops N`) and on several instances of it sharing a database (`--service A,B`).

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use serde_json::Value;
use shopflow_load::{Plan, Report, Target, client, run};

/// Webhook deliveries at fixed rates for a fixed time, on loopback.
#[derive(Debug, Parser)]
#[command(name = "shopflow-load", version)]
struct Args {
    /// The service's origin (`http://127.0.0.1:PORT`); several instances of it, comma
    /// separated, take the deliveries in turn.
    #[arg(long, value_delimiter = ',', required = true)]
    service: Vec<String>,
    /// The service serves this many shops (`shopflow run --config`), `shop-1` to `shop-N` at
    /// `/shops/NAME/` of the service and of the sandbox; 0: the one shop of `shopflow run
    /// --shop`.
    #[arg(long, default_value_t = 0)]
    shops: usize,
    /// The webhook secret the service was started with (`{shop}` stands for a shop's name).
    #[arg(long, env = "SHOPFLOW_WEBHOOK_SECRET", hide_env_values = true)]
    secret: String,
    /// The operator token for the service's `/status`.
    #[arg(long, env = "SHOPFLOW_OPERATOR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The Upgates shop (sandbox) whose orders the deliveries name: its origin.
    #[arg(long)]
    shop: String,
    /// The shop's API login (`{shop}` stands for a shop's name).
    #[arg(long, default_value = "sandbox")]
    login: String,
    /// The shop's API key (`{shop}` stands for a shop's name).
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
    let targets = targets(&http, &args).await?;
    println!(
        "| deliveries/s | sent | acked | p50 ms | p90 ms | p99 ms | max ms | drained after | lost |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut lost = 0;
    for &rate in &args.rate {
        let plan = Plan {
            targets: targets.clone(),
            statuses: args.service.iter().map(|s| format!("{s}/status")).collect(),
            token: args.token.clone(),
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

/// Every shop's webhook on every instance, with the shop's orders; a shop's deliveries go to
/// the instances in turn.
async fn targets(http: &reqwest::Client, args: &Args) -> Result<Vec<Target>, String> {
    let names: Vec<Option<String>> = match args.shops {
        0 => vec![None],
        n => (1..=n).map(|k| Some(format!("shop-{k}"))).collect(),
    };
    let mut targets = Vec::with_capacity(names.len() * args.service.len());
    for name in &names {
        let fill = |template: &str| template.replace("{shop}", name.as_deref().unwrap_or(""));
        let prefix = name.as_ref().map_or_else(String::new, |n| format!("/shops/{n}"));
        let orders = order_numbers(
            http,
            &format!("{}{prefix}", args.shop),
            &fill(&args.login),
            &fill(&args.key),
        )
        .await?;
        for service in &args.service {
            let webhook = format!(
                "{service}{prefix}/webhooks/Orders.create?shopflow_secret={}",
                fill(&args.secret)
            );
            targets.push(Target { webhook, orders: orders.clone() });
        }
    }
    Ok(targets)
}

/// The first page of a shop's orders (up to 100 numbers); `shop` is its origin.
async fn order_numbers(
    http: &reqwest::Client,
    shop: &str,
    login: &str,
    key: &str,
) -> Result<Vec<String>, String> {
    let url = format!("{shop}/api/v2/orders");
    let page: Value = http
        .get(&url)
        .basic_auth(login, Some(key))
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
        return Err(format!("the shop at {shop} has no orders to name"));
    }
    Ok(numbers)
}
