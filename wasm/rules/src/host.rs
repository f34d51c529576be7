//! One compiled rule file held for JavaScript: compile once, run per webhook.
//!
//! A `RuleSet` cannot cross to JavaScript as JSON (it holds a Rhai engine and a compiled
//! script), so it lives in a wasm-bindgen object that the package's `RuleEngine` owns and
//! frees. Everything else crosses as JSON text, as in the client module.

use shopflow_core::ApiDate;
use shopflow_core::automation::platform::{Capabilities, platform};
use shopflow_core::upgates::webhook::{WebhookError, WebhookEvent, parse_webhook};
use shopflow_rules::{Limits, RuleSet, ShopData, dry_run};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::answer::{ErrorInfo, err, ok};
use crate::clock::clock;
use crate::report::run_report;

/// The name a single rule file goes by in the dry run. With one file, logs are not prefixed
/// with it, and the report takes it off errors, so it is never seen.
const RULE_NAME: &str = "rule";

/// A compiled rule file (empty until `compile` succeeds) and the platform it was checked for.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RuleHost {
    /// The dry run takes named rule files; this host holds at most one.
    rules: Vec<(String, RuleSet)>,
    /// The platform of the last compile: its dry runs plan that platform's requests.
    platform: Capabilities,
}

impl Default for RuleHost {
    fn default() -> Self {
        RuleHost { rules: Vec::new(), platform: shopflow_core::upgates::CAPABILITIES }
    }
}

#[derive(serde::Serialize)]
struct Compiled {
    /// Function names of the hooks the file defines, in the crate's order.
    hooks: Vec<&'static str>,
}

#[wasm_bindgen]
impl RuleHost {
    /// An empty host.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> RuleHost {
        RuleHost::default()
    }

    /// Compiles `source` for `platform_name` (`upgates` when empty; `retailys`) with the
    /// default limits and keeps it: `{"ok": {"hooks": ["on_order_created", …]}}`, or
    /// `{"err": {"code": "RULES", "errors": [{code, message, line, column}, …]}}` with every
    /// problem found, an action the platform cannot make among them (the host stays empty).
    /// An unknown platform is `{"err": {"code": "VALIDATION"}}` naming the platforms.
    pub fn compile(&mut self, source: &str, platform_name: &str) -> String {
        let target = match platform_named(platform_name) {
            Ok(p) => p,
            Err(e) => return err(&e),
        };
        match RuleSet::compile_for(source, Limits::default(), clock(), &target) {
            Ok(rules) => {
                let hooks = rules.hooks().iter().map(|h| h.function_name()).collect();
                self.rules = vec![(RULE_NAME.to_owned(), rules)];
                self.platform = target;
                ok(&Compiled { hooks })
            }
            Err(errors) => {
                self.rules.clear();
                err(&crate::problems::rules_error(&errors))
            }
        }
    }

    /// Runs the rule file over a webhook body with the shop's data (`ShopData`'s JSON:
    /// `orders`, `customers`, `order_statuses`, `previous`), as a dry run: nothing is sent.
    /// `event_name` is the event the webhook was registered for (`Orders.create`; empty to
    /// infer it from the body); `today` (`YYYY-MM-DD`) is what `mark_paid` without a date means.
    pub fn run(&self, event: &[u8], event_name: &str, data: &[u8], today: &str) -> String {
        match self.dry_run(event, event_name, data, today) {
            Ok(text) => text,
            Err(e) => err(&e),
        }
    }
}

impl RuleHost {
    fn dry_run(
        &self,
        event: &[u8],
        event_name: &str,
        data: &[u8],
        today: &str,
    ) -> Result<String, ErrorInfo> {
        if self.rules.is_empty() {
            return Err(ErrorInfo::validation("no rule file is compiled in this engine"));
        }
        let configured = configured_event(event_name)?;
        let batch = parse_webhook(event, configured.as_ref()).map_err(|e| match e {
            WebhookError::Json(j) => ErrorInfo::json("the event:", &j),
            other => ErrorInfo::validation(format!("the event: {other}")),
        })?;
        let data = ShopData::from_json(data).map_err(|j| ErrorInfo::json("the data:", &j))?;
        let today = parse_today(today)?;
        let run = dry_run(&self.rules, &batch, &data, today, &self.platform);
        // Written here, while the dry run is borrowed: the report is views into it.
        Ok(ok(&run_report(&run, RULE_NAME)))
    }
}

/// The platform called `name`; empty means Upgates.
fn platform_named(name: &str) -> Result<Capabilities, ErrorInfo> {
    if name.trim().is_empty() {
        return Ok(shopflow_core::upgates::CAPABILITIES);
    }
    platform(name.trim()).map_err(ErrorInfo::validation)
}

/// The event a webhook was registered for; empty means "infer it from the body".
fn configured_event(name: &str) -> Result<Option<WebhookEvent>, ErrorInfo> {
    if name.trim().is_empty() {
        return Ok(None);
    }
    name.parse().map(Some).map_err(|e: shopflow_core::upgates::webhook::event::ParseEventError| {
        ErrorInfo::validation(format!("the event name: {e}"))
    })
}

/// The day `mark_paid` without a date means.
pub(crate) fn parse_today(text: &str) -> Result<ApiDate, ErrorInfo> {
    text.parse().map_err(|_| {
        ErrorInfo::validation(format!("today must be a date like 2026-05-01, not {text:?}"))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const COD: &str = r#"
fn on_order_created(order) {
    if order.payment.is_cash_on_delivery && order.total > 5000 {
        set_status(order, "Ke kontrole");
        print(`held ${order.number}`);
    }
}
"#;

    fn host(source: &str) -> RuleHost {
        let mut h = RuleHost::new();
        let compiled: Value = serde_json::from_str(&h.compile(source, "")).unwrap();
        assert!(compiled.get("ok").is_some(), "{compiled}");
        h
    }

    fn run(h: &RuleHost, event: &Value, name: &str, data: &Value) -> Value {
        let text =
            h.run(event.to_string().as_bytes(), name, data.to_string().as_bytes(), "2026-05-01");
        serde_json::from_str(&text).unwrap()
    }

    fn cod_data(total: &str) -> Value {
        json!({"orders": [{
            "order_number": "2026000001", "status_id": 1, "status": "Přijatá", "order_total": total,
            "payment": {"name": "Dobírka", "type": "cashOnDelivery"}
        }]})
    }

    #[test]
    fn a_run_reports_each_event_with_its_actions_and_the_requests() {
        let h = host(COD);
        let event = json!({"orders": [{"order_number": "2026000001"}]});
        let out = run(&h, &event, "Orders.create", &cod_data("6000"));
        let ok = &out["ok"];
        assert_eq!(ok["actions"][0]["action"], "set_status", "{out}");
        assert_eq!(ok["logs"], json!(["held 2026000001"]));
        let e = &ok["events"][0];
        assert_eq!(e["hook"], "on_order_created");
        assert_eq!(e["subject"], json!({"order": "2026000001"}));
        assert_eq!(e["actions"][0], ok["actions"][0], "the action itself, not an index");
        assert_eq!(e["outcome"], "applied");
        assert!(e["opsUsed"].as_u64().unwrap() > 0);
        assert_eq!(ok["requests"], json!([{"method": "PUT", "path": "/orders", "items": 1}]));

        let under = run(&h, &event, "Orders.create", &cod_data("10"));
        assert_eq!(under["ok"]["events"][0]["outcome"], "filtered");
        assert_eq!(under["ok"]["requests"], json!([]));
    }

    #[test]
    fn a_failed_hook_is_an_event_with_a_coded_error_and_the_host_runs_on() {
        let h = host("fn on_order_created(order) {\n    loop { }\n}");
        let event = json!({"orders": [{"order_number": "2026000001"}]});
        let out = run(&h, &event, "Orders.create", &cod_data("1"));
        let e = &out["ok"]["events"][0];
        assert_eq!(e["outcome"], "failed");
        let code = e["error"]["code"].as_str().unwrap();
        assert!(code == "too_many_operations" || code == "timeout", "{e}");
        assert!(!e["reason"].as_str().unwrap().starts_with("rule:"), "{e}");
        let again = run(&h, &event, "Orders.create", &cod_data("1"));
        assert_eq!(again["ok"]["events"][0]["error"]["code"], e["error"]["code"]);
    }

    #[test]
    fn compile_errors_are_all_reported_with_places() {
        let mut h = RuleHost::new();
        let out: Value = serde_json::from_str(
            &h.compile("fn on_order_created(order) {\n  set_stauts(order, 1);\n  nope();\n}", ""),
        )
        .unwrap();
        let e = &out["err"];
        assert_eq!(e["code"], "RULES");
        assert_eq!(e["errors"].as_array().unwrap().len(), 2, "{e}");
        assert_eq!(e["errors"][0]["code"], "unknown_function");
        assert_eq!(
            (e["errors"][0]["line"].as_u64(), e["errors"][1]["line"].as_u64()),
            (Some(2), Some(3))
        );
        assert!(e["message"].as_str().unwrap().contains("did you mean set_status?"), "{e}");
        // A failed compile leaves the host empty rather than half-made.
        let out: Value = serde_json::from_str(&h.run(b"{}", "", b"{}", "2026-05-01")).unwrap();
        assert_eq!(out["err"]["code"], "VALIDATION");
    }

    #[test]
    fn the_platform_checks_the_rule_and_plans_the_run() {
        let note = "fn on_order_created(order) {\n    set_internal_note(order, \"x\");\n}";
        let mut h = RuleHost::new();
        let out: Value = serde_json::from_str(&h.compile(note, "retailys")).unwrap();
        let e = &out["err"]["errors"][0];
        assert_eq!((e["code"].as_str(), e["line"].as_u64()), (Some("unsupported_action"), Some(2)));
        assert!(e["message"].as_str().unwrap().contains("use add_history instead"), "{e}");
        let out: Value = serde_json::from_str(&h.compile(note, "shoptet")).unwrap();
        assert_eq!(out["err"]["code"], "VALIDATION", "{out}");

        let mut h = RuleHost::new();
        let cancel = "fn on_order_created(order) { cancel(order); }";
        let out: Value = serde_json::from_str(&h.compile(cancel, "retailys")).unwrap();
        assert!(out.get("ok").is_some(), "{out}");
        let event = json!({"orders": [{"order_number": "2026000001"}]});
        let out = run(&h, &event, "Orders.create", &cod_data("1"));
        assert_eq!(
            out["ok"]["requests"],
            json!([{"method": "PATCH", "path": "/System/Orders/2026000001/cancel", "items": 1}])
        );
    }

    #[test]
    fn unreadable_inputs_name_the_input_and_the_path() {
        let h = host(COD);
        let event = json!({"orders": [{"order_number": "1"}]});
        let bad = json!({"orders": [{"order_number": "1", "order_total": "12,50"}]});
        let out = run(&h, &event, "Orders.create", &bad);
        let e = &out["err"];
        assert_eq!(e["code"], "VALIDATION");
        assert_eq!(e["path"], "orders[0].order_total");
        assert!(
            e["message"].as_str().unwrap().starts_with("the data: at orders[0].order_total"),
            "{e}"
        );
        assert!(e["line"].as_u64().is_some() && e["column"].as_u64().is_some());

        let text = h.run(b"{\"orders\": [}", "Orders.create", b"{}", "2026-05-01");
        let out: Value = serde_json::from_str(&text).unwrap();
        assert!(
            out["err"]["message"]
                .as_str()
                .unwrap()
                .starts_with("the event: at orders (line 1, column 13)"),
            "{out}"
        );
        assert_eq!(out["err"]["column"], 13);
        let out = run(&h, &event, "nonsense", &json!({}));
        assert!(out["err"]["message"].as_str().unwrap().starts_with("the event name:"), "{out}");
        let text = h.run(event.to_string().as_bytes(), "Orders.create", b"{}", "tomorrow");
        assert!(text.contains("today must be a date"), "{text}");
    }
}
