//! The shops file tests' parts: a sandbox hosting many shops, a shops file for them, the
//! service run on it, and orders made in a hosted shop.

use std::path::Path;

use serde_json::{Value, json};

use super::{Proc, http, start};

pub const RULE: &str = r#"
fn on_order_created(order) {
    add_history(order, "shopflow", "seen");
}
"#;

/// A sandbox hosting `n` shops (`shop-K`, key `shop-K-key`).
pub fn sandbox(n: usize) -> (Proc, String) {
    start(&["sandbox", "--port", "0", "--shops", &n.to_string()])
}

/// A folder with the rule, a shops file for `shops` (name, key) on the sandbox at `sb`, each
/// key and webhook secret in a file of its own.
pub fn shops_file(sb: &str, shops: &[(&str, &str)]) -> tempfile::TempDir {
    shops_file_on("upgates", sb, shops)
}

/// [`shops_file`] for instances hosted by a Retailys sandbox (`shopflow sandbox --platform
/// retailys --shops N`): base URL `SB/shops/NAME/v1`, a token and no login.
pub fn retailys_shops_file(sb: &str, shops: &[(&str, &str)]) -> tempfile::TempDir {
    shops_file_on("retailys", sb, shops)
}

fn shops_file_on(platform: &str, sb: &str, shops: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/note.rhai"), RULE).unwrap();
    let mut text = String::new();
    for (name, key) in shops {
        std::fs::write(dir.path().join(format!("{name}.key")), key).unwrap();
        std::fs::write(dir.path().join(format!("{name}.secret")), secret(name)).unwrap();
        let api = match platform {
            "retailys" => format!("base_url = \"{sb}/shops/{name}/v1\""),
            _ => format!("base_url = \"{sb}/shops/{name}/api/v2\"\nlogin = \"{name}\""),
        };
        text.push_str(&format!(
            "[[shop]]\nname = \"{name}\"\nplatform = \"{platform}\"\n{api}\nkey_file = \"{name}.key\"\nsecret_file = \"{name}.secret\"\nrules = \"rules\"\n\n"
        ));
    }
    std::fs::write(dir.path().join("shops.toml"), text).unwrap();
    dir
}

pub fn secret(name: &str) -> String {
    format!("{name}-webhook-secret-for-the-tests")
}

/// `shopflow run --config DIR/shops.toml --data DIR/data --www DIR/www` (a stand-in site: the
/// real one is built later in the test command).
pub fn service(dir: &Path) -> (Proc, String) {
    service_with(dir, "data", &[])
}

/// [`service`] with its data in `DIR/DATA` and more arguments (`--store URL`).
pub fn service_with(dir: &Path, data: &str, more: &[&str]) -> (Proc, String) {
    service_on(dir, data, 0, more)
}

/// [`service_with`] on a port known before it starts (0: any), for `--register-webhooks`.
pub fn service_on(dir: &Path, data: &str, port: u16, more: &[&str]) -> (Proc, String) {
    let config = dir.join("shops.toml");
    let port = port.to_string();
    let data = dir.join(data);
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("index.html"), "<title>the shopflow dashboard</title>").unwrap();
    let mut args = vec![
        "run",
        "--config",
        config.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--www",
        www.to_str().unwrap(),
        "--port",
        &port,
    ];
    args.extend_from_slice(more);
    start(&args)
}

/// `count` new orders in a hosted shop of the sandbox; their numbers.
pub async fn orders(sb: &str, name: &str, count: usize) -> Vec<String> {
    let shop = format!("{sb}/shops/{name}");
    let r = http()
        .post(format!("{shop}/__sandbox/orders/generate"))
        .json(&json!({"count": count}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let key = format!("{name}-key");
    let mut numbers = Vec::new();
    for page in 1.. {
        let url = format!("{shop}/api/v2/orders?page={page}");
        let v: Value = http()
            .get(url)
            .basic_auth(name, Some(&key))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let found = v["orders"].as_array().unwrap();
        numbers.extend(found.iter().map(|o| o["order_number"].as_str().unwrap().to_owned()));
        if page >= v["number_of_pages"].as_u64().unwrap_or(1) {
            break;
        }
    }
    numbers
}
