//! `shopflow run` as a process against the sandbox over real HTTP: the API budget a big
//! delivery costs, a crash in the middle of a batch, hostile rules, and the webhook secret.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::{Proc, UpgatesUser, http, upgates_sandbox, upgates_service, wait_status};

const LOGIN: &str = "svc";
const KEY: &str = "svc-key";
const SECRET: &str = "a-webhook-secret-for-the-service-tests";

fn sandbox(seed_orders: usize) -> (Proc, String) {
    upgates_sandbox(LOGIN, KEY, seed_orders)
}

fn service(shop: &str, rules: &Path, data: &Path) -> (Proc, String) {
    service_with_key(shop, rules, data, KEY)
}

fn service_with_key(shop: &str, rules: &Path, data: &Path, key: &str) -> (Proc, String) {
    upgates_service(shop, &UpgatesUser { login: LOGIN, key, secret: SECRET }, rules, data)
}

async fn get_json(url: &str) -> Value {
    http().get(url).basic_auth(LOGIN, Some(KEY)).send().await.unwrap().json().await.unwrap()
}

async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let r = http().post(url).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every order number in the shop, page by page.
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

fn orders_create(numbers: &[String]) -> Value {
    let orders: Vec<Value> = numbers
        .iter()
        .map(|n| json!({"order_number": n, "creation_time": "2026-11-23T10:00:00+01:00", "status_id": 1, "status": "Přijatá"}))
        .collect();
    json!({"project_name": "sandbox", "orders": orders})
}

fn hook_url(service: &str, event: &str) -> String {
    format!("{service}/webhooks/{event}?shopflow_secret={SECRET}")
}

fn rules_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, source) in files {
        std::fs::write(dir.path().join(name), source).unwrap();
    }
    dir
}

const HALF_TO_PROCESSING: &str = r#"
fn on_order_created(order) {
    if parse_int(order.number) % 2 == 0 {
        set_status(order, "Vyřizuje se");
    }
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5000_order_delivery_costs_at_most_50_gets_and_25_puts() {
    let (_shop, shop) = sandbox(5000);
    let numbers = order_numbers(&shop).await;
    assert_eq!(numbers.len(), 5000);
    let rules = rules_dir(&[("half.rhai", HALF_TO_PROCESSING)]);
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = service(&shop, rules.path(), data.path());
    wait_status(&svc, data.path(), "the service", |_| true).await;
    http().post(format!("{shop}/__sandbox/stats/reset")).send().await.unwrap();

    let (status, body) =
        post_json(&hook_url(&svc, "Orders.create"), &orders_create(&numbers)).await;
    assert_eq!(status, 200, "{body}");
    let st = wait_status(&svc, data.path(), "5000 events", |v| v["events_processed"] == 5000).await;

    let stats = get_json(&format!("{shop}/__sandbox/stats")).await;
    let by = &stats["requests_by_endpoint"];
    let gets = by["GET /api/v2/orders"].as_u64().unwrap_or(0);
    let puts = by["PUT /api/v2/orders"].as_u64().unwrap_or(0);
    println!(
        "5000-record delivery: {gets} GET /orders, {puts} PUT /orders, {} requests in all: {by}",
        stats["requests_total"]
    );
    assert!(gets <= 50, "{gets} GETs");
    assert!(puts <= 25, "{puts} PUTs");
    assert_eq!(st["actions_applied"], 2500, "{st}");
    assert_eq!(
        (st["outcomes_applied"].as_u64(), st["outcomes_filtered"].as_u64()),
        (Some(2500), Some(2500))
    );

    // The shop has the changes.
    let sample =
        get_json(&format!("{shop}/api/v2/orders?order_numbers={};{}", numbers[0], numbers[1]))
            .await;
    for o in sample["orders"].as_array().unwrap() {
        let even = o["order_number"].as_str().unwrap().parse::<u64>().unwrap() % 2 == 0;
        assert_eq!(o["status_id"], if even { 9 } else { 1 }, "{o}");
    }
}

const STATUS_AND_NOTE: &str = r#"
fn on_order_created(order) {
    set_status(order, "Ke kontrole");
    add_history(order, "shopflow", "checked once");
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_batch_then_restart_applies_every_acknowledged_event_exactly_once() {
    let (_shop, shop) = sandbox(300);
    let numbers = order_numbers(&shop).await;
    let config =
        json!({"rate_limit": {"enabled": false}, "faults": {"slow_rate": 1.0, "slow_ms": 30}});
    let r = http().put(format!("{shop}/__sandbox/config")).json(&config).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let rules = rules_dir(&[("note.rhai", STATUS_AND_NOTE)]);
    let data = tempfile::tempdir().unwrap();

    let (svc_proc, svc) = service(&shop, rules.path(), data.path());
    for chunk in numbers.chunks(100) {
        let (status, body) =
            post_json(&hook_url(&svc, "Orders.create"), &orders_create(chunk)).await;
        assert_eq!(status, 200, "acknowledged: {body}");
    }
    // Let part of the history requests land, then kill the service without warning.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let stats = get_json(&format!("{shop}/__sandbox/stats")).await;
        let posted = stats["requests_by_endpoint"]["POST /api/v2/orders/{order_number}/history"]
            .as_u64()
            .unwrap_or(0);
        if posted >= 40 {
            assert!(posted < 300, "the kill came too late to test anything ({posted} posted)");
            break;
        }
        assert!(Instant::now() < deadline, "no history requests were sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut child = svc_proc;
    let pid = child.0.id();
    assert!(Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    let _ = child.0.wait();

    let (_svc2, svc2) = service(&shop, rules.path(), data.path());
    wait_status(&svc2, data.path(), "the resumed deliveries", |v| {
        v["pending_deliveries"] == 0 && v["events_processed"].as_u64() > Some(0)
    })
    .await;

    let r = http()
        .put(format!("{shop}/__sandbox/config"))
        .json(&json!({"faults": {"slow_rate": 0.0}}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let mut missing = Vec::new();
    let mut doubled = Vec::new();
    for n in &numbers {
        let h = get_json(&format!("{shop}/api/v2/orders/{n}/history")).await;
        let notes = h["history"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["data"].as_array().cloned().unwrap_or_default())
            .filter(|d| d["name"] == "shopflow" && d["value"] == "checked once")
            .count();
        match notes {
            0 => missing.push(n.clone()),
            1 => {}
            _ => doubled.push(n.clone()),
        }
    }
    assert!(missing.is_empty() && doubled.is_empty(), "missing {missing:?}, doubled {doubled:?}");
    let all =
        get_json(&format!("{shop}/api/v2/orders?order_numbers={}", numbers[..100].join(";"))).await;
    assert!(
        all["orders"].as_array().unwrap().iter().all(|o| o["status_id"] == 10),
        "every order is in Ke kontrole"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_rule_fails_its_events_and_the_service_keeps_going() {
    let (_shop, shop) = sandbox(4);
    let numbers = order_numbers(&shop).await;
    let rules = rules_dir(&[
        ("a_loop.rhai", "fn on_order_created(order) { loop { } }"),
        ("b_flood.rhai", "fn on_order_created(order) { loop { print(\"spam spam spam spam\"); } }"),
        (
            "c_good.rhai",
            "fn on_order_created(order) { set_meta(order, \"shopflow_rule\", \"seen\"); }",
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = service(&shop, rules.path(), data.path());

    let started = Instant::now();
    let (status, _) =
        post_json(&hook_url(&svc, "Orders.create"), &orders_create(&numbers[..2])).await;
    assert_eq!(status, 200);
    let st = wait_status(&svc, data.path(), "two events", |v| v["events_processed"] == 2).await;
    let outcomes = st["last_outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    for o in outcomes {
        assert_eq!(o["outcome"], "failed", "{o}");
        let reason = o["reason"].as_str().unwrap();
        assert!(
            reason.contains("a_loop: too_many_operations") || reason.contains("a_loop: timeout"),
            "{reason}"
        );
        assert!(reason.contains("b_flood: too_much_output"), "{reason}");
        assert_eq!(o["actions"][0]["action"], "set_meta", "the good rule still ran");
    }
    println!("two events with two hostile rules each took {:?} end to end", started.elapsed());

    // Still running: the next delivery is processed too.
    let (status, _) =
        post_json(&hook_url(&svc, "Orders.create"), &orders_create(&numbers[2..3])).await;
    assert_eq!(status, 200);
    wait_status(&svc, data.path(), "the next event", |v| v["events_processed"] == 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_refused_and_nothing_is_stored() {
    let (_shop, shop) = sandbox(1);
    let rules = rules_dir(&[("r.rhai", HALF_TO_PROCESSING)]);
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = service(&shop, rules.path(), data.path());
    let body = orders_create(&["2026000001".to_owned()]);
    let (status, v) =
        post_json(&format!("{svc}/webhooks/Orders.create?shopflow_secret=wrong"), &body).await;
    assert_eq!(status, 401, "{v}");
    let (status, _) = post_json(&format!("{svc}/webhooks/Orders.create"), &body).await;
    assert_eq!(status, 401);
    let (status, _) = post_json(&hook_url(&svc, "Orders.shipped"), &body).await;
    assert_eq!(status, 404);
    let st = wait_status(&svc, data.path(), "status", |_| true).await;
    assert_eq!(
        (st["deliveries_refused"].as_u64(), st["deliveries_received"].as_u64()),
        (Some(3), Some(0))
    );
    let journal = std::fs::read_to_string(data.path().join("journal.jsonl")).unwrap();
    assert!(!journal.contains("delivery"), "{journal}");
    assert!(!journal.contains(SECRET) && !journal.contains(KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_costs_one_request_per_15_minutes_and_keeps_every_delivery() {
    let (_shop, shop) = sandbox(4);
    let numbers = order_numbers(&shop).await;
    let rules = rules_dir(&[("r.rhai", STATUS_AND_NOTE)]);
    let data = tempfile::tempdir().unwrap();
    let (wrong, svc) = service_with_key(&shop, rules.path(), data.path(), "WRONG-KEY");
    wait_status(&svc, data.path(), "the service", |_| true).await;
    http().post(format!("{shop}/__sandbox/stats/reset")).send().await.unwrap();

    let (status, _) =
        post_json(&hook_url(&svc, "Orders.create"), &orders_create(&numbers[..2])).await;
    assert_eq!(status, 200);
    let st =
        wait_status(&svc, data.path(), "the refusal on /status", |v| v["shop_error"].is_string())
            .await;
    let why = st["shop_error"].as_str().unwrap();
    assert!(why.contains("refused the login or API key") && why.contains("15 minutes"), "{why}");
    assert!(!why.contains("WRONG-KEY"), "no key in /status: {why}");
    // A new delivery arrives, and time passes: the old loop had sent five more by now.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (status, _) =
        post_json(&hook_url(&svc, "Orders.create"), &orders_create(&numbers[2..])).await;
    assert_eq!(status, 200, "deliveries are still taken");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let stats = get_json(&format!("{shop}/__sandbox/stats")).await;
    assert_eq!(stats["requests_total"], 1, "one refused request, not one per delivery: {stats}");
    let st = wait_status(&svc, data.path(), "status", |_| true).await;
    assert_eq!(st["pending_deliveries"], 2, "every delivery is kept: {st}");
    assert_eq!(st["api_requests"], 1);
    drop(wrong);

    // Restarted with the right key, it tries at once and finishes both deliveries.
    let (_right, svc) = service(&shop, rules.path(), data.path());
    let st = wait_status(&svc, data.path(), "the kept deliveries", |v| {
        v["pending_deliveries"] == 0 && v["events_processed"] == 4
    })
    .await;
    assert!(st.get("shop_error").is_none(), "{st}");
    assert_eq!(st["actions_applied"], 8, "{st}");
}
