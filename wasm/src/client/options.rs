//! The clients' options, read with serde-wasm-bindgen and checked: `Client`'s (Upgates) and
//! `RetailysClient`'s, which share what they say about the exchange (attempts, rate limits,
//! concurrency, timeout) and differ in the shop and its credentials.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shopflow_core::exchange::ExchangeConfig;
use shopflow_core::retry::{OnRateLimit, RetryPolicy};
use shopflow_core::validation::At;
use wasm_bindgen::JsValue;

use crate::envelope::{ErrorInfo, problem};
use crate::request::Config;

/// What a 429 does.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RateLimitMode {
    /// Wait until `Retry-After`, up to `maxWait`.
    #[default]
    Wait,
    /// Throw `RateLimitedError` at once.
    Throw,
}

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

/// `Client`'s options as JavaScript gives them (functions are passed separately).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Options {
    base_url: String,
    login: String,
    api_key: String,
    // Options, so that a key given as `undefined` reads as left out.
    allow_local: Option<bool>,
    retries: Option<f64>,
    on_rate_limit: Option<RateLimitMode>,
    max_wait: Option<f64>,
    concurrency: Option<f64>,
    timeout: Option<f64>,
}

/// `RetailysClient`'s options (`fetch` is passed separately).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RetailysOptions {
    base_url: Option<String>,
    token: String,
    allow_local: Option<bool>,
    retries: Option<f64>,
    on_rate_limit: Option<RateLimitMode>,
    max_wait: Option<f64>,
    concurrency: Option<f64>,
    timeout_ms: Option<f64>,
}

/// The settings a Retailys client is made with: the token, and whether a loopback base URL
/// (the sandbox) is accepted.
pub(crate) struct RetailysConfig {
    /// The app's API token (redacted in `Debug`).
    pub(crate) token: shopflow_core::retailys::Token,
    /// Whether a loopback base URL is accepted.
    pub(crate) allow: shopflow_core::base_url::AllowLocal,
}

/// A whole number in `min..=max`, or a problem naming `field`.
fn whole(
    field: &str,
    value: Option<f64>,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ErrorInfo> {
    let Some(v) = value else { return Ok(default) };
    if v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max) {
        // In range and whole, so the conversion is exact.
        Ok(v as u32)
    } else {
        let expected = format!("a whole number from {min} to {max}");
        Err(problem(At::root().field(field).problem(expected, v.to_string())))
    }
}

/// Reads the options object of the class `class`.
pub(crate) fn read<T: DeserializeOwned>(class: &str, value: JsValue) -> Result<T, ErrorInfo> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        ErrorInfo::new("VALIDATION", format!("the {class}'s options are not valid: {e}"))
    })
}

/// What both clients' options say about the exchange, checked by name; `limit` is the
/// platform's most requests in flight, `per_second` its pace (the core's figure).
struct Exchange {
    retries: Option<f64>,
    on_rate_limit: Option<RateLimitMode>,
    max_wait: Option<f64>,
    concurrency: Option<f64>,
    limit: usize,
    per_second: Option<u32>,
}

impl Exchange {
    fn config(self) -> Result<ExchangeConfig, ErrorInfo> {
        let defaults = RetryPolicy::default();
        let attempts = whole("retries", self.retries, defaults.max_attempts, 1, 20)?;
        let max_wait = whole("maxWait", self.max_wait, 60_000, 0, u32::MAX)?;
        let limit = u32::try_from(self.limit).unwrap_or(u32::MAX);
        let concurrency = whole("concurrency", self.concurrency, limit, 1, limit)?;
        let on_rate_limit = match self.on_rate_limit.unwrap_or_default() {
            RateLimitMode::Wait => {
                OnRateLimit::Wait { max_wait: Duration::from_millis(u64::from(max_wait)) }
            }
            RateLimitMode::Throw => OnRateLimit::Fail,
        };
        let policy = RetryPolicy { max_attempts: attempts, on_rate_limit, ..defaults };
        Ok(ExchangeConfig {
            policy,
            max_in_flight: concurrency as usize,
            per_second: self.per_second,
        })
    }
}

impl Options {
    /// The shop, the exchange's settings, and the timeout.
    pub(crate) fn split(self) -> Result<Settings<Config>, ErrorInfo> {
        let exchange = Exchange {
            retries: self.retries,
            on_rate_limit: self.on_rate_limit,
            max_wait: self.max_wait,
            concurrency: self.concurrency,
            limit: shopflow_core::upgates::CONCURRENCY_LIMIT,
            per_second: None,
        };
        let config = Config {
            login: self.login,
            api_key: self.api_key,
            allow_local: self.allow_local.unwrap_or(false),
        };
        Ok(Settings {
            base_url: self.base_url,
            config,
            exchange: exchange.config()?,
            timeout_ms: whole("timeout", self.timeout, 30_000, 1, u32::MAX)?,
        })
    }
}

impl RetailysOptions {
    /// The instance (production unless `baseUrl` says otherwise), the exchange's settings,
    /// and the timeout.
    pub(crate) fn split(self) -> Result<Settings<RetailysConfig>, ErrorInfo> {
        let exchange = Exchange {
            retries: self.retries,
            on_rate_limit: self.on_rate_limit,
            max_wait: self.max_wait,
            concurrency: self.concurrency,
            limit: shopflow_core::retailys::CAPABILITIES.max_in_flight,
            per_second: Some(shopflow_core::retailys::REQUESTS_PER_SECOND),
        };
        let config = RetailysConfig {
            token: shopflow_core::retailys::Token::new(self.token),
            allow: if self.allow_local.unwrap_or(false) {
                shopflow_core::base_url::AllowLocal::Yes
            } else {
                shopflow_core::base_url::AllowLocal::No
            },
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| shopflow_core::retailys::base_url::PRODUCTION.to_owned());
        Ok(Settings {
            base_url,
            config,
            exchange: exchange.config()?,
            timeout_ms: whole("timeoutMs", self.timeout_ms, 30_000, 1, u32::MAX)?,
        })
    }
}
