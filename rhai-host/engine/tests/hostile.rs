//! Hostile scripts (tests/hostile/*.rhai): each is stopped with the typed error its first line
//! names (`// expect: CODE`, or `A | B` where either limit may trip first), at compile time or during its first run, and the engine keeps
//! working afterwards. The wall-clock figures are in docs/benchmarks.md; the bound here is
//! loose on purpose (debug build, noisy machine) and catches a missing limit, not a slow one.

mod common;

use std::time::{Duration, Instant};

use common::{compile, order};
use shopflow_core::automation::{Hook, RuleEvent, Subject};
use shopflow_rules::HookInput;

#[test]
fn every_hostile_script_stops_with_its_typed_error() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 12, "the corpus is there");
    let event =
        RuleEvent { hook: Hook::OrderCreated, subject: Subject::Order("1".into()), change: None };
    let input = || HookInput::Order(order(serde_json::json!({"order_number": "1"})));
    let mut failures = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let expect = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: "))
            .unwrap()
            .trim()
            .to_owned();
        let started = Instant::now();
        let error = match compile(&source) {
            Err(errors) => errors.into_iter().next(),
            Ok(rules) => {
                let run = rules.run(&event, input());
                assert!(
                    run.actions.is_empty(),
                    "{}: a stopped run asks for nothing",
                    file.display()
                );
                // The same engine runs a well-behaved event afterwards? Only the limits
                // reset per run; a second run must stop the same way, not crash.
                let again = rules.run(&event, input());
                assert_eq!(
                    again.error.as_ref().map(|e| e.kind),
                    run.error.as_ref().map(|e| e.kind)
                );
                run.error
            }
        };
        let took = started.elapsed();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match error {
            Some(e)
                if expect.split('|').any(|x| x.trim() == e.kind.code())
                    && took < Duration::from_secs(2) =>
            {
                println!(
                    "{name}: {} in {:.1} ms ({e})",
                    e.kind.code(),
                    took.as_secs_f64() * 1000.0
                );
            }
            Some(e) => failures.push(format!(
                "{name}: expected {expect}, got {} after {took:?}: {e}",
                e.kind.code()
            )),
            None => failures.push(format!("{name}: expected {expect}, but it ran to the end")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn after_a_hostile_run_a_good_rule_on_another_engine_is_unaffected() {
    let bad = compile("fn on_order_created(o) { loop { print(\"x\"); } }").unwrap();
    let good = compile("fn on_order_created(o) { set_status(o, 2); }").unwrap();
    let event =
        RuleEvent { hook: Hook::OrderCreated, subject: Subject::Order("1".into()), change: None };
    let input = || HookInput::Order(order(serde_json::json!({"order_number": "1"})));
    assert!(bad.run(&event, input()).error.is_some());
    let run = good.run(&event, input());
    assert_eq!((run.error, run.actions.len()), (None, 1));
    assert!(run.logs.is_empty());
}
