//! `shopflow run`: the rules service (the `shopflow-service` library) on a real shop, or on
//! the embedded demo shop when no `--shop` is given.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use shopflow_client::Client;
use shopflow_core::secret::Secret;
use shopflow_rules::{Limits, RuleSet};
use shopflow_service::webhooks::{needed_events, register_webhooks};
use shopflow_service::{Config, DemoInfo, DemoShop, Running};

use crate::cli::RunArgs;
use crate::demo;

/// Runs the service until SIGINT or SIGTERM.
pub fn run(args: RunArgs) -> Result<ExitCode, String> {
    let platform = shopflow_core::upgates::CAPABILITIES;
    let rules =
        crate::rule_files::load(std::slice::from_ref(&args.rules), &Limits::default(), &platform)
            .map_err(|errors| errors.join("\n"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(serve(args, rules))
}

/// The shop's client. Loopback addresses are allowed: the demo and the tests run the shop
/// on 127.0.0.1.
fn client_for(url: &str, login: &str, key: &str) -> Result<Client, String> {
    Client::builder(url, login, Secret::new(key))
        .allow_local(true)
        .on_relocate(|base| eprintln!("the shop has moved; its API is now at {base}"))
        .build()
        .map_err(|e| e.to_string())
}

async fn serve(args: RunArgs, rules: Vec<(String, RuleSet)>) -> Result<ExitCode, String> {
    let demo_mode = args.shop.is_none();
    let data = args.data.clone().unwrap_or_else(|| {
        PathBuf::from(if demo_mode { ".shopflow/demo" } else { ".shopflow/shop" })
    });
    if demo_mode && args.data.is_none() {
        // The demo shop is new each time; so is what the service remembers of it.
        let _ = std::fs::remove_dir_all(&data);
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let sandbox = if demo_mode { Some(demo::start_shop(args.demo_port).await?) } else { None };
    let (shop, demo_info) = match (&sandbox, &args.shop) {
        (Some(sb), _) => {
            let shop = DemoShop {
                base_url: sb.base_url(),
                login: demo::LOGIN.to_owned(),
                api_key: demo::KEY.to_owned(),
            };
            (client_for(&shop.base_url, demo::LOGIN, demo::KEY)?, Some(DemoInfo { shop }))
        }
        (None, Some(url)) => {
            let login = args.login.clone().unwrap_or_default();
            let key = args.key.clone().unwrap_or_default();
            (client_for(url, &login, &key)?, None)
        }
        (None, None) => return Err("no shop".into()),
    };
    let config = Config {
        shop,
        rules,
        data: data.clone(),
        secret: args.secret.clone(),
        www: Some(args.www.clone()),
        demo: demo_info,
    };
    let running = shopflow_service::start(config, listener).await?;

    // The first line on stdout is the contract scripts and tests wait for.
    println!("listening on {}", running.origin);
    let _ = std::io::stdout().flush();
    if running.resumed > 0 {
        eprintln!("resuming {} unfinished deliveries from {}", running.resumed, data.display());
    }
    match &sandbox {
        Some(sb) => start_demo(&args, &running, sb).await?,
        None => announce_webhooks(&args, &running).await?,
    }

    tokio::select! {
        _ = stop_signal() => {}
        r = running.serve() => { if let Err(e) = r { eprintln!("{e}"); } }
    }
    eprintln!("stopping");
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo: webhooks at the local address, where to look, and orders arriving.
async fn start_demo(
    args: &RunArgs,
    running: &Running,
    sb: &shopflow_sandbox::SandboxHandle,
) -> Result<(), String> {
    let origin = &running.origin;
    let hooks = needed_events(&running.service.rules);
    register_webhooks(&running.service, origin, &hooks).await?;
    eprintln!("dashboard:      {origin}/");
    eprintln!("service status: {origin}/status");
    // Not the key, even the demo's: keys stay out of logs (the dashboard reads /demo.json).
    eprintln!(
        "demo shop API:  {} (login {}; the key is served to the dashboard at /demo.json)",
        sb.base_url(),
        demo::LOGIN
    );
    eprintln!("demo control:   {}/__sandbox/stats", sb.origin());
    eprintln!("rules:          {}", args.rules.display());
    if args.demo_every > 0 {
        tokio::spawn(demo::generate_orders(sb.origin(), args.demo_every, args.demo_orders));
        eprintln!(
            "new storefront orders: {} every {}s (stop with Ctrl-C)",
            args.demo_orders, args.demo_every
        );
    }
    Ok(())
}

/// A real shop: register the webhooks at the public address given, or say how to.
async fn announce_webhooks(args: &RunArgs, running: &Running) -> Result<(), String> {
    let secret_is = &running.secret_is;
    if let Some(public) = &args.register_webhooks {
        let hooks = needed_events(&running.service.rules);
        register_webhooks(&running.service, public, &hooks).await?;
        eprintln!("webhooks registered at {public}/webhooks/... (the secret is {secret_is})");
    } else {
        eprintln!(
            "register webhooks at {}/webhooks/<Entity.action>?shopflow_secret=<secret> (the secret is {secret_is}), or pass --register-webhooks URL",
            running.origin
        );
    }
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
