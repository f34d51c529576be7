//! `shopflow legacy-to-v2 FILE`.

use std::process::ExitCode;

use shopflow_core::json;
use shopflow_core::upgates::legacy::LegacyUpdateRequest;

use crate::cli::LegacyArgs;
use crate::input::{self, located};

/// Prints the v2 request bodies as a JSON array (one per 100 orders). The legacy API key
/// is not carried over: v2 authenticates with Basic auth.
pub fn run(args: &LegacyArgs) -> Result<ExitCode, String> {
    let input = input::read(Some(&args.file))?;
    let legacy: LegacyUpdateRequest = json::from_slice(&input.bytes)
        .map_err(|e| located(&input.name, "legacy-update-request", &e))?;
    let chunks = legacy.to_v2().map_err(|p| format!("{}: cannot be converted: {p}", input.name))?;
    let bodies: Vec<_> = chunks.into_iter().map(|c| c.request).collect();
    let text = serde_json::to_string_pretty(&bodies)
        .map_err(|e| format!("cannot write the result: {e}"))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}
