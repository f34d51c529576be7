//! `shopflow deliveries list|retry ID|drop ID`: the running service's set-aside deliveries
//! (dead letters), through its operator API.

use std::process::ExitCode;

use reqwest::Method;
use serde_json::Value;

use super::service_api::call;
use crate::cli::DeliveriesCommand;

/// Lists, retries or drops set-aside deliveries.
///
/// # Errors
/// The service's error, or why it cannot be reached.
pub fn run(command: DeliveriesCommand) -> Result<ExitCode, String> {
    match command {
        DeliveriesCommand::List(service) => {
            let v = call(&service, Method::GET, "/deliveries")?;
            print_list(v["deliveries"].as_array().map_or(&[][..], Vec::as_slice));
        }
        DeliveriesCommand::Retry(a) => {
            call(&a.service, Method::POST, &format!("/deliveries/{}/retry", a.id))?;
            println!("delivery {} is back in the queue", a.id);
        }
        DeliveriesCommand::Drop(a) => {
            call(&a.service, Method::POST, &format!("/deliveries/{}/drop", a.id))?;
            println!("delivery {} is dropped", a.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One block per dead letter: what it was, when, its orders and the shop's reason.
fn print_list(list: &[Value]) {
    if list.is_empty() {
        println!("no deliveries are set aside");
        return;
    }
    for d in list {
        let orders: Vec<&str> =
            d["orders"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        println!(
            "{}  {}  received {}  set aside {} after {} tries",
            d["id"],
            d["event"].as_str().unwrap_or_default(),
            d["received_at"].as_str().unwrap_or_default(),
            d["set_aside_at"].as_str().unwrap_or_default(),
            d["tries"],
        );
        if !orders.is_empty() {
            println!("    orders: {}", orders.join(", "));
        }
        println!("    reason: {}", d["reason"].as_str().unwrap_or_default());
    }
}
