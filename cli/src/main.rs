//! `shopflow`: the command line of the shopflow toolkit.
//!
//! Parse and validate API documents, convert legacy requests, check and dry-run rule files,
//! run the sandbox (`shopflow sandbox`) and the rules service (`shopflow run`, the
//! `shopflow-service` library, with the embedded demo shop when no shop is given). Exit codes: 0 success, 1 bad input (the reason on
//! stderr, nothing on stdout), 2 usage errors (from clap).

mod cli;
mod commands;
mod demo;
mod input;
mod kinds;
mod logging;
mod reload;
mod rule_files;
mod shops_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Parse(args) => commands::parse::run(&args),
        cli::Command::Validate(args) => commands::validate::run(&args),
        cli::Command::LegacyToV2(args) => commands::legacy::run(&args),
        cli::Command::Sandbox(args) => commands::sandbox::run(args),
        cli::Command::Rules(cli::RulesCommand::Check(args)) => commands::rules::check(&args),
        cli::Command::Run(args) => commands::run::run(args),
        cli::Command::Rules(cli::RulesCommand::Test(args)) => commands::rules::test(&args),
        cli::Command::Deliveries(command) => commands::deliveries::run(command),
        cli::Command::Runs(args) => commands::runs::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
