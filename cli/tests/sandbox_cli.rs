//! `shopflow sandbox` as a process: the listening line first, real HTTP, state kept, stopped
//! by PID.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopflow"))
        .arg("sandbox")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn shopflow sandbox");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("first line");
    let origin = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line was {first:?}"))
        .to_owned();
    (Running(child), origin)
}

/// A plain HTTP/1.1 GET over a socket with HTTP Basic, so this test depends on nothing but
/// std.
fn get(origin: &str, path: &str, basic: &str) -> (u16, String) {
    get_with(origin, path, &format!("Authorization: Basic {basic}"))
}

/// A plain HTTP/1.1 GET with one more header line (`token: T` for Retailys).
fn get_with(origin: &str, path: &str, header: &str) -> (u16, String) {
    let addr = origin.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{header}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

#[test]
fn serves_the_api_and_keeps_state_across_restarts() {
    let dir = std::env::temp_dir().join(format!("shopflow-sandbox-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("shop.json");
    let state_arg = state.to_str().unwrap();
    // login "cli", key "k": base64("cli:k")
    let auth = "Y2xpOms=";
    {
        let (_running, origin) = start(&[
            "--port",
            "0",
            "--login",
            "cli",
            "--key",
            "k",
            "--seed-orders",
            "12",
            "--state",
            state_arg,
        ]);
        assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");
        let (status, body) = get(&origin, "/api/v2/orders", auth);
        assert_eq!(status, 200);
        assert!(body.contains("\"number_of_items\":12"), "{body}");
        assert_eq!(get(&origin, "/api/v2/orders", "d3Jvbmc6eA==").0, 401);
    }
    let (_running, origin) = start(&[
        "--port",
        "0",
        "--login",
        "cli",
        "--key",
        "k",
        "--seed-orders",
        "99",
        "--state",
        state_arg,
    ]);
    let (_, body) = get(&origin, "/api/v2/orders", auth);
    assert!(body.contains("\"number_of_items\":12"), "the saved shop, not a new seed: {body}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hosts_many_shops_with_their_own_keys() {
    let (_running, origin) = start(&["--port", "0", "--shops", "3"]);
    // base64("shop-3:shop-3-key"), base64("shop-1:shop-1-key")
    let (three, one) = ("c2hvcC0zOnNob3AtMy1rZXk=", "c2hvcC0xOnNob3AtMS1rZXk=");
    let (status, body) = get(&origin, "/shops/shop-3/api/v2/orders", three);
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&origin, "/shops/shop-3/api/v2/orders", one).0, 401);
    assert_eq!(get(&origin, "/shops/shop-1/api/v2/orders", one).0, 200);
    assert_eq!(get(&origin, "/shops/shop-4/api/v2/orders", one).0, 404);
    let (status, body) = get(&origin, "/__sandbox/shops", "");
    assert_eq!(status, 200);
    for name in ["shop-1", "shop-2", "shop-3"] {
        assert!(body.contains(&format!("\"name\":\"{name}\"")), "{body}");
    }
    // The sandbox's own shop is still at /api/v2 (login sandbox, key sandbox-key).
    assert_eq!(get(&origin, "/api/v2/orders", "c2FuZGJveDpzYW5kYm94LWtleQ==").0, 200);
}

#[test]
fn a_retailys_sandbox_hosts_many_instances_with_their_own_tokens() {
    let (_running, origin) =
        start(&["--platform", "retailys", "--port", "0", "--seed-orders", "3", "--shops", "2"]);
    let (status, body) = get_with(&origin, "/shops/shop-2/v1/System/Orders", "token: shop-2-token");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"total\":3"), "seeded like the sandbox's own: {body}");
    assert_eq!(get_with(&origin, "/shops/shop-2/v1/System/Me", "token: shop-1-token").0, 401);
    assert_eq!(get_with(&origin, "/shops/shop-1/v1/System/Me", "token: shop-1-token").0, 200);
    assert_eq!(get_with(&origin, "/shops/shop-3/v1/System/Me", "token: shop-1-token").0, 404);
    let (status, body) = get_with(&origin, "/__sandbox/shops", "Accept: */*");
    assert_eq!(status, 200);
    for name in ["shop-1", "shop-2"] {
        assert!(body.contains(&format!("\"api\":\"/shops/{name}/v1\"")), "{body}");
    }
    // The sandbox's own instance is still at /v1 (token sandbox-token).
    assert_eq!(get_with(&origin, "/v1/System/Me", "token: sandbox-token").0, 200);
}
