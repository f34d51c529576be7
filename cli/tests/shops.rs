//! `shopflow run --config shops.toml` as a process, against `shopflow sandbox --shops N` over
//! real HTTP: a shop whose key is refused leaves the others working, one shop's 5000-record
//! delivery does not hold up another's one order, a Retailys sandbox's hosted instances are
//! shops of the file too, and the shops file's errors name the shop and the field.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::operator::{deliver, notes, orders_create, shopflow};
use common::shops::{
    orders, retailys_shops_file, sandbox, secret, service, service_on, service_with, shops_file,
};
use common::{http, start, status, wait_status};

/// The shop's line of the service's `/status`.
fn shop_in(status: &Value, name: &str) -> Value {
    let shops = status["shops"].as_array().cloned().unwrap_or_default();
    shops.into_iter().find(|s| s["name"] == name).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_whose_key_is_refused_does_not_stop_the_others() {
    let (_sb, sb) = sandbox(3);
    let dir = shops_file(
        &sb,
        &[("shop-1", "shop-1-key"), ("shop-2", "not-the-key"), ("shop-3", "shop-3-key")],
    );
    let (_svc, svc) = service(dir.path());
    let data = dir.path().join("data");
    let mut numbers = Vec::new();
    for name in ["shop-1", "shop-2", "shop-3"] {
        let n = orders(&sb, name, 1).await;
        let shop = format!("{svc}/shops/{name}");
        assert_eq!(deliver(&shop, &secret(name), "Orders.create", &orders_create(&n)).await, 200);
        numbers.push(n[0].clone());
    }
    let all = wait_status(&svc, &data, "shops 1 and 3 done, shop 2 refused", |s| {
        shop_in(s, "shop-1")["events_processed"] == 1
            && shop_in(s, "shop-3")["events_processed"] == 1
            && shop_in(s, "shop-2")["state"] == "credentials refused"
    })
    .await;
    let two = shop_in(&all, "shop-2");
    assert_eq!(two["pending_deliveries"], 1, "kept for when the key is fixed: {two}");
    assert!(!all.to_string().contains("not-the-key"), "no key on /status: {all}");
    assert_eq!(shop_in(&all, "shop-1")["state"], "running");
    for (name, n) in [("shop-1", &numbers[0]), ("shop-3", &numbers[2])] {
        let shop = format!("{sb}/shops/{name}");
        assert_eq!(notes(&shop, name, &format!("{name}-key"), n, "shopflow", "seen").await, 1);
    }
    // Each shop keeps its own data folder.
    for name in ["shop-1", "shop-2", "shop-3"] {
        assert!(data.join("shops").join(name).join("journal.jsonl").is_file(), "{name}");
    }
    // A shop's own operator API is under its prefix, with the one operator token.
    let one = status(&format!("{svc}/shops/shop-1"), &data).await.expect("shop-1's /status");
    assert_eq!(one["events_processed"], 1);
    let anonymous = http().get(format!("{svc}/status")).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    // Each shop's dashboard is served under its prefix (it reads that shop's operator API).
    for name in ["shop-1", "shop-2"] {
        let page = http().get(format!("{svc}/shops/{name}/")).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200, "{name}'s dashboard");
        assert_eq!(page.url().path(), format!("/shops/{name}/index.html"));
        assert!(page.text().await.unwrap().contains("the shopflow dashboard"));
    }
    // A delivery with another shop's secret is refused.
    let crossed = deliver(
        &format!("{svc}/shops/shop-1"),
        &secret("shop-3"),
        "Orders.create",
        &orders_create(&numbers[..1]),
    )
    .await;
    assert_eq!(crossed, 401);
}

/// The service's callback subscriptions on a hosted Retailys instance.
async fn subscriptions(sb: &str, name: &str) -> Vec<String> {
    let url = format!("{sb}/shops/{name}/v1/System/Events");
    let r = http().get(url).header("token", format!("{name}-token")).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    let events = v["events"].as_array().cloned().unwrap_or_default();
    events.iter().filter_map(|e| e["path"].as_str().map(str::to_owned)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retailys_sandboxs_hosted_instances_are_shops_of_the_file() {
    let (_sb, sb) = start(&["sandbox", "--platform", "retailys", "--port", "0", "--shops", "2"]);
    let dir = retailys_shops_file(&sb, &[("shop-1", "shop-1-token"), ("shop-2", "shop-2-token")]);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let public = format!("http://127.0.0.1:{port}");
    let (_svc, svc) = service_on(dir.path(), "data", port, &["--register-webhooks", &public]);
    let data = dir.path().join("data");
    // Each instance is subscribed to call back that shop's receivers, at /shops/NAME/v1.
    let deadline = Instant::now() + Duration::from_secs(60);
    for name in ["shop-1", "shop-2"] {
        let paths = loop {
            let paths = subscriptions(&sb, name).await;
            if !paths.is_empty() || Instant::now() > deadline {
                break paths;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let receiver = format!("{public}/shops/{name}/retailys/order-new/{}", secret(name));
        assert!(paths.contains(&receiver), "{name}'s subscriptions: {paths:?}");
    }
    let made = http()
        .post(format!("{sb}/shops/shop-1/__sandbox/orders/generate"))
        .json(&json!({"count": 1}))
        .send()
        .await
        .unwrap();
    let id = made.json::<Value>().await.unwrap()["ids"][0].as_i64().unwrap();
    let all = wait_status(&svc, &data, "shop 1's order seen", |s| {
        shop_in(s, "shop-1")["events_processed"] == 1
    })
    .await;
    assert_eq!(shop_in(&all, "shop-2")["events_processed"], 0, "{all}");
    // The rule's history record is written back to shop 1, through its /shops/NAME/v1.
    let order: Value = http()
        .get(format!("{sb}/shops/shop-1/__sandbox/orders/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(order["history"].to_string().contains("seen"), "{order}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5000_record_delivery_does_not_hold_up_another_shops_one_order() {
    big_and_small(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_too_a_5000_record_delivery_does_not_hold_up_another_shops_one_order() {
    let pg = shopflow_testdb::TestPostgres::start().expect("PostgreSQL for the test");
    big_and_small(&["--store", &pg.url()]).await;
}

/// A shop's 5000-record delivery, then another shop's one order: the one order is done
/// while the big pass still runs. `more`: the service's further arguments (its store).
async fn big_and_small(more: &[&str]) {
    let (_sb, sb) = sandbox(0);
    let dir = shops_file(&sb, &[("big", "big-key"), ("small", "small-key")]);
    // The sandbox's hosted shops are shop-K; add two named for what they do here.
    for name in ["big", "small"] {
        let r = http().post(format!("{sb}/__sandbox/shops")).json(&json!({"name": name})).send();
        assert_eq!(r.await.unwrap().status().as_u16(), 201);
    }
    // 5000 history records and the reads before them: more than the default hourly budget.
    let patch = json!({"rate_limit": {"enabled": false}});
    let r = http().put(format!("{sb}/shops/big/__sandbox/config")).json(&patch).send();
    assert!(r.await.unwrap().status().is_success());
    let big = orders(&sb, "big", 5000).await;
    let small = orders(&sb, "small", 1).await;
    assert_eq!(big.len(), 5000);
    let (_svc, svc) = service_with(dir.path(), "data", more);
    let data = dir.path().join("data");
    let big_hook = format!("{svc}/shops/big");
    assert_eq!(
        deliver(&big_hook, &secret("big"), "Orders.create", &orders_create(&big)).await,
        200
    );
    let started = Instant::now();
    let small_hook = format!("{svc}/shops/small");
    assert_eq!(
        deliver(&small_hook, &secret("small"), "Orders.create", &orders_create(&small)).await,
        200
    );
    let when_small_done = wait_status(&svc, &data, "the small shop's order", |s| {
        shop_in(s, "small")["events_processed"] == 1
    })
    .await;
    let waited = started.elapsed();
    let big_then = shop_in(&when_small_done, "big");
    eprintln!("the one order took {waited:?}; the big shop then: {big_then}");
    // The big delivery is still being worked on: the small shop did not wait for its pass.
    assert_eq!(big_then["pending_deliveries"], 1, "{big_then}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    let shop = format!("{sb}/shops/small");
    assert_eq!(notes(&shop, "small", "small-key", &small[0], "shopflow", "seen").await, 1);
    // Events are counted as the pass runs and the delivery is finished after it: wait for both.
    wait_status(&svc, &data, "the big shop's 5000, finished", |s| {
        let big = shop_in(s, "big");
        big["events_processed"] == 5000 && big["pending_deliveries"] == 0
    })
    .await;
}

#[test]
fn the_shops_files_errors_name_the_shop_and_the_field() {
    let dir = shops_file("http://127.0.0.1:9", &[("glass", "k")]);
    let config = dir.path().join("shops.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    let run = |text: &str| {
        std::fs::write(&config, text).unwrap();
        let (code, out, err) =
            shopflow(&["run", "--config", config.to_str().unwrap(), "--port", "0"]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.is_empty(), "nothing on stdout: {out}");
        err
    };
    let inline = run(&good.replace("key_file = \"glass.key\"", "key = \"hunter2\""));
    assert!(inline.contains("shop \"glass\": key: an inline key is not taken"), "{inline}");
    assert!(!inline.contains("hunter2"), "{inline}");
    let unset =
        run(&good.replace("key_file = \"glass.key\"", "key_env = \"SHOPFLOW_TEST_UNSET_KEY\""));
    assert!(
        unset.contains("shop \"glass\": key_env: expected a set environment variable, found SHOPFLOW_TEST_UNSET_KEY not set"),
        "{unset}"
    );
    let platform = run(&good.replace("\"upgates\"", "\"shopify\""));
    assert!(
        platform.contains(
            "shop \"glass\": platform: expected \"upgates\" or \"retailys\", found \"shopify\""
        ),
        "{platform}"
    );
    let rules = run(&good.replace("rules = \"rules\"", "rules = \"no-such-rules\""));
    assert!(rules.contains("shop \"glass\": rules:") && rules.contains("no-such-rules"), "{rules}");
    let bad_rule = dir.path().join("rules/note.rhai");
    std::fs::write(&bad_rule, "fn on_order_created(order) { set_status(order, \"x\" }").unwrap();
    let broken = run(&good);
    assert!(broken.contains("shop \"glass\": rules:") && broken.contains("note.rhai"), "{broken}");
    // --config and --shop are two ways to say which shop: one at a time.
    let (code, _, err) = shopflow(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--shop",
        "http://x/api/v2",
        "--key",
        "k",
    ]);
    assert_eq!(code, 2, "{err}");
}
