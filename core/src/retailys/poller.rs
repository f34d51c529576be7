//! The events Retailys does not send, found by reading orders (sans IO).
//!
//! Retailys calls back for a new order and a status change only (§4.3); a payment, a parcel
//! sent or delivered, an order finished or canceled, a tracking number added: none of these
//! has an event. The poller reads the orders placed within a window (`GET /System/Orders?from=…`,
//! 250 a page, the most the API gives) and compares each with what it saw before: what changed
//! becomes an updated-order trigger, and rules see the change (`on_order_paid` from the paid
//! amount or date, `on_order_updated` otherwise).
//!
//! **Cost.** A poll reads `ceil(orders in the window / 250)` pages, one request each. Within a
//! budget of `B` requests an hour the poller polls `floor(B / pages)` times an hour, evenly
//! spaced, and never spends more than `B` in a clock hour: a shop with 2,000 orders in a
//! 14-day window (8 pages) and a budget of 120 requests an hour is polled 15 times an hour,
//! so a payment is noticed within about 4 minutes, for 120 of the 360,000 requests an hour
//! the API allows. The first poll sees every order for the first time and yields nothing:
//! it is the baseline. After it, an order seen for the first time (placed since, or paid before
//! a poll came round) counts every state it shows as a change: the rules service's journal
//! makes sure a payment its callback pass already saw does not fire twice. Deleted orders cannot be seen this way (Retailys cannot delete them).

use std::collections::BTreeMap;

use chrono::{DateTime, DurationRound, Offset, TimeDelta, Utc};

use crate::automation::{Subject, Trigger, TriggerKind};
use crate::date::ApiDate;
use crate::pagination::Page;
use crate::retailys::order::OrderModel;
use crate::retailys::query::{OrderListQuery, PER_PAGE};

/// How much the poller may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollerConfig {
    /// Requests it may send in a clock hour.
    pub requests_per_hour: u32,
    /// Orders placed this many days back are watched.
    pub window_days: u32,
}

impl Default for PollerConfig {
    fn default() -> Self {
        PollerConfig { requests_per_hour: 120, window_days: 14 }
    }
}

/// What the poller last saw of an order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Snapshot {
    paid: bool,
    sent: bool,
    delivered: bool,
    done: bool,
    canceled: bool,
    trackings: usize,
}

impl Snapshot {
    fn of(o: &OrderModel) -> Snapshot {
        Snapshot {
            paid: o.is_paid(),
            sent: o.sent.unwrap_or(false),
            delivered: o.delivered.unwrap_or(false),
            done: o.done.unwrap_or(false),
            canceled: o.canceled.unwrap_or(false),
            trackings: o.tracking_numbers().len(),
        }
    }

    fn changes(self, now: Snapshot) -> Vec<Change> {
        let mut out = Vec::new();
        let newly = |before: bool, after: bool| !before && after;
        if newly(self.paid, now.paid) {
            out.push(Change::Paid);
        }
        if newly(self.sent, now.sent) {
            out.push(Change::Sent);
        }
        if newly(self.delivered, now.delivered) {
            out.push(Change::Delivered);
        }
        if newly(self.done, now.done) {
            out.push(Change::Done);
        }
        if newly(self.canceled, now.canceled) {
            out.push(Change::Canceled);
        }
        if now.trackings > self.trackings {
            out.push(Change::Tracking);
        }
        out
    }
}

/// What changed on an order since the last poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// It was paid.
    Paid,
    /// It was sent.
    Sent,
    /// It was delivered.
    Delivered,
    /// It was finished.
    Done,
    /// It was canceled.
    Canceled,
    /// A tracking number was added.
    Tracking,
}

/// An order that changed, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polled {
    /// The order id.
    pub order_id: i64,
    /// What changed.
    pub changes: Vec<Change>,
}

impl Polled {
    /// The neutral trigger: an updated order.
    #[must_use]
    pub fn trigger(&self) -> Trigger {
        Trigger { kind: TriggerKind::Updated, subject: Subject::Order(self.order_id.to_string()) }
    }
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollStep {
    /// Nothing until then.
    Wait(DateTime<Utc>),
    /// Read this page and report it with [`Poller::page_read`].
    Read(OrderListQuery),
}

/// The poller's state.
#[derive(Debug, Clone, Default)]
pub struct Poller {
    config: PollerConfig,
    seen: BTreeMap<i64, Snapshot>,
    /// The page being read in the current poll, if one is under way.
    page: Option<u32>,
    /// Pages the last complete poll read (the cost of one poll).
    pages_per_poll: u32,
    pages_this_poll: u32,
    next_poll: Option<DateTime<Utc>>,
    hour: Option<DateTime<Utc>>,
    spent_this_hour: u32,
    /// Whether a whole poll has been read (the first one is the baseline).
    baseline_done: bool,
}

fn start_of_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::hours(1)).unwrap_or(t)
}

impl Poller {
    /// A poller within `config`.
    #[must_use]
    pub fn new(config: PollerConfig) -> Self {
        Poller { config, pages_per_poll: 1, ..Poller::default() }
    }

    /// Requests it has sent in the current clock hour.
    #[must_use]
    pub fn spent_this_hour(&self) -> u32 {
        self.spent_this_hour
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: DateTime<Utc>) -> PollStep {
        let hour = start_of_hour(now);
        if self.hour != Some(hour) {
            self.hour = Some(hour);
            self.spent_this_hour = 0;
        }
        if self.spent_this_hour >= self.config.requests_per_hour {
            return PollStep::Wait(hour + TimeDelta::hours(1));
        }
        if self.page.is_none() {
            if let Some(at) = self.next_poll.filter(|at| now < *at) {
                return PollStep::Wait(at);
            }
            self.page = Some(1);
            self.pages_this_poll = 0;
        }
        self.spent_this_hour += 1;
        self.pages_this_poll += 1;
        let from = now - TimeDelta::days(i64::from(self.config.window_days));
        let query = OrderListQuery {
            from: Some(ApiDate::from_utc(from, Utc.fix())),
            page: self.page,
            per_page: Some(PER_PAGE.1),
            ..OrderListQuery::default()
        };
        PollStep::Read(query)
    }

    /// Reports the page the last [`PollStep::Read`] asked for, read at `now`: the orders that
    /// changed since they were last seen.
    pub fn page_read(&mut self, page: &Page<OrderModel>, now: DateTime<Utc>) -> Vec<Polled> {
        let mut out = Vec::new();
        for order in &page.items {
            let Some(id) = order.id else { continue };
            let now_seen = Snapshot::of(order);
            // After the baseline, an order first seen now is new to the window: whatever it
            // already shows (paid before any poll saw it) is a change, or it would be missed.
            let before = self
                .seen
                .insert(id, now_seen)
                .or(self.baseline_done.then_some(Snapshot::default()));
            if let Some(before) = before {
                let changes = before.changes(now_seen);
                if !changes.is_empty() {
                    out.push(Polled { order_id: id, changes });
                }
            }
        }
        match page.next_page() {
            Some(next) => self.page = Some(next),
            None => self.finish_poll(now),
        }
        out
    }

    /// A poll ended: the next one is spaced so that polls fit the hourly budget.
    fn finish_poll(&mut self, now: DateTime<Utc>) {
        self.page = None;
        self.baseline_done = true;
        self.pages_per_poll = self.pages_this_poll.max(1);
        let polls_per_hour = (self.config.requests_per_hour / self.pages_per_poll).max(1);
        // In milliseconds: a budget over 3,600 an hour must not round the spacing to zero.
        let every = TimeDelta::milliseconds(i64::from(3_600_000 / polls_per_hour));
        self.next_poll = Some(now + every);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn order(id: i64, paid: bool, sent: bool) -> OrderModel {
        serde_json::from_value(serde_json::json!({
            "id": id, "money": 100, "paid": if paid { 100 } else { 0 }, "sent": sent
        }))
        .unwrap()
    }

    fn page(orders: Vec<OrderModel>, n: u32, of: u32) -> Page<OrderModel> {
        Page {
            current_page_items: None,
            number_of_items: u64::from(of) * 250,
            items: orders,
            current_page: n,
            number_of_pages: of,
        }
    }

    #[test]
    fn the_first_poll_is_a_baseline_and_later_changes_become_triggers() {
        let mut p = Poller::new(PollerConfig { requests_per_hour: 60, window_days: 14 });
        let PollStep::Read(q) = p.next(t("2026-11-23T10:00:00Z")) else { panic!() };
        assert_eq!((q.page, q.per_page), (Some(1), Some(250)));
        assert_eq!(q.from.map(|d| d.to_string()).as_deref(), Some("2026-11-09T10:00:00+00:00"));
        let first = p.page_read(
            &page(vec![order(1, false, false), order(2, true, false)], 1, 1),
            t("2026-11-23T10:00:01Z"),
        );
        assert!(first.is_empty(), "a baseline");
        // One page a poll and 60 requests an hour: a poll a minute.
        assert_eq!(p.next(t("2026-11-23T10:00:30Z")), PollStep::Wait(t("2026-11-23T10:01:01Z")));
        assert!(matches!(p.next(t("2026-11-23T10:01:01Z")), PollStep::Read(_)));
        let later = p.page_read(
            &page(vec![order(1, true, true), order(2, true, false)], 1, 1),
            t("2026-11-23T10:01:02Z"),
        );
        assert_eq!(later, vec![Polled { order_id: 1, changes: vec![Change::Paid, Change::Sent] }]);
        assert_eq!(
            later[0].trigger(),
            Trigger { kind: TriggerKind::Updated, subject: Subject::Order("1".into()) }
        );
        // Placed and paid between two polls: first seen paid, still a payment.
        assert!(matches!(p.next(t("2026-11-23T10:02:02Z")), PollStep::Read(_)));
        let placed = p.page_read(
            &page(vec![order(1, true, true), order(3, true, false), order(4, false, false)], 1, 1),
            t("2026-11-23T10:02:03Z"),
        );
        assert_eq!(placed, vec![Polled { order_id: 3, changes: vec![Change::Paid] }]);
    }

    #[test]
    fn a_budget_over_3600_an_hour_polls_more_than_once_a_second_not_continuously() {
        let mut p = Poller::new(PollerConfig { requests_per_hour: 7200, window_days: 1 });
        assert!(matches!(p.next(t("2026-11-23T10:00:00Z")), PollStep::Read(_)));
        p.page_read(&page(vec![], 1, 1), t("2026-11-23T10:00:00Z"));
        let half_a_second = t("2026-11-23T10:00:00Z") + TimeDelta::milliseconds(500);
        assert_eq!(p.next(t("2026-11-23T10:00:00.1Z")), PollStep::Wait(half_a_second));
    }

    #[test]
    fn the_hourly_budget_is_never_exceeded() {
        let mut p = Poller::new(PollerConfig { requests_per_hour: 3, window_days: 1 });
        let mut sent = 0;
        let mut now = t("2026-11-23T10:00:00Z");
        for _ in 0..50 {
            match p.next(now) {
                PollStep::Read(q) => {
                    sent += 1;
                    let n = q.page.unwrap();
                    p.page_read(&page(vec![order(i64::from(n), false, false)], n, 2), now);
                }
                PollStep::Wait(until) => now = until,
            }
            if now >= t("2026-11-23T11:00:00Z") {
                break;
            }
        }
        // A poll costs 2 pages, so one poll fits in 3 requests an hour; never a third page.
        assert_eq!(sent, 2, "one two-page poll in the 10:00 hour");
        assert!(p.spent_this_hour() <= 3);
        assert_eq!(p.next(t("2026-11-23T10:59:59Z")), PollStep::Wait(t("2026-11-23T11:00:00Z")));
    }
}
