//! The exports' behaviour inside a real WebAssembly runtime. `node.rs` runs these in Node,
//! `browser.rs` in headless Chromium: the same code the npm package calls, in the places it
//! runs, where a panic would poison the module for every later call.

use serde_json::{Value, json};
use shopflow_wasm as sw;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const ORDER_LIST: &str = include_str!("../../../fixtures/upgates/order-list.json");
const PAGE_2_OF_3: &str = include_str!("../../../fixtures/upgates/order-list-page-2-of-3.json");
const UPDATE_RESPONSE: &str = include_str!("../../../fixtures/upgates/orders-update-response.json");
const BAD_UPDATE: &str =
    include_str!("../../../fixtures/upgates/invalid/order-update-request-problems.json");
const WEBHOOK: &str = include_str!("../../../fixtures/upgates/webhooks/orders-create.json");
const TRUNCATED: &str = include_str!("../../../fixtures/upgates/invalid/order-list-truncated.json");

const CONFIG: &str = r#"{"baseUrl":"https://beershop.admin.s5.upgates.com/api/v2","login":"api","apiKey":"k3y-never-shown"}"#;

/// The `ok` value of an answer, or a failure naming the error.
fn ok(answer: &str) -> Value {
    let v: Value =
        serde_json::from_str(answer).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"));
    match v.get("ok") {
        Some(ok) => ok.clone(),
        None => panic!("expected ok, got {answer}"),
    }
}

/// The `err` value of an answer.
fn err(answer: &str) -> Value {
    let v: Value =
        serde_json::from_str(answer).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"));
    match v.get("err") {
        Some(e) => e.clone(),
        None => panic!("expected err, got {answer}"),
    }
}

#[wasm_bindgen_test]
fn parses_an_order_list_and_normalizes_its_quirks() {
    let list = ok(&sw::parse("order-list", ORDER_LIST.as_bytes()));
    // The page list() gives: items and camelCase paging, not the API's envelope.
    let orders = list["items"].as_array().map_or(0, Vec::len);
    assert!(orders > 0, "orders parsed: {list}");
    assert!(list["currentPage"].is_u64() && list.get("nextPage").is_some(), "{list}");
    // Booleans arrive as true/"1"/1 in real answers; the package hands out real booleans.
    for o in list["items"].as_array().into_iter().flatten() {
        assert!(o["paid_yn"].is_boolean() || o["paid_yn"].is_null(), "paid_yn: {}", o["paid_yn"]);
    }
}

#[wasm_bindgen_test]
fn a_truncated_document_names_where_it_broke() {
    let e = err(&sw::parse("order-list", TRUNCATED.as_bytes()));
    assert_eq!(e["code"], "VALIDATION");
    assert!(e["line"].as_u64().is_some_and(|l| l >= 1), "{e}");
    assert!(e["path"].is_string(), "{e}");
}

#[wasm_bindgen_test]
fn unknown_kinds_and_garbage_are_errors_not_panics() {
    assert_eq!(err(&sw::parse("no-such-kind", b"{}"))["code"], "VALIDATION");
    for body in [&b""[..], b"\xff\xfe", b"[", b"null", b"{\"orders\":7}"] {
        assert_eq!(err(&sw::parse("order-list", body))["code"], "VALIDATION");
        assert_eq!(err(&sw::webhook_edits_of(body, ""))["code"], "VALIDATION");
    }
    // The module still works after all of that.
    assert!(ok(&sw::parse("order-list", ORDER_LIST.as_bytes()))["items"].is_array());
}

#[wasm_bindgen_test]
fn pages_report_the_next_page_and_progress() {
    let page = ok(&sw::page("order-list", PAGE_2_OF_3.as_bytes()));
    assert_eq!(page["nextPage"], 3, "{page}");
    assert_eq!(page["progress"]["page"], 2, "{page}");
    assert_eq!(page["progress"]["pages"], 3, "{page}");
}

/// A `ClientCore` for the options `config`, or the error envelope it threw.
fn client(config: Value) -> Result<sw::ClientCore, String> {
    use serde::Serialize;
    let options = config
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    sw::ClientCore::new(options, JsValue::UNDEFINED, JsValue::UNDEFINED)
        .map_err(|e| e.as_string().unwrap_or_default())
}

fn shop() -> sw::ClientCore {
    client(serde_json::from_str(CONFIG).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Operation `op` through the client; only calls that are refused before sending are made
/// here (nothing answers in this runtime).
async fn call(c: &sw::ClientCore, op: &str, args: &str) -> String {
    let answer = JsFuture::from(c.call(op.to_owned(), args.to_owned(), String::new())).await;
    answer.ok().and_then(|v| v.as_string()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn every_write_says_whether_customers_are_notified() {
    // Without the flags the API would notify: the request is refused, not sent.
    let silent = json!({"orders": [{"order_number": "2024000123", "status_id": 3}]}).to_string();
    let c = shop();
    for op in ["createOrders", "updateOrders"] {
        let e = err(&call(&c, op, &silent).await);
        let paths: Vec<_> =
            e["problems"].as_array().into_iter().flatten().map(|p| p["path"].clone()).collect();
        assert_eq!(paths, [json!("send_emails_yn"), json!("send_sms_yn")], "{op}: {e}");
    }
    assert_eq!(c.requests_sent(), 0.0);
}

#[wasm_bindgen_test]
async fn invalid_writes_list_every_problem_with_record_and_path() {
    let c = shop();
    let e = err(&call(&c, "updateOrders", BAD_UPDATE).await);
    assert_eq!(e["code"], "VALIDATION");
    let problems = e["problems"].as_array().cloned().unwrap_or_default();
    assert!(problems.len() >= 2, "{e}");
    assert!(problems.iter().any(|p| p["record"] == 1), "{e}");
    assert!(!e.to_string().contains("k3y-never-shown"), "the key leaked: {e}");
    // A batch of 150: record 120's problem is numbered in the batch, and nothing is sent.
    let mut items: Vec<Value> =
        (0..150).map(|i| json!({"order_number": format!("N{i}"), "status_id": 3})).collect();
    items[120]["order_number"] = json!("");
    let shared = json!({"send_emails_yn": false, "send_sms_yn": false}).to_string();
    let w = c.write("updateOrders".into(), "orders".into(), shared, Value::from(items).to_string());
    let answer = JsFuture::from(w).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
    let e = err(&answer);
    assert_eq!(e["problems"][0]["record"], 120, "{e}");
    assert_eq!(c.requests_sent(), 0.0);
}

#[wasm_bindgen_test]
fn local_shops_need_consent() {
    let local = json!({"baseUrl": "http://127.0.0.1:8080/api/v2", "login": "a", "apiKey": "b"});
    let refused = client(local.clone()).err().unwrap_or_default();
    assert_eq!(err(&refused)["code"], "VALIDATION");
    let mut allowed = local;
    allowed["allowLocal"] = json!(true);
    let c = client(allowed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.base_url(), "http://127.0.0.1:8080/api/v2");
}

#[wasm_bindgen_test]
fn options_out_of_range_are_refused_with_their_name() {
    let mut options: Value = serde_json::from_str(CONFIG).unwrap_or_default();
    options["retries"] = json!(0);
    let e = err(&client(options).err().unwrap_or_default());
    assert_eq!(e["problems"][0]["path"], "retries", "{e}");
    let mut options: Value = serde_json::from_str(CONFIG).unwrap_or_default();
    options["onRateLimit"] = json!("later");
    let e = err(&client(options).err().unwrap_or_default());
    assert!(e["message"].as_str().is_some_and(|m| m.contains("later")), "{e}");
}

#[wasm_bindgen_test]
fn options_are_checked_by_name_all_at_once_and_misspellings_are_named() {
    let paths = |e: &Value| -> Vec<Value> {
        e["problems"].as_array().into_iter().flatten().map(|p| p["path"].clone()).collect()
    };
    let mut options: Value = serde_json::from_str(CONFIG).unwrap_or_default();
    options["timeout"] = json!("5s");
    options["concurrency"] = json!(0);
    options["retries"] = json!(-1);
    options["apikey"] = json!("x");
    let e = err(&client(options).err().unwrap_or_default());
    assert_eq!(paths(&e), ["retries", "concurrency", "timeout", "apikey"].map(|p| json!(p)), "{e}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.contains("found \"5s\"") && message.contains("did you mean `apiKey`?"), "{e}");
    // A missing environment variable is an option left out, named as such; the key never shown.
    let e = err(&client(
        json!({"baseUrl": "https://a.admin.s1.upgates.com/api/v2", "login": null, "apiKey": 7}),
    )
    .err()
    .unwrap_or_default());
    assert_eq!(paths(&e), ["login", "apiKey"].map(|p| json!(p)), "{e}");
    let e = err(&client(
        json!({"baseUrl": "https://a.admin.s1.upgates.com/api/v2", "apiKey": "k3y-never-shown"}),
    )
    .err()
    .unwrap_or_default());
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("login") && m.contains("undefined")),
        "{e}"
    );
    assert!(!e.to_string().contains("k3y-never-shown"), "the key leaked: {e}");
    // The sandbox's address says how it is allowed.
    let mut options: Value = serde_json::from_str(CONFIG).unwrap_or_default();
    options["baseUrl"] = json!("http://127.0.0.1:8080/api/v2");
    let e = err(&client(options.clone()).err().unwrap_or_default());
    assert!(e["message"].as_str().is_some_and(|m| m.contains("allowLocal: true")), "{e}");
    options["allowLocal"] = json!(true);
    assert!(client(options).is_ok());
}

#[wasm_bindgen_test]
fn per_item_results_line_up_with_what_was_sent() {
    let keys = r#"["2024000123","2024000124","9999999999","2024000126"]"#;
    let items = ok(&sw::reconcile("order-update-response", keys, UPDATE_RESPONSE.as_bytes(), 100));
    let items = items.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[0]["index"], 100);
    assert_eq!(items[0]["ok"], true);
    assert_eq!(items[1]["ok"], false);
}

#[wasm_bindgen_test]
fn webhooks_round_trip_through_url_secret_and_body() {
    let secret = "0123456789abcdef0123456789abcdef";
    let url = ok(&sw::webhook_url("https://hooks.example.com/u", secret, "Orders.create"));
    let url = url.as_str().unwrap_or_default();
    assert!(sw::verify_webhook(url, secret));
    assert!(!sw::verify_webhook(url, "0123456789abcdef0123456789abcdeX"));
    assert_eq!(sw::webhook_event_from_url(url), "Orders.create");
    assert_eq!(sw::webhook_event_from_url("https://hooks.example.com/"), "");
    // The body's normalizations, which the package applies to JSON.parse's result.
    let edits = ok(&sw::webhook_edits_of(WEBHOOK.as_bytes(), "Orders.create"));
    assert_eq!(edits["event"], "Orders.create");
    assert_eq!(edits["event_source"], "configured");
    assert_eq!(edits["entity"], "orders", "{edits}");
    assert_eq!(ok(&sw::webhook_edits_of_text(WEBHOOK, "Orders.create")), edits);
}

const CALLBACK_SECRET: &str = "9f2c1e7a0b4d4e6f8a1b2c3d4e5f6a7b";

#[wasm_bindgen_test]
fn retailys_callbacks_are_read_or_refused_with_the_status_to_answer() {
    let path = format!("/hooks/retailys/order-change-status/{CALLBACK_SECRET}");
    let read = |path: &str, query: &str, body: &[u8]| {
        sw::read_retailys_callback(path, query, body, CALLBACK_SECRET)
    };
    // The ids from the query and a JSON body (the body's over the query's).
    let event = ok(&read(&path, "order=12&status=1", br#"{"status": "4"}"#));
    let expected = json!({"event": "order-change-status", "trigger": "updated", "order_id": 12, "status_id": 4});
    assert_eq!(event, expected);
    let created = ok(&read(&path.replace("order-change-status", "order-new"), "", b"order=7"));
    assert_eq!(
        (created["trigger"].clone(), created["order_id"].clone()),
        (json!("created"), json!(7))
    );
    for (at, query, status) in [
        (path.replace(CALLBACK_SECRET, "9f2c1e7a0b4d4e6f8a1b2c3d4e5f6a7c"), "order=12", 401),
        (path.replace("order-change-status", "user-registred"), "order=12", 404),
        (path.clone(), "order=none", 400),
        (format!("/retailys/{CALLBACK_SECRET}/{CALLBACK_SECRET}"), "order=12", 404),
    ] {
        let e = err(&read(&at, query, b""));
        assert_eq!(e["status"], status, "{e}");
        assert!(!e.to_string().contains(CALLBACK_SECRET), "the secret leaked: {e}");
    }
}

/// A `RetailysCore` for the options `config`, or the error envelope it threw.
fn retailys(config: Value) -> Result<sw::RetailysCore, String> {
    use serde::Serialize;
    let options = config
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    sw::RetailysCore::new(options, JsValue::UNDEFINED)
        .map_err(|e| e.as_string().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn retailys_options_and_requests_are_checked_before_anything_is_sent() {
    let token = "tok-never-shown-0123";
    let named = |config: Value| {
        err(&retailys(config).err().unwrap_or_default())["problems"][0]["path"].clone()
    };
    assert_eq!(named(json!({"token": token, "timeoutMs": 0})), "timeoutMs");
    assert_eq!(named(json!({"token": token, "timeout": "5s"})), "timeout");
    assert!(retailys(json!({"token": token, "timeout": 5000, "baseUrl": null})).is_err());
    assert!(retailys(json!({"token": token, "timeout": 5000})).is_ok());
    assert_eq!(named(json!({"token": token, "concurrency": 4})), "concurrency");
    assert_eq!(named(json!({"token": token, "baseUrl": "http://127.0.0.1:9/v1"})), "baseUrl");
    let c = retailys(json!({"token": token})).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.base_url(), "https://api.retailys.com/v1");
    let answer = |op: &str, args: Value| {
        let p = c.call(op.to_owned(), args.to_string(), "order".to_owned());
        async move { JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default() }
    };
    let e = err(&answer("setFlag", json!({"id": 5, "flag": "lost"})).await);
    assert_eq!(e["problems"][0]["path"], "flag", "{e}");
    let e = err(&answer("markPaid", json!({"id": 5, "body": {"status": "maybe"}})).await);
    let paths: Vec<_> =
        e["problems"].as_array().into_iter().flatten().map(|p| p["path"].clone()).collect();
    assert_eq!(paths, [json!("paid"), json!("status")], "{e}");
    let e = err(&answer("listOrders", json!({"per_page": 500, "colour": "red"})).await);
    assert!(!e.to_string().contains(token), "the token leaked: {e}");
    assert_eq!(c.requests_sent(), 0.0);
}
