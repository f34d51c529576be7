//! `shopflow`: the command line of the shopflow toolkit.
//!
//! Parse and validate Upgates API documents, convert legacy requests; later subcommands run
//! the sandbox and the rules service. Exit codes: 0 success, 1 bad input (the reason on
//! stderr, nothing on stdout), 2 usage errors (from clap).

mod cli;
mod commands;
mod input;
mod rule_files;
mod service;

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
        cli::Command::Run(args) => service::run(args),
        cli::Command::Rules(cli::RulesCommand::Test(args)) => commands::rules::test(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
