//! What the tests that run `shopflow` as a process share: starting it, reading the origin it
//! prints first, killing it when the test ends, an Upgates sandbox and service, an HTTP
//! client, and the operator API (the token the service keeps in its data folder, `/status`).
//! Each test file compiles this module on its own and uses part of it.

#![allow(dead_code)]

pub mod operator;
pub mod shops;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A child process killed (and reaped) when dropped, with the rest of its stdout (kept open,
/// so what it prints later never meets a closed pipe).
pub struct Proc(pub Child, pub BufReader<ChildStdout>);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `shopflow ARGS` in the repository's root and returns it with the origin from its
/// first line (`listening on http://127.0.0.1:PORT`). Its stderr is shown with
/// `SHOPFLOW_TEST_LOG=1`.
pub fn start(args: &[&str]) -> (Proc, String) {
    let stderr = if std::env::var_os("SHOPFLOW_TEST_LOG").is_some() {
        Stdio::inherit()
    } else {
        Stdio::null()
    };
    start_with_stderr(args, stderr)
}

/// [`start`], with its stderr (the service's log) written to `stderr` (a file, to read it).
pub fn start_with_stderr(args: &[&str], stderr: impl Into<Stdio>) -> (Proc, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopflow"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn shopflow");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("first line");
    let origin = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    (Proc(child, out), origin)
}

/// The next line the process prints on stdout (`shopflow run`'s second line is the
/// dashboard's address).
pub fn next_line(proc: &mut Proc) -> String {
    let mut line = String::new();
    proc.1.read_line(&mut line).expect("a line");
    line
}

/// An HTTP client (rustls with ring, as the service uses).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// `shopflow sandbox`: an Upgates shop with this API user and `seed_orders` orders.
pub fn upgates_sandbox(login: &str, key: &str, seed_orders: usize) -> (Proc, String) {
    let seed = seed_orders.to_string();
    start(&["sandbox", "--port", "0", "--login", login, "--key", key, "--seed-orders", &seed])
}

/// An Upgates shop's API user, and the service's webhook secret, as a test starts them.
pub struct UpgatesUser<'a> {
    /// The API login.
    pub login: &'a str,
    /// The API key.
    pub key: &'a str,
    /// The webhook secret.
    pub secret: &'a str,
}

/// `shopflow run` on the Upgates shop at `shop` (the sandbox's origin), on a free port.
pub fn upgates_service(
    shop: &str,
    user: &UpgatesUser<'_>,
    rules: &Path,
    data: &Path,
) -> (Proc, String) {
    upgates_service_with(shop, user, rules, data, &[])
}

/// [`upgates_service`] with more arguments.
pub fn upgates_service_with(
    shop: &str,
    user: &UpgatesUser<'_>,
    rules: &Path,
    data: &Path,
    more: &[&str],
) -> (Proc, String) {
    let base = format!("{shop}/api/v2");
    let (rules, data) = (rules.to_str().unwrap(), data.to_str().unwrap());
    let mut args = vec![
        "run",
        "--shop",
        &base,
        "--login",
        user.login,
        "--key",
        user.key,
        "--secret",
        user.secret,
        "--rules",
        rules,
        "--data",
        data,
        "--port",
        "0",
    ];
    args.extend(more);
    start(&args)
}

/// The operator token a service keeps in its data folder (`DATA/operator-token`), if it keeps
/// one (it does unless it was given one with `--operator-token`).
pub fn operator_token(data: &Path) -> Option<String> {
    std::fs::read_to_string(data.join("operator-token")).ok().map(|t| t.trim().to_owned())
}

/// `request` with the operator token of the service whose data folder is `data`.
pub fn with_token(request: reqwest::RequestBuilder, data: &Path) -> reqwest::RequestBuilder {
    match operator_token(data) {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

/// The service's `/status` (with its operator token), if it answered with one.
pub async fn status(service: &str, data: &Path) -> Option<Value> {
    let r = with_token(http().get(format!("{service}/status")), data).send().await.ok()?;
    if !r.status().is_success() {
        return None;
    }
    r.json().await.ok()
}

/// Polls the service's `/status` until `done` holds (three minutes at most).
pub async fn wait_status(
    service: &str,
    data: &Path,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(v) = status(service, data).await
            && done(&v)
        {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
