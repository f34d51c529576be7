//! Run history, with `shopflow run` as a process against the sandbox over real HTTP: after
//! an order's delivery is processed, `GET /runs/{order}` and `shopflow runs ORDER` show the
//! event, the rule, its action and log line, the outcome and the pass's request count; a run
//! older than `--keep-runs` is pruned when the service starts.

use std::path::Path;

use serde_json::{Value, json};

mod common;
use common::operator::{deliver, operator, order_numbers, orders_create, shopflow};
use common::{Proc, UpgatesUser, upgates_sandbox, upgates_service, wait_status};

const LOGIN: &str = "runs";
const KEY: &str = "runs-key";
const SECRET: &str = "a-webhook-secret-for-the-run-history-tests";

const RULE: &str = r#"
fn on_order_created(order) {
    print(`checking ${order.number}`);
    set_status(order, "Ke kontrole");
}
"#;

fn service(shop: &str, rules: &Path, data: &Path) -> (Proc, String) {
    upgates_service(shop, &UpgatesUser { login: LOGIN, key: KEY, secret: SECRET }, rules, data)
}

/// A run line as the service writes it, `days` old.
fn old_run(order: &str, days: i64) -> String {
    let at = (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let run = json!({"at": at, "order": order, "events": [], "hooks": [], "outcome": "filtered",
        "cost": {"requests": 1, "orders_in_pass": 1}});
    format!("{run}\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_orders_runs_show_event_rule_action_log_outcome_and_cost_and_old_runs_are_pruned() {
    let (_shop, shop) = upgates_sandbox(LOGIN, KEY, 2);
    let n = order_numbers(&shop, LOGIN, KEY).await;
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("check.rhai"), RULE).unwrap();
    let data = tempfile::tempdir().unwrap();
    // Runs written by an earlier service: one past the 14 days kept, one within them.
    let earlier = old_run(&n[0], 20) + &old_run(&n[0], 3);
    std::fs::write(data.path().join("runs.jsonl"), earlier).unwrap();
    let (_svc_proc, svc) = service(&shop, rules.path(), data.path());

    let body = orders_create(&[n[0].as_str(), n[1].as_str()]);
    assert_eq!(deliver(&svc, SECRET, "Orders.create", &body).await, 200);
    wait_status(&svc, data.path(), "the pass", |v| v["events_processed"] == 2).await;

    let (code, v) = operator("GET", &svc, data.path(), &format!("/runs/{}", n[0])).await;
    assert_eq!(code, 200, "{v}");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "this pass's run and the 3-day-old one, not the 20-day-old: {v}");
    let run = &runs[0];
    assert_eq!(
        (run["order"].as_str(), run["outcome"].as_str()),
        (Some(n[0].as_str()), Some("applied"))
    );
    assert_eq!(run["events"][0]["event"], "Orders.create", "{run}");
    assert!(run["events"][0]["delivery"].is_u64(), "{run}");
    let hook = &run["hooks"][0];
    assert_eq!(
        (hook["hook"].as_str(), hook["outcome"].as_str()),
        (Some("order_created"), Some("applied"))
    );
    let rule = &hook["rules"][0];
    assert_eq!(rule["rule"], "check", "{rule}");
    assert_eq!(rule["actions"][0]["action"], "set_status", "{rule}");
    assert_eq!(rule["logs"], json!([format!("checking {}", n[0])]), "its own log line only");
    let cost = &run["cost"];
    assert_eq!(cost["orders_in_pass"], 2, "{cost}");
    assert!(cost["requests"].as_u64().unwrap() >= 2, "a read and a write at least: {cost}");
    let (code, v) = operator("GET", &svc, data.path(), &format!("/runs/{}?limit=1", n[0])).await;
    assert_eq!((code, v["runs"].as_array().map(Vec::len)), (200, Some(1)), "{v}");
    let (code, v) = operator("GET", &svc, data.path(), &format!("/runs/{}?limit=x", n[0])).await;
    assert_eq!(code, 400, "{v}");
    assert!(v["error"].as_str().unwrap().contains("not \"x\""), "{v}");
    let (code, v) = operator("GET", &svc, data.path(), "/runs/no-such-order").await;
    assert_eq!((code, v["runs"].clone()), (200, Value::Array(Vec::new())));

    let d = data.path().to_str().unwrap();
    let (code, out, err) = shopflow(&["runs", &n[0], "--service", &svc, "--data", d]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "applied",
        "event Orders.create",
        "order_created -> applied",
        "rule check",
        "set_status",
        &format!("log: checking {}", n[0]),
        "for 2 orders",
    ] {
        assert!(out.contains(want), "{want:?} in:\n{out}");
    }
    let (code, _, err) = shopflow(&["runs", &n[0], "--service", "http://127.0.0.1:9", "--data", d]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot reach the service"), "{err}");
}
