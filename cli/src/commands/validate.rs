//! `shopflow validate KIND FILE`.

use std::process::ExitCode;

use crate::cli::ValidateArgs;
use crate::input::{self, located};

/// Prints every problem (exit 1) or says there are none (exit 0).
pub fn run(args: &ValidateArgs) -> Result<ExitCode, String> {
    let input = input::read(Some(&args.file))?;
    let problems =
        args.kind.validate(&input.bytes).map_err(|e| located(&input.name, args.kind.name(), &e))?;
    if args.json {
        let text = serde_json::to_string_pretty(&problems)
            .map_err(|e| format!("cannot write the result: {e}"))?;
        println!("{text}");
    } else if problems.is_empty() {
        println!("{}: no problems", input.name);
    } else {
        for p in &problems {
            println!("{}: {p}", input.name);
        }
    }
    if !problems.is_empty() {
        let n = problems.len();
        eprintln!(
            "{n} problem{} found; {} cannot be sent as it is",
            if n == 1 { "" } else { "s" },
            input.name
        );
    }
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
