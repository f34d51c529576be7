//! What an operator relies on, with `shopflow run` as a process against the sandbox over real
//! HTTP: nothing acknowledged that cannot be read, `/healthz` and `/readyz`, a SIGTERM that
//! loses nothing, `/metrics`, and logs as JSON lines with no secret in them.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::operator::orders_create;
use common::{
    Proc, UpgatesUser, http, start, start_with_stderr, upgates_sandbox, upgates_service,
    wait_status,
};

const LOGIN: &str = "ops";
const KEY: &str = "ops-key";
const SECRET: &str = "a-webhook-secret-for-the-operations-tests";

fn sandbox(seed_orders: usize) -> (Proc, String) {
    upgates_sandbox(LOGIN, KEY, seed_orders)
}

fn service(shop: &str, rules: &Path, data: &Path) -> (Proc, String) {
    upgates_service(shop, &UpgatesUser { login: LOGIN, key: KEY, secret: SECRET }, rules, data)
}

fn rules_dir(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.rhai"), source).unwrap();
    dir
}

const STATUS_AND_NOTE: &str = r#"
fn on_order_created(order) {
    set_status(order, "Ke kontrole");
    add_history(order, "shopflow", "checked once");
}
"#;

fn hook_url(service: &str, event: &str) -> String {
    format!("{service}/webhooks/{event}?shopflow_secret={SECRET}")
}

async fn get_json(url: &str) -> Value {
    http().get(url).basic_auth(LOGIN, Some(KEY)).send().await.unwrap().json().await.unwrap()
}

async fn post_bytes(url: &str, body: Vec<u8>) -> (u16, String) {
    let r = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// The status line's code when a POST announces a body of `len` bytes: the answer comes
/// before the body is sent (a client sending it would see the connection closed under it).
async fn announce_body(url: &str, len: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut tcp = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut answer))
        .await
        .expect("an answer before the body")
        .unwrap();
    let line = String::from_utf8_lossy(&answer[..n]).into_owned();
    line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("{line:?}"))
}

async fn order_numbers(shop: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let v = get_json(&format!("{shop}/api/v2/orders?page={page}")).await;
        out.extend(
            v["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["order_number"].as_str().unwrap().to_owned()),
        );
        if page >= v["number_of_pages"].as_u64().unwrap_or(1) {
            return out;
        }
        page += 1;
    }
}

/// The value of an unlabelled sample (or one with exactly these labels) on a metrics page.
fn sample(page: &str, name: &str) -> Option<f64> {
    page.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_cannot_be_read_gets_400_is_not_stored_and_5000_records_still_get_200() {
    let (_shop, shop) = sandbox(3);
    let rules = rules_dir("fn on_order_created(order) { }");
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = service(&shop, rules.path(), data.path());
    let url = hook_url(&svc, "Orders.create");

    let truncated = br#"{"project_name":"x","orders":[{"order_number":"#.to_vec();
    let (status, body) = post_bytes(&url, truncated).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("line 1"), "the parser's reason and where: {body}");
    assert!(!body.contains(SECRET), "{body}");
    let garbage: Vec<u8> =
        (0..2_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let (status, body) = post_bytes(&url, garbage).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(announce_body(&url, 5 * 1024 * 1024).await, 413, "past the body cap");

    let st = wait_status(&svc, data.path(), "status", |_| true).await;
    assert_eq!(
        (st["deliveries_received"].as_u64(), st["deliveries_refused"].as_u64()),
        (Some(0), Some(2)),
        "{st}"
    );
    assert_eq!(
        (st["events_received"].as_u64(), st["pending_deliveries"].as_u64()),
        (Some(0), Some(0))
    );
    let journal = std::fs::read_to_string(data.path().join("journal.jsonl")).unwrap();
    assert!(!journal.contains("delivery"), "nothing journaled: {journal}");

    // The largest real delivery: 5000 records in the sandbox's shape, order numbers as long as
    // a real shop's.
    let numbers: Vec<String> = (0..5000).map(|i| format!("2026{i:06}")).collect();
    let big = serde_json::to_vec(&orders_create(&numbers)).unwrap();
    eprintln!("a 5000-record Orders.create body: {} bytes", big.len());
    assert!(big.len() * 4 < 4 * 1024 * 1024, "the cap keeps a wide margin: {}", big.len());
    let (status, body) = post_bytes(&url, big).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["records"], 5000, "the real count: {v}");

    // Three orders the shop has, so their hooks run and have outcomes; after the passes, the
    // shop has told its budget.
    let real = serde_json::to_vec(&orders_create(&order_numbers(&shop).await)).unwrap();
    let (status, body) = post_bytes(&url, real).await;
    assert_eq!(status, 200, "{body}");
    wait_status(&svc, data.path(), "the passes", |v| v["events_processed"] == 5003).await;
    let page = http().get(format!("{svc}/metrics")).send().await.unwrap();
    assert!(page.headers()["content-type"].to_str().unwrap().contains("version=0.0.4"));
    let page = page.text().await.unwrap();
    for line in page.lines().filter(|l| !l.is_empty()) {
        let ok = line.starts_with("# HELP ")
            || line.starts_with("# TYPE ")
            || line.rsplit_once(' ').is_some_and(|(name, value)| {
                name.starts_with("shopflow_") && value.parse::<f64>().is_ok()
            });
        assert!(ok, "not a Prometheus text line: {line:?}");
    }
    assert_eq!(sample(&page, "shopflow_deliveries_received_total"), Some(2.0), "{page}");
    assert_eq!(sample(&page, "shopflow_deliveries_refused_total"), Some(2.0), "{page}");
    assert_eq!(sample(&page, "shopflow_events_received_total"), Some(5003.0), "{page}");
    assert_eq!(sample(&page, "shopflow_ack_latency_seconds_count"), Some(2.0), "{page}");
    let outcomes: f64 = ["applied", "filtered", "failed"]
        .iter()
        .filter_map(|o| sample(&page, &format!("shopflow_events_total{{outcome=\"{o}\"}}")))
        .sum();
    assert_eq!(outcomes, 3.0, "one outcome per hook call, by outcome: {page}");
    // Every request sent is counted by how the shop answered it.
    let by_status: f64 = page
        .lines()
        .filter(|l| l.starts_with("shopflow_api_responses_total{status="))
        .filter_map(|l| l.rsplit_once(' ')?.1.parse::<f64>().ok())
        .sum();
    let sent = sample(&page, "shopflow_api_requests_total").unwrap();
    assert!(sent >= 2.0, "statuses and the orders were read: {page}");
    assert_eq!(by_status, sent, "{page}");
    assert!(sample(&page, "shopflow_api_responses_total{status=\"200\"}").is_some(), "{page}");
    assert!(
        sample(&page, "shopflow_api_budget_remaining").is_some(),
        "Upgates has a budget: {page}"
    );
    assert!(!page.contains("2026000001"), "no order numbers in metrics");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_readyz_say_whether_the_service_serves_and_can_journal() {
    let (_shop, shop) = sandbox(1);
    let rules = rules_dir("fn on_order_created(order) { }");
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("d");
    let (_svc, svc) = service(&shop, rules.path(), &dir);

    let r = http().get(format!("{svc}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = http().get(format!("{svc}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // The data folder deleted under the running service: what it journals now would be gone
    // at the next start.
    std::fs::remove_dir_all(&dir).unwrap();
    let r = http().get(format!("{svc}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let v: Value = r.json().await.unwrap();
    assert!(v["reason"].as_str().unwrap().contains("journal"), "{v}");
    let r = http().get(format!("{svc}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200, "the process still serves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_refuses_new_deliveries_finishes_the_pass_and_loses_nothing() {
    let (_shop, shop) = sandbox(300);
    let numbers = order_numbers(&shop).await;
    // Slow requests, so the pass is still in hand when the signal comes.
    let config =
        json!({"rate_limit": {"enabled": false}, "faults": {"slow_rate": 1.0, "slow_ms": 30}});
    let r = http().put(format!("{shop}/__sandbox/config")).json(&config).send().await.unwrap();
    assert!(r.status().is_success());
    let rules = rules_dir(STATUS_AND_NOTE);
    let data = tempfile::tempdir().unwrap();

    let (mut proc, svc) = service(&shop, rules.path(), data.path());
    let url = hook_url(&svc, "Orders.create");
    for chunk in numbers[..200].chunks(100) {
        let body = serde_json::to_vec(&orders_create(chunk)).unwrap();
        let (status, text) = post_bytes(&url, body).await;
        assert_eq!(status, 200, "{text}");
    }
    // Wait until the pass is writing, then ask the service to stop.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let stats = get_json(&format!("{shop}/__sandbox/stats")).await;
        let posted = stats["requests_by_endpoint"]["POST /api/v2/orders/{order_number}/history"]
            .as_u64()
            .unwrap_or(0);
        if posted >= 10 {
            assert!(posted < 200, "the signal came too late to test anything ({posted} posted)");
            break;
        }
        assert!(Instant::now() < deadline, "no history requests were sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid = proc.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let late = serde_json::to_vec(&orders_create(&numbers[200..])).unwrap();
    let (status, text) = post_bytes(&url, late).await;
    assert_eq!(status, 503, "a delivery after SIGTERM is refused for a retry: {text}");
    let r = http().get(format!("{svc}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);

    // Nothing in hand (the poller is cut off, the worker idle): the stop takes no grace.
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = proc.0.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the idle service did not stop at once");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit 0 after SIGTERM: {exit:?}");
    let journal = std::fs::read_to_string(data.path().join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"t\":\"done\""), "the pass in hand finished before the exit");

    // A restart on the same data finds nothing acknowledged unfinished, or finishes it; the
    // refused delivery is the shop's to send again.
    let (_svc2, svc2) = service(&shop, rules.path(), data.path());
    wait_status(&svc2, data.path(), "nothing pending", |v| v["pending_deliveries"] == 0).await;
    let r = http()
        .put(format!("{shop}/__sandbox/config"))
        .json(&json!({"faults": {"slow_rate": 0.0}}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let mut wrong = Vec::new();
    for n in &numbers[..200] {
        let h = get_json(&format!("{shop}/api/v2/orders/{n}/history")).await;
        let notes = h["history"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["data"].as_array().cloned().unwrap_or_default())
            .filter(|d| d["name"] == "shopflow" && d["value"] == "checked once")
            .count();
        if notes != 1 {
            wrong.push((n.clone(), notes));
        }
    }
    assert!(wrong.is_empty(), "every acknowledged order noted exactly once: {wrong:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_retailys_metrics_have_no_budget_and_an_idle_service_stops_at_once_with_0() {
    let data = tempfile::tempdir().unwrap();
    let (mut proc, svc) = start(&[
        "run",
        "--platform",
        "retailys",
        "--rules",
        "examples/rules",
        "--data",
        data.path().to_str().unwrap(),
        "--port",
        "0",
        "--demo-every",
        "0",
    ]);
    let page = http().get(format!("{svc}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("shopflow_pending_deliveries"), "{page}");
    assert!(!page.contains("shopflow_api_budget_remaining"), "Retailys tells no budget: {page}");

    let pid = proc.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(40);
    let exit = loop {
        if let Some(exit) = proc.0.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the service did not stop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exit.success(), "exit 0 after SIGTERM: {exit:?}");
}

/// `shopflow run --log-format json` on the shop with this key, its log in `log`.
fn json_logged_service(
    shop: &str,
    key: &str,
    rules: &Path,
    data: &Path,
    log: &Path,
) -> (Proc, String) {
    let base = format!("{shop}/api/v2");
    let stderr = std::fs::File::create(log).unwrap();
    let (rules, data) = (rules.to_str().unwrap(), data.to_str().unwrap());
    let args = ["run", "--shop", &base, "--login", LOGIN, "--key", key, "--secret", SECRET];
    let rest = ["--rules", rules, "--data", data, "--port", "0", "--log-format", "json"];
    start_with_stderr(&[&args[..], &rest[..]].concat(), stderr)
}

/// Every line of a log, each a JSON object with a level and a message.
fn json_lines(log: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(log).unwrap();
    for secret in [KEY, SECRET, "a-wrong-key-that-must-not-be-logged"] {
        assert!(!text.contains(secret), "a secret in the log: {text}");
    }
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"));
            assert!(v["level"].is_string() && v["fields"]["message"].is_string(), "{l}");
            v
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_tell_passes_rule_output_and_a_refused_key_and_never_a_secret() {
    let (_shop, shop) = sandbox(2);
    let rules = rules_dir(r#"fn on_order_created(order) { print(`saw ${order.number}`); }"#);
    let (data, logs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let good_log = logs.path().join("good.jsonl");
    let (good, svc) = json_logged_service(&shop, KEY, rules.path(), data.path(), &good_log);
    let numbers = order_numbers(&shop).await;
    let (status, body) = post_bytes(
        &hook_url(&svc, "Orders.create"),
        serde_json::to_vec(&orders_create(&numbers)).unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    wait_status(&svc, data.path(), "the pass", |v| v["events_processed"] == 2).await;
    drop(good);
    let lines = json_lines(&good_log);
    let message = |v: &Value| v["fields"]["message"].as_str().unwrap_or_default().to_owned();
    let rule_lines: Vec<&Value> =
        lines.iter().filter(|v| v["target"] == "shopflow::rules").collect();
    assert_eq!(rule_lines.len(), 2, "one line per print: {lines:?}");
    assert!(
        message(rule_lines[0]).contains(&numbers[0])
            || message(rule_lines[1]).contains(&numbers[0])
    );
    let pass = lines.iter().find(|v| message(v) == "pass finished").expect("a pass line");
    assert_eq!(pass["fields"]["deliveries"], 1, "{pass}");
    assert!(pass["fields"]["requests"].as_u64().unwrap() >= 2, "statuses and orders read: {pass}");

    // A refused key: said at the error level, with the shop's reason and without the key.
    let bad_data = tempfile::tempdir().unwrap();
    let bad_log = logs.path().join("bad.jsonl");
    let bad_key = "a-wrong-key-that-must-not-be-logged";
    let (bad, svc) = json_logged_service(&shop, bad_key, rules.path(), bad_data.path(), &bad_log);
    let (status, _) = post_bytes(
        &hook_url(&svc, "Orders.create"),
        serde_json::to_vec(&orders_create(&numbers)).unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    wait_status(&svc, bad_data.path(), "the refusal", |v| v["shop_error"].is_string()).await;
    drop(bad);
    let lines = json_lines(&bad_log);
    let refused = lines
        .iter()
        .find(|v| message(v) == "the shop refused the credentials")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(refused["level"], "ERROR", "{refused}");
    assert!(
        refused["fields"]["error"].as_str().unwrap().contains("refused the login"),
        "{refused}"
    );
}
