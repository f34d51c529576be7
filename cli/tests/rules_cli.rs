//! `shopflow rules check` and `shopflow rules test` as rule authors run them.

use std::process::{Command, Output};

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn shopflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopflow")).args(args).output().expect("run shopflow")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_lists_hooks_or_located_errors() {
    let out = shopflow(&["rules", "check", &repo("examples/rules")]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("cod_over_limit.rhai: ok (on_order_created)"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.rhai");
    std::fs::write(
        &bad,
        "fn on_order_created(order) {\n    set_stauts(order, 1);\n}\nfn on_order_sent(o) {}\n",
    )
    .unwrap();
    let out = shopflow(&["rules", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("bad.rhai:2:5: unknown_function: no function named set_stauts (did you mean set_status?)"), "{stdout}");
    assert!(stdout.contains("bad.rhai:4:"), "{stdout}");
    assert!(stdout.contains("unknown_hook: on_order_sent is not a hook"), "{stdout}");
}

#[test]
fn check_reports_a_property_the_order_does_not_have() {
    // The platform's field names, as the API docs and webhook bodies spell them.
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("total.rhai");
    std::fs::write(
        &rule,
        "fn on_order_created(o) {\n    if o.order_total > 5000 {\n        print(o.customer.firstname_invoice);\n    }\n}\n",
    )
    .unwrap();
    let file = rule.to_str().unwrap();
    let out = shopflow(&["rules", "check", file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(&format!(
            "{file}:2:10: unknown_property: Order has no property order_total (did you mean total? \
             or o.api.order_total for the platform's own field)"
        )
        .as_str()),
        "{stdout}"
    );
    assert!(
        lines.contains(&format!(
            "{file}:3:26: unknown_property: OrderCustomer has no property firstname_invoice (did \
             you mean firstname?)"
        )
        .as_str()),
        "{stdout}"
    );
}

#[test]
fn test_prints_actions_logs_operations_and_requests() {
    let case = repo("examples/rules/cod_over_limit/over_limit");
    let out = shopflow(&[
        "rules",
        "test",
        &repo("examples/rules/cod_over_limit.rhai"),
        "--event",
        &format!("{case}/event.json"),
        "--data",
        &format!("{case}/data.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("on_order_created order 2026000101: would apply"), "{stdout}");
    assert!(stdout.contains("  set_status(2026000101, status \"Ke kontrole\")"), "{stdout}");
    assert!(stdout.contains("  log: held 2026000101"), "{stdout}");
    assert!(
        stdout.contains("requests: PUT /orders (1 item), POST /orders/2026000101/history (1 item)"),
        "{stdout}"
    );
    assert!(stdout.contains("operation(s) used"), "{stdout}");

    let out = shopflow(&[
        "rules",
        "test",
        &repo("examples/rules/cod_over_limit.rhai"),
        "--event",
        &format!("{case}/event.json"),
        "--data",
        &format!("{case}/data.json"),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["actions"][0]["status"], "Ke kontrole");
    assert_eq!(v["events"][0]["outcome"], "applied");
    assert!(v["ops_used"].as_u64().unwrap() > 0);
}

#[test]
fn a_failing_rule_exits_1_and_bad_data_names_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("r.rhai");
    std::fs::write(&rule, "fn on_order_created(order) {\n  let x = order.total / 0;\n}\n").unwrap();
    let case = repo("examples/rules/cod_over_limit/over_limit");
    let out = shopflow(&[
        "rules",
        "test",
        rule.to_str().unwrap(),
        "--event",
        &format!("{case}/event.json"),
        "--data",
        &format!("{case}/data.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("error in r: runtime: line 2"), "{}", text(&out.stdout));

    let data = dir.path().join("data.json");
    std::fs::write(&data, "{\"orders\": [{\"order_number\": \"1\", \"order_total\": \"lots\"}]}")
        .unwrap();
    let out = shopflow(&[
        "rules",
        "test",
        rule.to_str().unwrap(),
        "--event",
        &format!("{case}/event.json"),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("data.json:1:") && stderr.contains("orders[0].order_total"),
        "{stderr}"
    );
}

#[test]
fn test_dir_runs_every_case_and_counts() {
    let out = shopflow(&["rules", "test", "--dir", &repo("examples/rules")]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with("15 passed, 0 failed"), "{stdout}");

    // A case whose expectation is wrong fails, and says how.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo("examples/rules/pickup_point.rhai"), dir.path().join("pickup_point.rhai"))
        .unwrap();
    let case = dir.path().join("pickup_point/wrong");
    std::fs::create_dir_all(&case).unwrap();
    let src = repo("examples/rules/pickup_point/zasilkovna");
    std::fs::copy(format!("{src}/event.json"), case.join("event.json")).unwrap();
    std::fs::copy(format!("{src}/data.json"), case.join("data.json")).unwrap();
    std::fs::write(case.join("expected.json"), "{\"actions\": []}").unwrap();
    let out = shopflow(&["rules", "test", "--dir", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "FAILED  pickup_point/wrong: actions: expected [], got [{\"action\":\"set_meta\""
        ),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("0 passed, 1 failed"), "{stdout}");
}

#[test]
fn check_refuses_an_action_the_chosen_platform_cannot_make() {
    let rule = repo("examples/rules/company_note.rhai");
    let upgates = shopflow(&["rules", "check", &rule]);
    assert!(upgates.status.success(), "{}", text(&upgates.stderr));
    let retailys = shopflow(&["rules", "check", "--platform", "retailys", &rule]);
    assert_eq!(retailys.status.code(), Some(1));
    let out = format!("{}{}", text(&retailys.stdout), text(&retailys.stderr));
    assert!(
        out.contains("company_note.rhai:12:5: unsupported_action: set_internal_note is not available on retailys")
            && out.contains("use add_history instead"),
        "{out}"
    );
    let unknown = shopflow(&["rules", "check", "--platform", "shoptet", &rule]);
    assert_eq!(unknown.status.code(), Some(2), "a usage error names the platforms");
    assert!(text(&unknown.stderr).contains("upgates, retailys"));
}
