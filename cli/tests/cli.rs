//! The `shopflow` binary as users run it: exit codes, stdout, stderr.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn fixture(path: &str) -> String {
    format!("{}/../fixtures/upgates/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn shopflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopflow")).args(args).output().expect("run shopflow")
}

fn shopflow_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopflow"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn shopflow");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn parse_prints_normalized_json_and_exits_0() {
    let out = shopflow(&["parse", "order-list", &fixture("order-list.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let order = &v["orders"][1];
    assert_eq!(order["order_total"], serde_json::json!(520.661));
    assert_eq!(order["prices_with_vat_yn"], true);
    assert_eq!(order["origin"], "cash-register");
    assert_eq!(order["last_update_time"], "2024-03-01");
    assert_eq!(
        v["orders"][0]["customer"]["agreements"][0]["valid_to"]["timezone"],
        "Europe/Prague"
    );
    assert_eq!(v["orders"][0]["metas"][1]["values"][0]["value"], "Zvonit 2x");
    assert!(out.stderr.is_empty());
}

#[test]
fn bad_input_exits_1_with_path_and_position_and_nothing_on_stdout() {
    let path = fixture("invalid/order-list-bad-total.json");
    let out = shopflow(&["parse", "order-list", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "stdout must stay empty: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{path}:7:48:")), "{err}");
    assert!(err.contains("at orders[1].order_total"), "{err}");
    assert!(err.contains("\"12,50\""), "{err}");

    let out = shopflow(&["parse", "order-list", &fixture("invalid/order-list-truncated.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("order-list-truncated.json:2:"));
}

#[test]
fn stdin_is_read_for_dash_and_for_no_file() {
    let body =
        br#"{"project_name":"x","orders":[{"order_number":"7","creation_time":"2024-1-2"}]}"#;
    for args in [&["parse", "webhook-batch", "-"][..], &["parse", "webhook-batch"][..]] {
        let out = shopflow_stdin(args, body);
        assert_eq!(out.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["event"], "Orders.create");
        assert_eq!(v["event_source"], "inferred");
        assert_eq!(v["orders"][0]["creation_time"], "2024-01-02");
        assert!(text(&out.stderr).contains("inferred"));
    }
}

#[test]
fn webhook_event_is_configured_or_refused() {
    let path = fixture("webhooks/customers-create.json");
    let out = shopflow(&["parse", "webhook-batch", "--event", "Customers.create", &path]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["event_source"], "configured");
    assert_eq!(v["customers"][0]["active_yn"], false);
    assert!(out.stderr.is_empty());

    let out = shopflow(&["parse", "webhook-batch", "--event", "Orders.update", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("configured for Orders.update"));

    let out = shopflow(&["parse", "webhook-batch", "--event", "nonsense", &path]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
}

#[test]
fn help_lists_every_kind() {
    let out = shopflow(&["parse", "--help"]);
    let help = text(&out.stdout);
    for kind in [
        "order-list",
        "order-detail",
        "order-create-request",
        "order-update-request",
        "order-create-response",
        "order-update-response",
        "order-delete-response",
        "order-history-list",
        "order-status-list",
        "customer-list",
        "customer-delete-response",
        "webhook-batch",
        "webhook-event-list",
        "legacy-update-request",
        "legacy-update-response",
        "retailys-order-detail",
        "retailys-order-create-request",
    ] {
        assert!(help.contains(&format!("- {kind}:")), "{kind} missing from help");
    }
    for old in ["orders-update-response", "order-statuses", "webhook", "retailys-order"] {
        assert!(!help.contains(&format!("- {old}:")), "the alias {old} is listed in help");
    }
    let out = shopflow(&["parse", "no-such-kind", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn names_from_before_the_naming_rule_still_work() {
    let path = fixture("orders-update-response.json");
    let new = shopflow(&["parse", "order-update-response", &path]);
    let old = shopflow(&["parse", "orders-update-response", &path]);
    assert_eq!(old.status.code(), Some(0), "{}", text(&old.stderr));
    assert_eq!(old.stdout, new.stdout);
    let body =
        br#"{"project_name":"x","orders":[{"order_number":"7","creation_time":"2024-1-2"}]}"#;
    assert_eq!(shopflow_stdin(&["parse", "webhook", "-"], body).status.code(), Some(0));
    let invalid = format!(
        "{}/../fixtures/retailys/invalid/order-post-request-problems.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let old = shopflow(&["validate", "retailys-order-post-request", &invalid]);
    let new = shopflow(&["validate", "retailys-order-create-request", &invalid]);
    assert_eq!(old.status.code(), Some(1));
    assert_eq!(old.stdout, new.stdout);
}

#[test]
fn validate_prints_every_problem_and_exits_1() {
    let out = shopflow(&[
        "validate",
        "order-create-request",
        &fixture("invalid/order-create-request-problems.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 10, "{lines:#?}");
    assert!(
        lines[1].contains("record 0 (EXT-1), orders[0].customer.email: expected an e-mail address")
    );
    assert!(text(&out.stderr).contains("10 problems"));

    let out = shopflow(&[
        "validate",
        "--json",
        "order-update-request",
        &fixture("invalid/order-update-request-problems.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(problems.as_array().unwrap().len(), 4);
    assert_eq!(problems[1]["path"], "orders[1].order_number");

    let out =
        shopflow(&["validate", "order-create-request", &fixture("order-create-request.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn legacy_to_v2_prints_update_requests_without_the_key() {
    let out = shopflow(&["legacy-to-v2", &fixture("legacy-update-request.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = text(&out.stdout);
    assert!(!all.contains("0123456789"), "the legacy API key must not be printed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let req = &v[0];
    assert_eq!(req["send_emails_yn"], true);
    assert_eq!(req["send_sms_yn"], false);
    assert_eq!(req["orders"][0]["resolved_yn"], true);
    assert_eq!(req["orders"][1]["paid_date"], "");
    assert!(req["orders"][0]["metas"][0].get("values").is_none());

    let out = shopflow(&["legacy-to-v2", &fixture("order-list.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("apiKey"));
}

#[test]
fn secrets_never_reach_the_output() {
    let out = shopflow(&["parse", "legacy-update-request", &fixture("legacy-update-request.json")]);
    assert!(!text(&out.stdout).contains("0123456789"));
    let out = shopflow(&["parse", "webhook-list", &fixture("webhook-list.json")]);
    let s = text(&out.stdout);
    assert!(!s.contains("s3cr3t-t0ken") && !s.contains("user:pw"), "{s}");
}

#[test]
fn missing_files_are_named() {
    let out = shopflow(&["parse", "order-list", "/nonexistent/orders.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read /nonexistent/orders.json"));
}

#[test]
fn retailys_documents_parse_validate_and_are_listed() {
    let help = text(&shopflow(&["parse", "--help"]).stdout);
    assert!(help.contains("retailys-order-list") && help.contains("order-list"), "{help}");
    let out = shopflow(&[
        "parse",
        "retailys-order-list",
        &format!("{}/../fixtures/retailys/order-list.json", env!("CARGO_MANIFEST_DIR")),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["orders"].as_array().map(Vec::len), Some(2));

    let bad = shopflow_stdin(&["parse", "retailys-order-detail", "-"], br#"{"id": "x"}"#);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    let err = text(&bad.stderr);
    assert!(err.contains("<stdin>:1:") && err.contains("at id:"), "{err}");

    let invalid = format!(
        "{}/../fixtures/retailys/invalid/order-post-request-problems.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = shopflow(&["validate", "retailys-order-create-request", &invalid]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).lines().count() >= 2, "every problem: {}", text(&out.stdout));
}
