//! A dry run as JavaScript receives it from `engine.run`.
//!
//! The rules crate's report points at actions by index into one list (so several rule files
//! can share it); a JavaScript caller reads one event at a time, so each event here carries
//! its actions themselves, its hook by the function name the script defines, and its error
//! with the same codes as compile errors. Serialized straight from borrowed parts of the dry
//! run: a batch of thousands of orders is written once, not copied first.

use serde::Serialize;
use shopflow_core::automation::{Action, Outcome, Subject};
use shopflow_rules::DryRun;
use shopflow_rules::dry_run::{EventReport, RequestSummary};

use crate::answer::RuleProblem;
use crate::problems::rule_problem;

/// What `engine.run` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport<'a> {
    /// Every action asked for, in order.
    actions: &'a [Action],
    /// Every `print`/`debug` line, in order.
    logs: &'a [String],
    /// Operations used by all hook calls.
    ops_used: u64,
    /// One per hook call, in the batch's order.
    events: Vec<EventView<'a>>,
    /// Records the batch names that the data does not hold.
    skipped: &'a [String],
    /// The requests applying the actions would take.
    requests: &'a [RequestSummary],
}

/// One hook call.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventView<'a> {
    /// `on_order_created`, …
    hook: &'static str,
    /// `{"order": "…"}` or `{"customer": id}`.
    subject: &'a Subject,
    actions: Vec<&'a Action>,
    logs: Vec<&'a str>,
    ops_used: u64,
    outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<RuleProblem>,
}

fn event_view<'a>(report: &'a EventReport, all: &'a [Action], name: &str) -> EventView<'a> {
    // One rule file per engine, so at most one rule report; summing keeps this right if the
    // host ever runs several.
    let rules = &report.rules;
    let error = rules.iter().find_map(|r| r.error.as_ref());
    // The evaluation path prefixes a rule's error with the file's name and the error's code
    // (for several files); the package's engine holds one file, whose name the caller never
    // gave, and the code is in `error`.
    let reason = report.reason.as_deref().map(|r| match error {
        Some(e) => r
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix(": "))
            .and_then(|r| r.strip_prefix(e.kind.code()))
            .and_then(|r| r.strip_prefix(": "))
            .unwrap_or(r),
        None => r,
    });
    EventView {
        hook: report.event.hook.function_name(),
        subject: &report.event.subject,
        actions: rules.iter().flat_map(|r| r.actions.iter().filter_map(|&i| all.get(i))).collect(),
        logs: rules.iter().flat_map(|r| r.logs.iter().map(String::as_str)).collect(),
        ops_used: rules.iter().map(|r| r.ops_used).fold(0, u64::saturating_add),
        outcome: report.outcome,
        reason,
        error: error.map(rule_problem),
    }
}

/// The JavaScript view of a dry run of the rule file called `name`.
pub fn run_report<'a>(run: &'a DryRun, name: &str) -> RunReport<'a> {
    RunReport {
        actions: &run.actions,
        logs: &run.logs,
        ops_used: run.ops_used,
        events: run.events.iter().map(|e| event_view(e, &run.actions, name)).collect(),
        skipped: &run.skipped,
        requests: &run.requests,
    }
}
