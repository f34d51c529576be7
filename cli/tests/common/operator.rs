//! What the tests of the operator API share: its calls with the operator token when the
//! service keeps one (`super::with_token`), the `shopflow` subcommands that call it, and
//! reading the sandbox shop the service works for (its orders, their history notes).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::{http, with_token};

/// `METHOD {service}{path}` on the operator API: status and JSON body (null if none).
pub async fn operator(method: &str, service: &str, data: &Path, path: &str) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = with_token(http().request(method, format!("{service}{path}")), data);
    let answer = r.send().await.unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// `shopflow ARGS`: exit code, stdout, stderr.
pub fn shopflow(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shopflow")).args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// A GET on the sandbox's API as `login`.
pub async fn shop_get(shop: &str, login: &str, key: &str, path: &str) -> Value {
    let r = http().get(format!("{shop}/api/v2{path}")).basic_auth(login, Some(key));
    r.send().await.unwrap().json().await.unwrap()
}

/// The first page of the sandbox's order numbers.
pub async fn order_numbers(shop: &str, login: &str, key: &str) -> Vec<String> {
    let v = shop_get(shop, login, key, "/orders").await;
    let orders = v["orders"].as_array().unwrap().iter();
    orders.map(|o| o["order_number"].as_str().unwrap().to_owned()).collect()
}

/// How many history records named `name` with `value` order `n` has.
pub async fn notes(shop: &str, login: &str, key: &str, n: &str, name: &str, value: &str) -> usize {
    let h = shop_get(shop, login, key, &format!("/orders/{n}/history")).await;
    let events = h["history"].as_array().unwrap().iter();
    events
        .flat_map(|e| e["data"].as_array().cloned().unwrap_or_default())
        .filter(|d| d["name"] == name && d["value"] == value)
        .count()
}

/// An `Orders.create` body as the sandbox sends it (`sandbox/src/shop/orders.rs`).
pub fn orders_create(numbers: &[impl AsRef<str>]) -> Value {
    let orders: Vec<Value> = numbers
        .iter()
        .map(|n| json!({"order_number": n.as_ref(), "creation_time": "2026-11-23T10:00:00+01:00", "status_id": 1, "status": "Přijatá"}))
        .collect();
    json!({"project_name": "sandbox", "orders": orders})
}

/// Posts a webhook delivery to the service; its status.
pub async fn deliver(service: &str, secret: &str, event: &str, body: &Value) -> u16 {
    let url = format!("{service}/webhooks/{event}?shopflow_secret={secret}");
    http().post(url).json(body).send().await.unwrap().status().as_u16()
}

/// Sets the sandbox's faults (a merge patch of `faults`).
pub async fn faults(shop: &str, patch: Value) {
    let r = http().put(format!("{shop}/__sandbox/config")).json(&json!({"faults": patch}));
    assert!(r.send().await.unwrap().status().is_success());
}
