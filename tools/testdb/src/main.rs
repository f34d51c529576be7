//! `shopflow-testdb`: a throwaway PostgreSQL for scripts (`scripts/bench-shops`). Starts one
//! as the library does (`--durable`: commits synced to disk, as a benchmark needs), prints
//! its URL on the first line of stdout, and keeps it until its standard input closes; then
//! stops it by PID and removes its folder. A script runs it as a coprocess, so the server
//! goes when the script does, however the script ends.

use std::io::{Read, Write};
use std::process::ExitCode;

use shopflow_testdb::TestPostgres;

fn main() -> ExitCode {
    let durable = std::env::args().skip(1).any(|a| a == "--durable");
    let started = if durable { TestPostgres::start_durable() } else { TestPostgres::start() };
    let server = match started {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout();
    if writeln!(out, "{}", server.url()).and_then(|()| out.flush()).is_err() {
        return ExitCode::from(1);
    }
    // Everything read is ignored: the end of input is the signal.
    let mut sink = [0u8; 64];
    while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
    drop(server);
    ExitCode::SUCCESS
}
