//! One rule folder, two platforms: the same storefront orders are placed in an Upgates
//! sandbox and a Retailys sandbox, `shopflow run` runs the example rules (`examples/rules`,
//! unchanged) on each, and every order must come out with the same neutral outcomes and
//! actions. The requests differ (Upgates batches, Retailys takes one order per request) and
//! are counted per platform; `PORTABILITY_ROUNDS=N` repeats the storefront N times for the
//! figures in docs/benchmarks.md.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::operator::shop_get;
use common::{Proc, http, start, upgates_sandbox};

const LOGIN: &str = "portable";
const KEY: &str = "portable-key";
const TOKEN: &str = "portable-token";
const SECRET: &str = "a-secret-for-the-portability-test";

/// A free port on 127.0.0.1 (the service registers callbacks at its own address, so it
/// must know it before it starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Sends a request to the Retailys sandbox, waiting out a 429: the test and the service
/// share 127.0.0.1, and Retailys limits requests per address.
async fn retailys(request: impl Fn() -> reqwest::RequestBuilder) -> reqwest::Response {
    for _ in 0..10 {
        let r = request().header("token", TOKEN).send().await.unwrap();
        if r.status() != reqwest::StatusCode::TOO_MANY_REQUESTS {
            return r;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    panic!("the Retailys sandbox kept answering 429");
}

/// The two platforms: how to start each shop and service, place an order, pay it, and read
/// its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Upgates,
    Retailys,
}

impl Platform {
    fn sandbox(self) -> (Proc, String) {
        match self {
            Platform::Upgates => upgates_sandbox(LOGIN, KEY, 0),
            Platform::Retailys => start(&[
                "sandbox",
                "--platform",
                "retailys",
                "--port",
                "0",
                "--token",
                TOKEN,
                "--seed-orders",
                "0",
            ]),
        }
    }

    fn service(self, shop: &str, data: &Path) -> (Proc, String) {
        let port = free_port().to_string();
        let public = format!("http://127.0.0.1:{port}");
        let data = data.to_str().unwrap();
        let common = [
            "--rules",
            "examples/rules",
            "--secret",
            SECRET,
            "--data",
            data,
            "--port",
            &port,
            "--register-webhooks",
            &public,
        ];
        let mut args = vec!["run"];
        let (base, key) = match self {
            Platform::Upgates => (format!("{shop}/api/v2"), KEY),
            Platform::Retailys => (format!("{shop}/v1"), TOKEN),
        };
        args.extend(["--shop", &base, "--key", key]);
        match self {
            Platform::Upgates => args.extend(["--login", LOGIN]),
            // Polled twice a second, so the test does not wait for payments.
            Platform::Retailys => {
                args.extend(["--platform", "retailys", "--poll-per-hour", "7200"]);
            }
        }
        args.extend(common);
        start(&args)
    }

    /// Places `order` as the storefront would; returns the order's number in the shop.
    async fn place(self, shop: &str, o: &Storefront) -> String {
        match self {
            Platform::Upgates => {
                let body = upgates_order(o);
                let r = http()
                    .post(format!("{shop}/api/v2/orders"))
                    .basic_auth(LOGIN, Some(KEY))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let v: Value = r.json().await.unwrap();
                let number = v["orders"][0]["order_number"].as_str();
                number.unwrap_or_else(|| panic!("not created: {v}")).to_owned()
            }
            Platform::Retailys => {
                let r = http()
                    .post(format!("{shop}/__sandbox/orders/place"))
                    .json(&retailys_order(o))
                    .send()
                    .await
                    .unwrap();
                let v: Value = r.json().await.unwrap();
                v["id"].as_i64().unwrap_or_else(|| panic!("not placed: {v}")).to_string()
            }
        }
    }

    /// The payment arrives (the bank transfer is matched).
    async fn pay(self, shop: &str, number: &str) {
        let r = match self {
            Platform::Upgates => {
                let body = json!({"send_emails_yn": false, "orders": [{"order_number": number, "paid_date": "2026-12-04"}]});
                http()
                    .put(format!("{shop}/api/v2/orders"))
                    .basic_auth(LOGIN, Some(KEY))
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
            Platform::Retailys => {
                let url = format!("{shop}/v1/System/Orders/{number}");
                let order: Value = retailys(|| http().get(&url)).await.json().await.unwrap();
                let body = json!({"paid": order["money"], "status": "success"});
                retailys(|| http().patch(format!("{url}/paid")).json(&body)).await
            }
        };
        assert!(r.status().is_success(), "{self:?} payment: {}", r.status());
    }

    /// The order's status name in the shop.
    async fn status(self, shop: &str, number: &str) -> String {
        match self {
            Platform::Upgates => {
                let v = shop_get(shop, LOGIN, KEY, &format!("/orders/{number}")).await;
                v["orders"][0]["status"].as_str().unwrap_or_default().to_owned()
            }
            Platform::Retailys => {
                let v: Value = http()
                    .get(format!("{shop}/__sandbox/orders/{number}"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let url = format!("{shop}/v1/System/Orders/Statuses");
                let statuses: Value = retailys(|| http().get(&url)).await.json().await.unwrap();
                let found = statuses["statuses"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["id"] == v["status_id"])
                    .map(|s| s["name"].as_str().unwrap_or_default().to_owned());
                found.unwrap_or_default()
            }
        }
    }
}

/// A storefront order, said once for both platforms. Prices are the Retailys sandbox's
/// catalog prices, which the Upgates order states line by line.
#[derive(Debug, Clone)]
struct Storefront {
    key: String,
    email: String,
    first: &'static str,
    last: &'static str,
    /// `(name, IČO, DIČ)` for a company.
    company: Option<(&'static str, &'static str, &'static str)>,
    /// `(Retailys article id, title, unit price, count)`.
    lines: Vec<(i64, &'static str, i64, u32)>,
    cash_on_delivery: bool,
    /// Paid after it was placed.
    paid_later: bool,
}

/// PPL to the address: 129 CZK on both sandboxes (Retailys shipping 1, Upgates `PPL`).
const SHIPPING: i64 = 129;
/// The cash-on-delivery fee: 39 CZK (Retailys payment 1, Upgates `DOBIRKA`).
const COD_FEE: i64 = 39;

fn storefront(round: usize) -> Vec<Storefront> {
    let o = |key: &str, first, last, lines, cod, paid_later, company| Storefront {
        key: format!("{key}-{round}"),
        email: format!("{key}-{round}@example.cz"),
        first,
        last,
        company,
        lines,
        cash_on_delivery: cod,
        paid_later,
    };
    vec![
        o(
            "cod-over-limit",
            "Jana",
            "Nováková",
            vec![(104, "Váza Lilie 25 cm", 899, 6)],
            true,
            false,
            None,
        ),
        o(
            "cod-small",
            "Petr",
            "Svoboda",
            vec![(103, "Karafa Bohemia 1 l", 649, 1)],
            true,
            false,
            None,
        ),
        o(
            "company",
            "Eva",
            "Dvořáková",
            vec![(101, "Pohár Tulipán 350 ml", 169, 2)],
            false,
            false,
            Some(("Sklo Dvořáková s.r.o.", "12345678", "CZ12345678")),
        ),
        o(
            "paid-later",
            "Tomáš",
            "Černý",
            vec![(103, "Karafa Bohemia 1 l", 649, 1)],
            false,
            true,
            None,
        ),
        o(
            "plain",
            "Martin",
            "Kučera",
            vec![(102, "Sklenice na whisky 300 ml", 189, 3)],
            false,
            false,
            None,
        ),
    ]
}

fn upgates_order(o: &Storefront) -> Value {
    let (company, ico, dic) = o.company.unwrap_or_default();
    let products: Vec<Value> = o
        .lines
        .iter()
        .map(|(_, title, price, count)| {
            json!({"title": title, "quantity": count, "price_per_unit": price, "vat": 21})
        })
        .collect();
    let payment = if o.cash_on_delivery {
        json!({"code": "DOBIRKA", "name": "Dobírka", "price": COD_FEE, "vat": 21})
    } else {
        json!({"code": "PREVOD", "name": "Bankovní převod", "price": 0, "vat": 21})
    };
    json!({"send_emails_yn": false, "orders": [{
        "external_order_number": o.key,
        "language_id": "cs",
        "prices_with_vat_yn": true,
        "status": "Přijatá",
        "customer": {
            "email": o.email, "firstname_invoice": o.first, "surname_invoice": o.last,
            "street_invoice": "Dlouhá 12", "city_invoice": "Praha", "zip_invoice": "11000",
            "country_id_invoice": "cz",
            "company_yn": o.company.is_some(), "company": company, "ico": ico, "dic": dic,
        },
        "products": products,
        "shipment": {"code": "PPL", "name": "PPL - doručení na adresu", "price": SHIPPING, "vat": 21},
        "payment": payment,
    }]})
}

fn retailys_order(o: &Storefront) -> Value {
    let items: Vec<Value> = o.lines.iter().map(|(id, _, _, count)| json!([id, count])).collect();
    let (organization, nr, vat) = match o.company {
        Some((name, ico, dic)) => (Some(name), Some(ico), Some(dic)),
        None => (None, None, None),
    };
    json!({
        "email": o.email,
        "name": format!("{} {}", o.first, o.last),
        "organization": organization, "company_nr": nr, "company_vat": vat,
        "items": items,
        "shipping": 1,
        "payment": if o.cash_on_delivery { 1 } else { 2 },
        "external_order_id": o.key,
    })
}

/// What rules did with an order, as `/status` reports it, with the order's number replaced
/// by its storefront key: `(hook, outcome, actions)` for each hook that ran rules.
type Outcomes = BTreeMap<String, Vec<(String, String, Vec<Value>)>>;

async fn status(svc: &str, data: &Path) -> Value {
    common::status(svc, data).await.unwrap_or(Value::Null)
}

/// Waits until the service has no delivery left and `done` holds for its `/status`.
async fn settle(svc: &str, data: &Path, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = status(svc, data).await;
        if v["pending_deliveries"] == 0 && done(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The outcomes `/status` lists for the placed orders, keyed by storefront key.
fn outcomes(st: &Value, numbers: &BTreeMap<String, String>) -> Outcomes {
    let key_of: BTreeMap<&str, &str> =
        numbers.iter().map(|(k, n)| (n.as_str(), k.as_str())).collect();
    let mut out = Outcomes::new();
    for r in st["last_outcomes"].as_array().unwrap() {
        let Some(key) = r["event"]["subject"]["order"].as_str().and_then(|n| key_of.get(n)) else {
            continue;
        };
        let hook = r["event"]["hook"].as_str().unwrap_or_default().to_owned();
        let outcome = r["outcome"].as_str().unwrap_or_default().to_owned();
        // The shops call back for different follow-ups of the service's own writes (Upgates
        // for every update, Retailys for status changes): an update no rule acted on says
        // nothing about the rules.
        if hook == "order_updated" && outcome == "filtered" {
            continue;
        }
        let actions = r["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let mut a = a.clone();
                a["order"] = json!(key);
                a
            })
            .collect();
        out.entry((*key).to_owned()).or_default().push((hook, outcome, actions));
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        list.dedup();
    }
    out
}

/// Runs the storefront on one platform; returns the outcomes, the final statuses by key, and
/// the requests the service sent.
async fn run_on(platform: Platform, rounds: usize) -> (Outcomes, BTreeMap<String, String>, u64) {
    let (_shop, shop) = platform.sandbox();
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = platform.service(&shop, data.path());
    settle(&svc, data.path(), "the service", |_| true).await;
    let orders: Vec<Storefront> = (0..rounds).flat_map(storefront).collect();
    let mut numbers = BTreeMap::new();
    for o in &orders {
        numbers.insert(o.key.clone(), platform.place(&shop, o).await);
    }
    let all = orders.len() as u64;
    settle(&svc, data.path(), "the new orders", |v| v["events_processed"].as_u64() >= Some(all))
        .await;
    let applied_before = status(&svc, data.path()).await["outcomes_applied"].as_u64().unwrap_or(0);
    for o in orders.iter().filter(|o| o.paid_later) {
        platform.pay(&shop, &numbers[&o.key]).await;
    }
    let paid = orders.iter().filter(|o| o.paid_later).count();
    // Every payment moved its order on (paid_to_processing), and nothing else is under way.
    let processed =
        |v: &Value| v["outcomes_applied"].as_u64() >= Some(applied_before + paid as u64);
    let st = settle(&svc, data.path(), "the payments", processed).await;
    let mut statuses = BTreeMap::new();
    for (key, number) in &numbers {
        statuses.insert(key.clone(), platform.status(&shop, number).await);
    }
    let requests = st["api_requests"].as_u64().unwrap_or(0);
    let stats: Value =
        http().get(format!("{shop}/__sandbox/stats")).send().await.unwrap().json().await.unwrap();
    println!("{platform:?}: {requests} requests from the service; the shop counted {stats}");
    (outcomes(&st, &numbers), statuses, requests)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_rules_do_the_same_on_upgates_and_retailys() {
    let rounds: usize =
        std::env::var("PORTABILITY_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let (upgates, upgates_status, upgates_requests) = run_on(Platform::Upgates, rounds).await;
    let (retailys, retailys_status, retailys_requests) = run_on(Platform::Retailys, rounds).await;
    let orders = rounds * storefront(0).len();
    println!(
        "{orders} storefront orders: Upgates {upgates_requests} requests, Retailys {retailys_requests} requests"
    );
    // Both ran the rules on every order, and did the same (`/status` keeps the latest
    // outcomes only, so a long run compares the shops alone).
    if rounds == 1 {
        assert_eq!(upgates.len(), orders, "{upgates:#?}");
        for (key, on_upgates) in &upgates {
            assert_eq!(Some(on_upgates), retailys.get(key), "{key}: Upgates vs Retailys");
        }
        assert_eq!(upgates, retailys);
    }
    // And the shops show it: same status names on both.
    assert_eq!(upgates_status, retailys_status);
    let round = |k: &str| format!("{k}-0");
    assert_eq!(upgates_status[&round("cod-over-limit")], "Ke kontrole");
    assert_eq!(upgates_status[&round("paid-later")], "Vyřizuje se");
    assert_eq!(upgates_status[&round("plain")], "Přijatá");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retailys_service_takes_only_callbacks_it_can_trust() {
    let (_shop, shop) = Platform::Retailys.sandbox();
    let data = tempfile::tempdir().unwrap();
    let (_svc, svc) = Platform::Retailys.service(&shop, data.path());
    settle(&svc, data.path(), "the service", |_| true).await;
    let origin = svc.clone();
    let get = move |path: String| {
        let url = format!("{origin}{path}");
        async move { http().get(url).send().await.unwrap() }
    };

    let wrong = get("/retailys/order-new/not-the-secret?order=1".into()).await;
    assert_eq!(wrong.status(), 401);
    let body = wrong.text().await.unwrap();
    assert!(!body.contains(SECRET), "{body}");
    let no_order = get(format!("/retailys/order-new/{SECRET}")).await;
    assert_eq!(no_order.status(), 400, "{}", no_order.text().await.unwrap());
    let unknown = get(format!("/retailys/user-registred/{SECRET}?order=1")).await;
    assert_eq!(unknown.status(), 404);
    let upgates = http()
        .post(format!("{svc}/webhooks/Orders.create?shopflow_secret={SECRET}"))
        .body(r#"{"orders": []}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(upgates.status(), 404, "an Upgates webhook is not taken by a Retailys service");

    // A trusted callback about an order the shop does not have is journaled, answered, and
    // finished without actions.
    let gone = get(format!("/retailys/order-change-status/{SECRET}?order=999999&status=2")).await;
    assert_eq!(gone.status(), 200);
    let st = settle(&svc, data.path(), "the callback", |v| v["events_processed"] == 1).await;
    assert_eq!(st["deliveries_refused"], 3, "{st}");
    assert_eq!((st["actions_applied"].as_u64(), st["actions_failed"].as_u64()), (Some(0), Some(0)));
}
