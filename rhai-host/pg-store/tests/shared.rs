//! The store against a real PostgreSQL (tools/testdb: initdb in a temporary folder, on
//! 127.0.0.1, stopped by PID), with two pools standing for two instances of the service.

use std::sync::Arc;
use std::time::Duration;

use shopflow_core::rate_limit::RateBudget;
use shopflow_core::shared_budget::Reservation;
use shopflow_pg_store::{PgStore, Received, RunRow, StoreError};
use shopflow_testdb::TestPostgres;

/// A fresh server and two "instances" (pools) on its database.
async fn two_instances() -> (TestPostgres, PgStore, PgStore) {
    let pg = TestPostgres::start().expect("PostgreSQL starts (scripts/test installs it)");
    let url = pg.url();
    let a = PgStore::connect(&url, 8).await.expect("instance a connects and migrates");
    let b = PgStore::connect(&url, 8).await.expect("instance b connects (migrations done)");
    (pg, a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resent_delivery_is_stored_once_whichever_instance_gets_it() {
    let (_pg, a, b) = two_instances().await;
    let body = br#"{"project_name":"x","orders":[{"order_number":"2026000001"}]}"#;
    // The same delivery reaching both instances at the same moment.
    let (first, second) = tokio::join!(
        a.receive("shop-1", "Orders.create", body),
        b.receive("shop-1", "Orders.create", body)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.id(), second.id());
    assert!(matches!(
        (first, second),
        (Received::New(_), Received::Again(_)) | (Received::Again(_), Received::New(_))
    ));
    // Another shop's identical body, or another event, is another delivery.
    assert!(matches!(a.receive("shop-2", "Orders.create", body).await.unwrap(), Received::New(_)));
    assert!(matches!(a.receive("shop-1", "Orders.update", body).await.unwrap(), Received::New(_)));
    assert_eq!(a.queued("shop-1").await.unwrap(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_of_many_shops_arriving_together_are_each_stored_once() {
    let (_pg, a, b) = two_instances().await;
    let body = |shop: usize, n: usize| format!(r#"{{"shop":{shop},"n":{n}}}"#).into_bytes();
    // 40 shops, three deliveries each in turn, all asked at once of one instance; shop 1's
    // second delivery also comes twice more, once to each instance.
    let mut asks = Vec::new();
    for n in 0..3 {
        for shop in 1..=40 {
            let (store, name, bytes) = (a.clone(), format!("shop-{shop}"), body(shop, n));
            asks.push(tokio::spawn(async move {
                let id = store.receive(&name, "Orders.create", &bytes).await.unwrap();
                (name, n, id)
            }));
        }
    }
    let again = [a.clone(), b.clone()].map(|store| {
        tokio::spawn(async move { store.receive("shop-1", "Orders.create", &body(1, 1)).await })
    });
    let mut got = Vec::new();
    for ask in asks {
        got.push(ask.await.unwrap());
    }
    // The three of shop 1's second delivery: one stored it, whichever came first, and the
    // others were given its id.
    let mut thrice = vec![got.iter().find(|(s, n, _)| s == "shop-1" && *n == 1).unwrap().2];
    for resent in again {
        thrice.push(resent.await.unwrap().unwrap());
    }
    let stored = thrice.iter().filter(|r| matches!(r, Received::New(_))).count();
    assert_eq!(stored, 1, "stored once: {thrice:?}");
    assert!(thrice.iter().all(|r| r.id() == thrice[0].id()), "{thrice:?}");
    let others = got.iter().filter(|(s, n, _)| !(s == "shop-1" && *n == 1));
    assert!(others.clone().all(|(_, _, r)| matches!(r, Received::New(_))), "{got:?}");
    for shop in 1..=40 {
        let name = format!("shop-{shop}");
        assert_eq!(a.queued(&name).await.unwrap(), 3, "{name}");
    }
    let mut ids: Vec<i64> = got.iter().map(|(_, _, r)| r.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 120, "one id each");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_holder_per_shop_and_a_dead_holders_shop_is_taken_over_and_fenced() {
    let (_pg, a, b) = two_instances().await;
    let ttl = Duration::from_millis(400);
    let id = a.receive("shop-1", "Orders.create", b"{}").await.unwrap().id();
    let held = a.acquire("shop-1", "instance-a", ttl).await.unwrap().expect("free: a takes it");
    assert!(b.acquire("shop-1", "instance-b", ttl).await.unwrap().is_none(), "a holds it");
    // Another shop is free for b at the same time.
    assert!(b.acquire("shop-2", "instance-b", ttl).await.unwrap().is_some());
    let renewed = a.renew(&held, ttl).await.unwrap();
    assert_eq!(renewed.epoch, held.epoch);
    assert_eq!(a.pending(&renewed, 0, &[], 10).await.unwrap().len(), 1);

    // a stops renewing (killed, or paused): once the lease lapses, b takes the shop over.
    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let taken = b.acquire("shop-1", "instance-b", ttl).await.unwrap().expect("lapsed: b takes it");
    assert!(taken.epoch > held.epoch);
    // a, back, can neither renew nor finish what b now owns.
    assert!(matches!(a.renew(&renewed, ttl).await, Err(StoreError::LeaseLost { .. })));
    assert!(matches!(a.finish(&renewed, &[id]).await, Err(StoreError::LeaseLost { .. })));
    assert_eq!(b.queued("shop-1").await.unwrap(), 1, "a finished nothing");
    // b finishes it once; finishing again changes nothing.
    let pending = b.pending(&taken, 0, &[], 10).await.unwrap();
    assert_eq!(pending.iter().map(|d| d.id).collect::<Vec<_>>(), [id]);
    assert_eq!(b.finish(&taken, &[id]).await.unwrap(), 1);
    assert_eq!(b.finish(&taken, &[id]).await.unwrap(), 0);
    assert_eq!(b.queued("shop-1").await.unwrap(), 0);
    // A clean stop releases the lease at once.
    b.release(&taken).await.unwrap();
    let next = a.acquire("shop-1", "instance-a", ttl).await.unwrap().expect("released: free");
    assert!(next.epoch > taken.epoch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_records_are_written_under_the_lease_and_replayed_in_order() {
    let (_pg, a, b) = two_instances().await;
    let ttl = Duration::from_millis(400);
    let first = a.receive("shop-1", "Orders.create", b"1").await.unwrap().id();
    let second = a.receive("shop-1", "Orders.create", b"2").await.unwrap().id();
    let held = a.acquire("shop-1", "instance-a", ttl).await.unwrap().expect("free");
    let records = ["r1".to_owned(), "r2".to_owned(), "r3".to_owned()];
    assert_eq!(a.commit(&held, &records, &[first]).await.unwrap(), 1);
    assert_eq!(a.commit(&held, &["r4".to_owned()], &[]).await.unwrap(), 0);
    let after = a.pending(&held, 0, &[], 10).await.unwrap();
    assert_eq!(after.iter().map(|d| d.id).collect::<Vec<_>>(), [second]);
    assert!(a.pending(&held, second, &[], 10).await.unwrap().is_empty(), "nothing after the last");
    assert!(a.pending(&held, 0, &[second], 10).await.unwrap().is_empty(), "nothing but what a has");

    // The lease lapses and b takes over: a's late write is refused whole, records and all.
    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let taken = b.acquire("shop-1", "instance-b", ttl).await.unwrap().expect("lapsed");
    let late = a.commit(&held, &["late".to_owned()], &[second]).await;
    assert!(matches!(late, Err(StoreError::LeaseLost { .. })));
    assert_eq!(b.records(&taken).await.unwrap(), ["r1", "r2", "r3", "r4"]);
    assert_eq!(b.queued("shop-1").await.unwrap(), 1, "the late finish did not count");
    assert!(matches!(a.records(&held).await, Err(StoreError::LeaseLost { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_ten_requests_an_hour_two_instances_take_exactly_ten() {
    let (_pg, a, b) = two_instances().await;
    // The first request goes alone (nothing is known yet); its answer tells the budget.
    let Reservation::Send(first) = a.reserve("shop-1", &[]).await.unwrap() else { panic!("first") };
    assert!(matches!(b.reserve("shop-1", &[]).await.unwrap(), Reservation::WaitUntil(_)));
    let now = chrono::Utc::now();
    let figures = RateBudget {
        hour_limit: Some(10),
        day_limit: Some(0),
        hour_remaining: Some(10),
        day_remaining: Some(0),
        total_remaining: Some(10),
        observed_at: Some(now),
    };
    b.report("shop-1", &[(first, Some(figures))]).await.unwrap();
    let (a, b) = (Arc::new(a), Arc::new(b));
    // 40 requests asked for at once, 20 through each instance.
    let mut asks = Vec::new();
    for i in 0..40 {
        let store = if i % 2 == 0 { Arc::clone(&a) } else { Arc::clone(&b) };
        asks.push(tokio::spawn(async move { store.reserve("shop-1", &[]).await }));
    }
    let mut granted = Vec::new();
    for ask in asks {
        if let Reservation::Send(n) = ask.await.unwrap().unwrap() {
            granted.push(n);
        }
    }
    granted.sort_unstable();
    // The clock hour may have turned during the test (then the hour is full again): only
    // a run within one hour is checked exactly.
    if chrono::Timelike::hour(&chrono::Utc::now()) == chrono::Timelike::hour(&now) {
        assert_eq!(granted, (2..=11).collect::<Vec<u64>>(), "each request once, 10 in the hour");
    }
    assert_eq!(a.budget("shop-1").await.unwrap().sends, 1 + granted.len() as u64);
    // Another shop's budget is its own.
    assert_eq!(b.reserve("shop-2", &[]).await.unwrap(), Reservation::Send(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announced_delivery_wakes_the_other_instance() {
    let (_pg, a, b) = two_instances().await;
    let mut heard = b.listen().await.unwrap();
    let body = br#"{"project_name":"x","orders":[{"order_number":"2026000001"}]}"#;
    let both: [(&str, &[u8]); 2] = [("Orders.create", body), ("Orders.update", body)];
    let stored = a.receive_many("shop-1", &both).await.unwrap();
    assert!(matches!(stored[..], [Received::New(_), Received::New(_)]), "{stored:?}");
    a.announce("shop-1").await.unwrap();
    a.announce("shop-2").await.unwrap();
    let within = Duration::from_secs(5);
    let first = tokio::time::timeout(within, heard.next_shop()).await.unwrap().unwrap();
    let second = tokio::time::timeout(within, heard.next_shop()).await.unwrap().unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("shop-1", "shop-2"));
    let more = tokio::time::timeout(Duration::from_millis(300), heard.next_shop()).await;
    assert!(more.is_err(), "more was announced: {more:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rounds_of_many_leases_take_each_shop_once_and_renew_only_what_is_held() {
    let (_pg, a, b) = two_instances().await;
    let ttl = Duration::from_millis(600);
    let shops: Vec<String> = (1..=50).map(|k| format!("shop-{k}")).collect();
    // Both instances ask for all 50 at once: each shop goes to one of them.
    let (got_a, got_b) = tokio::join!(
        a.acquire_many(&shops, "instance-a", ttl, usize::MAX),
        b.acquire_many(&shops, "instance-b", ttl, usize::MAX)
    );
    let (got_a, got_b) = (got_a.unwrap(), got_b.unwrap());
    let mut all: Vec<&str> = got_a.iter().chain(&got_b).map(|l| l.shop.as_str()).collect();
    all.sort_unstable();
    let mut want: Vec<&str> = shops.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(all, want, "each shop held once");
    // a renews its own; b's, named with a's holder, are not a's to renew.
    let renewed = a.renew_many(&got_a, "instance-a", ttl).await.unwrap();
    assert_eq!(renewed.len(), got_a.len());
    assert!(a.renew_many(&got_b, "instance-a", ttl).await.unwrap().is_empty());
    // b stops renewing: after the TTL a takes b's shops, at the next epoch, and b's round
    // of renewals finds nothing left.
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    let taken = a.acquire_many(&shops, "instance-a", ttl, usize::MAX).await.unwrap();
    assert_eq!(taken.len(), 50);
    for lease in got_b.iter() {
        let now = taken.iter().find(|l| l.shop == lease.shop).unwrap();
        assert_eq!(now.epoch, lease.epoch + 1, "{}", lease.shop);
    }
    assert!(b.renew_many(&got_b, "instance-b", ttl).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_count_each_other_and_take_at_most_their_share() {
    let (_pg, a, b) = two_instances().await;
    let ttl = Duration::from_millis(800);
    let shops: Vec<String> = (1..=10).map(|k| format!("shop-{k}")).collect();
    assert_eq!(a.heartbeat("instance-a", ttl).await.unwrap(), 1, "alone");
    assert_eq!(b.heartbeat("instance-b", ttl).await.unwrap(), 2);
    assert_eq!(a.heartbeat("instance-a", ttl).await.unwrap(), 2, "a renewed, b counted");
    // At most 5 each, picked in orders of their own: together they hold all ten.
    let got_a = a.acquire_many(&shops, "instance-a", ttl, 5).await.unwrap();
    let got_b = b.acquire_many(&shops, "instance-b", ttl, 5).await.unwrap();
    assert_eq!(got_a.len(), 5);
    assert_eq!(got_b.len(), 5, "the five a left free");
    let again = a.acquire_many(&shops, "instance-a", ttl, 5).await.unwrap();
    assert_eq!(again.len(), 5, "its own again (renewed), none of b's");
    assert!(again.iter().all(|l| got_a.iter().any(|g| g.shop == l.shop)));
    assert!(a.acquire_many(&shops, "instance-a", ttl, 0).await.unwrap().is_empty());
    // b leaves: a counts it out at once. A lapsed instance is counted out too.
    b.leave("instance-b").await.unwrap();
    assert_eq!(a.heartbeat("instance-a", ttl).await.unwrap(), 1);
    assert_eq!(b.heartbeat("instance-b", ttl).await.unwrap(), 2, "back");
    tokio::time::sleep(ttl + Duration::from_millis(100)).await;
    assert_eq!(a.heartbeat("instance-a", ttl).await.unwrap(), 1, "b lapsed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_are_read_from_any_instance_newest_first_per_shop_and_pruned_by_age() {
    let (_pg, a, b) = two_instances().await;
    let now = chrono::Utc::now();
    let row = |order: &str, secs: i64, n: u32| RunRow {
        order: order.to_owned(),
        at: now - chrono::Duration::seconds(secs),
        run: format!(r#"{{"order":"{order}","n":{n}}}"#),
    };
    let days = 86_400;
    a.add_runs("shop-1", &[row("1", 20 * days, 0), row("1", 2, 1), row("2", 2, 2)]).await.unwrap();
    b.add_runs("shop-1", &[row("1", 1, 3)]).await.unwrap();
    a.add_runs("shop-2", &[row("1", 1, 4)]).await.unwrap();
    assert!(a.add_runs("shop-1", &[]).await.is_ok(), "nothing to add");
    let bad = RunRow { run: "not json".to_owned(), ..row("1", 0, 0) };
    assert!(a.add_runs("shop-1", &[bad, row("1", 0, 9)]).await.is_err());

    let got = b.runs("shop-1", "1", 10).await.unwrap();
    let ns: Vec<&str> = got.iter().map(|r| r.run.as_str()).collect();
    assert_eq!(
        ns,
        [r#"{"n": 3, "order": "1"}"#, r#"{"n": 1, "order": "1"}"#, r#"{"n": 0, "order": "1"}"#],
        "newest first, whichever instance added them; the refused batch added nothing"
    );
    assert_eq!(got[0].at.timestamp_micros(), row("1", 1, 3).at.timestamp_micros());
    assert_eq!(a.runs("shop-1", "1", 1).await.unwrap().len(), 1, "the limit");
    assert_eq!(a.runs("shop-2", "1", 10).await.unwrap().len(), 1, "another shop's are its own");
    let before = now - chrono::Duration::seconds(14 * days);
    assert_eq!(a.prune_runs("shop-1", before).await.unwrap(), 1, "the 20-day-old run");
    assert_eq!(b.runs("shop-1", "1", 10).await.unwrap().len(), 2);
    assert_eq!(a.runs("shop-2", "1", 10).await.unwrap().len(), 1, "another shop's untouched");
}
