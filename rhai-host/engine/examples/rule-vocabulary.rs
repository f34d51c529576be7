//! Prints the rule vocabulary (hooks, what rules read, actions, per platform) as Markdown, or,
//! with `--write FILE`, rewrites the block between FILE's `rule-vocabulary` markers with it:
//! `cargo run -p shopflow-rules --example rule-vocabulary -- --write wasm/package/README.md`.
//! The rules crate's tests fail while the package README's block differs.

use std::process::ExitCode;

use shopflow_rules::vocabulary;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            print!("{}", vocabulary::markdown());
            ExitCode::SUCCESS
        }
        [flag, path] if flag == "--write" => match write(path) {
            Ok(said) => {
                println!("{said}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("rule-vocabulary: {path}: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: rule-vocabulary [--write FILE]");
            ExitCode::from(2)
        }
    }
}

/// Rewrites `path`'s block; says whether it changed.
fn write(path: &str) -> Result<String, String> {
    let document = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let updated = vocabulary::splice(&document, &vocabulary::markdown())?;
    if updated == document {
        return Ok(format!("{path}: the rule vocabulary is up to date"));
    }
    std::fs::write(path, updated).map_err(|e| e.to_string())?;
    Ok(format!("{path}: rule vocabulary updated"))
}
