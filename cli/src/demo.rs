//! The demo: the embedded sandbox of either platform as the shop (the only place the command
//! line links the sandbox besides `shopflow sandbox`), and a steady trickle of storefront
//! orders, so the README's main command shows rules at work.

use std::time::Duration;

use shopflow_sandbox::{RetailysConfig, RetailysHandle, SandboxConfig, SandboxHandle};
use shopflow_service::DemoShop;

use crate::cli::SandboxPlatform;

/// The demo shop's API login (Upgates).
pub const LOGIN: &str = "demo";
/// The demo shop's API key (Upgates) or token (Retailys); local only.
pub const KEY: &str = "demo-key";
/// Orders in the demo shop at start.
const SEED_ORDERS: usize = 40;

/// The demo shop, on either platform.
pub enum DemoSandbox {
    /// The Upgates sandbox.
    Upgates(SandboxHandle),
    /// The Retailys sandbox.
    Retailys(RetailysHandle),
}

impl DemoSandbox {
    /// How the service and the dashboard connect to it.
    pub fn info(&self) -> DemoShop {
        let (platform, base_url, login) = match self {
            DemoSandbox::Upgates(h) => ("upgates", h.base_url(), LOGIN.to_owned()),
            DemoSandbox::Retailys(h) => ("retailys", h.base_url(), String::new()),
        };
        DemoShop { platform, base_url, login, api_key: KEY.to_owned() }
    }

    /// `http://127.0.0.1:PORT` (its control API is under `/__sandbox`).
    pub fn origin(&self) -> String {
        match self {
            DemoSandbox::Upgates(h) => h.origin(),
            DemoSandbox::Retailys(h) => h.origin(),
        }
    }

    /// Stops it.
    pub async fn shutdown(self) {
        match self {
            DemoSandbox::Upgates(h) => h.shutdown().await,
            DemoSandbox::Retailys(h) => h.shutdown().await,
        }
    }
}

/// Starts the platform's sandbox with a few orders already in it.
pub async fn start_shop(platform: SandboxPlatform, port: u16) -> Result<DemoSandbox, String> {
    let failed = |e: shopflow_sandbox::StartError| format!("cannot start the demo shop: {e}");
    match platform {
        SandboxPlatform::Upgates => {
            let config = SandboxConfig {
                port,
                login: LOGIN.to_owned(),
                api_key: KEY.into(),
                seed_orders: SEED_ORDERS,
                project_name: "demo".to_owned(),
                ..SandboxConfig::default()
            };
            shopflow_sandbox::start(config).await.map(DemoSandbox::Upgates).map_err(failed)
        }
        SandboxPlatform::Retailys => {
            let config = RetailysConfig {
                port,
                token: KEY.into(),
                seed_orders: SEED_ORDERS,
                ..RetailysConfig::default()
            };
            shopflow_sandbox::start_retailys(config)
                .await
                .map(DemoSandbox::Retailys)
                .map_err(failed)
        }
    }
}

/// Generates `count` storefront orders every `every` seconds through the sandbox's control
/// API (the same on both platforms), as shoppers would place them.
pub async fn generate_orders(origin: String, every: u64, count: usize) {
    let client = reqwest::Client::new();
    let url = format!("{origin}/__sandbox/orders/generate");
    loop {
        tokio::time::sleep(Duration::from_secs(every)).await;
        let body = format!("{{\"count\": {count}}}");
        let sent =
            client.post(&url).header("content-type", "application/json").body(body).send().await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "demo: cannot generate orders");
        }
    }
}
