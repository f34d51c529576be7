//! The command-line grammar (clap derive).

use std::path::PathBuf;

use crate::kinds::{ParseKind, ValidateKind, parse_kinds, validate_kinds};
use crate::logging::LogFormat;
use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};
use shopflow_core::automation::platform::{Capabilities, platform};
use shopflow_core::upgates::webhook::WebhookEvent;

/// Order automation for Upgates e-shops.
#[derive(Debug, Parser)]
#[command(name = "shopflow", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read an API document and print it typed and normalized (JSON on stdout).
    ///
    /// Booleans become true/false, numbers become exact numbers, dates are padded, and the
    /// API's alternative shapes (metas keyed by language, PHP date objects, old field names)
    /// come out in one form. Bad input exits 1 with the JSON path and line:column on stderr.
    Parse(ParseArgs),
    /// Check a request before it is sent and print every problem (exit 1 if any).
    Validate(ValidateArgs),
    /// Convert a legacy order-state request (POST /api/orders/state/update) into
    /// PUT /api/v2/orders request bodies of at most 100 orders (a JSON array on stdout).
    LegacyToV2(LegacyArgs),
    /// Run a local Upgates shop (the sandbox) on 127.0.0.1 until stopped.
    ///
    /// Prints `listening on http://127.0.0.1:PORT` as the first line on stdout. The API is
    /// under /api/v2 (HTTP Basic with --login/--key); the control API under /__sandbox/.
    /// With --platform retailys it is a Retailys instance under /v1 (header `token`).
    Sandbox(SandboxArgs),
    /// Check rule files and dry-run them on webhook payloads, without touching a shop.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run the rules service: receive webhooks, run the rules, write to the shop.
    ///
    /// Prints `listening on http://127.0.0.1:PORT` as the first line. Without --shop it starts
    /// the embedded sandbox as a demo shop, registers its webhooks, and keeps generating
    /// storefront orders; the dashboard is at the printed address.
    Run(RunArgs),
    /// The running service's set-aside deliveries (dead letters): list, retry or drop them.
    #[command(subcommand)]
    Deliveries(DeliveriesCommand),
    /// An order's run history on the running service: the events that came, the rules that
    /// ran, their actions and logs, the outcome and the requests the pass cost.
    Runs(RunsArgs),
}

/// How to reach a running service's operator API.
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// The service's address (http://HOST:PORT, what `shopflow run` printed).
    #[arg(long, value_name = "URL")]
    pub service: String,
    /// The operator token (or SHOPFLOW_OPERATOR_TOKEN); default: DATA/operator-token when
    /// that file exists.
    #[arg(long, env = "SHOPFLOW_OPERATOR_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The service's data folder, where its operator token is kept.
    #[arg(long, default_value = ".shopflow/shop")]
    pub data: PathBuf,
}

/// `shopflow deliveries ...`.
#[derive(Debug, Subcommand)]
pub enum DeliveriesCommand {
    /// List the set-aside deliveries: id, event, tries, the orders and the shop's reason.
    List(ServiceArgs),
    /// Put a set-aside delivery back in the queue (after fixing what the shop refused).
    Retry(DeliveryArgs),
    /// Drop a set-aside delivery for good.
    Drop(DeliveryArgs),
}

/// `shopflow deliveries retry|drop ID`.
#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// The delivery's id (from `shopflow deliveries list`).
    pub id: u64,
    /// The service.
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// `shopflow runs ORDER`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// The order number.
    pub order: String,
    /// At most this many runs, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print the runs as JSON.
    #[arg(long)]
    pub json: bool,
    /// The service.
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// `shopflow run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Serve every shop of this file (`[[shop]]` tables: name, platform, base_url, login,
    /// key_env or key_file, rules, secret_env or secret_file), each under /shops/NAME/ with
    /// its own data folder DATA/shops/NAME (DATA: --data, default .shopflow). See the
    /// README's `shopflow run`.
    #[arg(long, value_name = "shops.toml", conflicts_with_all = ["shop", "login", "rules", "platform"])]
    pub config: Option<PathBuf>,
    /// Keep the shops' deliveries, journals and dead letters in this PostgreSQL database
    /// (postgres://USER:PASSWORD@HOST:PORT/DB) instead of DATA, shared with every other
    /// instance given the same shops file and database: each delivery is stored once, one
    /// instance works a shop at a time, and a dead instance's shops are taken over. Needs
    /// --config, and each shop's webhook secret by reference (instances must agree on it).
    #[arg(
        long,
        value_name = "URL",
        env = "SHOPFLOW_STORE",
        hide_env_values = true,
        requires = "config"
    )]
    pub store: Option<String>,
    /// A rule file or a folder of them.
    #[arg(long, default_value = "examples/rules")]
    pub rules: PathBuf,
    /// The shop's platform: the same rules run on either.
    #[arg(long, value_enum, default_value_t = SandboxPlatform::Upgates)]
    pub platform: SandboxPlatform,
    /// The shop's API base URL (Upgates: https://SHOP.admin.SERVER.upgates.com/api/v2;
    /// Retailys: https://api.retailys.com/v1); without it, the embedded demo shop of the
    /// platform.
    #[arg(long, requires = "key")]
    pub shop: Option<String>,
    /// The API user's login (Upgates).
    #[arg(long)]
    pub login: Option<String>,
    /// The API key (Upgates) or token (Retailys); or SHOPFLOW_API_KEY, which keeps it out of
    /// the process list.
    #[arg(long, env = "SHOPFLOW_API_KEY", hide_env_values = true)]
    pub key: Option<String>,
    /// Retailys: requests an hour the poller may spend finding payments, parcels and
    /// finished or canceled orders (Retailys calls back only for new orders and status
    /// changes). The cost per shop size is in docs/benchmarks.md.
    #[arg(long, default_value_t = 120)]
    pub poll_per_hour: u32,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Where the journal and the webhook secret live (default .shopflow/shop, or
    /// .shopflow/demo, which the demo empties at start).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The webhook secret (or SHOPFLOW_WEBHOOK_SECRET); default: generated once and kept in
    /// the data folder.
    #[arg(long, env = "SHOPFLOW_WEBHOOK_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// The operator token /status, the dashboard's service API and control actions ask for
    /// (Authorization: Bearer TOKEN); or SHOPFLOW_OPERATOR_TOKEN. Default: generated once
    /// and kept in the data folder (operator-token).
    #[arg(long, env = "SHOPFLOW_OPERATOR_TOKEN", hide_env_values = true)]
    pub operator_token: Option<String>,
    /// An origin (scheme://host[:port]) whose pages may call the service from a browser
    /// (CORS); repeat for more. Default: none, and no CORS headers at all.
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = origin_parser)]
    pub allow_origins: Vec<String>,
    /// Register the webhooks (Retailys: the event callbacks) the rules need with the shop,
    /// at this public base URL of the service (the demo registers them itself, at the local
    /// address).
    #[arg(long, value_name = "URL")]
    pub register_webhooks: Option<String>,
    /// Days the run history (DATA/runs.jsonl, `shopflow runs ORDER`) keeps a run.
    #[arg(long, default_value_t = 14, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub keep_runs: u32,
    /// The built dashboard to serve at /.
    #[arg(long, default_value = "www/dist")]
    pub www: PathBuf,
    /// Demo: seconds between rounds of generated storefront orders (0: none).
    #[arg(long, default_value_t = 5)]
    pub demo_every: u64,
    /// Demo: orders per round.
    #[arg(long, default_value_t = 3)]
    pub demo_orders: usize,
    /// Demo: the sandbox's port (0: any free one).
    #[arg(long, default_value_t = 0)]
    pub demo_port: u16,
    /// How log lines are written on stderr: for people, or one JSON object a line. The level
    /// comes from SHOPFLOW_LOG (default info).
    #[arg(long, value_enum, env = "SHOPFLOW_LOG_FORMAT", default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
}

/// `shopflow rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Compile and check rule files: syntax, hook names and parameters, unknown functions.
    /// Prints each problem as FILE:LINE:COLUMN: code: message; exit 1 if any.
    Check(RulesCheckArgs),
    /// Dry-run a rule file on a webhook payload and print the actions, logs, operations used
    /// and the requests they would cost; or, with --dir, run every test case of a folder.
    Test(RulesTestArgs),
}

/// `shopflow rules check`.
#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Rule files (.rhai), or folders of them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The platform the rules will run on: an action it cannot make is an error.
    #[arg(long, default_value = "upgates", value_parser = platform_parser())]
    pub platform: Capabilities,
}

/// `shopflow rules test`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["file", "dir"])))]
pub struct RulesTestArgs {
    /// The rule file (.rhai), or a folder of rule files run together.
    #[arg(requires = "event")]
    pub file: Option<PathBuf>,
    /// The webhook body Upgates posts (JSON).
    #[arg(long, value_name = "WEBHOOK.json")]
    pub event: Option<PathBuf>,
    /// The webhook's event (Orders.create, ...); inferred from the body when not given.
    #[arg(long, value_parser = event_parser())]
    pub event_name: Option<WebhookEvent>,
    /// The records the hooks read: {"orders": [...], "customers": [...], "order_statuses":
    /// [...], "previous": {...}} in the API's shapes (a saved GET /orders page works).
    #[arg(long, value_name = "DATA.json")]
    pub data: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Run every case of a folder: for each DIR/RULE.rhai, the folders DIR/RULE/CASE/ with
    /// event.json, data.json and expected.json. Prints each case and `N passed, N failed`.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["file", "event", "data", "json"])]
    pub dir: Option<PathBuf>,
    /// The day `mark_paid` without a date means (default: today in UTC).
    #[arg(long)]
    pub today: Option<String>,
    /// The platform the rules will run on: an action it cannot make is an error, and the
    /// requests shown are that platform's (the event and data stay in Upgates' shapes).
    #[arg(long, default_value = "upgates", value_parser = platform_parser())]
    pub platform: Capabilities,
}

/// Platforms by name (`upgates`).
/// `--allow-origin`: a browser origin, refused clearly at start when it is not one.
fn origin_parser(s: &str) -> Result<String, String> {
    shopflow_service::access::check_origin(s)
}

fn platform_parser() -> impl clap::builder::TypedValueParser<Value = Capabilities> {
    clap::builder::StringValueParser::new().try_map(|s| platform(&s))
}

/// `shopflow sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1; 0 picks any free port.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The API user's login.
    #[arg(long, default_value = "sandbox")]
    pub login: String,
    /// The API user's key (or SHOPFLOW_SANDBOX_KEY, which keeps it out of the process list).
    #[arg(
        long,
        env = "SHOPFLOW_SANDBOX_KEY",
        default_value = "sandbox-key",
        hide_env_values = true
    )]
    pub key: String,
    /// Keep the shop in this file: loaded at start, written atomically after each change.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Storefront orders to generate when starting without saved state.
    #[arg(long, default_value_t = 0)]
    pub seed_orders: usize,
    /// Seed for generated orders.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The shop's name (`project_name` in webhooks).
    #[arg(long, default_value = "sandbox")]
    pub project_name: String,
    /// Origin the browser playground may call from (`*` for any).
    #[arg(long, default_value = "*")]
    pub cors_origin: String,
    /// The platform to simulate: upgates (/api/v2, HTTP Basic with --login/--key) or
    /// retailys (/v1, header `token` with --token; --login, --key, --project-name and
    /// --cors-origin do not apply, --state is refused).
    #[arg(long, value_enum, default_value_t = SandboxPlatform::Upgates)]
    pub platform: SandboxPlatform,
    /// Also host N shops under /shops/NAME/ (shop-1 to shop-N; Upgates: login shop-K, key
    /// shop-K-key, API at /shops/NAME/api/v2; Retailys: token shop-K-token, API at
    /// /shops/NAME/v1), each with its own orders, budget, faults and webhooks; more are added
    /// with POST /__sandbox/shops and listed with GET /__sandbox/shops. In memory.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub shops: usize,
    /// Retailys: the API token clients send in the `token` header (or
    /// SHOPFLOW_SANDBOX_TOKEN, which keeps it out of the process list).
    #[arg(
        long,
        env = "SHOPFLOW_SANDBOX_TOKEN",
        default_value = "sandbox-token",
        hide_env_values = true
    )]
    pub token: String,
}

/// The platforms: `shopflow run` serves either, and the sandbox simulates both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SandboxPlatform {
    /// Upgates (`/api/v2`).
    Upgates,
    /// Retailys (`/v1/System/...`).
    Retailys,
}

/// `shopflow parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// What the document is.
    #[arg(value_parser = parse_kinds())]
    pub kind: ParseKind,
    /// The file to read; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,
    /// The webhook's event (Orders.create, Customers.update, …), as registered; without it
    /// the event is inferred from the body and reported as inferred.
    #[arg(long, value_parser = event_parser())]
    pub event: Option<WebhookEvent>,
    /// Print compact JSON on one line instead of indented JSON.
    #[arg(long)]
    pub compact: bool,
}

/// `shopflow validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// What the document is.
    #[arg(value_parser = validate_kinds())]
    pub kind: ValidateKind,
    /// The file to check; `-` reads stdin.
    pub file: PathBuf,
    /// Print the problems as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// `shopflow legacy-to-v2`.
#[derive(Debug, Args)]
pub struct LegacyArgs {
    /// The legacy request; `-` reads stdin.
    pub file: PathBuf,
}

fn event_parser() -> impl TypedValueParser<Value = WebhookEvent> {
    clap::builder::NonEmptyStringValueParser::new().try_map(|s| s.parse::<WebhookEvent>())
}
