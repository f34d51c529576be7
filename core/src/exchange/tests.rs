//! The exchange with a fake clock and scripted answers: no HTTP.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::write::{BatchError, BatchWrite, Chunk};
use super::*;
use crate::batch::chunk;
use crate::http::RequestSpec;
use crate::retry::{OnRateLimit, RetryPolicy, StopReason};
use crate::upgates::message::ItemOutcome;
use crate::upgates::order::{
    CustomerWrite, NewOrder, Notify, OrderCreateRequest, OrderUpdate, OrderUpdateRequest,
    ProductWrite,
};
use crate::upgates::wire::{UpgatesWire, orders_updated};
use crate::upgates::{AllowLocal, BaseUrl, Credentials, UpgatesApi};
use crate::validation::Validate;

const BASE: &str = "https://beershop.admin.s24.upgates.com/api/v2";

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn api() -> UpgatesApi {
    UpgatesApi::new(BaseUrl::parse(BASE, AllowLocal::No).unwrap(), Credentials::new("u", "k"))
}

fn session(policy: RetryPolicy) -> Session<UpgatesWire> {
    Session::new(UpgatesWire::default(), BASE, ExchangeConfig { policy, ..Default::default() })
}

fn list() -> RequestSpec {
    api().list_orders(&Default::default()).unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn sent<E: std::fmt::Debug>(step: Step<E>) -> RequestSpec {
    match step {
        Step::Send(spec) => spec,
        other => panic!("expected a send, got {other:?}"),
    }
}

fn failed(step: Step<crate::upgates::ApiError>) -> CallError<crate::upgates::ApiError> {
    match step {
        Step::Failed(e) => e,
        other => panic!("expected a failure, got {other:?}"),
    }
}

const NOW: &str = "2026-11-23T10:00:00Z";

#[test]
fn a_refused_login_is_sent_once_and_locks_the_session_until_reset() {
    for status in [401, 403] {
        let mut s = session(RetryPolicy::default());
        let mut call = Call::new(list());
        sent(call.poll(&mut s, t(NOW), 0.5));
        call.answered(&mut s, status, vec![], br#"{"message":"no"}"#.to_vec(), t(NOW), 0.5);
        let e = failed(call.poll(&mut s, t(NOW), 0.5));
        assert_eq!(e.status(), Some(status));
        assert!(e.is_fatal());
        // Every later call fails without sending, however much later.
        let mut again = Call::new(list());
        let e = failed(again.poll(&mut s, t("2026-11-23T18:00:00Z"), 0.5));
        assert!(matches!(e, CallError::CredentialsRefused(_)), "{e}");
        assert_eq!(s.requests_sent(), 1);
        s.reset_credentials();
        let mut third = Call::new(list());
        sent(third.poll(&mut s, t(NOW), 0.5));
        assert_eq!(s.requests_sent(), 2);
    }
}

#[test]
fn a_429_waits_until_retry_after_given_as_a_gmt_date() {
    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    let h = headers(&[("Retry-After", "Mon, 23 Nov 2026 10:00:30 GMT")]);
    call.answered(&mut s, 429, h, vec![], t(NOW), 0.5);
    assert_eq!(call.poll(&mut s, t(NOW), 0.5), Step::Wait(t("2026-11-23T10:00:30Z")));
    assert_eq!(
        call.poll(&mut s, t("2026-11-23T10:00:29Z"), 0.5),
        Step::Wait(t("2026-11-23T10:00:30Z"))
    );
    sent(call.poll(&mut s, t("2026-11-23T10:00:30Z"), 0.5));
    call.answered(&mut s, 200, vec![], b"{}".to_vec(), t("2026-11-23T10:00:31Z"), 0.5);
    assert!(matches!(call.poll(&mut s, t("2026-11-23T10:00:31Z"), 0.5), Step::Done(_)));
}

#[test]
fn a_429_throws_when_configured_to() {
    let policy = RetryPolicy { on_rate_limit: OnRateLimit::Fail, ..RetryPolicy::default() };
    let mut s = session(policy);
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    let h = headers(&[("Retry-After", "2026-11-23T11:00:00+00:00")]);
    call.answered(&mut s, 429, h, vec![], t(NOW), 0.5);
    let e = failed(call.poll(&mut s, t(NOW), 0.5));
    assert_eq!(e.code(), "RATE_LIMITED");
    assert_eq!(e.retry_after(), Some(t("2026-11-23T11:00:00Z")));
    assert_eq!(s.requests_sent(), 1);
}

#[test]
fn a_spent_budget_waits_for_the_next_hour_or_fails_past_the_longest_wait() {
    let spent = headers(&[
        ("X-Rate-Limit-Hour", "10"),
        ("X-Rate-Limit-Hour-Remaining", "0"),
        ("X-Rate-Limit-Day-Remaining", "0"),
        ("X-Rate-Limit-Total-Remaining", "0"),
    ]);
    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t("2026-11-23T10:59:30Z"), 0.5));
    call.answered(&mut s, 200, spent.clone(), b"{}".to_vec(), t("2026-11-23T10:59:30Z"), 0.5);
    let mut next = Call::new(list());
    assert_eq!(
        next.poll(&mut s, t("2026-11-23T10:59:31Z"), 0.5),
        Step::Wait(t("2026-11-23T11:00:00Z"))
    );
    sent(next.poll(&mut s, t("2026-11-23T11:00:00Z"), 0.5));

    let short = RetryPolicy {
        on_rate_limit: OnRateLimit::Wait { max_wait: Duration::from_secs(5) },
        ..RetryPolicy::default()
    };
    let mut s = session(short);
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t("2026-11-23T10:30:00Z"), 0.5));
    call.answered(&mut s, 200, spent, b"{}".to_vec(), t("2026-11-23T10:30:00Z"), 0.5);
    let e = failed(Call::new(list()).poll(&mut s, t("2026-11-23T10:30:01Z"), 0.5));
    assert!(matches!(e, CallError::BudgetSpent { .. }), "{e}");
    assert_eq!(e.retry_after(), Some(t("2026-11-23T11:00:00Z")));
}

#[test]
fn a_send_the_shared_budget_refuses_gives_its_slot_back_and_waits_or_fails() {
    let mut s = Session::new(
        UpgatesWire::default(),
        BASE,
        ExchangeConfig { max_in_flight: 1, ..Default::default() },
    );
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    call.not_sent(&mut s, t("2026-11-23T10:00:20Z"), t(NOW));
    assert_eq!((s.in_flight(), s.requests_sent(), call.attempts()), (0, 0, 0));
    // The slot is free for another call while this one waits.
    sent(Call::new(list()).poll(&mut s, t(NOW), 0.5));
    assert_eq!(call.poll(&mut s, t(NOW), 0.5), Step::Wait(t("2026-11-23T10:00:20Z")));

    let fail = RetryPolicy { on_rate_limit: OnRateLimit::Fail, ..RetryPolicy::default() };
    let mut s = session(fail);
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    call.not_sent(&mut s, t("2026-11-23T11:00:00Z"), t(NOW));
    let e = failed(call.poll(&mut s, t(NOW), 0.5));
    assert_eq!(e.retry_after(), Some(t("2026-11-23T11:00:00Z")));
    assert_eq!(s.in_flight(), 0);
}

#[test]
fn the_figures_an_answer_reported_are_handed_on_once() {
    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    let h = headers(&[("X-Rate-Limit-Hour", "10"), ("X-Rate-Limit-Hour-Remaining", "7")]);
    call.answered(&mut s, 200, h, b"{}".to_vec(), t(NOW), 0.5);
    assert_eq!(s.take_report().and_then(|b| b.hour_remaining), Some(7));
    assert_eq!(s.take_report(), None);
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.5));
    call.no_answer(&mut s, "timed out".to_owned(), t(NOW), 0.5);
    assert_eq!(s.take_report(), None);
}

#[test]
fn server_errors_are_retried_with_backoff_only_when_resending_is_safe() {
    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.0));
    call.answered(&mut s, 503, vec![], vec![], t(NOW), 0.0);
    // Backoff 500 ms with equal jitter 0: 250 ms.
    assert_eq!(call.poll(&mut s, t(NOW), 0.0), Step::Wait(t("2026-11-23T10:00:00.250Z")));
    sent(call.poll(&mut s, t("2026-11-23T10:00:00.250Z"), 0.0));
    call.no_answer(&mut s, "connection reset".into(), t("2026-11-23T10:00:01Z"), 0.0);
    assert!(matches!(call.poll(&mut s, t("2026-11-23T10:00:01Z"), 0.0), Step::Wait(_)));

    let history = api()
        .add_order_history("1", &crate::upgates::order::HistoryAddRequest::note("a", "b"))
        .unwrap();
    let mut note = Call::new(history);
    sent(note.poll(&mut s, t(NOW), 0.0));
    note.answered(&mut s, 500, vec![], vec![], t(NOW), 0.0);
    let e = failed(note.poll(&mut s, t(NOW), 0.0));
    assert!(matches!(e, CallError::Api { reason: StopReason::UnsafeToResend, .. }), "{e}");
    assert!(e.to_string().contains("not resent"), "{e}");
    // Every attempt is counted by how it ended, the one without an answer too.
    let answers: Vec<_> = s.answers().iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(answers, [(None, 1), (Some(500), 1), (Some(503), 1)]);
    assert_eq!(s.requests_sent(), 3);
}

fn new_order(ext: &str) -> NewOrder {
    let mut o = NewOrder::new(
        "cs",
        CustomerWrite::with_email("a@b.cz"),
        vec![ProductWrite::new("Mug", 1_i64.into(), 100_i64.into(), 21_i64.into())],
    );
    o.external_order_number = Some(ext.to_owned());
    o
}

#[test]
fn a_create_whose_answer_was_lost_is_looked_up_and_only_the_rest_resent() {
    let mut s = session(RetryPolicy::default());
    let req = OrderCreateRequest::new(Notify::NONE, vec![new_order("E1"), new_order("E2")]);
    let mut call = Call::new(api().create_orders(&req).unwrap());
    sent(call.poll(&mut s, t(NOW), 0.0));
    call.no_answer(&mut s, "reset".into(), t(NOW), 0.0);
    let at = t("2026-11-23T10:00:00.250Z");
    assert_eq!(call.poll(&mut s, t(NOW), 0.0), Step::Wait(at));
    let look1 = sent(call.poll(&mut s, at, 0.0));
    assert_eq!(look1.url(), format!("{BASE}/orders?external_order_number=E1"));
    call.answered(
        &mut s,
        200,
        vec![],
        br#"{"orders":[{"order_number":"2026001","external_order_number":"E1"}]}"#.to_vec(),
        at,
        0.0,
    );
    let look2 = sent(call.poll(&mut s, at, 0.0));
    assert_eq!(look2.query[0].1, "E2");
    call.answered(&mut s, 200, vec![], br#"{"orders":[]}"#.to_vec(), at, 0.0);
    let resend = sent(call.poll(&mut s, at, 0.0));
    let body = resend.body.unwrap();
    assert!(body.contains("E2") && !body.contains("E1"), "{body}");
    call.answered(
        &mut s,
        200,
        vec![],
        br#"{"orders":[{"external_order_number":"E2","order_number":"2026002","created_yn":true}]}"#
            .to_vec(),
        at,
        0.0,
    );
    let Step::Done(answer) = call.poll(&mut s, at, 0.0) else { panic!() };
    let merged: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(merged["orders"][0]["order_number"], "2026001");
    assert_eq!(merged["orders"][1]["order_number"], "2026002");
    assert_eq!(s.requests_sent(), 4, "create, two lookups, the rest");
}

#[test]
fn relocation_is_followed_only_to_an_allowed_api_address() {
    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.0));
    let moved = br#"{"api_url":"https://newshop.admin.s5.upgates.com/api/v2"}"#.to_vec();
    call.answered(&mut s, 301, vec![], moved, t(NOW), 0.0);
    let again = sent(call.poll(&mut s, t(NOW), 0.0));
    assert_eq!(again.base_url, "https://newshop.admin.s5.upgates.com/api/v2");
    assert_eq!(s.take_relocation().as_deref(), Some("https://newshop.admin.s5.upgates.com/api/v2"));
    assert_eq!(s.take_relocation(), None);

    let mut s = session(RetryPolicy::default());
    let mut call = Call::new(list());
    sent(call.poll(&mut s, t(NOW), 0.0));
    let evil = br#"{"api_url":"https://evil.example.com/api/v2"}"#.to_vec();
    call.answered(&mut s, 301, vec![], evil, t(NOW), 0.0);
    let e = failed(call.poll(&mut s, t(NOW), 0.0));
    assert_eq!(e.code(), "RELOCATED");
    assert_eq!(s.base_url(), BASE);
    assert_eq!(s.requests_sent(), 1);
}

#[test]
fn at_most_three_requests_are_in_flight() {
    let mut s = session(RetryPolicy::default());
    let mut calls: Vec<Call<UpgatesWire>> = (0..4).map(|_| Call::new(list())).collect();
    for c in calls.iter_mut().take(3) {
        sent(c.poll(&mut s, t(NOW), 0.0));
    }
    assert_eq!(calls[3].poll(&mut s, t(NOW), 0.0), Step::Blocked);
    calls[0].answered(&mut s, 200, vec![], b"{}".to_vec(), t(NOW), 0.0);
    sent(calls[3].poll(&mut s, t(NOW), 0.0));
    assert_eq!(s.in_flight(), 3);
}

fn update_chunks(
    n: usize,
    bad: Option<usize>,
) -> Vec<(usize, Result<Chunk, crate::validation::Problems>)> {
    let orders: Vec<OrderUpdate> = (0..n)
        .map(|i| {
            let mut u =
                OrderUpdate::new(if Some(i) == bad { String::new() } else { format!("N{i}") });
            u.status_id = Some(3);
            u
        })
        .collect();
    let req = OrderUpdateRequest::new(Notify::NONE, orders);
    chunk(&req, 100)
        .into_iter()
        .map(|c| {
            let keys = c.request.orders.iter().map(|o| o.order_number.clone()).collect();
            let built = c.request.validate().and_then(|()| {
                api().update_orders(&c.request).map_err(|e| match e {
                    crate::upgates::BuildError::Invalid(p) => p,
                    other => panic!("{other}"),
                })
            });
            (c.offset, built.map(|spec| Chunk { offset: c.offset, spec, keys }))
        })
        .collect()
}

#[test]
fn a_batch_is_validated_whole_before_anything_is_sent() {
    let e = BatchWrite::<UpgatesWire, ItemOutcome>::new(
        250,
        "orders",
        update_chunks(250, Some(120)),
        orders_updated,
    )
    .unwrap_err();
    assert_eq!(e.0[0].record, Some(120));
    assert!(e.0[0].path.starts_with("orders[120]"), "{}", e.0[0].path);
}

#[test]
fn a_batch_stops_sending_chunks_after_a_fatal_answer() {
    let mut s = session(RetryPolicy::default());
    let mut w = BatchWrite::<UpgatesWire, ItemOutcome>::new(
        250,
        "orders",
        update_chunks(250, None),
        orders_updated,
    )
    .unwrap();
    let (id, mut call) = w.next_chunk().unwrap();
    sent(call.poll(&mut s, t(NOW), 0.0));
    call.answered(&mut s, 401, vec![], vec![], t(NOW), 0.0);
    let Step::Failed(e) = call.poll(&mut s, t(NOW), 0.0) else { panic!() };
    w.chunk_done(id, Err(e));
    assert!(w.next_chunk().is_none(), "no chunk after a refused login");
    assert!(w.is_done());
    let Err(BatchError::Call { error, results }) = w.finish() else { panic!() };
    assert_eq!(error.code(), "UNAUTHORIZED");
    assert_eq!(results.len(), 250);
    assert!(results.iter().all(|r| !r.ok && r.error.as_deref() == Some("UNAUTHORIZED")));
    assert!(results[200].messages[0].message.starts_with("not sent"));
}

#[test]
fn a_batch_lines_up_every_item_and_reports_refused_ones() {
    let mut s = session(RetryPolicy::default());
    let mut w = BatchWrite::<UpgatesWire, ItemOutcome>::new(
        150,
        "orders",
        update_chunks(150, None),
        orders_updated,
    )
    .unwrap();
    while let Some((id, mut call)) = w.next_chunk() {
        let spec = sent(call.poll(&mut s, t(NOW), 0.0));
        let req: serde_json::Value = serde_json::from_str(spec.body.as_deref().unwrap()).unwrap();
        let results: Vec<serde_json::Value> = req["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let n = o["order_number"].as_str().unwrap();
                serde_json::json!({"order_number": n, "updated": n != "N120"})
            })
            .collect();
        let body = serde_json::to_vec(&serde_json::json!({ "orders": results })).unwrap();
        call.answered(&mut s, 200, vec![], body, t(NOW), 0.0);
        let Step::Done(a) = call.poll(&mut s, t(NOW), 0.0) else { panic!() };
        w.chunk_done(id, Ok(a));
    }
    assert!(w.is_done());
    let Err(BatchError::ItemsFailed(results)) = w.finish() else { panic!() };
    assert_eq!(results.iter().filter(|r| !r.ok).map(|r| r.index).collect::<Vec<_>>(), vec![120]);
    assert!(results.iter().enumerate().all(|(i, r)| r.index == i));
}

fn paced(policy: RetryPolicy, per_second: u32) -> Session<UpgatesWire> {
    let config = ExchangeConfig { policy, per_second: Some(per_second), ..Default::default() };
    Session::new(UpgatesWire::default(), BASE, config)
}

/// Sends one list call at `at` and answers it at once.
fn send_and_answer<W: Wire>(s: &mut Session<W>, spec: RequestSpec, at: DateTime<Utc>) {
    let mut call = Call::new(spec);
    sent(call.poll(s, at, 0.0));
    call.answered(s, 200, vec![], b"{}".to_vec(), at, 0.0);
}

#[test]
fn at_most_per_second_sends_leave_in_any_window() {
    let mut s = paced(RetryPolicy::default(), 2);
    send_and_answer(&mut s, list(), t(NOW));
    send_and_answer(&mut s, list(), t("2026-11-23T10:00:00.500Z"));
    // The window slides with the sends (it is no clock second), and is a little longer than
    // a second so that arrivals at the server stay within the limit too.
    let (first_free, second_free) = (t("2026-11-23T10:00:01.100Z"), t("2026-11-23T10:00:01.600Z"));
    let mut third = Call::new(list());
    assert_eq!(third.poll(&mut s, t("2026-11-23T10:00:00.600Z"), 0.0), Step::Wait(first_free));
    assert_eq!(third.poll(&mut s, t("2026-11-23T10:00:01Z"), 0.0), Step::Wait(first_free));
    sent(third.poll(&mut s, first_free, 0.0));
    let mut fourth = Call::new(list());
    assert_eq!(fourth.poll(&mut s, first_free, 0.0), Step::Wait(second_free));
    sent(fourth.poll(&mut s, second_free, 0.0));
    assert_eq!(s.requests_sent(), 4);
}

#[test]
fn the_pace_is_waited_out_even_by_a_policy_that_fails_on_rate_limits() {
    let policy = RetryPolicy { on_rate_limit: OnRateLimit::Fail, ..RetryPolicy::default() };
    let mut s = paced(policy, 1);
    send_and_answer(&mut s, list(), t(NOW));
    let mut next = Call::new(list());
    assert_eq!(next.poll(&mut s, t(NOW), 0.0), Step::Wait(t("2026-11-23T10:00:01.100Z")));
    // Without a per-second limit nothing waits.
    let mut free = session(RetryPolicy::default());
    for _ in 0..500 {
        send_and_answer(&mut free, list(), t(NOW));
    }
    assert_eq!(free.requests_sent(), 500);
}

#[test]
fn retailys_is_paced_to_its_hundred_requests_a_second() {
    use crate::retailys::api::RetailysApi;
    use crate::retailys::{REQUESTS_PER_SECOND, RetailysWire, Token};
    let base = crate::retailys::BaseUrl::production();
    let api = RetailysApi::new(base.clone(), Token::new("t"));
    let config =
        ExchangeConfig { per_second: Some(REQUESTS_PER_SECOND), ..ExchangeConfig::default() };
    let mut s = Session::new(RetailysWire, base.as_str(), config);
    for _ in 0..REQUESTS_PER_SECOND {
        send_and_answer(&mut s, api.me(), t(NOW));
    }
    let mut over = Call::new(api.me());
    assert_eq!(over.poll(&mut s, t(NOW), 0.0), Step::Wait(t("2026-11-23T10:00:01.100Z")));
    assert_eq!(s.requests_sent(), u64::from(REQUESTS_PER_SECOND));
}
