//! `shopflow rules check` and `shopflow rules test`: rule authors' tools. Nothing here talks
//! to a shop; a test is a dry run over a saved webhook body and saved records.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use shopflow_core::automation::platform::Capabilities;
use shopflow_core::automation::{Action, Outcome, Subject};
use shopflow_core::date::ApiDate;
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use shopflow_rules::{DryRun, Limits, RuleSet, ShopData, dry_run};

use crate::cli::{RulesCheckArgs, RulesTestArgs};
use crate::input::{self, located};
use crate::rule_files::{load, rule_name, rule_paths, today};

/// `shopflow rules check FILE...`.
pub fn check(args: &RulesCheckArgs) -> Result<ExitCode, String> {
    let mut failed = false;
    for path in &args.files {
        let files = rule_paths(path)?;
        for file in files {
            match load(std::slice::from_ref(&file), &Limits::default(), &args.platform) {
                Ok(rules) => {
                    let hooks: Vec<&str> = rules
                        .iter()
                        .flat_map(|(_, r)| r.hooks().iter().map(|h| h.function_name()))
                        .collect();
                    println!("{}: ok ({})", file.display(), hooks.join(", "));
                }
                Err(errors) => {
                    failed = true;
                    for e in errors {
                        println!("{e}");
                    }
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `shopflow rules test`.
pub fn test(args: &RulesTestArgs) -> Result<ExitCode, String> {
    let today = today(args.today.as_deref())?;
    if let Some(dir) = &args.dir {
        return test_dir(dir, today, &args.platform);
    }
    let (Some(file), Some(event)) = (&args.file, &args.event) else {
        return Err("give a rule file and --event WEBHOOK.json, or --dir DIR".to_owned());
    };
    let rules = load(std::slice::from_ref(file), &Limits::default(), &args.platform)
        .map_err(|e| e.join("\n"))?;
    let result = run_case(
        &rules,
        event,
        args.data.as_deref(),
        args.event_name.as_ref(),
        today,
        &args.platform,
    )?;
    if args.json {
        let text = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_text(&result);
    }
    let rule_failed = result.events.iter().any(|e| e.rules.iter().any(|r| r.error.is_some()));
    Ok(if rule_failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A dry run of `rules` over the webhook body in `event` with the records in `data`.
fn run_case(
    rules: &[(String, RuleSet)],
    event: &Path,
    data: Option<&Path>,
    event_name: Option<&WebhookEvent>,
    today: ApiDate,
    platform: &Capabilities,
) -> Result<DryRun, String> {
    let body = input::read(Some(event))?;
    let batch =
        parse_webhook(&body.bytes, event_name).map_err(|e| format!("{}: {e}", body.name))?;
    let data = match data {
        None => ShopData::default(),
        Some(path) => {
            let input = input::read(Some(path))?;
            ShopData::from_json(&input.bytes)
                .map_err(|e| located(&input.name, "rules data file", &e))?
        }
    };
    Ok(dry_run(rules, &batch, &data, today, platform))
}

/// One action in words: `set_status(2026000001, "Ke kontrole")`.
pub fn describe(action: &Action) -> String {
    let notify = action.notify();
    let tell = match (notify.emails, notify.sms) {
        (false, false) => "",
        (true, false) => " [notifies the customer: e-mail]",
        (false, true) => " [notifies the customer: SMS]",
        (true, true) => " [notifies the customer: e-mail and SMS]",
    };
    let args = match action {
        Action::SetStatus { order, status, .. } => format!("{order}, {status}"),
        Action::MarkPaid { order, date, .. } => match date {
            Some(d) => format!("{order}, {d}"),
            None => order.clone(),
        },
        Action::MarkResolved { order }
        | Action::GenerateInvoice { order, .. }
        | Action::Cancel { order, .. }
        | Action::MarkSent { order, .. }
        | Action::MarkDelivered { order } => order.clone(),
        Action::SetTracking { order, code, carrier, .. } => match carrier {
            Some(c) => format!("{order}, {code:?}, {c:?}"),
            None => format!("{order}, {code:?}"),
        },
        Action::AddHistory { order, name, value } => format!("{order}, {name:?}, {value:?}"),
        Action::SetInternalNote { order, text } => format!("{order}, {text:?}"),
        Action::SetMeta { order, key, value } => format!("{order}, {key:?}, {value:?}"),
        Action::SetCustomerNote { customer, text } => format!("customer {customer}, {text:?}"),
        Action::SetCustomerMeta { customer, key, value } => {
            format!("customer {customer}, {key:?}, {value:?}")
        }
    };
    format!("{}({args}){tell}", action.name())
}

fn subject(s: &Subject) -> String {
    match s {
        Subject::Order(n) => format!("order {n}"),
        Subject::Customer(id) => format!("customer {id}"),
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Applied => "would apply",
        Outcome::Filtered => "filtered",
        Outcome::Failed => "failed",
    }
}

fn print_text(r: &DryRun) {
    for e in &r.events {
        let reason = e.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        println!(
            "{} {}: {}{reason}",
            e.event.hook.function_name(),
            subject(&e.event.subject),
            outcome_word(e.outcome)
        );
        for rule in &e.rules {
            for &i in &rule.actions {
                if let Some(a) = r.actions.get(i) {
                    println!("  {}", describe(a));
                }
            }
            for l in &rule.logs {
                println!("  log: {l}");
            }
            if let Some(err) = &rule.error {
                println!("  error in {}: {}: {err}", rule.rule, err.kind.code());
            }
        }
    }
    for s in &r.skipped {
        println!("skipped: {s}");
    }
    let requests: Vec<String> = r
        .requests
        .iter()
        .map(|q| {
            format!(
                "{} {} ({} item{})",
                q.method,
                q.path,
                q.items,
                if q.items == 1 { "" } else { "s" }
            )
        })
        .collect();
    println!(
        "requests: {}",
        if requests.is_empty() { "none".to_owned() } else { requests.join(", ") }
    );
    println!("{} action(s), {} operation(s) used", r.actions.len(), r.ops_used);
}

/// `rules test --dir DIR`: every case of every rule file.
fn test_dir(dir: &Path, today: ApiDate, platform: &Capabilities) -> Result<ExitCode, String> {
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in rule_paths(dir)? {
        let name = rule_name(&file);
        let cases = case_dirs(&dir.join(&name));
        if cases.is_empty() {
            println!("{name}: no test cases in {}", dir.join(&name).display());
            continue;
        }
        let rules = load(std::slice::from_ref(&file), &Limits::default(), platform);
        for case in cases {
            let label = format!(
                "{name}/{}",
                case.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            );
            let verdict = match &rules {
                Err(errors) => Err(errors.join("; ")),
                Ok(rules) => check_case(rules, &case, today, platform),
            };
            match verdict {
                Ok(()) => {
                    passed += 1;
                    println!("ok      {label}");
                }
                Err(why) => {
                    failed += 1;
                    println!("FAILED  {label}: {why}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 && passed > 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("event.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    cases
}

/// Runs one case and compares it with `expected.json`: `actions` (exactly, in order), and
/// when present `logs`, `outcomes` (per event) and `error` (the first rule error's code).
fn check_case(
    rules: &[(String, RuleSet)],
    case: &Path,
    today: ApiDate,
    platform: &Capabilities,
) -> Result<(), String> {
    let data = case.join("data.json");
    let result = run_case(
        rules,
        &case.join("event.json"),
        data.is_file().then_some(data.as_path()),
        None,
        today,
        platform,
    )?;
    let expected_file = input::read(Some(&case.join("expected.json")))?;
    let expected: Value = serde_json::from_slice(&expected_file.bytes)
        .map_err(|e| format!("{}:{}:{}: {e}", expected_file.name, e.line(), e.column()))?;
    let mut problems = Vec::new();
    let got_actions = serde_json::to_value(&result.actions).map_err(|e| e.to_string())?;
    match expected.get("actions") {
        Some(want) if want != &got_actions => {
            problems.push(format!("actions: expected {want}, got {got_actions}"));
        }
        Some(_) => {}
        None => problems.push("expected.json has no \"actions\"".to_owned()),
    }
    if let Some(want) = expected.get("logs") {
        let got = serde_json::to_value(&result.logs).map_err(|e| e.to_string())?;
        if want != &got {
            problems.push(format!("logs: expected {want}, got {got}"));
        }
    }
    if let Some(want) = expected.get("outcomes") {
        let got = serde_json::to_value(result.events.iter().map(|e| e.outcome).collect::<Vec<_>>())
            .map_err(|e| e.to_string())?;
        if want != &got {
            problems.push(format!("outcomes: expected {want}, got {got}"));
        }
    }
    let first_error = result.events.iter().flat_map(|e| &e.rules).find_map(|r| r.error.as_ref());
    match (expected.get("error").and_then(Value::as_str), first_error) {
        (None, Some(e)) => problems.push(format!("the rule failed: {}: {e}", e.kind.code())),
        (Some(want), None) => problems.push(format!("expected error {want}, but the rule ran")),
        (Some(want), Some(e)) if want != e.kind.code() => {
            problems.push(format!("expected error {want}, got {}: {e}", e.kind.code()));
        }
        _ => {}
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}
