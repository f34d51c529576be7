//! The request budget: how many requests are left and when more become available.
//!
//! Every request counts against the shop's budget, failures included; a Bronze shop has
//! 10 an hour plus 100 a day. The platform module reads the server's figures from response
//! headers into a [`RateBudget`]; between responses the shell records what it sends, and
//! [`RateBudget::admit`] says whether the next request may go now or when it may.

use chrono::{DateTime, Duration as ChronoDuration, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// The budget as the server last reported it, adjusted for requests sent since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RateBudget {
    /// Requests allowed per clock hour.
    pub hour_limit: Option<u64>,
    /// Requests allowed per day on top of the hourly ones.
    pub day_limit: Option<u64>,
    /// Left in the current hour.
    pub hour_remaining: Option<u64>,
    /// Left of the daily allowance.
    pub day_remaining: Option<u64>,
    /// Left in total (hour and day together), as the server counts it.
    pub total_remaining: Option<u64>,
    /// When these figures were read (the shell's clock).
    pub observed_at: Option<DateTime<Utc>>,
}

/// Whether a request may be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Send it.
    Go,
    /// The budget is spent; more arrives at this instant (the next clock hour).
    WaitUntil(DateTime<Utc>),
}

impl RateBudget {
    /// Whether the server has told us anything yet.
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.total_remaining.is_some() || self.hour_remaining.is_some()
    }

    /// The figures as they stand at `now`: once a new clock hour has begun since they were
    /// read, the hourly allowance is full again (the server resets it on the hour).
    #[must_use]
    pub fn at(&self, now: DateTime<Utc>) -> RateBudget {
        let mut b = self.clone();
        if let (Some(seen), Some(limit)) = (self.observed_at, self.hour_limit)
            && start_of_hour(now) > start_of_hour(seen)
        {
            let spent_this_hour = self.hour_remaining.map_or(0, |r| limit.saturating_sub(r));
            b.hour_remaining = Some(limit);
            b.total_remaining = self.total_remaining.map(|t| t + spent_this_hour);
            b.observed_at = Some(now);
        }
        b
    }

    /// Requests that may still be sent, if known.
    #[must_use]
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<u64> {
        let b = self.at(now);
        b.total_remaining.or_else(|| match (b.hour_remaining, b.day_remaining) {
            (Some(h), Some(d)) => Some(h + d),
            (h, d) => h.or(d),
        })
    }

    /// Whether one more request may go at `now`.
    #[must_use]
    pub fn admit(&self, now: DateTime<Utc>) -> Admission {
        match self.remaining(now) {
            Some(0) => Admission::WaitUntil(start_of_hour(now) + ChronoDuration::hours(1)),
            _ => Admission::Go,
        }
    }

    /// Records one request sent: it is taken from the hour first, then from the day.
    pub fn record_sent(&mut self, now: DateTime<Utc>) {
        self.record_sends(now, 1);
    }

    /// Records `n` requests sent, from the hour first, then from the day.
    pub fn record_sends(&mut self, now: DateTime<Utc>, n: u64) {
        *self = self.at(now);
        let from_hour = self.hour_remaining.map_or(0, |h| h.min(n));
        self.hour_remaining = self.hour_remaining.map(|h| h - from_hour);
        self.day_remaining = self.day_remaining.map(|d| d.saturating_sub(n - from_hour));
        self.total_remaining = self.total_remaining.map(|t| t.saturating_sub(n));
    }
}

fn start_of_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_minute(0).and_then(|t| t.with_second(0)).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn bronze(hour_left: u64, day_left: u64) -> RateBudget {
        RateBudget {
            hour_limit: Some(10),
            day_limit: Some(100),
            hour_remaining: Some(hour_left),
            day_remaining: Some(day_left),
            total_remaining: Some(hour_left + day_left),
            observed_at: Some(t("2026-11-23T10:20:00Z")),
        }
    }

    #[test]
    fn spends_the_hour_first_then_the_day() {
        let mut b = bronze(1, 5);
        b.record_sent(t("2026-11-23T10:21:00Z"));
        assert_eq!(
            (b.hour_remaining, b.day_remaining, b.total_remaining),
            (Some(0), Some(5), Some(5))
        );
        b.record_sent(t("2026-11-23T10:22:00Z"));
        assert_eq!(
            (b.hour_remaining, b.day_remaining, b.total_remaining),
            (Some(0), Some(4), Some(4))
        );
    }

    #[test]
    fn several_sends_at_once_count_as_many_single_ones() {
        let now = t("2026-11-23T10:21:00Z");
        for n in 0..8 {
            let (mut at_once, mut one_by_one) = (bronze(3, 2), bronze(3, 2));
            at_once.record_sends(now, n);
            for _ in 0..n {
                one_by_one.record_sent(now);
            }
            assert_eq!(at_once, one_by_one, "{n} sends");
        }
    }

    #[test]
    fn an_empty_budget_waits_for_the_next_hour() {
        let b = bronze(0, 0);
        assert_eq!(
            b.admit(t("2026-11-23T10:30:00Z")),
            Admission::WaitUntil(t("2026-11-23T11:00:00Z"))
        );
        assert_eq!(b.admit(t("2026-11-23T11:00:01Z")), Admission::Go);
        assert_eq!(b.remaining(t("2026-11-23T11:00:01Z")), Some(10));
    }

    #[test]
    fn unknown_budget_admits() {
        assert_eq!(RateBudget::default().admit(t("2026-11-23T10:30:00Z")), Admission::Go);
        assert!(!RateBudget::default().is_known());
    }
}
