//! `shopflow run --config shops.toml`: every shop of the shops file (`shops_file.rs`) in one
//! service (`shopflow_service::many`), each with its own data folder (`DATA/shops/NAME`),
//! client, worker and receivers under `/shops/NAME/`.
//!
//! A shop whose webhooks cannot be registered (a refused key, the shop down) is logged and
//! left to its worker, which says why on `/status`; it never stops the other shops.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use shopflow_pg_store::PgStore;
use shopflow_service::many::{Many, ShopConfig};
use shopflow_service::rules::Rules;
use shopflow_service::shared_budget::PgBudget;
use shopflow_service::{Config, PgShop};

use super::run::{STOP_GRACE, client_for, register_on_reload, register_shop, stop_signal};
use crate::cli::{RunArgs, SandboxPlatform};
use crate::shops_file::{self, ShopEntry};

/// Runs every shop of the file until SIGINT or SIGTERM.
pub fn run(args: RunArgs, file: &Path) -> Result<ExitCode, String> {
    crate::logging::init(args.log_format)?;
    let shops = shops_file::read(file, &|name| std::env::var(name).ok())?;
    let mut problems = Vec::new();
    let mut loaded = Vec::new();
    for shop in shops {
        match crate::reload::load(&shop.rules, &capabilities(shop.platform)) {
            Ok(rules) => loaded.push((shop, rules)),
            Err(e) => problems.push(format!("shop {:?}: rules: {e}", shop.name)),
        }
    }
    if !problems.is_empty() {
        return Err(format!("{}: {}", file.display(), problems.join("\n")));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(serve(args, loaded))
}

fn capabilities(platform: SandboxPlatform) -> shopflow_core::automation::platform::Capabilities {
    match platform {
        SandboxPlatform::Upgates => shopflow_core::upgates::CAPABILITIES,
        SandboxPlatform::Retailys => shopflow_core::retailys::CAPABILITIES,
    }
}

async fn serve(args: RunArgs, shops: Vec<(ShopEntry, Rules)>) -> Result<ExitCode, String> {
    let data = args.data.clone().unwrap_or_else(|| PathBuf::from(".shopflow"));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let store = connect_store(&args, &shops).await?;
    // This instance's name as a lease holder (unique: a restarted instance is a new one).
    let holder = format!("pid{}-{:08x}", std::process::id(), rand::random::<u32>());
    let result = serve_shops(args, shops, listener, data, store.as_ref(), &holder).await;
    if let Some((store, runtime)) = store {
        // The shops gave their leases up as they stopped: the other instances count this
        // one out at once and take them.
        let store2 = store.clone();
        let left = runtime.spawn(async move { store2.leave(&holder).await }).await;
        if let Err(e) = left.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string())) {
            tracing::warn!(error = %e, "cannot say this instance left; the others count it out when its row lapses");
        }
        // Its connections are closed with it; nothing is in flight once the shops stopped.
        runtime.shutdown_background();
    }
    result
}

async fn serve_shops(
    args: RunArgs,
    shops: Vec<(ShopEntry, Rules)>,
    listener: tokio::net::TcpListener,
    data: PathBuf,
    store: Option<&(PgStore, tokio::runtime::Runtime)>,
    holder: &str,
) -> Result<ExitCode, String> {
    let mut configs = Vec::with_capacity(shops.len());
    // What each shop's log line says of its rules and its secret.
    let mut told = Vec::with_capacity(shops.len());
    let rounds = store.map(|(store, runtime)| {
        let count = shops.len();
        shopflow_service::LeaseRounds::start(
            store.clone(),
            holder.to_owned(),
            count,
            runtime.handle(),
        )
    });
    for (shop, rules) in shops {
        let on_store = store.zip(rounds.as_ref()).map(|((store, runtime), rounds)| PgShop {
            store: store.clone(),
            shop: shop.name.clone(),
            holder: holder.to_owned(),
            runtime: runtime.handle().clone(),
            rounds: Arc::clone(rounds),
        });
        let config = shop_config(&args, &data, &shop, rules, on_store)?;
        told.push((shop.rules, shop.secret.is_some()));
        configs.push(ShopConfig { name: shop.name, config });
    }
    let many = shopflow_service::many::start(
        configs,
        &data,
        args.operator_token.as_deref(),
        Some(&args.www),
        listener,
    )
    .await?;
    if let Some((store, runtime)) = store {
        let shops = many.shops.iter().map(|(name, r)| (name.clone(), Arc::downgrade(&r.service)));
        runtime.spawn(shopflow_service::wake_holders(store.clone(), shops.collect()));
    }
    // The first line on stdout is the contract scripts and tests wait for.
    println!("listening on {}", many.origin);
    let _ = writeln!(
        std::io::stdout(),
        "status: {}/status (the operator token is {})",
        many.origin,
        many.token_is
    );
    let _ = std::io::stdout().flush();
    start_shop_tasks(&args, &many, told);
    serve_until_stopped(many).await
}

/// One shop's service configuration from its entry in the shops file; on a shared store,
/// its client takes every request from the shop's budget there.
fn shop_config(
    args: &RunArgs,
    data: &Path,
    shop: &ShopEntry,
    rules: Rules,
    on_store: Option<PgShop>,
) -> Result<Config, String> {
    let budget = on_store.as_ref().map(|on| {
        Arc::new(PgBudget::new(on)) as Arc<dyn shopflow_client::shared_budget::BudgetStore>
    });
    let client = client_for(shop.platform, &shop.base_url, &shop.login, shop.key.expose(), budget)
        .map_err(|e| format!("shop {:?}: base_url: {e}", shop.name))?;
    Ok(Config {
        shop: client,
        rules,
        reloader: Some(crate::reload::reloader(shop.rules.clone(), capabilities(shop.platform))),
        data: data.join("shops").join(&shop.name),
        secret: shop.secret.as_ref().map(|s| s.expose().to_owned()),
        operator_token: None,
        allow_origins: args.allow_origins.clone(),
        // Each shop's dashboard at /shops/NAME/: the site's requests are relative to the
        // page, so it reads that shop's operator API.
        www: Some(args.www.clone()),
        demo: None,
        poll_per_hour: shop.poll_per_hour.unwrap_or(args.poll_per_hour),
        keep_runs: std::time::Duration::from_secs(u64::from(args.keep_runs) * 86_400),
        store: on_store,
    })
}

/// Logs each shop being served and starts its rule reloads (and, when asked, its webhook
/// registration). `told`: each shop's rules path and whether the file named its secret.
fn start_shop_tasks(args: &RunArgs, many: &Many, told: Vec<(PathBuf, bool)>) {
    for ((name, running), (rules, secret_given)) in many.shops.iter().zip(told) {
        let service = &running.service;
        let secret_is = match secret_given {
            true => "the one the shops file names (secret_env or secret_file)",
            false => running.secret_is.as_str(),
        };
        tracing::info!(
            shop = %name,
            platform = service.shop.platform(),
            receivers = %format!("{}/...", running.origin),
            dashboard = %format!("{}/", running.origin),
            secret = %secret_is,
            rules = %rules.display(),
            resumed = running.resumed,
            "serving the shop"
        );
        tokio::spawn(crate::reload::on_hangup(Arc::clone(service)));
        tokio::spawn(crate::reload::watch(Arc::clone(service), rules));
        if let Some(public) = &args.register_webhooks {
            let public = format!("{}/shops/{name}", public.trim_end_matches('/'));
            tokio::spawn(register_shop(Arc::clone(service), name.clone(), public.clone()));
            tokio::spawn(register_on_reload(Arc::clone(service), public));
        }
    }
}

/// Serves until SIGINT or SIGTERM (or the server ends), then stops every shop without losing
/// what was acknowledged.
async fn serve_until_stopped(mut many: Many) -> Result<ExitCode, String> {
    tokio::select! {
        () = stop_signal() => {}
        r = many.serve() => { if let Err(e) = r { tracing::error!(error = %e, "the server stopped"); } }
    }
    tracing::info!(
        grace_s = STOP_GRACE.as_secs(),
        "stopping: new deliveries get 503, each shop's pass in hand finishes"
    );
    match many.stop(STOP_GRACE).await {
        Ok(()) => {
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(format!("stopped, but {e}")),
    }
}

/// The shared PostgreSQL store of `--store`, if given: connected and migrated, on a runtime
/// of its own (see `shopflow_service::PgShop::runtime`). Every shop must then name its
/// webhook secret (a generated one would differ per instance).
async fn connect_store(
    args: &RunArgs,
    shops: &[(ShopEntry, Rules)],
) -> Result<Option<(PgStore, tokio::runtime::Runtime)>, String> {
    let Some(url) = &args.store else {
        return Ok(None);
    };
    let unnamed: Vec<String> = shops
        .iter()
        .filter(|(shop, _)| shop.secret.is_none())
        .map(|(shop, _)| format!("shop {:?}", shop.name))
        .collect();
    if !unnamed.is_empty() {
        return Err(format!(
            "with --store, every shop needs secret_env or secret_file so that every instance checks the same webhook secret; missing for {}",
            unnamed.join(", ")
        ));
    }
    // A connection per shop's worker at most, and a few for receiving.
    let connections = u32::try_from(shops.len()).unwrap_or(u32::MAX).clamp(4, 32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("shopflow-store")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the store's runtime: {e}"))?;
    let url = url.clone();
    let connected = runtime.spawn(async move { PgStore::connect(&url, connections).await }).await;
    let failed = match connected {
        Ok(Ok(store)) => return Ok(Some((store, runtime))),
        Ok(Err(e)) => format!("--store: {e}"),
        Err(e) => format!("--store: the connecting task failed: {e}"),
    };
    // A runtime dropped on another's thread would panic.
    runtime.shutdown_background();
    Err(failed)
}
