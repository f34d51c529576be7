//! The clients' options, read by name and checked (`js_options`): `Client`'s (Upgates) and
//! `RetailysClient`'s, which share what they say about the exchange (attempts, rate limits,
//! concurrency, timeout) and differ in the shop and its credentials.

use std::time::Duration;

use shopflow_core::exchange::ExchangeConfig;
use shopflow_core::retry::{OnRateLimit, RetryPolicy};
use wasm_bindgen::JsValue;

use super::js_options::OptionsReader;
use crate::envelope::ErrorInfo;
use crate::request::Config;

/// What a client's options say, checked: where the shop is, the platform's settings `C`,
/// the exchange's, and the per-request timeout.
pub(crate) struct Settings<C> {
    /// The API base URL as given (the platform checks it).
    pub(crate) base_url: String,
    /// The platform's request settings (credentials).
    pub(crate) config: C,
    /// Attempts, rate limits, concurrency.
    pub(crate) exchange: ExchangeConfig,
    /// Milliseconds before a request is aborted.
    pub(crate) timeout_ms: u32,
}

/// The settings a Retailys client is made with: the token, and whether a loopback base URL
/// (the sandbox) is accepted.
pub(crate) struct RetailysConfig {
    /// The app's API token (redacted in `Debug`).
    pub(crate) token: shopflow_core::retailys::Token,
    /// Whether a loopback base URL is accepted.
    pub(crate) allow: shopflow_core::base_url::AllowLocal,
}

/// `Client`'s options: read here, or by the JavaScript class (`fetch`, `onRelocate`,
/// `notify`), which takes them out first.
const UPGATES_OPTIONS: &[&str] = &[
    "baseUrl",
    "login",
    "apiKey",
    "allowLocal",
    "retries",
    "onRateLimit",
    "maxWait",
    "concurrency",
    "timeout",
    "fetch",
    "onRelocate",
    "notify",
];

/// `RetailysClient`'s options (`timeoutMs` is `timeout`'s older name, still read).
const RETAILYS_OPTIONS: &[&str] = &[
    "baseUrl",
    "token",
    "allowLocal",
    "retries",
    "onRateLimit",
    "maxWait",
    "concurrency",
    "timeout",
    "timeoutMs",
    "fetch",
];

/// The most milliseconds a timer takes (JavaScript's setTimeout limit, 2^31 - 1).
const MAX_MS: u32 = i32::MAX as u32;

/// `Client`'s options, checked: every problem at once, each at its option.
pub(crate) fn upgates(value: JsValue) -> Result<Settings<Config>, ErrorInfo> {
    let mut o = OptionsReader::new("Client", value, UPGATES_OPTIONS);
    let base_url = o.required_text(
        "baseUrl",
        "the shop's API address, https://<shop>.admin.<server>.upgates.com/api/v2",
        false,
    );
    let login = o.required_text("login", "the API user's login (a text)", true);
    let api_key = o.required_text("apiKey", "the API user's key (a text)", true);
    let allow_local = o.flag("allowLocal");
    let exchange = exchange(&mut o, shopflow_core::upgates::CONCURRENCY_LIMIT, None);
    let timeout_ms = o.whole("timeout", " of milliseconds", 1, MAX_MS).unwrap_or(30_000);
    o.finish()?;
    Ok(Settings { base_url, config: Config { login, api_key, allow_local }, exchange, timeout_ms })
}

/// `RetailysClient`'s options, checked: the instance is production unless `baseUrl` says
/// otherwise.
pub(crate) fn retailys(value: JsValue) -> Result<Settings<RetailysConfig>, ErrorInfo> {
    use shopflow_core::base_url::AllowLocal;
    use shopflow_core::retailys::{CAPABILITIES, REQUESTS_PER_SECOND, Token, base_url};
    let mut o = OptionsReader::new("RetailysClient", value, RETAILYS_OPTIONS);
    let base = o.text("baseUrl", "the API address, https://api.retailys.com/v1 (the default)");
    let token = o.required_text("token", "the app's API token (a text)", true);
    let allow = if o.flag("allowLocal") { AllowLocal::Yes } else { AllowLocal::No };
    let exchange = exchange(&mut o, CAPABILITIES.max_in_flight, Some(REQUESTS_PER_SECOND));
    let timeout = o.whole("timeout", " of milliseconds", 1, MAX_MS);
    let older = o.whole("timeoutMs", " of milliseconds (timeout's older name)", 1, MAX_MS);
    o.finish()?;
    Ok(Settings {
        base_url: base.unwrap_or_else(|| base_url::PRODUCTION.to_owned()),
        config: RetailysConfig { token: Token::new(token), allow },
        exchange,
        timeout_ms: timeout.or(older).unwrap_or(30_000),
    })
}

/// What both clients' options say about the exchange; `limit` is the platform's most
/// requests in flight, `per_second` its pace (the core's figure).
fn exchange(o: &mut OptionsReader, limit: usize, per_second: Option<u32>) -> ExchangeConfig {
    let defaults = RetryPolicy::default();
    let attempts = o.whole("retries", " of attempts, the first included,", 1, 20);
    let limit = u32::try_from(limit).unwrap_or(u32::MAX);
    let concurrency = o.whole("concurrency", " of requests in flight", 1, limit).unwrap_or(limit);
    let max_wait = o.whole("maxWait", " of milliseconds", 0, MAX_MS).unwrap_or(60_000);
    let on_rate_limit = match o.choice("onRateLimit", &["wait", "throw"]) {
        Some("throw") => OnRateLimit::Fail,
        _ => OnRateLimit::Wait { max_wait: Duration::from_millis(u64::from(max_wait)) },
    };
    let max_attempts = attempts.unwrap_or(defaults.max_attempts);
    ExchangeConfig {
        policy: RetryPolicy { max_attempts, on_rate_limit, ..defaults },
        max_in_flight: concurrency as usize,
        per_second,
    }
}
