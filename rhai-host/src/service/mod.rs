//! `shopflow run`: the rules service.
//!
//! Webhooks come in (`http`), are journaled before they are acknowledged (`journal`), and a
//! worker turns them into the fewest API calls (`worker`) through the shop's client
//! (`shopflow-client`, the core's exchange over reqwest). `board` is what `/status` shows. Without `--shop`, `demo` starts the embedded
//! sandbox as the shop and keeps storefront orders coming.

mod board;
mod demo;
mod http;
mod journal;
mod worker;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use shopflow_client::Client;
use shopflow_core::date::ApiDate;
use shopflow_core::secret::Secret;
use shopflow_rules::{Limits, RuleSet};

use crate::cli::RunArgs;
use board::{Board, RuleInfo};
use journal::Journal;

/// What the demo tells the dashboard (`GET /demo.json`): the local sandbox's address and its
/// demo key. Never served for a real shop.
#[derive(Debug, Clone, Serialize)]
pub struct DemoInfo {
    /// The sandbox's API.
    pub shop: DemoShop,
}

/// The demo shop's connection.
#[derive(Debug, Clone, Serialize)]
pub struct DemoShop {
    /// `http://127.0.0.1:PORT/api/v2`.
    #[serde(rename = "baseUrl")]
    pub base_url: String,
    /// The API login.
    pub login: String,
    /// The demo key (a local sandbox's; not a secret of any real shop).
    #[serde(rename = "apiKey")]
    pub api_key: String,
}

/// The running service's shared parts.
pub struct Service {
    journal: Mutex<Journal>,
    board: Mutex<Board>,
    /// The rule files, by name.
    pub rules: Vec<(String, RuleSet)>,
    /// The shop's API client (its budget, slots and refused credentials are shared by
    /// every request of the service).
    pub shop: Client,
    /// Wakes the worker when a delivery is journaled.
    pub wake: tokio::sync::Notify,
    secret: Secret,
    demo: Option<DemoInfo>,
}

impl Service {
    /// The journal (held briefly; never across an await).
    pub fn journal(&self) -> MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The status board.
    pub fn board(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Today in UTC (the payment date of `mark_paid` without one).
pub fn today() -> ApiDate {
    ApiDate::Date(chrono::Utc::now().date_naive())
}

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
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let origin = format!("http://{addr}");

    let sandbox = if demo_mode { Some(demo::start_shop(args.demo_port).await?) } else { None };
    let (shop, demo_info) = match (&sandbox, &args.shop) {
        (Some(sb), _) => {
            let info = DemoInfo {
                shop: DemoShop {
                    base_url: sb.base_url(),
                    login: demo::LOGIN.to_owned(),
                    api_key: demo::KEY.to_owned(),
                },
            };
            (client_for(&info.shop.base_url, demo::LOGIN, demo::KEY)?, Some(info))
        }
        (None, Some(url)) => {
            let login = args.login.clone().unwrap_or_default();
            let key = args.key.clone().unwrap_or_default();
            (client_for(url, &login, &key)?, None)
        }
        (None, None) => return Err("no shop".into()),
    };
    let journal = Journal::open(&data, &today().to_string())?;
    let secret = secret(args.secret.as_deref(), &data)?;
    let where_secret = match &args.secret {
        Some(_) => "the one given with --secret".to_owned(),
        None => format!("in {}", data.join("webhook-secret").display()),
    };
    let board = Board {
        rules: rules
            .iter()
            .map(|(name, r)| RuleInfo {
                name: name.clone(),
                hooks: r.hooks().iter().map(|h| h.function_name()).collect(),
            })
            .collect(),
        pending_deliveries: journal.state.pending.len(),
        ..Board::default()
    };
    let resumed = journal.state.pending.len();
    let service = Arc::new(Service {
        journal: Mutex::new(journal),
        board: Mutex::new(board),
        rules,
        shop,
        wake: tokio::sync::Notify::new(),
        secret,
        demo: demo_info,
    });

    // The first line on stdout is the contract scripts and tests wait for.
    println!("listening on {origin}");
    let _ = std::io::stdout().flush();
    if resumed > 0 {
        eprintln!("resuming {resumed} unfinished deliveries from {}", data.display());
    }
    let app = http::router(Arc::clone(&service), Some(args.www.clone()));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    tokio::spawn(worker::run(Arc::clone(&service)));
    service.wake.notify_one();

    if let Some(sb) = &sandbox {
        let hooks = demo::needed_events(&service.rules);
        demo::register_webhooks(&service, &origin, &hooks).await?;
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
    } else if let Some(public) = &args.register_webhooks {
        let hooks = demo::needed_events(&service.rules);
        demo::register_webhooks(&service, public, &hooks).await?;
        eprintln!("webhooks registered at {public}/webhooks/... (the secret is {where_secret})");
    } else {
        eprintln!(
            "register webhooks at {origin}/webhooks/<Entity.action>?shopflow_secret=<secret> (the secret is {where_secret}), or pass --register-webhooks URL"
        );
    }

    tokio::select! {
        _ = stop_signal() => {}
        r = server => { if let Ok(Err(e)) = r { eprintln!("the server stopped: {e}"); } }
    }
    eprintln!("stopping");
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    Ok(ExitCode::SUCCESS)
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

/// The webhook secret: given, else kept in `dir/webhook-secret` (created once, owner-only).
fn secret(given: Option<&str>, dir: &Path) -> Result<Secret, String> {
    if let Some(s) = given {
        return Ok(Secret::new(s));
    }
    let path = dir.join("webhook-secret");
    if let Ok(s) = std::fs::read_to_string(&path) {
        return Ok(Secret::new(s.trim()));
    }
    let bytes: [u8; 24] = rand::random();
    let s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(s.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| e.to_string())?;
    Ok(Secret::new(s))
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
