//! `shopflow parse KIND [FILE|-]`.

use std::process::ExitCode;

use shopflow_core::retailys::kinds as retailys;
use shopflow_core::upgates::kinds::{self as upgates, ParseKind as UpgatesKind};

use crate::cli::ParseArgs;
use crate::input::{self, located};
use crate::kinds::ParseKind;

/// Prints the normalized document, or fails with its location and nothing on stdout.
pub fn run(args: &ParseArgs) -> Result<ExitCode, String> {
    let input = input::read(args.file.as_deref())?;
    let kind = args.kind.name();
    let value = match args.kind {
        ParseKind::Upgates(k) => {
            upgates::parse(k, &input.bytes, args.event.as_ref()).map_err(|e| {
                match e.location() {
                    Some(j) => located(&input.name, kind, j),
                    None => format!("{}: not a valid {kind}: {e}", input.name),
                }
            })?
        }
        ParseKind::Retailys(k) => {
            retailys::parse(k, &input.bytes).map_err(|j| located(&input.name, kind, &j))?
        }
    };
    if args.kind == ParseKind::Upgates(UpgatesKind::WebhookBatch)
        && value.get("event_source").and_then(|s| s.as_str()) == Some("inferred")
    {
        eprintln!("note: the webhook event was inferred from the body; pass --event to state it");
    }
    let text = if args.compact {
        serde_json::to_string(&value)
    } else {
        serde_json::to_string_pretty(&value)
    }
    .map_err(|e| format!("cannot write the result: {e}"))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}
