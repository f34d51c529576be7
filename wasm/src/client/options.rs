//! The `Client`'s options, read with serde-wasm-bindgen and checked.

use std::time::Duration;

use serde::Deserialize;
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

/// The options as JavaScript gives them (functions are passed separately).
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

impl Options {
    /// Reads the options object.
    pub(crate) fn read(value: JsValue) -> Result<Options, ErrorInfo> {
        serde_wasm_bindgen::from_value(value).map_err(|e| {
            ErrorInfo::new("VALIDATION", format!("the Client's options are not valid: {e}"))
        })
    }

    /// The shop, the exchange's settings, and the timeout in milliseconds.
    pub(crate) fn split(self) -> Result<(Config, ExchangeConfig, u32), ErrorInfo> {
        let defaults = RetryPolicy::default();
        let attempts = whole("retries", self.retries, defaults.max_attempts, 1, 20)?;
        let max_wait = whole("maxWait", self.max_wait, 60_000, 0, u32::MAX)?;
        let limit = shopflow_core::upgates::CONCURRENCY_LIMIT as u32;
        let concurrency = whole("concurrency", self.concurrency, limit, 1, limit)?;
        let timeout = whole("timeout", self.timeout, 30_000, 1, u32::MAX)?;
        let on_rate_limit = match self.on_rate_limit.unwrap_or_default() {
            RateLimitMode::Wait => {
                OnRateLimit::Wait { max_wait: Duration::from_millis(u64::from(max_wait)) }
            }
            RateLimitMode::Throw => OnRateLimit::Fail,
        };
        let policy = RetryPolicy { max_attempts: attempts, on_rate_limit, ..defaults };
        let config = Config {
            base_url: self.base_url,
            login: self.login,
            api_key: self.api_key,
            allow_local: self.allow_local.unwrap_or(false),
        };
        Ok((config, ExchangeConfig { policy, max_in_flight: concurrency as usize }, timeout))
    }
}
