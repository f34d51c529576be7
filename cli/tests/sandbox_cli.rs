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

/// A plain HTTP/1.1 request over a socket, so this test depends on nothing but std.
fn get(origin: &str, path: &str, basic: &str) -> (u16, String) {
    let addr = origin.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\nConnection: close\r\n\r\n").unwrap();
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
