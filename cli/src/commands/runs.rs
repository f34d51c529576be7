//! `shopflow runs ORDER`: an order's run history on the running service, through its
//! operator API: per run, the events that named the order, each hook call's rules with their
//! actions and logs, the outcome and the requests the pass cost (shared by its orders).

use std::process::ExitCode;

use reqwest::Method;
use serde_json::Value;

use super::service_api::call;
use crate::cli::RunsArgs;

/// Prints the order's runs, newest first.
///
/// # Errors
/// The service's error, or why it cannot be reached.
pub fn run(args: &RunsArgs) -> Result<ExitCode, String> {
    let order = percent_encode(&args.order);
    let v = call(&args.service, Method::GET, &format!("/runs/{order}?limit={}", args.limit))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&v["runs"]).map_err(|e| e.to_string())?);
        return Ok(ExitCode::SUCCESS);
    }
    let runs = v["runs"].as_array().map_or(&[][..], Vec::as_slice);
    if runs.is_empty() {
        println!("no runs of order {} are kept", args.order);
    }
    for r in runs {
        print_run(r);
    }
    Ok(ExitCode::SUCCESS)
}

/// One run: a heading line, the events, then each hook call with its rules.
fn print_run(r: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    println!(
        "{}  {}  {}  (the pass sent {} requests for {} orders)",
        s(&r["at"]),
        s(&r["order"]),
        s(&r["outcome"]),
        r["cost"]["requests"],
        r["cost"]["orders_in_pass"]
    );
    for e in r["events"].as_array().into_iter().flatten() {
        let (id, event, at) = (&e["delivery"], s(&e["event"]), s(&e["received_at"]));
        println!("  event {event} (delivery {id}, received {at})");
    }
    for h in r["hooks"].as_array().into_iter().flatten() {
        let reason = h["reason"].as_str().map(|w| format!(": {w}")).unwrap_or_default();
        println!("  {} -> {}{reason}", s(&h["hook"]), s(&h["outcome"]));
        for rule in h["rules"].as_array().into_iter().flatten() {
            println!("    rule {}", s(&rule["rule"]));
            for action in rule["actions"].as_array().into_iter().flatten() {
                println!("      action: {action}");
            }
            for line in rule["logs"].as_array().into_iter().flatten() {
                println!("      log: {}", s(line));
            }
            if let Some(e) = rule.get("error").filter(|e| !e.is_null()) {
                println!("      error: {}", s(&e["message"]));
            }
        }
    }
}

/// The order number as one path segment.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
