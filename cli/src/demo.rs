//! The demo: the embedded sandbox as the shop (the only place the command line links the
//! sandbox besides `shopflow sandbox`), and a steady trickle of storefront orders, so the
//! README's main command shows rules at work.

use std::time::Duration;

use shopflow_sandbox::{SandboxConfig, SandboxHandle};

/// The demo shop's API login.
pub const LOGIN: &str = "demo";
/// The demo shop's API key (local only).
pub const KEY: &str = "demo-key";

/// Starts the sandbox with a few orders already in it.
pub async fn start_shop(port: u16) -> Result<SandboxHandle, String> {
    let config = SandboxConfig {
        port,
        login: LOGIN.to_owned(),
        api_key: KEY.into(),
        seed_orders: 40,
        project_name: "demo".to_owned(),
        ..SandboxConfig::default()
    };
    shopflow_sandbox::start(config).await.map_err(|e| format!("cannot start the demo shop: {e}"))
}

/// Generates `count` storefront orders every `every` seconds through the sandbox's control
/// API, as shoppers would place them.
pub async fn generate_orders(origin: String, every: u64, count: usize) {
    let client = reqwest::Client::new();
    let url = format!("{origin}/__sandbox/orders/generate");
    loop {
        tokio::time::sleep(Duration::from_secs(every)).await;
        let body = format!("{{\"count\": {count}}}");
        let sent =
            client.post(&url).header("content-type", "application/json").body(body).send().await;
        if let Err(e) = sent {
            eprintln!("demo: cannot generate orders: {e}");
        }
    }
}
