//! Hot reload of `shopflow run`'s rules, as a process against the sandbox over real HTTP: a
//! changed rule file is picked up by the watch and the next order meets the new rule; a file
//! that fails the check leaves the running rules in place and says why on `/status`; SIGHUP
//! and `POST /rules/reload` each reload; the endpoint without the operator token is 401; a
//! reloaded rule for a new hook gets its webhook registered.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::operator::order_numbers;
use common::{
    Proc, UpgatesUser, http, status, upgates_sandbox, upgates_service_with, wait_status, with_token,
};

const LOGIN: &str = "reload";
const KEY: &str = "reload-key";
const SECRET: &str = "a-webhook-secret-for-the-reload-tests";

/// A rule that sets every new order to `status`.
fn rule_setting(status: &str) -> String {
    format!("fn on_order_created(order) {{\n    set_status(order, \"{status}\");\n}}\n")
}

/// A sandbox with `n` orders, a service on it running `rule.rhai` from a folder of its own.
struct Setup {
    shop: String,
    _shop: Proc,
    svc_proc: Proc,
    svc: String,
    rules: tempfile::TempDir,
    data: tempfile::TempDir,
    orders: Vec<String>,
}

async fn setup(first_rule: &str) -> Setup {
    setup_with(first_rule, &[]).await
}

/// [`setup`] with more arguments for `shopflow run`.
async fn setup_with(first_rule: &str, more: &[&str]) -> Setup {
    let (shop_proc, shop) = upgates_sandbox(LOGIN, KEY, 4);
    let orders = order_numbers(&shop, LOGIN, KEY).await;
    let (rules, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(rules.path().join("rule.rhai"), first_rule).unwrap();
    let user = UpgatesUser { login: LOGIN, key: KEY, secret: SECRET };
    let (svc_proc, svc) = upgates_service_with(&shop, &user, rules.path(), data.path(), more);
    wait_status(&svc, data.path(), "the service", |_| true).await;
    Setup { shop, _shop: shop_proc, svc_proc, svc, rules, data, orders }
}

impl Setup {
    /// The shop says order `n` was created; returns the status its outcome's action set.
    async fn order_created(&self, n: &str) -> String {
        let body = json!({"project_name": "sandbox", "orders": [{"order_number": n}]});
        let url = format!("{}/webhooks/Orders.create?shopflow_secret={SECRET}", self.svc);
        let r = http().post(url).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let outcome = |v: &Value| {
            v["last_outcomes"]
                .as_array()
                .and_then(|os| os.iter().find(|o| o["event"]["subject"]["order"] == n).cloned())
        };
        let st = wait_status(&self.svc, self.data.path(), "the order's outcome", |v| {
            outcome(v).is_some()
        })
        .await;
        let o = outcome(&st).unwrap();
        assert_eq!(o["actions"][0]["action"], "set_status", "{o}");
        o["actions"][0]["status"].as_str().unwrap().to_owned()
    }

    fn write_rule(&self, source: &str) {
        std::fs::write(self.rules.path().join("rule.rhai"), source).unwrap();
    }

    async fn status(&self) -> Value {
        status(&self.svc, self.data.path()).await.expect("/status")
    }

    /// Waits until `/status` shows rules loaded after `since`.
    async fn reloaded_after(&self, since: &str, what: &str) -> Value {
        wait_status(&self.svc, self.data.path(), what, |v| {
            v["rules_loaded_at"].as_str().is_some_and(|at| at > since)
        })
        .await
    }

    /// Waits until `/status` shows a reload error.
    async fn rules_error(&self) -> String {
        let st = wait_status(&self.svc, self.data.path(), "rules_error", |v| {
            v["rules_error"].is_string()
        })
        .await;
        st["rules_error"].as_str().unwrap().to_owned()
    }

    /// Whether the service process still runs (`kill -0`).
    fn svc_proc_alive(&self) -> bool {
        let pid = self.svc_proc.0.id().to_string();
        Command::new("kill").args(["-0", &pid]).status().is_ok_and(|s| s.success())
    }

    /// `POST /rules/reload` with the operator token.
    async fn reload(&self) -> (u16, Value) {
        let r = with_token(http().post(format!("{}/rules/reload", self.svc)), self.data.path());
        let r = r.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_rule_file_is_picked_up_and_the_next_order_meets_the_new_rule() {
    let s = setup(&rule_setting("Ke kontrole")).await;
    assert_eq!(s.order_created(&s.orders[0]).await, "Ke kontrole");
    let loaded = s.status().await["rules_loaded_at"].as_str().unwrap().to_owned();

    s.write_rule(&rule_setting("Vyřizuje se"));
    let started = Instant::now();
    let st = s.reloaded_after(&loaded, "the watch's reload").await;
    println!("the watch reloaded the changed file in {:?}", started.elapsed());
    assert!(st["rules_error"].is_null(), "{st}");
    assert_eq!(s.order_created(&s.orders[1]).await, "Vyřizuje se");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_keeps_the_running_rules_and_says_why_until_it_is_fixed() {
    let s = setup(&rule_setting("Ke kontrole")).await;
    s.write_rule("fn on_order_created(order) {\n    set_status(order, \"Vyřizuje se\"\n}\n");
    let why = s.rules_error().await;
    assert!(why.contains("rule.rhai:"), "file:line:column: {why}");
    let place = why.split("rule.rhai:").nth(1).unwrap();
    assert!(place.split(':').take(2).all(|n| n.parse::<u32>().is_ok()), "{why}");

    // The old rule keeps running, and is still the one listed.
    assert_eq!(s.order_created(&s.orders[0]).await, "Ke kontrole");
    let st = s.status().await;
    assert_eq!(st["rules"][0]["name"], "rule", "{st}");

    // The endpoint says the same, with 422.
    let (code, body) = s.reload().await;
    assert_eq!(code, 422, "{body}");
    assert!(body["rules_error"].as_str().unwrap().contains("rule.rhai:"), "{body}");

    // Fixed: the error is gone and the new rule runs; a second file joins the list.
    s.write_rule(&rule_setting("Vyřizuje se"));
    std::fs::write(s.rules.path().join("second.rhai"), "fn on_order_paid(order) { }").unwrap();
    wait_status(&s.svc, s.data.path(), "the fix", |v| {
        v["rules_error"].is_null() && v["rules"].as_array().is_some_and(|r| r.len() == 2)
    })
    .await;
    assert_eq!(s.order_created(&s.orders[1]).await, "Vyřizuje se");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads() {
    let s = setup(&rule_setting("Ke kontrole")).await;
    let loaded = s.status().await["rules_loaded_at"].as_str().unwrap().to_owned();
    // A moment, so the reload's time is later than the start's to the millisecond.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let pid = s.svc_proc.0.id().to_string();
    assert!(Command::new("kill").args(["-HUP", &pid]).status().unwrap().success());
    s.reloaded_after(&loaded, "the SIGHUP's reload").await;
    assert!(s.svc_proc_alive(), "SIGHUP does not stop the service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_rules_reload_reloads_and_needs_the_operator_token() {
    let s = setup(&rule_setting("Ke kontrole")).await;
    let loaded = s.status().await["rules_loaded_at"].as_str().unwrap().to_owned();

    let r = http().post(format!("{}/rules/reload", s.svc)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let wrong = http().post(format!("{}/rules/reload", s.svc)).bearer_auth("not-the-token");
    assert_eq!(wrong.send().await.unwrap().status(), 401);
    assert_eq!(s.status().await["rules_loaded_at"], loaded.as_str(), "a 401 reloads nothing");

    tokio::time::sleep(Duration::from_millis(20)).await;
    let (code, body) = s.reload().await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["rules"], json!(["rule"]));
    let st = s.status().await;
    assert!(st["rules_loaded_at"].as_str().unwrap() > loaded.as_str(), "{st}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reloaded_rule_for_a_new_hook_gets_its_webhook_registered() {
    // The address is only registered with the sandbox, never called by this test.
    let public = ["--register-webhooks", "http://127.0.0.1:9/public"];
    let s = setup_with(&rule_setting("Ke kontrole"), &public).await;
    let webhooks = || async {
        let r = http().get(format!("{}/api/v2/webhooks", s.shop)).basic_auth(LOGIN, Some(KEY));
        r.send().await.unwrap().text().await.unwrap()
    };
    let before = webhooks().await;
    assert!(before.contains("Orders.create") && !before.contains("Orders.update"), "{before}");

    std::fs::write(s.rules.path().join("updated.rhai"), "fn on_order_updated(order, change) { }")
        .unwrap();
    let (code, body) = s.reload().await;
    assert_eq!(code, 200, "{body}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !webhooks().await.contains("Orders.update") {
        assert!(Instant::now() < deadline, "Orders.update registered: {}", webhooks().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
