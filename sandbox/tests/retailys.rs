//! The Retailys sandbox over real HTTP, checked against `shared/spec/retailys-api.md` and
//! the rules in the `retailys` module docs.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::Method;
use common::{Http, Resp, eventually};
use hyper::body::Bytes;
use serde_json::{Value, json};
use shopflow_core::retailys::events::{CallbackParams, EventModel, EventParameter};
use shopflow_core::retailys::order::{ErrorModel, IdModel, OrderModel, OrdersModel};
use shopflow_sandbox::{RetailysConfig, RetailysHandle};

const TOKEN: &str = "test-token-xyz";

/// One instance of a running sandbox: its own or a hosted one (`/shops/NAME`), with the
/// token it is called with.
struct Rt {
    handle: Arc<RetailysHandle>,
    http: Http,
    token: String,
}

impl Rt {
    async fn start() -> Rt {
        Rt::start_with(0).await
    }

    /// A sandbox that also hosts `shop-1` to `shop-N`.
    async fn start_with(shops: usize) -> Rt {
        let config = RetailysConfig { token: TOKEN.into(), shops, ..RetailysConfig::default() };
        let handle = shopflow_sandbox::start_retailys(config).await.expect("starts");
        let http = Http::new(&handle.origin(), "", "");
        Rt { handle: Arc::new(handle), http, token: TOKEN.to_owned() }
    }

    /// The hosted instance `name` of the same sandbox, called with `token`.
    fn shop(&self, name: &str, token: &str) -> Rt {
        let http = Http::new(&format!("{}/shops/{name}", self.handle.origin()), "", "");
        Rt { handle: Arc::clone(&self.handle), http, token: token.to_owned() }
    }

    async fn try_call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Resp, String> {
        let path = format!("/v1/System{path}");
        self.http.try_send(method, &path, body, &[("token", &self.token)]).await
    }

    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        self.try_call(method, path, body).await.unwrap()
    }

    async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, None).await
    }

    async fn generate(&self, count: usize, seed: u64) -> Vec<i64> {
        let r = self
            .http
            .post("/__sandbox/orders/generate", &json!({"count": count, "seed": seed}))
            .await;
        assert_eq!(r.status, 200);
        r.json()["ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
    }

    async fn orders(&self, query: &str) -> OrdersModel {
        let r = self.get(&format!("/Orders?{query}")).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        serde_json::from_slice(&r.body).unwrap()
    }

    async fn new_order(&self, email: &str) -> i64 {
        let r = self.call("POST", "/Orders", Some(&new_order(email))).await;
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        serde_json::from_slice::<IdModel>(&r.body).unwrap().id.unwrap()
    }
}

fn new_order(email: &str) -> Value {
    json!({"channel": 1, "email": email, "name": "Jana Testová", "street": "Dlouhá 1", "city": "Praha",
           "zip": "11000", "state_code": "CZ", "delivery_city": "Praha", "order_currency_code": "CZK"})
}

fn error_of(r: &Resp) -> ErrorModel {
    serde_json::from_slice(&r.body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_header_is_required_and_never_echoed() {
    let rt = Rt::start().await;
    let none = rt.http.get("/v1/System/Me").await;
    assert_eq!(none.status, 401);
    let wrong = rt
        .http
        .try_send("GET", "/v1/System/Me", None, &[("token", "leaked-secret")])
        .await
        .unwrap();
    assert_eq!(wrong.status, 401);
    assert!(error_of(&wrong).message.is_some() && error_of(&wrong).detail.is_some());
    assert!(!String::from_utf8_lossy(&wrong.body).contains("leaked-secret"));
    let me = rt.get("/Me").await;
    assert_eq!((me.status, me.json()["app_id"].as_i64()), (200, Some(1)));
    assert_eq!(rt.get("/Nothing/Here").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_and_filter() {
    let rt = Rt::start().await;
    let ids = rt.generate(35, 7).await;
    let mut seen = Vec::new();
    for page in 1..=4 {
        let p = rt.orders(&format!("page={page}&per_page=10")).await;
        let pg = p.paginator.unwrap();
        assert_eq!(
            (pg.page, pg.per_page, pg.pages, pg.total),
            (Some(page), Some(10), Some(4), Some(35))
        );
        seen.extend(p.orders.iter().map(|o| o.id.unwrap()));
    }
    assert_eq!(seen, ids, "every order once, by id");
    assert!(rt.orders("page=5&per_page=10").await.orders.is_empty());
    for bad in ["per_page=5", "per_page=251", "page=0", "done=maybe"] {
        let r = rt.get(&format!("/Orders?{bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
        let key = bad.split('=').next().unwrap();
        assert!(error_of(&r).detail.unwrap().contains(key), "{bad}");
    }
    let cz = rt.orders("channel_id=1&per_page=250").await.orders.len();
    let sk = rt.orders("channel_id=2&per_page=250").await.orders.len();
    assert_eq!(cz + sk, 35);
    assert!(rt.orders("done=true&per_page=250").await.orders.iter().all(|o| o.done == Some(true)));
    let canceled = rt.orders("status_id=6&per_page=250").await.orders;
    assert!(!canceled.is_empty() && canceled.iter().all(|o| o.canceled == Some(true)));
    // Generated dates: order n is 08:00 + n × 90 min + under an hour, from 2025-03-01.
    let window = rt
        .orders("from=2025-03-01T08:00:00%2B01:00&to=2025-03-01T12:00:00%2B01:00&per_page=250")
        .await;
    assert_eq!(window.orders.iter().map(|o| o.id.unwrap()).collect::<Vec<_>>(), ids[..3]);
    let empty = rt.orders("channel_id=99").await;
    assert!(empty.orders.is_empty(), "no match is 200 with an empty list");
    assert_eq!(empty.paginator.unwrap().total, Some(0));
    let all = rt.orders("per_page=250").await.orders;
    let sent = all.iter().find(|o| !o.trackings.is_empty()).expect("a sent order");
    let number = sent.tracking_numbers()[0].to_owned();
    let found = rt.orders(&format!("tracking={number}")).await.orders;
    assert_eq!(found.iter().map(|o| o.id).collect::<Vec<_>>(), vec![sent.id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_unless_expanded() {
    let rt = Rt::start().await;
    let id = rt.generate(1, 3).await[0];
    let plain = rt.get(&format!("/Orders/{id}")).await.json();
    let customer = plain["customer"].as_object().unwrap();
    assert_eq!(customer.keys().collect::<Vec<_>>(), ["id", "api_link"]);
    assert!(plain["shipping"]["api_link"].as_str().unwrap().starts_with("/System/"));
    let o: OrderModel = serde_json::from_value(plain).unwrap();
    assert!(o.customer.as_ref().unwrap().is_ref() && o.payment.as_ref().unwrap().is_ref());
    let full: OrderModel =
        serde_json::from_slice(&rt.get(&format!("/Orders/{id}?expanded=true")).await.body).unwrap();
    let c = full.customer.as_ref().unwrap();
    assert_eq!(c.id(), o.customer.as_ref().unwrap().id());
    assert!(c.full().unwrap().email.is_some());
    assert!(full.shipping.as_ref().unwrap().full().unwrap().name.is_some());
    let listed = rt.orders("expanded=true").await;
    assert!(listed.orders.iter().all(|o| o.channel.as_ref().is_some_and(|c| !c.is_ref())));
    assert_eq!(rt.get("/Orders/999999").await.status, 404);
    assert_eq!(rt.get("/Orders/abc").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_then_get_then_change() {
    let rt = Rt::start().await;
    let id = rt.new_order("jana.novakova@example.cz").await;
    let o: OrderModel =
        serde_json::from_slice(&rt.get(&format!("/Orders/{id}?expanded=true")).await.body).unwrap();
    assert_eq!(o.city.as_deref(), Some("Praha"));
    assert_eq!(o.customer.as_ref().unwrap().id(), Some(1), "matched by e-mail");
    assert_eq!((o.money.unwrap().to_string(), o.items.len()), ("0".to_owned(), 0));

    let bad = rt
        .call("POST", "/Orders", Some(&json!({"email": "nope", "order_currency_code": "CZ"})))
        .await;
    assert_eq!(bad.status, 400);
    let detail = error_of(&bad).detail.unwrap();
    assert!(
        detail.contains("channel")
            && detail.contains("email")
            && detail.contains("order_currency_code")
    );
    let unknown = rt
        .call("POST", "/Orders", Some(&json!({"channel": 9, "order_currency_code": "CZK"})))
        .await;
    assert_eq!(unknown.status, 400);

    let item = rt
        .call("POST", &format!("/Orders/{id}/item"), Some(&json!({"article": 101, "count": 2})))
        .await;
    assert_eq!(item.status, 201);
    let item_id = item.json()["id"].as_i64().unwrap();
    let put = rt.call("PUT", "/Orders", Some(&json!({"id": id, "delivery_city": "Brno"}))).await;
    assert_eq!(put.status, 200);
    let o: OrderModel =
        serde_json::from_slice(&rt.get(&format!("/Orders/{id}")).await.body).unwrap();
    assert_eq!(
        (o.delivery_city.as_deref(), o.money.unwrap().to_string()),
        (Some("Brno"), "338".to_owned())
    );
    let del = rt.call("DELETE", &format!("/Orders/{id}/item/{item_id}"), None).await;
    assert_eq!(del.status, 200);
    assert_eq!(rt.call("DELETE", &format!("/Orders/{id}/item/{item_id}"), None).await.status, 404);
    let history =
        json!({"type": "apps", "record": {"name": "Checked by shopflow", "status": "ok"}});
    assert_eq!(rt.call("POST", &format!("/Orders/{id}/history"), Some(&history)).await.status, 201);
    let control = rt.http.get(&format!("/__sandbox/orders/{id}")).await.json();
    assert_eq!(control["history"][0]["name"], "Checked by shopflow");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_flags_follow_the_rules() {
    let rt = Rt::start().await;
    let statuses = rt.get("/Orders/Statuses").await.json();
    assert_eq!(statuses["statuses"].as_array().unwrap().len(), 6);
    let id = rt.new_order("a@example.cz").await;
    let patch = |s: i64| json!({"status_id": s});
    assert_eq!(
        rt.call("PATCH", &format!("/Orders/{id}/status"), Some(&patch(99))).await.status,
        400
    );
    assert_eq!(rt.call("PATCH", "/Orders/999999/status", Some(&patch(3))).await.status, 404);
    let ok = rt.call("PATCH", &format!("/Orders/{id}/status"), Some(&patch(3))).await;
    assert_eq!(ok.status, 200);
    assert_eq!(serde_json::from_slice::<OrderModel>(&ok.body).unwrap().id, Some(id));
    assert_eq!(rt.http.get(&format!("/__sandbox/orders/{id}")).await.json()["status_id"], 3);
    let flag = |f: &str| format!("/Orders/{id}/{f}");
    let early = rt.call("PATCH", &flag("delivered"), None).await;
    assert_eq!(early.status, 422, "delivered before sent");
    assert!(error_of(&early).detail.unwrap().contains("sent"));
    let sent = rt.call("PATCH", &flag("sent"), None).await;
    assert_eq!((sent.status, sent.json()["sent"].as_bool()), (200, Some(true)));
    assert_eq!(rt.call("PATCH", &flag("sent"), None).await.status, 200, "repeat is a no-op");
    assert_eq!(rt.call("PATCH", &flag("delivered"), None).await.status, 200);
    assert_eq!(rt.call("PATCH", &flag("cancel"), None).await.status, 422, "sent cannot cancel");
    let paid = json!({"paid": 338, "payment_id": "TX-1", "status": "success"});
    let p = rt.call("PATCH", &flag("paid"), Some(&paid)).await;
    assert_eq!(p.status, 200);
    assert!(serde_json::from_slice::<OrderModel>(&p.body).unwrap().date_paid.is_some());

    let other = rt.new_order("b@example.cz").await;
    let flag = |f: &str| format!("/Orders/{other}/{f}");
    let c = rt.call("PATCH", &flag("cancel"), None).await;
    assert_eq!((c.status, c.json()["canceled"].as_bool()), (200, Some(true)));
    assert_eq!(rt.call("PATCH", &flag("sent"), None).await.status, 422);
    assert_eq!(
        rt.call("PATCH", &flag("status"), Some(&patch(5))).await.status,
        422,
        "complete a canceled order"
    );
    let item = rt.call("POST", &flag("item"), Some(&json!({"name": "x"}))).await;
    assert_eq!(item.status, 422, "a canceled order's lines are final");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_needs_a_known_shipper() {
    let rt = Rt::start().await;
    let shippers = rt.get("/Lists/Shippers").await.json();
    let known = shippers["shippers"][1]["id"].as_i64().unwrap();
    let id = rt.new_order("t@example.cz").await;
    let path = format!("/Orders/{id}/tracking");
    let unknown =
        rt.call("POST", &path, Some(&json!({"shipper_id": 99, "tracking_number": "X1"}))).await;
    assert_eq!(unknown.status, 400);
    assert!(error_of(&unknown).detail.unwrap().contains("shipper_id"));
    assert_eq!(rt.call("POST", &path, Some(&json!({"shipper_id": known}))).await.status, 400);
    let ok = rt
        .call("POST", &path, Some(&json!({"shipper_id": known, "tracking_number": "PKG-77"})))
        .await;
    assert_eq!(ok.status, 201);
    let found = rt.orders("tracking=PKG-77").await.orders;
    assert_eq!(found.len(), 1);
    let t = &found[0].trackings[0];
    assert_eq!(t.shipper_id, Some(known));
    assert!(t.tracking_url.as_deref().unwrap().ends_with("PKG-77"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_limit_is_429_with_retry_after_one_second() {
    let rt = Rt::start().await;
    rt.http.config(json!({"rate_limit": {"per_second": 5}})).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(rt.get("/Me").await);
    }
    assert_eq!(
        statuses.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 200, 200, 200, 200, 429]
    );
    let refused = &statuses[5];
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert!(error_of(refused).message.is_some());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(rt.get("/Me").await.status, 200, "a new second, a new window");
    rt.generate(1, 1).await;
    rt.get("/Orders/1001").await;
    let stats = rt.http.stats().await;
    assert_eq!(stats["requests_by_endpoint"]["GET /v1/System/Me"], 7);
    assert_eq!(stats["requests_by_endpoint"]["GET /v1/System/Orders/{id}"], 1);
    assert_eq!(stats["requests_total"], 8);
}

/// Every callback a receiver got: method, query and body.
type Calls = Arc<Mutex<Vec<(Method, Option<String>, Bytes)>>>;

async fn receiver() -> (String, Calls) {
    async fn record(
        State(calls): State<Calls>,
        method: Method,
        RawQuery(q): RawQuery,
        body: Bytes,
    ) {
        calls.lock().unwrap().push((method, q, body));
    }
    let calls: Calls = Arc::default();
    let app = axum::Router::new()
        .route("/{*path}", axum::routing::any(record))
        .with_state(Arc::clone(&calls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        use tower::ServiceExt;
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let app = app.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        app.clone().oneshot(req.map(axum::body::Body::new))
                    },
                );
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, svc).await;
            });
        }
    });
    (url, calls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_call_back_with_the_order_id() {
    let rt = Rt::start().await;
    let (url, calls) = receiver().await;
    let params =
        [EventParameter::new("order", "%orderId%"), EventParameter::new("ch", "c-%channelId%")];
    let sub = json!({"event": "order-new", "path": format!("{url}/retailys/new"), "method": "POST", "parameters": params});
    let created = rt.call("POST", "/Events", Some(&sub)).await;
    assert_eq!(created.status, 201);
    let sub_id = created.json()["id"].as_i64().unwrap();
    let model: EventModel =
        serde_json::from_slice(&rt.get(&format!("/Events/{sub_id}")).await.body).unwrap();
    assert_eq!(model.params[0].key.as_deref(), Some("order"));
    assert_eq!(model.params[0].macro_text.as_deref(), Some("%orderId%"));
    assert_eq!(model.parameters(), params);
    let status_sub = json!({"event": "order-change-status", "path": "/retailys/status", "method": "GET",
        "condition": "%channelId% == 1",
        "parameters": [{"name": "order", "variable": "%orderId%"}, {"name": "status", "variable": "%statusId%"}]});
    assert_eq!(rt.call("POST", "/Events", Some(&status_sub)).await.status, 201);
    rt.http.config(json!({"callbacks": {"base_url": url}})).await;
    let bad = json!({"event": "order-nwe", "path": "/x", "method": "POST"});
    assert_eq!(rt.call("POST", "/Events", Some(&bad)).await.status, 400);

    let id = rt.new_order("cb@example.cz").await;
    eventually(Duration::from_secs(5), "the order-new callback", || {
        !calls.lock().unwrap().is_empty()
    })
    .await;
    let (method, _, body) = calls.lock().unwrap()[0].clone();
    assert_eq!(method, Method::POST);
    let got = CallbackParams::from_json(&body).unwrap();
    assert_eq!(got.get("ch"), Some("c-1"));
    assert_eq!(got.resolve(&model.parameters()).order_id, Some(id));

    let patch =
        rt.call("PATCH", &format!("/Orders/{id}/status"), Some(&json!({"status_id": 2}))).await;
    assert_eq!(patch.status, 200);
    eventually(Duration::from_secs(5), "the status callback", || calls.lock().unwrap().len() == 2)
        .await;
    let (method, query, _) = calls.lock().unwrap()[1].clone();
    assert_eq!(method, Method::GET);
    let q = CallbackParams::from_query(&query.unwrap());
    assert_eq!((q.get("order"), q.get("status")), (Some(id.to_string().as_str()), Some("2")));

    let log = rt.http.get("/__sandbox/deliveries").await.json();
    let entries = log["deliveries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|d| d["ok"] == true), "{log}");
    assert_eq!(rt.call("DELETE", &format!("/Events/{sub_id}"), None).await.status, 200);
    let listed = rt.get("/Events?per_page=1").await.json();
    assert_eq!(listed["paginator"]["total"], 1);
}

/// The sandbox's own instance and its hosted `shop-1` and `shop-2`, each with its token.
async fn three_instances() -> (Rt, Rt, Rt) {
    let own = Rt::start_with(2).await;
    let one = own.shop("shop-1", "shop-1-token");
    let two = own.shop("shop-2", "shop-2-token");
    (own, one, two)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosted_instances_keep_their_own_tokens_and_orders() {
    let (own, one, two) = three_instances().await;
    let id = one.new_order("one@example.cz").await;
    assert_eq!(one.orders("").await.paginator.unwrap().total, Some(1));
    assert_eq!(two.orders("").await.paginator.unwrap().total, Some(0));
    assert_eq!(own.orders("").await.paginator.unwrap().total, Some(0));
    assert_eq!(two.get(&format!("/Orders/{id}")).await.status, 404, "shop 1's order");
    // A token opens its own instance only: not another hosted one, not the sandbox's own,
    // and the sandbox's own token opens no hosted one.
    assert_eq!(own.shop("shop-1", "shop-2-token").get("/Me").await.status, 401);
    assert_eq!(own.shop("shop-1", TOKEN).get("/Me").await.status, 401);
    assert_eq!(own.shop("shop-0", "shop-1-token").get("/Me").await.status, 404);
    let crossed = Rt {
        handle: Arc::clone(&own.handle),
        http: own.http.clone(),
        token: "shop-1-token".into(),
    };
    assert_eq!(crossed.get("/Me").await.status, 401);
    // The control API is per instance too: each counts its own requests.
    assert_eq!(one.http.stats().await["requests_total"], 4);
    assert_eq!(two.http.stats().await["requests_total"], 2);
    assert_eq!(own.http.stats().await["requests_total"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hosted_instances_limit_and_faults_are_its_own() {
    let (own, one, two) = three_instances().await;
    one.http.config(json!({"rate_limit": {"per_second": 2}})).await;
    two.http.config(json!({"faults": {"error_rate": 1.0, "error_status": 502}})).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(one.get("/Me").await.status);
    }
    assert_eq!(statuses, [200, 200, 429]);
    // Shop 2's dice are rolled for its own `/v1` path, after the prefix.
    let faulty = two.get("/Me").await;
    assert_eq!(faulty.status, 502, "{}", String::from_utf8_lossy(&faulty.body));
    assert_eq!(own.get("/Me").await.status, 200);
    // Shop 1 is over its limit, not over shop 2's faults, and the reverse.
    assert_eq!(one.get("/Me").await.status, 429);
    two.http.config(json!({"faults": {"error_rate": 0.0, "drop_rate": 1.0}})).await;
    assert!(two.try_call("GET", "/Me", None).await.is_err(), "dropped without an answer");
    assert_eq!(own.get("/Me").await.status, 200);
    let config = one.http.get("/__sandbox/config").await.json();
    assert_eq!(config["faults"]["drop_rate"], 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_are_listed_added_and_unknown_names_refused() {
    let (own, _, _) = three_instances().await;
    let listed = own.http.get("/__sandbox/shops").await.json();
    let names: Vec<&str> =
        listed["shops"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["shop-1", "shop-2"]);
    assert_eq!(listed["shops"][0]["api"], "/shops/shop-1/v1");
    assert_eq!(listed["shops"][0]["control"], "/shops/shop-1/__sandbox");
    assert!(!listed.to_string().contains("token"), "tokens are never listed: {listed}");
    let added = own
        .http
        .post("/__sandbox/shops", &json!({"name": "corner", "token": "corner-secret"}))
        .await;
    assert_eq!(added.status, 201, "{}", String::from_utf8_lossy(&added.body));
    assert!(!String::from_utf8_lossy(&added.body).contains("corner-secret"));
    assert_eq!(own.shop("corner", "corner-secret").get("/Me").await.status, 200);
    assert_eq!(own.handle.shops().len(), 3);
    let taken = own.http.post("/__sandbox/shops", &json!({"name": "corner"})).await;
    assert_eq!(taken.status, 409);
    assert!(error_of(&taken).detail.unwrap().contains("already hosted"));
    let bad = own.http.post("/__sandbox/shops", &json!({"name": "a/b"})).await;
    assert_eq!(bad.status, 400);
    assert!(error_of(&bad).detail.unwrap().contains("letters, digits"));
    // Upgates' `key` is no field here: the 400 says what is.
    let upgates = own.http.post("/__sandbox/shops", &json!({"name": "x", "key": "k"})).await;
    assert_eq!(upgates.status, 400);
    assert!(error_of(&upgates).detail.unwrap().contains("\"token\"?"));
    let unknown = own.shop("nope", "nope-token").get("/Me").await;
    assert_eq!(unknown.status, 404);
    assert!(error_of(&unknown).detail.unwrap().contains("\"nope\""));
    let unknown_control = own.shop("nope", "").http.get("/__sandbox/stats").await;
    assert_eq!(unknown_control.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hosted_instance_calls_back_for_its_own_orders_only() {
    let (_own, one, two) = three_instances().await;
    let (url, calls) = receiver().await;
    let sub = json!({"event": "order-new", "path": format!("{url}/one"), "method": "POST",
        "parameters": [{"name": "order", "variable": "%orderId%"}]});
    assert_eq!(one.call("POST", "/Events", Some(&sub)).await.status, 201);
    assert_eq!(two.get("/Events").await.json()["paginator"]["total"], 0);
    two.new_order("two@example.cz").await;
    let id = one.new_order("one@example.cz").await;
    eventually(Duration::from_secs(5), "shop 1's callback", || !calls.lock().unwrap().is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "only shop 1 subscribed: {got:?}");
    assert_eq!(
        CallbackParams::from_json(&got[0].2).unwrap().get("order"),
        Some(id.to_string().as_str())
    );
    let log = one.http.get("/__sandbox/deliveries").await.json();
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 1);
    let none = two.http.get("/__sandbox/deliveries").await.json();
    assert_eq!(none["deliveries"].as_array().unwrap().len(), 0);
}
