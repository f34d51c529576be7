//! shopflow-wasm-webhooks: the webhook receiver for JavaScript, as the npm package entry
//! `shopflow/webhooks`.
//!
//! A module of its own, and a small one: a receiver checks the URL's secret and the body, and
//! hands the batch on; it does not need the order models that make up most of the client's
//! module. So nothing here touches serde_json. The body is checked by
//! [`shopflow_core::upgates::webhook::webhook_edits`], which answers only the normalizations
//! `parseWebhook` makes; the package's JavaScript `JSON.parse`s the body and applies them
//! (`wasm/js/webhooks/apply.js`). Answers are `{"ok": value}` or `{"err": {code, message, …}}`
//! like the other modules', written by hand ([`out`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod out;

use shopflow_core::json::JsonError;
use shopflow_core::secret::{URL_SECRET_RULE, url_secret_flaw};
use shopflow_core::upgates::webhook::{
    Edit, EditValue, EventSource, ListKey, ProjectName, WebhookEdits, WebhookError, WebhookEvent,
    receiver, webhook_edits, webhook_edits_text,
};
use shopflow_core::validation::{At, Problems};
use wasm_bindgen::prelude::wasm_bindgen;

use out::Json;

/// talc instead of the standard library's dlmalloc: a smaller module, and faster for the
/// pattern here (one big body and a few vectors per call, all freed before the next).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A webhook body's normalizations (`event_name`: the event the URL was registered for, or
/// empty to infer it): `{event, event_source, entity, project_name, keep_project_name,
/// fields, edits}`. `edits` is flat, four slots per edit, `op, index, field, value`: `op`
/// is the list (its place in [`LISTS`]) times four plus the kind (0 set `field` to `value`,
/// 1 remove `field`, 2 replace the record with `value`); `field` is a place in `fields` for
/// a set, the name itself for a remove, 0 for a replace; `value` is 0 for a remove. Flat numbers instead of an array
/// of names per edit: JSON.parse reads them in a third of the time.
#[wasm_bindgen(js_name = webhookEdits)]
#[must_use]
pub fn webhook_edits_of(body: &[u8], event_name: &str) -> String {
    edits_answer(Body::Bytes(body), event_name)
}

/// [`webhook_edits_of`] for a body given as a JavaScript string: the glue writes it into the
/// module's memory with `TextEncoder.encodeInto`, with no intermediate `Uint8Array` to
/// allocate and copy (the string is the common case, and a big body's encoding was a fifth
/// of `parseWebhook`'s time).
#[wasm_bindgen(js_name = webhookEditsOfText)]
#[must_use]
pub fn webhook_edits_of_text(body: &str, event_name: &str) -> String {
    edits_answer(Body::Text(body), event_name)
}

/// A body as the module got it.
enum Body<'a> {
    Bytes(&'a [u8]),
    Text(&'a str),
}

fn edits_answer(body: Body<'_>, event_name: &str) -> String {
    let event = if event_name.trim().is_empty() {
        None
    } else {
        match event_name.parse::<WebhookEvent>() {
            Ok(e) => Some(e),
            Err(e) => return error("VALIDATION", &e.to_string()),
        }
    };
    let edits = match body {
        Body::Bytes(b) => webhook_edits(b, event.as_ref()),
        Body::Text(t) => webhook_edits_text(t, event.as_ref()),
    };
    match edits {
        Ok(edits) => ok(&edits),
        Err(WebhookError::Json(j)) => json_error(&j),
        Err(other) => error("VALIDATION", &other.to_string()),
    }
}

/// The URL to register for `event`: `{base}/{Entity.action}?shopflow_secret={secret}`.
#[wasm_bindgen(js_name = webhookUrl)]
#[must_use]
pub fn webhook_url(base: &str, secret: &str, event: &str) -> String {
    match event.parse::<WebhookEvent>() {
        Ok(e) if e.is_known() => match receiver::webhook_url(base, secret, &e) {
            Ok(url) => {
                let mut j = Json::new();
                j.raw("{\"ok\":").string(&url).raw("}");
                j.finish()
            }
            Err(x) => error("VALIDATION", &x.to_string()),
        },
        _ => error(
            "VALIDATION",
            &format!("expected a webhook event like Orders.create, found {event:?}"),
        ),
    }
}

/// The receiver secret checked by the one rule (`url_secret_flaw`): `{"ok":true}`, or a
/// VALIDATION error whose problem is at `field`.
#[wasm_bindgen(js_name = checkSecret)]
#[must_use]
pub fn check_secret(field: &str, secret: Option<String>) -> String {
    let found = match secret.as_deref().map(url_secret_flaw) {
        Some(None) => return "{\"ok\":true}".to_owned(),
        Some(Some(flaw)) => flaw.found(),
        None => "no text (the secret is missing)".to_owned(),
    };
    let problem = At::root().field(field).problem(URL_SECRET_RULE, found);
    let message = Problems(vec![problem.clone()]).to_string();
    let mut j = Json::new();
    j.raw("{\"err\":{\"code\":\"VALIDATION\",\"message\":").string(&message);
    j.raw(",\"problems\":[{\"record\":null,\"record_key\":null,\"path\":").string(&problem.path);
    j.raw(",\"expected\":").string(&problem.expected);
    j.raw(",\"found\":").string(&problem.found).raw("}]}}");
    j.finish()
}

/// Whether a call's URL carries the secret (compared in constant time).
#[wasm_bindgen(js_name = verifyWebhook)]
#[must_use]
pub fn verify_webhook(url: &str, secret: &str) -> bool {
    receiver::verify_webhook(url, secret)
}

/// The event a webhook URL names in its last path segment, or `""`.
#[wasm_bindgen(js_name = webhookEventFromUrl)]
#[must_use]
pub fn webhook_event_from_url(url: &str) -> String {
    receiver::event_from_url(url).map(|e| e.to_string()).unwrap_or_default()
}

fn error(code: &str, message: &str) -> String {
    let mut j = Json::new();
    j.raw("{\"err\":{\"code\":").string(code).raw(",\"message\":").string(message).raw("}}");
    j.finish()
}

/// As the client module's `ErrorInfo` for a JSON error: the message with its place, the path,
/// and line and column when known.
fn json_error(e: &JsonError) -> String {
    let mut j = Json::new();
    j.raw("{\"err\":{\"code\":\"VALIDATION\",\"message\":").string(&e.to_string());
    j.raw(",\"path\":").string(&e.path);
    if e.line > 0 {
        j.raw(",\"line\":").number(e.line as u64).raw(",\"column\":").number(e.column as u64);
    }
    j.raw("}}");
    j.finish()
}

fn ok(e: &WebhookEdits) -> String {
    let mut j = Json::with_capacity(64 + e.edits.len() * 32);
    j.raw("{\"ok\":{\"event\":").string(&e.event.to_string());
    let source = match e.event_source {
        EventSource::Configured => "configured",
        _ => "inferred",
    };
    j.raw(",\"event_source\":").string(source);
    j.raw(",\"entity\":").string(e.entity);
    match &e.project_name {
        ProjectName::Kept => j.raw(",\"keep_project_name\":true,\"project_name\":null"),
        ProjectName::Text(t) => j.raw(",\"keep_project_name\":false,\"project_name\":").string(t),
        _ => j.raw(",\"keep_project_name\":false,\"project_name\":null"),
    };
    // The names of set fields once each (they come from the record tables, so there are a
    // few), edits as numbers into them (see `webhook_edits_of`).
    let mut order: Vec<&str> = Vec::new();
    j.raw(",\"edits\":[");
    let mut first = true;
    for edit in &e.edits {
        let (list, index, kind) = match edit {
            Edit::Set { list, index, .. } => (list, index, 0),
            Edit::Remove { list, index, .. } => (list, index, 1),
            Edit::Replace { list, index, .. } => (list, index, 2),
            _ => continue,
        };
        if !first {
            j.raw(",");
        }
        first = false;
        j.number(list_place(*list) * 4 + kind).raw(",").number(*index as u64).raw(",");
        match edit {
            Edit::Set { field, .. } => {
                let k = order.iter().position(|n| n == field).unwrap_or_else(|| {
                    order.push(field);
                    order.len() - 1
                });
                j.number(k as u64).raw(",");
            }
            // Any key of the body: its name, as text.
            Edit::Remove { field, .. } => {
                j.string(field).raw(",");
            }
            _ => {
                j.raw("0,");
            }
        }
        match edit {
            Edit::Set { value, .. } => {
                edit_value(&mut j, value);
            }
            Edit::Replace { fields, .. } => {
                j.raw("{");
                for (k, (name, value)) in fields.iter().enumerate() {
                    if k > 0 {
                        j.raw(",");
                    }
                    j.string(name).raw(":");
                    edit_value(&mut j, value);
                }
                j.raw("}");
            }
            _ => {
                j.raw("0");
            }
        }
    }
    j.raw("],\"fields\":[");
    for (k, name) in order.iter().enumerate() {
        if k > 0 {
            j.raw(",");
        }
        j.string(name);
    }
    j.raw("]}}");
    j.finish()
}

/// The lists in the order `op` numbers them (`wasm/js/webhooks/apply.js` has the same).
const LISTS: [ListKey; 5] =
    [ListKey::Orders, ListKey::Customers, ListKey::Products, ListKey::Variants, ListKey::Invoices];

fn list_place(list: ListKey) -> u64 {
    LISTS.iter().position(|l| *l == list).unwrap_or(0) as u64
}

fn edit_value<'j>(j: &'j mut Json, v: &EditValue) -> &'j mut Json {
    match v {
        EditValue::Number(n) => j.number(*n),
        EditValue::Text(t) => j.string(t),
        EditValue::Bool(b) => j.raw(if *b { "true" } else { "false" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_and_errors_are_json_the_package_reads() {
        let body =
            br#"{"project_name":7,"orders":[{"order_number":"1","status_id":"4","x":1},["2"]]}"#;
        assert_eq!(
            webhook_edits_of(body, "Orders.update"),
            r#"{"ok":{"event":"Orders.update","event_source":"configured","entity":"orders","keep_project_name":false,"project_name":"7","edits":[0,0,0,4,1,0,"x",0,2,1,0,{"order_number":"2"}],"fields":["status_id"]}}"#
        );
        let e = webhook_edits_of(br#"{"orders":[{"order_number":""}]}"#, "Orders.create");
        assert!(
            e.starts_with(r#"{"err":{"code":"VALIDATION","message":"at orders[0] (line 1"#),
            "{e}"
        );
        assert!(e.contains(r#""path":"orders[0]","line":1,"column":"#), "{e}");
        assert!(webhook_edits_of(b"{}", "Orders").contains("expected a webhook event"));
        assert_eq!(check_secret("secret", Some("k9V-4xQ_2mPz8LwR1tYb".into())), r#"{"ok":true}"#);
        assert!(check_secret("secret", None).contains(r#""path":"secret""#));
    }
}
