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
    assert!(stdout.trim_end().ends_with("18 passed, 0 failed"), "{stdout}");

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
            "FAILED  pickup_point/wrong: actions: expected [], got [{\"action\":\"add_history\""
        ),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("0 passed, 1 failed"), "{stdout}");
}

#[test]
fn check_refuses_each_action_and_hook_the_chosen_platform_cannot_make_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("everything.rhai");
    std::fs::write(
        &rule,
        "fn on_order_created(order) {\n    set_internal_note(order, \"x\");\n    set_meta(order, \"k\", \"v\");\n    generate_invoice(order);\n    mark_delivered(order);\n}\nfn on_customer_created(c) {\n    set_customer_note(c, \"x\");\n    set_customer_meta(c, \"k\", \"v\");\n}\n",
    )
    .unwrap();
    let file = rule.to_str().unwrap();
    let retailys = shopflow(&["rules", "check", "--platform", "retailys", file]);
    assert_eq!(retailys.status.code(), Some(1));
    let out = text(&retailys.stdout);
    let lines: Vec<&str> = out.lines().collect();
    for (line, action, instead) in [
        (2, "set_internal_note", "use add_history instead"),
        (3, "set_meta", "use add_history to record a value"),
        (4, "generate_invoice", "there is no request for it"),
        (8, "set_customer_note", "Retailys has no customer note an app can write"),
        (9, "set_customer_meta", "Retailys customers have no custom fields an app can write"),
    ] {
        let at =
            format!("{file}:{line}:5: unsupported_action: {action} is not available on retailys: ");
        assert!(lines.iter().any(|l| l.starts_with(&at) && l.ends_with(instead)), "{at}\n{out}");
    }
    // A hook Retailys never calls is refused where it is defined.
    let hook = format!(
        "{file}:7:27: unsupported_action: on_customer_created is not available on retailys: Retailys apps cannot read customers; use on_order_created"
    );
    assert!(lines.contains(&hook.as_str()), "{hook}\n{out}");
    assert_eq!(lines.len(), 6, "mark_delivered is a Retailys flag: {out}");

    let upgates = shopflow(&["rules", "check", file]);
    assert_eq!(upgates.status.code(), Some(1));
    assert_eq!(
        text(&upgates.stdout).trim_end(),
        format!(
            "{file}:5:5: unsupported_action: mark_delivered is not available on upgates: Upgates \
             has no delivered flag or status type; use set_status with your shop's delivered \
             status"
        )
    );

    let unknown = shopflow(&["rules", "check", "--platform", "shoptet", file]);
    assert_eq!(unknown.status.code(), Some(2), "a usage error names the platforms");
    assert!(text(&unknown.stderr).contains("upgates, retailys"));
}

#[test]
fn the_examples_run_unchanged_on_both_platforms() {
    for platform in ["upgates", "retailys"] {
        let check = shopflow(&["rules", "check", "--platform", platform, &repo("examples/rules")]);
        assert_eq!(check.status.code(), Some(0), "{platform}: {}", text(&check.stdout));
        let test =
            shopflow(&["rules", "test", "--platform", platform, "--dir", &repo("examples/rules")]);
        let stdout = text(&test.stdout);
        assert_eq!(test.status.code(), Some(0), "{platform}: {stdout}");
        assert!(stdout.trim_end().ends_with("18 passed, 0 failed"), "{stdout}");
    }
    // The same case plans each platform's requests.
    let case = repo("examples/rules/tracking_to_sent/parcel_number_added");
    let requests = |platform: &str| {
        let out = shopflow(&[
            "rules",
            "test",
            &repo("examples/rules/tracking_to_sent.rhai"),
            "--event",
            &format!("{case}/event.json"),
            "--data",
            &format!("{case}/data.json"),
            "--platform",
            platform,
        ]);
        let stdout = text(&out.stdout);
        stdout.lines().find(|l| l.starts_with("requests: ")).unwrap_or_default().to_owned()
    };
    assert_eq!(requests("upgates"), "requests: PUT /orders (1 item)");
    assert_eq!(requests("retailys"), "requests: PATCH /System/Orders/2026000101/sent (1 item)");

    // What only Upgates has is kept apart, and the check says why.
    let only = repo("examples/upgates-only");
    assert_eq!(shopflow(&["rules", "test", "--dir", &only]).status.code(), Some(0));
    let retailys = shopflow(&["rules", "check", "--platform", "retailys", &only]);
    assert_eq!(retailys.status.code(), Some(1));
    assert!(
        text(&retailys.stdout).contains("inactive_customer.rhai:10:5: unsupported_action: set_customer_meta is not available on retailys"),
        "{}",
        text(&retailys.stdout)
    );
}
