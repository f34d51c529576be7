//! The service's logs on stderr: `tracing` events, for people (`--log-format human`, the
//! default) or one JSON object a line (`--log-format json`, for a log shipper). The level and
//! per-module filters come from `SHOPFLOW_LOG` (`info` when unset; `debug`,
//! `shopflow_service=debug,shopflow::rules=warn`, ... as `tracing-subscriber`'s `EnvFilter`
//! reads them).
//!
//! Nothing secret is ever handed to a log event: keys, tokens and the webhook secret are held
//! in `Secret`, whose Debug and Display print a placeholder, and errors never carry them.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Time, level, where, message and fields, one event a line.
    Human,
    /// One JSON object a line: `timestamp`, `level`, `target`, `fields` (with `message`).
    Json,
}

/// The environment variable with the filter.
const FILTER_VAR: &str = "SHOPFLOW_LOG";

/// Installs the process's log writer.
///
/// # Errors
/// `SHOPFLOW_LOG` is not a filter, or a writer was installed already.
pub fn init(format: LogFormat) -> Result<(), String> {
    let filter = match std::env::var(FILTER_VAR) {
        Ok(text) => EnvFilter::try_new(&text)
            .map_err(|e| format!("{FILTER_VAR}={text:?} is not a log filter: {e}"))?,
        Err(_) => EnvFilter::new("info"),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Human => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
    installed.map_err(|e| format!("cannot install the log writer: {e}"))
}
