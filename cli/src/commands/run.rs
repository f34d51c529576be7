//! `shopflow run`: the rules service (the `shopflow-service` library) on a real shop of
//! either platform, or on the platform's embedded demo shop when no `--shop` is given.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use shopflow_client::Client;
use shopflow_client::retailys::RetailysClient;
use shopflow_client::shared_budget::BudgetStore;
use shopflow_core::secret::Secret;
use shopflow_service::retailys::{needed_events as retailys_events, register_callbacks};
use shopflow_service::rules::{Reloader, Rules};
use shopflow_service::webhooks::{needed_events, register_webhooks};
use shopflow_service::{Config, DemoInfo, Running, Service, Shop};

use crate::cli::{RunArgs, SandboxPlatform};
use crate::demo::{self, DemoSandbox};

/// Runs the service until SIGINT or SIGTERM.
pub fn run(args: RunArgs) -> Result<ExitCode, String> {
    if let Some(file) = args.config.clone() {
        return super::run_shops::run(args, &file);
    }
    crate::logging::init(args.log_format)?;
    let platform = match args.platform {
        SandboxPlatform::Upgates => shopflow_core::upgates::CAPABILITIES,
        SandboxPlatform::Retailys => shopflow_core::retailys::CAPABILITIES,
    };
    let rules = crate::reload::load(&args.rules, &platform)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let reloader = crate::reload::reloader(args.rules.clone(), platform);
    runtime.block_on(serve(args, rules, reloader))
}

/// The shop's client. Loopback addresses are allowed: the demo and the tests run the shop
/// on 127.0.0.1. `budget`: the request budget shared with other instances, if any (Upgates
/// only: Retailys reports no budget to share).
pub(crate) fn client_for(
    platform: SandboxPlatform,
    url: &str,
    login: &str,
    key: &str,
    budget: Option<Arc<dyn BudgetStore>>,
) -> Result<Shop, String> {
    match platform {
        SandboxPlatform::Upgates => {
            let mut builder = Client::builder(url, login, Secret::new(key))
                .allow_local(true)
                .on_relocate(|base| {
                    tracing::warn!(%base, "the shop has moved; its API is now there");
                });
            if let Some(budget) = budget {
                builder = builder.shared_budget(budget);
            }
            builder.build().map(Shop::Upgates).map_err(|e| e.to_string())
        }
        SandboxPlatform::Retailys => RetailysClient::builder(url, Secret::new(key))
            .allow_local(true)
            .build()
            .map(Shop::Retailys)
            .map_err(|e| e.to_string()),
    }
}

/// Where the journal and the secret live: given, else per platform and mode.
fn data_dir(args: &RunArgs) -> PathBuf {
    let name = match (args.platform, args.shop.is_none()) {
        (SandboxPlatform::Upgates, true) => "demo",
        (SandboxPlatform::Upgates, false) => "shop",
        (SandboxPlatform::Retailys, true) => "demo-retailys",
        (SandboxPlatform::Retailys, false) => "shop-retailys",
    };
    args.data.clone().unwrap_or_else(|| Path::new(".shopflow").join(name))
}

async fn serve(args: RunArgs, rules: Rules, reloader: Reloader) -> Result<ExitCode, String> {
    let demo_mode = args.shop.is_none();
    let data = data_dir(&args);
    if demo_mode && args.data.is_none() {
        // The demo shop is new each time; so is what the service remembers of it.
        let _ = std::fs::remove_dir_all(&data);
    }
    if args.shop.is_some() && args.platform == SandboxPlatform::Upgates && args.login.is_none() {
        return Err("an Upgates shop needs --login (the API user's login)".into());
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let sandbox = match demo_mode {
        true => Some(demo::start_shop(args.platform, args.demo_port).await?),
        false => None,
    };
    let (shop, demo_info) = shop_for(&args, sandbox.as_ref())?;
    let config = Config {
        shop,
        rules,
        reloader: Some(reloader),
        data: data.clone(),
        secret: args.secret.clone(),
        operator_token: args.operator_token.clone(),
        allow_origins: args.allow_origins.clone(),
        www: Some(args.www.clone()),
        demo: demo_info,
        poll_per_hour: args.poll_per_hour,
        keep_runs: std::time::Duration::from_secs(u64::from(args.keep_runs) * 86_400),
        store: None,
    };
    let running = shopflow_service::start(config, listener).await?;

    // The first line on stdout is the contract scripts and tests wait for.
    println!("listening on {}", running.origin);
    print_dashboard(&running, sandbox.is_some());
    let _ = std::io::stdout().flush();
    if running.resumed > 0 {
        tracing::info!(
            deliveries = running.resumed,
            data = %data.display(),
            "resuming unfinished deliveries from the journal"
        );
    }
    match &sandbox {
        Some(sb) => start_demo(&args, &running, sb).await?,
        None => announce(&args, &running).await?,
    }

    reload_rules_when_asked(&args, &running, sandbox.is_some());
    serve_until_stopped(running, sandbox).await
}

/// The shop's client: the demo sandbox's (and what the dashboard is told of it), or the one
/// given by `--shop`.
fn shop_for(
    args: &RunArgs,
    sandbox: Option<&DemoSandbox>,
) -> Result<(Shop, Option<DemoInfo>), String> {
    match (sandbox, &args.shop) {
        (Some(sb), _) => {
            let info = sb.info();
            let shop = client_for(args.platform, &info.base_url, &info.login, &info.api_key, None)?;
            Ok((shop, Some(DemoInfo { shop: info })))
        }
        (None, Some(url)) => {
            let login = args.login.clone().unwrap_or_default();
            let key = args.key.clone().unwrap_or_default();
            Ok((client_for(args.platform, url, &login, &key, None)?, None))
        }
        (None, None) => Err("no shop".into()),
    }
}

/// Serves until SIGINT or SIGTERM (or the server ends), then stops without losing what was
/// acknowledged, and the demo's sandbox with it.
async fn serve_until_stopped(
    mut running: Running,
    sandbox: Option<DemoSandbox>,
) -> Result<ExitCode, String> {
    tokio::select! {
        () = stop_signal() => {}
        r = running.serve() => { if let Err(e) = r { tracing::error!(error = %e, "the server stopped"); } }
    }
    tracing::info!(
        grace_s = STOP_GRACE.as_secs(),
        "stopping: new deliveries get 503, the pass in hand finishes"
    );
    let stopped = running.stop(STOP_GRACE).await;
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    match stopped {
        Ok(()) => {
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(format!("stopped, but {e}")),
    }
}

/// How long a stop waits for the pass in hand: past it, the pass is cut off and its
/// deliveries (journaled, unfinished) are resumed at the next start. Below the 30 s a
/// service manager usually waits after SIGTERM before SIGKILL, with room to flush.
pub(crate) const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(25);

/// The second line on stdout: the dashboard's address. The demo's carries the operator token
/// in the fragment (`#token=`), which a browser never sends to a server, so the demo stays
/// one command; a real shop's says where the token is kept instead.
fn print_dashboard(running: &Running, demo: bool) {
    let origin = &running.origin;
    let line = match demo {
        true => format!("dashboard: {origin}/#token={}", running.operator_token().expose()),
        false => format!("dashboard: {origin}/ (the operator token is {})", running.token_is),
    };
    // A closed stdout (whoever started the service read only the first line) is no reason
    // to stop.
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Registers what the rules need at `public`: Upgates webhooks or Retailys callbacks (those
/// already registered are skipped).
async fn register(service: &Service, public: &str) -> Result<(), String> {
    match &service.shop {
        Shop::Upgates(_) => {
            register_webhooks(service, public, &needed_events(&service.rules())).await
        }
        Shop::Retailys(client) => {
            let events = retailys_events(&service.rules());
            register_callbacks(service, client, public, &events).await
        }
    }
}

/// Hot reload: on SIGHUP and when the rule files change (`POST /rules/reload` is the
/// service's own), and what new rules need registered after each good reload.
fn reload_rules_when_asked(args: &RunArgs, running: &Running, demo: bool) {
    let service = &running.service;
    tokio::spawn(crate::reload::on_hangup(Arc::clone(service)));
    tokio::spawn(crate::reload::watch(Arc::clone(service), args.rules.clone()));
    let public = if demo { Some(running.origin.clone()) } else { args.register_webhooks.clone() };
    if let Some(public) = public {
        tokio::spawn(register_on_reload(Arc::clone(service), public));
    }
}

/// After every good reload, registers what the new rules need and the old did not (a rule for
/// a new hook would otherwise never be called).
pub(crate) async fn register_on_reload(service: Arc<Service>, public: String) {
    let mut reloads = service.rules_reloaded();
    while reloads.changed().await.is_ok() {
        if let Err(e) = register(&service, &public).await {
            tracing::error!(error = %e, %public, "the reloaded rules' webhooks could not be registered");
        }
    }
}

/// One shop of many: registers what its rules need at `public`, and says in the log how it
/// went; a failure is that shop's alone (its worker says why on `/status`).
pub(crate) async fn register_shop(service: Arc<Service>, name: String, public: String) {
    match register(&service, &public).await {
        Ok(()) => tracing::info!(shop = %name, %public, "registered with the shop"),
        Err(e) => tracing::error!(shop = %name, error = %e, "could not register with the shop"),
    }
}

/// The demo: webhooks at the local address, where to look, and orders arriving.
async fn start_demo(args: &RunArgs, running: &Running, sb: &DemoSandbox) -> Result<(), String> {
    let origin = &running.origin;
    register(&running.service, origin).await?;
    let info = sb.info();
    tracing::info!("service status: {origin}/status (with the operator token)");
    // Not the key, even the demo's: keys stay out of logs (the dashboard reads /demo.json).
    tracing::info!(
        "demo shop API: {} ({}; the key is served to the dashboard at /demo.json)",
        info.base_url,
        info.platform
    );
    tracing::info!("demo control: {}/__sandbox/stats", sb.origin());
    tracing::info!("rules: {}", args.rules.display());
    if args.demo_every > 0 {
        tokio::spawn(demo::generate_orders(sb.origin(), args.demo_every, args.demo_orders));
        tracing::info!(
            "new storefront orders: {} every {}s (stop with Ctrl-C)",
            args.demo_orders,
            args.demo_every
        );
    }
    Ok(())
}

/// A real shop: register the webhooks or callbacks at the public address given, or say how.
async fn announce(args: &RunArgs, running: &Running) -> Result<(), String> {
    let secret_is = &running.secret_is;
    match (&args.register_webhooks, args.platform) {
        (Some(public), _) => {
            register(&running.service, public).await?;
            tracing::info!("registered with the shop at {public}/... (the secret is {secret_is})");
        }
        (None, SandboxPlatform::Upgates) => tracing::info!(
            "register webhooks at {}/webhooks/<Entity.action>?shopflow_secret=<secret> (the secret is {secret_is}), or pass --register-webhooks URL",
            running.origin
        ),
        (None, SandboxPlatform::Retailys) => tracing::info!(
            "subscribe events at {}/retailys/<event>/<secret> (the secret is {secret_is}), or pass --register-webhooks URL",
            running.origin
        ),
    }
    Ok(())
}

pub(crate) async fn stop_signal() {
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
