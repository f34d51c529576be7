//! Every limit and every fault, over HTTP.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use serde_json::json;
use shopflow_core::retry::{Outcome, parse_retry_after};
use shopflow_core::upgates::response::{ApiError, classify, error_for, rate_budget};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_is_reported_spent_hour_first_and_then_429_with_a_gmt_retry_after() {
    let sb = sandbox().await;
    sb.http.config(json!({"rate_limit": {"enabled": true, "hour": 2, "day": 1}})).await;
    let first = sb.http.get("/api/v2/orders").await;
    let b = rate_budget(&first.view(), Utc::now());
    assert_eq!(
        (b.hour_limit, b.day_limit, b.hour_remaining, b.day_remaining, b.total_remaining),
        (Some(2), Some(1), Some(1), Some(1), Some(2))
    );
    sb.http.get("/api/v2/orders").await;
    let third = sb.http.get("/api/v2/orders").await;
    assert_eq!((third.status, third.header("x-rate-limit-total-remaining")), (200, Some("0")));
    let limited = sb.http.get("/api/v2/orders").await;
    assert_eq!(limited.status, 429);
    let retry_after = limited.header("retry-after").expect("Retry-After on 429");
    assert!(retry_after.ends_with(" GMT"), "{retry_after}");
    let at = parse_retry_after(retry_after, Utc::now()).unwrap();
    assert!(at > Utc::now() && at <= Utc::now() + chrono::Duration::hours(1));
    match error_for(&limited.view(), Utc::now()) {
        Some(ApiError::RateLimited { retry_after: Some(t), budget }) => {
            assert_eq!(t, at);
            assert_eq!(budget.total_remaining, Some(0));
        }
        other => panic!("{other:?}"),
    }
    let stats = sb.http.stats().await;
    assert_eq!(
        (stats["requests_total"].as_u64(), stats["refused_over_budget"].as_u64()),
        (Some(4), Some(1))
    );
    // Limits off: no headers, no 429.
    sb.http.config(json!({"rate_limit": {"enabled": false}})).await;
    let free = sb.http.get("/api/v2/orders").await;
    assert_eq!(free.status, 200);
    assert!(free.header("x-rate-limit-hour").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn more_than_three_at_once_is_429() {
    let sb = sandbox().await;
    // Every request is slow, so five sent together overlap.
    sb.http.config(json!({"faults": {"slow_rate": 1.0, "slow_ms": 1000}})).await;
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let h = sb.http.clone();
            tokio::spawn(async move { h.get("/api/v2/status").await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for c in calls {
        statuses.push(c.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 200, 200, 429, 429], "the cap is 3");
    assert_eq!(sb.http.stats().await["refused_over_budget"], 0, "not for the budget");
    sb.http.config(json!({"concurrency": null})).await;
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let h = sb.http.clone();
            tokio::spawn(async move { h.get("/api/v2/status").await.status })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_hundred_items_is_413_and_nothing_is_processed() {
    let sb = sandbox().await;
    let orders: Vec<_> = (0..101).map(|i| new_order("a@example.cz", &format!("E{i}"))).collect();
    let r = sb
        .http
        .post(
            "/api/v2/orders",
            &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": orders}),
        )
        .await;
    assert_eq!(r.status, 413);
    assert!(matches!(error_for(&r.view(), Utc::now()), Some(ApiError::PayloadTooLarge)));
    let list = sb.http.get("/api/v2/orders").await.json();
    assert_eq!(list["number_of_items"], 0, "nothing was created");
    let customers: Vec<_> = (0..101).map(|i| json!({"type": "contact", "language": "cs", "login": {"email": format!("c{i}@example.cz")}})).collect();
    assert_eq!(
        sb.http.post("/api/v2/customers", &json!({"customers": customers})).await.status,
        413
    );
    let ok: Vec<_> = (0..100).map(|i| new_order("a@example.cz", &format!("E{i}"))).collect();
    assert_eq!(
        sb.http
            .post(
                "/api/v2/orders",
                &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": ok})
            )
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_bad_logins_lock_the_address_even_for_the_right_key() {
    let sb = sandbox().await;
    let wrong = Http::new(&sb.http.origin, LOGIN, "wrong");
    for _ in 0..5 {
        let r = wrong.get("/api/v2/orders").await;
        assert_eq!(r.status, 401);
        assert_eq!(classify(&r.view(), Utc::now()), Outcome::Permanent, "401 is never retried");
    }
    let locked = sb.http.get("/api/v2/orders").await;
    assert_eq!(locked.status, 403);
    assert!(matches!(error_for(&locked.view(), Utc::now()), Some(ApiError::Forbidden { .. })));
    let no_auth = sb.http.try_send("GET", "/__sandbox/stats", None, &[]).await.unwrap();
    assert_eq!(no_auth.status, 200, "the control API is not locked");
    sb.http.config(json!({"bad_logins": {"limit": 10}})).await;
    assert_eq!(sb.http.get("/api/v2/orders").await.status, 200, "changing the lockout clears it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relocation_answers_301_with_the_new_url_in_the_body() {
    let sb = sandbox().await;
    sb.http.config(json!({"relocate_to": "https://moved.admin.s99.upgates.com/api/v2"})).await;
    let r = sb.http.get("/api/v2/orders").await;
    assert_eq!(r.status, 301);
    assert!(r.header("location").is_none(), "Upgates sends no Location header");
    assert_eq!(
        classify(&r.view(), Utc::now()),
        Outcome::Relocated("https://moved.admin.s99.upgates.com/api/v2".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_errors_are_reproducible_from_the_seed() {
    let sb = sandbox().await;
    let run = |seed: u64| {
        let http = sb.http.clone();
        async move {
            http.config(json!({"faults": {"seed": seed, "error_rate": 0.4, "error_status": 502}}))
                .await;
            let mut statuses = Vec::new();
            for _ in 0..30 {
                statuses.push(http.get("/api/v2/status").await.status);
            }
            statuses
        }
    };
    let a = run(7).await;
    let b = run(7).await;
    let c = run(8).await;
    assert_eq!(a, b, "same seed, same failures");
    assert_ne!(a, c);
    assert!(a.contains(&502) && a.contains(&200));
    let r = sb.http.get("/api/v2/status").await;
    if r.status == 502 {
        assert_eq!(classify(&r.view(), Utc::now()), Outcome::Transient);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_responses_and_dropped_connections() {
    let sb = sandbox().await;
    sb.http.config(json!({"faults": {"slow_rate": 1.0, "slow_ms": 300}})).await;
    let t = Instant::now();
    assert_eq!(sb.http.get("/api/v2/status").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    sb.http.config(json!({"faults": {"slow_rate": 0.0, "drop_rate": 1.0}})).await;
    let dropped = sb.http.try_send("GET", "/api/v2/status", None, &[]).await;
    let err = dropped.expect_err("the connection closes without an answer");
    assert!(
        err.contains("IncompleteMessage") || err.contains("closed") || err.contains("Canceled"),
        "{err}"
    );
    sb.http.config(json!({"faults": {"drop_rate": 0.0}})).await;
    assert_eq!(sb.http.get("/api/v2/status").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_lets_the_playground_send_credentials_and_read_the_budget() {
    let mut cfg = config();
    cfg.cors_origin = "http://127.0.0.1:5173".to_owned();
    let sb = sandbox_with(cfg).await;
    let pre = sb
        .http
        .try_send(
            "OPTIONS",
            "/api/v2/orders",
            None,
            &[
                ("Origin", "http://127.0.0.1:5173"),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(pre.header("access-control-allow-origin"), Some("http://127.0.0.1:5173"));
    assert!(pre.header("access-control-allow-headers").unwrap().contains("authorization"));
    let r = sb
        .http
        .try_send("GET", "/api/v2/orders", None, &[("Origin", "http://127.0.0.1:5173")])
        .await
        .unwrap();
    assert!(
        r.header("access-control-expose-headers").unwrap().contains("x-rate-limit-total-remaining")
    );
    let other = sb
        .http
        .try_send("GET", "/api/v2/orders", None, &[("Origin", "http://evil.example")])
        .await
        .unwrap();
    // The configured origin is always the answer; a browser on another origin is refused.
    assert_eq!(other.header("access-control-allow-origin"), Some("http://127.0.0.1:5173"));
    assert_eq!(sb.http.stats().await["requests_total"], 2, "preflights are not API requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_every_request_by_endpoint_template() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 2).await;
    sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await;
    sb.http.get(&format!("/api/v2/orders/{}", numbers[1])).await;
    Http::new(&sb.http.origin, LOGIN, "bad").get("/api/v2/orders").await;
    let s = sb.http.stats().await;
    assert_eq!(s["requests_total"], 4);
    assert_eq!(s["requests_by_endpoint"]["POST /api/v2/orders"], 1);
    assert_eq!(s["requests_by_endpoint"]["GET /api/v2/orders/{order_number}"], 2);
    assert_eq!(s["requests_by_endpoint"]["GET /api/v2/orders"], 1, "a refused login still counts");
    sb.http.post("/__sandbox/stats/reset", &json!({})).await;
    assert_eq!(sb.http.stats().await["requests_total"], 0);
}
