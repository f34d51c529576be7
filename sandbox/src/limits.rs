//! The limits a real shop enforces: the request budget and the login lockout.
//!
//! The budget uses fixed windows of the shop's clock hour and day; a request is taken from
//! the hour first, then from the day (as the Upgates documentation describes). When both are
//! spent, the answer is 429 with `Retry-After` at the next clock hour, in GMT.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as ChronoDuration, Timelike, Utc};

use crate::clock::prague_offset;
use crate::config::{BadLoginConfig, RateLimitConfig};

/// What a response reports about the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// `X-Rate-Limit-Hour`.
    pub hour: u64,
    /// `X-Rate-Limit-Day`.
    pub day: u64,
    /// `X-Rate-Limit-Hour-Remaining`.
    pub hour_remaining: u64,
    /// `X-Rate-Limit-Day-Remaining`.
    pub day_remaining: u64,
}

impl Budget {
    /// `X-Rate-Limit-Total-Remaining`.
    #[must_use]
    pub fn total_remaining(&self) -> u64 {
        self.hour_remaining + self.day_remaining
    }

    /// The headers, as name/value pairs.
    #[must_use]
    pub fn headers(&self) -> [(&'static str, String); 5] {
        [
            ("X-Rate-Limit-Hour", self.hour.to_string()),
            ("X-Rate-Limit-Day", self.day.to_string()),
            ("X-Rate-Limit-Hour-Remaining", self.hour_remaining.to_string()),
            ("X-Rate-Limit-Day-Remaining", self.day_remaining.to_string()),
            ("X-Rate-Limit-Total-Remaining", self.total_remaining().to_string()),
        ]
    }
}

/// Requests counted in the current hour and day.
#[derive(Debug, Default)]
pub struct RateWindows {
    hour_key: i64,
    day_key: i64,
    used_hour: u64,
    used_day: u64,
}

/// The start of the next clock hour (when the hourly budget refills).
#[must_use]
pub fn next_hour(now: DateTime<Utc>) -> DateTime<Utc> {
    let start = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    start + ChronoDuration::hours(1)
}

impl RateWindows {
    fn roll(&mut self, now: DateTime<Utc>) {
        let local = now.naive_utc() + prague_offset(now);
        let hour_key = local.and_utc().timestamp() / 3600;
        let day_key = local.and_utc().timestamp() / 86_400;
        if hour_key != self.hour_key {
            self.hour_key = hour_key;
            self.used_hour = 0;
        }
        if day_key != self.day_key {
            self.day_key = day_key;
            self.used_day = 0;
        }
    }

    fn budget(&self, cfg: &RateLimitConfig) -> Budget {
        Budget {
            hour: cfg.hour,
            day: cfg.day,
            hour_remaining: cfg.hour.saturating_sub(self.used_hour),
            day_remaining: cfg.day.saturating_sub(self.used_day),
        }
    }

    /// Takes one request from the budget: `Ok` with what is left, or `Err` with the (spent)
    /// budget and when to come back.
    pub fn take(
        &mut self,
        cfg: &RateLimitConfig,
        now: DateTime<Utc>,
    ) -> Result<Budget, (Budget, DateTime<Utc>)> {
        self.roll(now);
        if self.used_hour < cfg.hour {
            self.used_hour += 1;
        } else if self.used_day < cfg.day {
            self.used_day += 1;
        } else {
            return Err((self.budget(cfg), next_hour(now)));
        }
        Ok(self.budget(cfg))
    }

    /// Forgets what was counted (a reset, or a config change).
    pub fn clear(&mut self) {
        *self = RateWindows::default();
    }
}

/// Failed logins per client address, in a floating window.
#[derive(Debug, Default)]
pub struct BadLogins {
    failures: HashMap<IpAddr, VecDeque<Instant>>,
}

impl BadLogins {
    fn prune(&mut self, ip: IpAddr, cfg: &BadLoginConfig, now: Instant) -> usize {
        let window = Duration::from_secs(cfg.window_secs);
        let list = self.failures.entry(ip).or_default();
        while list.front().is_some_and(|t| now.duration_since(*t) >= window) {
            list.pop_front();
        }
        list.len()
    }

    /// Whether the address has used up its failed logins.
    pub fn locked(&mut self, ip: IpAddr, cfg: &BadLoginConfig, now: Instant) -> bool {
        self.prune(ip, cfg, now) >= cfg.limit as usize
    }

    /// Records a failed login.
    pub fn fail(&mut self, ip: IpAddr, now: Instant) {
        self.failures.entry(ip).or_default().push_back(now);
    }

    /// Forgets every failure.
    pub fn clear(&mut self) {
        self.failures.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_first_then_day_then_429_until_the_next_hour() {
        let cfg = RateLimitConfig { enabled: true, hour: 2, day: 1 };
        let mut w = RateWindows::default();
        let t: DateTime<Utc> = "2026-11-23T10:20:00Z".parse().unwrap();
        assert_eq!(w.take(&cfg, t).unwrap().hour_remaining, 1);
        assert_eq!(w.take(&cfg, t).unwrap().total_remaining(), 1);
        assert_eq!(w.take(&cfg, t).unwrap().total_remaining(), 0);
        let (spent, retry) = w.take(&cfg, t).unwrap_err();
        assert_eq!((spent.total_remaining(), retry), (0, "2026-11-23T11:00:00Z".parse().unwrap()));
        // The next hour refills the hour; the day stays spent.
        let b = w.take(&cfg, "2026-11-23T11:00:01Z".parse().unwrap()).unwrap();
        assert_eq!((b.hour_remaining, b.day_remaining), (1, 0));
    }

    #[test]
    fn five_failures_lock_an_address() {
        let cfg = BadLoginConfig { limit: 5, window_secs: 3600 };
        let mut b = BadLogins::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let now = Instant::now();
        for _ in 0..4 {
            b.fail(ip, now);
        }
        assert!(!b.locked(ip, &cfg, now));
        b.fail(ip, now);
        assert!(b.locked(ip, &cfg, now));
        assert!(!b.locked(ip, &cfg, now + Duration::from_secs(3600)));
    }
}
