//! Dead letters, with `shopflow run` as a process against the sandbox over real HTTP: a
//! delivery the shop refuses for good is set aside after its tries with the API's reason,
//! while the deliveries around it finish; it survives a restart; a retry after the cause is
//! fixed applies it once; a drop forgets it; `shopflow deliveries` does each. A pass refused
//! as a whole finds its culprit without failing the other deliveries.

use std::path::Path;

mod common;
use common::operator::{deliver, faults, notes, operator, order_numbers, orders_create, shopflow};
use common::{Proc, UpgatesUser, upgates_sandbox, upgates_service, wait_status};
use serde_json::Value;

const LOGIN: &str = "dead";
const KEY: &str = "dead-key";
const SECRET: &str = "a-webhook-secret-for-the-dead-letter-tests";

const NOTE: &str = r#"
fn on_order_created(order) {
    add_history(order, "shopflow", "checked");
}
"#;

fn service(shop: &str, rules: &Path, data: &Path) -> (Proc, String) {
    upgates_service(shop, &UpgatesUser { login: LOGIN, key: KEY, secret: SECRET }, rules, data)
}

/// `shopflow deliveries ARGS --service URL --data DATA`.
fn cli(args: &[&str], svc: &str, data: &Path) -> (i32, String, String) {
    let data = data.to_str().unwrap();
    shopflow(&[&["deliveries"], args, &["--service", svc, "--data", data]].concat())
}

async fn dead_letters(svc: &str, data: &Path) -> Vec<Value> {
    let (code, v) = operator("GET", svc, data, "/deliveries").await;
    assert_eq!(code, 200, "{v}");
    v["deliveries"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_delivery_is_set_aside_kept_retried_once_and_dropped() {
    let (_shop, shop) = upgates_sandbox(LOGIN, KEY, 4);
    let n = order_numbers(&shop, LOGIN, KEY).await;
    let (bad, with_bad, after, dropped) = (&n[0], &n[1], &n[2], &n[3]);
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("note.rhai"), NOTE).unwrap();
    let data = tempfile::tempdir().unwrap();
    faults(&shop, serde_json::json!({"refuse_writes_of": [bad]})).await;
    let (svc_proc, svc) = service(&shop, rules.path(), data.path());

    // One delivery with a refused order and a good one; a good delivery after it.
    assert_eq!(deliver(&svc, SECRET, "Orders.create", &orders_create(&[bad, with_bad])).await, 200);
    assert_eq!(deliver(&svc, SECRET, "Orders.create", &orders_create(&[after])).await, 200);
    let st = wait_status(&svc, data.path(), "the dead letter", |v| {
        v["dead_letters"] == 1 && v["pending_deliveries"] == 0
    })
    .await;
    let dead = dead_letters(&svc, data.path()).await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    let d = &dead[0];
    assert_eq!((d["event"].as_str(), d["tries"].as_u64()), (Some("Orders.create"), Some(3)));
    assert_eq!(d["orders"], serde_json::json!([bad]), "only the refused order: {d}");
    let reason = d["reason"].as_str().unwrap();
    assert!(reason.contains("does not take history records"), "the API's reason: {reason}");
    assert!(!d.to_string().contains(SECRET), "{d}");
    for good in [with_bad, after] {
        assert_eq!(notes(&shop, LOGIN, KEY, good, "shopflow", "checked").await, 1, "{good}: {st}");
    }
    assert_eq!(notes(&shop, LOGIN, KEY, bad, "shopflow", "checked").await, 0);

    // A restart keeps it.
    drop(svc_proc);
    let (_svc_proc, svc) = service(&shop, rules.path(), data.path());
    let id = d["id"].as_u64().unwrap().to_string();
    let (code, out, err) = cli(&["list"], &svc, data.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{id}  Orders.create")) && out.contains(bad.as_str()), "{out}");
    assert!(out.contains("does not take history records"), "{out}");

    // Fixed, retried: applied once; the good order of the same delivery is not noted again.
    faults(&shop, serde_json::json!({"refuse_writes_of": []})).await;
    let (code, out, err) = cli(&["retry", &id], &svc, data.path());
    assert_eq!(
        (code, out.trim()),
        (0, format!("delivery {id} is back in the queue").as_str()),
        "{err}"
    );
    wait_status(&svc, data.path(), "the retry", |v| {
        v["dead_letters"] == 0 && v["pending_deliveries"] == 0
    })
    .await;
    assert_eq!(notes(&shop, LOGIN, KEY, bad, "shopflow", "checked").await, 1);
    assert_eq!(notes(&shop, LOGIN, KEY, with_bad, "shopflow", "checked").await, 1, "not twice");
    let (code, _, err) = cli(&["retry", &id], &svc, data.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("404") && err.contains(&format!("no delivery {id} is set aside")),
        "{err}"
    );
    let (code, v) = operator("POST", &svc, data.path(), "/deliveries/x/drop").await;
    assert_eq!(code, 400, "{v}");

    // Dropped: gone from the list, nothing written.
    faults(&shop, serde_json::json!({"refuse_writes_of": [dropped]})).await;
    assert_eq!(deliver(&svc, SECRET, "Orders.create", &orders_create(&[dropped])).await, 200);
    wait_status(&svc, data.path(), "the second dead letter", |v| v["dead_letters"] == 1).await;
    let id = dead_letters(&svc, data.path()).await[0]["id"].as_u64().unwrap().to_string();
    let (code, out, err) = cli(&["drop", &id], &svc, data.path());
    assert_eq!((code, out.trim()), (0, format!("delivery {id} is dropped").as_str()), "{err}");
    assert!(dead_letters(&svc, data.path()).await.is_empty());
    let (code, out, _) = cli(&["list"], &svc, data.path());
    assert_eq!((code, out.trim()), (0, "no deliveries are set aside"));
    let st = wait_status(&svc, data.path(), "the drop", |v| v["dead_letters"] == 0).await;
    assert_eq!(st["pending_deliveries"], 0, "{st}");
    assert_eq!(notes(&shop, LOGIN, KEY, dropped, "shopflow", "checked").await, 0);
}

/// A journal as the service writes it, holding `bodies` as unfinished `Orders.create`
/// deliveries (so the service's first pass takes them all together).
fn journal_with(data: &Path, bodies: &[Value]) {
    let mut lines = vec![serde_json::json!({"t": "started", "since": "2026-12-01"}).to_string()];
    for (id, body) in bodies.iter().enumerate() {
        let d = serde_json::json!({"t": "delivery", "id": id, "event": "Orders.create",
            "body": body.to_string(), "received_at": "2026-12-04T10:00:00.000Z"});
        lines.push(d.to_string());
    }
    std::fs::write(data.join("journal.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_refused_as_a_whole_finds_its_culprit_and_finishes_the_others() {
    let (_shop, shop) = upgates_sandbox(LOGIN, KEY, 4);
    let n = order_numbers(&shop, LOGIN, KEY).await;
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("note.rhai"), NOTE).unwrap();
    let data = tempfile::tempdir().unwrap();
    // The shop refuses any list naming n[2]: the one GET of a pass with all four fails.
    faults(&shop, serde_json::json!({"refuse_reads_of": [n[2]]})).await;
    let bodies: Vec<Value> = n.iter().map(|x| orders_create(&[x.as_str()])).collect();
    journal_with(data.path(), &bodies);
    let (_svc_proc, svc) = service(&shop, rules.path(), data.path());

    wait_status(&svc, data.path(), "the culprit set aside", |v| {
        v["dead_letters"] == 1 && v["pending_deliveries"] == 0
    })
    .await;
    let dead = dead_letters(&svc, data.path()).await;
    assert_eq!((dead[0]["id"].as_u64(), dead[0]["tries"].as_u64()), (Some(2), Some(3)), "{dead:?}");
    assert_eq!(dead[0]["orders"], serde_json::json!([n[2]]));
    let reason = dead[0]["reason"].as_str().unwrap();
    assert!(reason.contains("cannot be listed"), "the API's reason: {reason}");
    for (i, x) in n.iter().enumerate() {
        let want = usize::from(i != 2);
        assert_eq!(notes(&shop, LOGIN, KEY, x, "shopflow", "checked").await, want, "order {x}");
    }
}
