//! The Retailys client against the Retailys sandbox over HTTP: round trips of every resource,
//! and the exchange's promises checked on the sandbox's request counters (a refused token
//! sent once, a 429 waited out, no 429 at all thanks to pacing, a read retried, a create
//! never resent).

mod common;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use shopflow_client::retailys::{CallAnswer, RetailysClient};
use shopflow_core::retailys::api::OrderFlag;
use shopflow_core::retailys::events::{
    CallbackMethod, EventName, EventParameter, EventPostRequest,
};
use shopflow_core::retailys::plan::RetailysCall;
use shopflow_core::retailys::query::OrderListQuery;
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderPaidPatchRequest, OrderPostRequest, OrderStatusPatchRequest,
    PaymentResult, TrackingPostRequest,
};
use shopflow_core::retry::RetryPolicy;
use shopflow_sandbox::config::FaultConfig;
use shopflow_sandbox::faults::FaultDice;
use shopflow_sandbox::{RetailysConfig, RetailysHandle};

const TOKEN: &str = "retailys-app-token-0123456789";

async fn sandbox(seed_orders: usize) -> RetailysHandle {
    shopflow_sandbox::start_retailys(RetailysConfig {
        token: TOKEN.into(),
        seed_orders,
        ..RetailysConfig::default()
    })
    .await
    .unwrap()
}

async fn control(sb: &RetailysHandle, method: &str, path: &str, body: Value) -> Value {
    common::control(&sb.origin(), method, path, body).await
}

/// Requests the sandbox counted (429s and injected failures included), in all or to one
/// endpoint (`"GET /v1/System/Orders"`).
async fn counted(sb: &RetailysHandle, endpoint: Option<&str>) -> u64 {
    let stats = control(sb, "GET", "stats", Value::Null).await;
    let n = match endpoint {
        None => &stats["requests_total"],
        Some(e) => &stats["requests_by_endpoint"][e],
    };
    n.as_u64().unwrap_or(0)
}

/// A retry policy with short backoffs, so retried failures do not slow the suite.
fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn client(sb: &RetailysHandle, token: &str) -> RetailysClient {
    RetailysClient::builder(sb.base_url(), token).allow_local(true).policy(quick()).build().unwrap()
}

fn new_order() -> OrderPostRequest {
    let mut o = OrderPostRequest::default();
    o.channel = Some(1);
    o.email = Some("jana.novakova@example.cz".to_owned());
    o.name = Some("Jana Nováková".to_owned());
    o.order_currency_code = Some("CZK".to_owned());
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_are_listed_streamed_and_read() {
    let sb = sandbox(35).await;
    let c = client(&sb, TOKEN);
    let mut q = OrderListQuery::default();
    q.per_page = Some(10);
    let page = c.orders().list(&q).await.unwrap();
    assert_eq!(page.orders.len(), 10);
    assert_eq!(page.paginator.and_then(|p| p.total), Some(35));

    let mut progress = Vec::new();
    let all: Vec<_> =
        c.orders().stream(q.clone(), |p| progress.push(p)).try_collect().await.unwrap();
    let mut ids: Vec<i64> = all.iter().filter_map(|o| o.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 35);
    assert_eq!(progress.len(), 4);
    assert_eq!(progress.last().map(|p| (p.page, p.pages, p.items_so_far)), Some((4, 4, 35)));
    // Without a page size the stream reads 250 a page: everything in one request.
    let whole: Vec<_> =
        c.orders().stream(OrderListQuery::default(), |_| {}).try_collect().await.unwrap();
    assert_eq!(whole.len(), 35);
    assert_eq!(counted(&sb, Some("GET /v1/System/Orders")).await, 1 + 4 + 1);

    let one = c.orders().get(ids[3]).await.unwrap();
    assert_eq!(one.id, Some(ids[3]));
    assert!(one.customer.as_ref().is_some_and(|e| e.full().is_some()), "expanded");
    let mut none = OrderListQuery::default();
    none.tracking = Some("NO-SUCH-PARCEL".to_owned());
    assert!(c.orders().list(&none).await.unwrap().orders.is_empty());
    let e = c.orders().get(999_999).await.unwrap_err();
    assert_eq!((e.code(), e.status()), ("NOT_FOUND", Some(404)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_is_created_and_its_status_payment_flags_tracking_and_history_set() {
    let sb = sandbox(0).await;
    let c = client(&sb, TOKEN);
    let id = c.orders().create(&new_order()).await.unwrap().id.unwrap();

    let statuses = c.statuses().list().await.unwrap();
    let processing = statuses.iter().find(|s| s.has_name("Vyřizuje se")).and_then(|s| s.id);
    let order = c.orders().set_status(id, &OrderStatusPatchRequest::new(3)).await.unwrap();
    assert_eq!(order.id, Some(id));
    assert_eq!(processing, Some(3));

    let mut paid = OrderPaidPatchRequest::default();
    (paid.paid, paid.status) = (Some(0_i64.into()), Some(PaymentResult::Success));
    assert!(c.orders().set_paid(id, &paid).await.unwrap().date_paid.is_some());

    let shippers = c.shippers().list().await.unwrap();
    let ppl = shippers.iter().find(|s| s.name.as_deref() == Some("PPL")).and_then(|s| s.id);
    let parcel = TrackingPostRequest::new(ppl.unwrap(), "PPL123456");
    assert!(c.orders().add_tracking(id, &parcel).await.unwrap().id.is_some());
    let e = c.orders().set_flag(id, OrderFlag::Delivered).await.unwrap_err();
    assert_eq!(e.code(), "UNPROCESSABLE", "delivered before sent: {e}");
    assert_eq!(c.orders().set_flag(id, OrderFlag::Sent).await.unwrap().sent, Some(true));
    let order = c.orders().set_flag(id, OrderFlag::Delivered).await.unwrap();
    assert_eq!(order.delivered, Some(true));
    assert_eq!(order.tracking_numbers(), ["PPL123456"]);

    let note = HistoryPostRequest::note("shopflow", Some("checked".to_owned()));
    assert!(c.orders().add_history(id, &note).await.unwrap().id.is_some());
    // Planned calls from rules go out the same way.
    let status = RetailysCall::Status(OrderStatusPatchRequest::new(4));
    let Ok(CallAnswer::Order(after)) = c.orders().call(id, &status).await else { panic!() };
    assert_eq!(after.id, Some(id));
    let again = RetailysCall::History(HistoryPostRequest::note("rule", None));
    assert!(matches!(c.orders().call(id, &again).await, Ok(CallAnswer::Created(_))));

    let kept = control(&sb, "GET", &format!("orders/{id}"), Value::Null).await;
    assert_eq!(kept["status_id"], 4);
    let names: Vec<&str> =
        kept["history"].as_array().unwrap().iter().filter_map(|h| h["name"].as_str()).collect();
    assert_eq!(names, ["shopflow", "rule"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_callbacks_are_subscribed_listed_and_deleted() {
    let sb = sandbox(0).await;
    let c = client(&sb, TOKEN);
    let mut sub = EventPostRequest::default();
    sub.event = Some(EventName::OrderNew);
    sub.path = Some("/hooks/retailys".to_owned());
    sub.method = Some(CallbackMethod::Post);
    sub.parameters = vec![EventParameter::new("order", "%orderId%")];
    let id = c.events().subscribe(&sub).await.unwrap().id.unwrap();
    let mine = c.events().list(Some("/hooks/retailys")).await.unwrap();
    assert_eq!(mine.iter().map(|e| e.id).collect::<Vec<_>>(), [Some(id)]);
    let read = c.events().get(id).await.unwrap();
    assert_eq!(read.parameters(), sub.parameters);
    c.events().delete(id).await.unwrap();
    assert!(c.events().list(None).await.unwrap().is_empty());
    assert_eq!(c.me().await.unwrap().id, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_sent_once_then_nothing_is_sent_until_reset() {
    let sb = sandbox(3).await;
    let wrong = "wrong-token-secret-42";
    let c = client(&sb, wrong);
    let e = c.orders().list(&OrderListQuery::default()).await.unwrap_err();
    assert!(e.is_credentials(), "{e}");
    assert_eq!(e.status(), Some(401));
    for later in [
        c.orders().get(1).await.map(|_| ()),
        c.statuses().list().await.map(|_| ()),
        c.orders().create(&new_order()).await.map(|_| ()),
        c.me().await.map(|_| ()),
    ] {
        let e = later.unwrap_err();
        assert!(e.is_credentials(), "{e}");
        assert!(e.to_string().contains("not sent"), "{e}");
        assert!(!e.to_string().contains(wrong) && !format!("{e:?}").contains(wrong));
    }
    assert_eq!(counted(&sb, None).await, 1);
    assert_eq!(c.requests_sent(), 1);
    assert!(c.refused().is_some_and(|r| r.code() == "UNAUTHORIZED"));
    assert!(!format!("{c:?}").contains(wrong));
    let builder = RetailysClient::builder(sb.base_url(), wrong);
    assert!(!format!("{builder:?}").contains(wrong));

    c.reset_credentials();
    assert!(c.me().await.unwrap_err().is_credentials());
    assert_eq!(counted(&sb, None).await, 2, "one more try after the reset");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out() {
    let sb = sandbox(0).await;
    control(&sb, "PUT", "config", json!({"rate_limit": {"per_second": 2}})).await;
    let c = client(&sb, TOKEN);
    for _ in 0..3 {
        c.me().await.unwrap();
    }
    // The third was refused once (Retry-After: 1) and sent again when the second was over.
    assert_eq!(counted(&sb, Some("GET /v1/System/Me")).await, 4);
    assert_eq!(c.requests_sent(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_quick_reads_are_paced_and_never_refused() {
    let sb = sandbox(0).await;
    let c = RetailysClient::builder(sb.base_url(), TOKEN).allow_local(true).build().unwrap();
    let reads: Vec<_> = (0..300)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.me().await })
        })
        .collect();
    for r in reads {
        r.await.unwrap().unwrap();
    }
    // A 429 would have been counted and answered by one more request.
    assert_eq!(counted(&sb, None).await, 300);
    assert_eq!(c.requests_sent(), 300);
}

/// A fault seed whose first request fails and whose second does not, at `error_rate`.
fn seed_failing_once(error_rate: f64) -> u64 {
    (1..1000)
        .find(|&seed| {
            let mut dice =
                FaultDice::new(FaultConfig { seed, error_rate, ..FaultConfig::default() });
            dice.roll().error.is_some() && dice.roll().error.is_none()
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_on_a_read_is_retried_and_a_create_is_never_resent() {
    let sb = sandbox(5).await;
    let c = client(&sb, TOKEN);
    let seed = seed_failing_once(0.5);
    control(&sb, "PUT", "config", json!({"faults": {"seed": seed, "error_rate": 0.5}})).await;
    assert_eq!(c.orders().list(&OrderListQuery::default()).await.unwrap().orders.len(), 5);
    assert_eq!(counted(&sb, Some("GET /v1/System/Orders")).await, 2, "a 503, then the answer");

    control(&sb, "PUT", "config", json!({"faults": {"error_rate": 1.0}})).await;
    control(&sb, "POST", "stats/reset", json!({})).await;
    let e = c.orders().list(&OrderListQuery::default()).await.unwrap_err();
    assert_eq!((e.code(), e.status()), ("SERVER", Some(503)));
    assert_eq!(counted(&sb, Some("GET /v1/System/Orders")).await, 3, "every attempt");
    let e = c.orders().create(&new_order()).await.unwrap_err();
    assert!(e.to_string().contains("not resent"), "{e}");
    assert_eq!(counted(&sb, Some("POST /v1/System/Orders")).await, 1);
}
