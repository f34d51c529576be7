//! Access to `shopflow run` as a process over real HTTP: the operator API (`/status`,
//! `POST /rules/reload`) answers only with the operator token, and without it says nothing
//! of the shop; the token is kept owner-only in the data folder and reused after a restart;
//! `/metrics` and `/healthz` stay open; CORS only for the origins listed; a bad origin is
//! refused at start; the demo prints its dashboard's address with the token in the fragment.

use std::path::Path;
use std::process::Command;

use serde_json::json;

mod common;
use common::operator::order_numbers;
use common::{
    Proc, UpgatesUser, http, operator_token, start, upgates_sandbox, upgates_service_with,
    wait_status,
};

const LOGIN: &str = "access";
const KEY: &str = "access-key";
const SECRET: &str = "a-webhook-secret-for-the-access-tests";
/// A rule name that must never show without the token.
const RULE: &str = "tag-every-new-order";

fn service(shop: &str, rules: &Path, data: &Path, more: &[&str]) -> (Proc, String) {
    let user = UpgatesUser { login: LOGIN, key: KEY, secret: SECRET };
    upgates_service_with(shop, &user, rules, data, more)
}

fn rules_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rule = "fn on_order_created(order) { set_status(order, \"Ke kontrole\"); }";
    std::fs::write(dir.path().join(format!("{RULE}.rhai")), rule).unwrap();
    dir
}

/// A service that has processed one order of the sandbox; with that order's number.
async fn busy_service(
    more: &[&str],
) -> (Proc, Proc, String, tempfile::TempDir, tempfile::TempDir, String) {
    let (shop_proc, shop) = upgates_sandbox(LOGIN, KEY, 1);
    let number = order_numbers(&shop, LOGIN, KEY).await.remove(0);
    let (rules, data) = (rules_dir(), tempfile::tempdir().unwrap());
    let (svc_proc, svc) = service(&shop, rules.path(), data.path(), more);
    let body = json!({"project_name": "sandbox", "orders": [{"order_number": number}]});
    let url = format!("{svc}/webhooks/Orders.create?shopflow_secret={SECRET}");
    let r = http().post(url).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    wait_status(&svc, data.path(), "the order", |v| v["events_processed"] == 1).await;
    (shop_proc, svc_proc, svc, rules, data, number)
}

/// Asserts a 401 that asks for a bearer token and carries no shop data.
async fn refused(r: reqwest::Response, number: &str) {
    assert_eq!(r.status(), 401);
    let asks = r.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(asks.as_deref(), Some("Bearer"));
    let body = r.text().await.unwrap();
    assert!(body.contains("operator token"), "{body}");
    for data in [number, RULE, "last_outcomes", "Ke kontrole", "rate_budget"] {
        assert!(!body.contains(data), "no {data} in a refusal: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_needs_the_operator_token_and_says_nothing_without_it() {
    let (_shop, _svc, svc, _rules, data, number) = busy_service(&[]).await;
    let token = operator_token(data.path()).expect("the token is kept in the data folder");

    refused(http().get(format!("{svc}/status")).send().await.unwrap(), &number).await;
    let wrong = http().get(format!("{svc}/status")).bearer_auth(format!("{token}x"));
    refused(wrong.send().await.unwrap(), &number).await;
    let short = http().get(format!("{svc}/status")).bearer_auth(&token[..token.len() - 1]);
    refused(short.send().await.unwrap(), &number).await;
    let basic = http().get(format!("{svc}/status")).basic_auth("operator", Some(&token));
    refused(basic.send().await.unwrap(), &number).await;
    let reload = http().post(format!("{svc}/rules/reload"));
    refused(reload.send().await.unwrap(), &number).await;

    let r = http().get(format!("{svc}/status")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains(&number) && body.contains(RULE), "the token shows the status: {body}");

    for open in ["/metrics", "/healthz", "/readyz"] {
        let r = http().get(format!("{svc}{open}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{open} needs no token");
        let body = r.text().await.unwrap();
        assert!(!body.contains(&number) && !body.contains(RULE), "{open}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_file_is_owner_only_and_kept_across_restarts() {
    let (_shop, shop) = upgates_sandbox(LOGIN, KEY, 0);
    let (rules, data) = (rules_dir(), tempfile::tempdir().unwrap());
    let (first, svc) = service(&shop, rules.path(), data.path(), &[]);
    wait_status(&svc, data.path(), "the first start", |_| true).await;
    let token = operator_token(data.path()).unwrap();
    assert!(token.len() >= 32, "a long random token: {} characters", token.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("operator-token")).unwrap().permissions();
        assert_eq!(mode.mode() & 0o777, 0o600, "owner-only");
    }
    drop(first);
    let (_second, svc) = service(&shop, rules.path(), data.path(), &[]);
    assert_eq!(operator_token(data.path()).unwrap(), token, "the same token after a restart");
    let r = http().get(format!("{svc}/status")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_token_is_used_and_not_written() {
    let (_shop, shop) = upgates_sandbox(LOGIN, KEY, 0);
    let (rules, data) = (rules_dir(), tempfile::tempdir().unwrap());
    let given = "a-given-operator-token-of-the-access-test";
    let (_svc, svc) = service(&shop, rules.path(), data.path(), &["--operator-token", given]);
    let r = http().get(format!("{svc}/status")).bearer_auth(given).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(operator_token(data.path()).is_none(), "a given token is not written to disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_only_the_listed_origins() {
    let listed = "http://admin.example.com:8443";
    let (_shop, _svc, svc, _rules, data, _) = busy_service(&["--allow-origin", listed]).await;
    let token = operator_token(data.path()).unwrap();
    let allow = |r: &reqwest::Response| {
        r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned())
    };
    let get = |origin: &str| {
        http().get(format!("{svc}/status")).bearer_auth(&token).header("origin", origin).send()
    };
    assert_eq!(allow(&get(listed).await.unwrap()).as_deref(), Some(listed));
    assert_eq!(allow(&get("http://evil.example.com").await.unwrap()), None);

    // The browser's preflight for a GET with the token: answered without the token.
    let preflight = http()
        .request(reqwest::Method::OPTIONS, format!("{svc}/status"))
        .header("origin", listed)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(allow(&preflight).as_deref(), Some(listed));
    let headers = preflight.headers()["access-control-allow-headers"].to_str().unwrap();
    assert!(headers.contains("authorization"), "{headers}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_origin_there_are_no_cors_headers() {
    let (_shop, _svc, svc, _rules, _data, _) = busy_service(&[]).await;
    let r = http().get(format!("{svc}/healthz")).header("origin", "http://a.example").send();
    let r = r.await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none(), "{:?}", r.headers());
}

#[test]
fn a_bad_origin_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_shopflow"))
        .args(["run", "--allow-origin", "https://admin.example.com/", "--port", "0"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("https://admin.example.com/") && err.contains("scheme://host[:port]"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing started: {}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_its_dashboard_with_the_token_in_the_fragment() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let (mut proc, svc) = start(&["run", "--data", d, "--port", "0", "--demo-every", "0"]);
    let line = common::next_line(&mut proc);
    let token = operator_token(data.path()).unwrap();
    assert_eq!(line.trim(), format!("dashboard: {svc}/#token={token}"));
    let r = http().get(format!("{svc}/status")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
