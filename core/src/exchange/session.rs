//! What every call to one shop shares: the rate budget, the pace of recent sends, the slots
//! in flight, the base URL (a relocation moves every later call), and whether the
//! credentials were refused.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::exchange::wire::Wire;
use crate::rate_limit::{Admission, RateBudget};
use crate::retry::{OnRateLimit, RetryPolicy};

/// How a session behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeConfig {
    /// Attempts, backoff and what a rate limit does.
    pub policy: RetryPolicy,
    /// Requests in flight at most (the shop's cap: 3 for Upgates).
    pub max_in_flight: usize,
    /// Requests sent at most in any second (Retailys: 100), counted over a
    /// [`PACING_WINDOW`]; `None` when the platform limits nothing per second (Upgates
    /// counts by the hour and reports its budget).
    pub per_second: Option<u32>,
}

impl Default for ExchangeConfig {
    fn default() -> Self {
        ExchangeConfig { policy: RetryPolicy::default(), max_in_flight: 3, per_second: None }
    }
}

/// The span in which at most `per_second` requests leave: a second, and a little more,
/// because the server counts arrivals, not sends. A request sent later can arrive sooner
/// than the one before it (that one opened a connection, or the server was busy), and with
/// a window of exactly one second that would now and then put one request too many into
/// the server's second and cost a 429 and a second's wait.
pub const PACING_WINDOW: Duration = Duration::from_millis(1100);

/// The state every call to one shop with one set of credentials shares.
#[derive(Debug)]
pub struct Session<W: Wire> {
    pub(crate) wire: W,
    pub(crate) config: ExchangeConfig,
    base_url: String,
    moved_to: Option<String>,
    pub(crate) budget: RateBudget,
    /// The figures the latest answer reported, until the shell takes them.
    report: Option<RateBudget>,
    pub(crate) in_flight: usize,
    pub(crate) refused: Option<W::Error>,
    sent: u64,
    /// Answers by HTTP status, and requests that got none (`None`: no connection, a
    /// timeout), since the session began.
    answers: BTreeMap<Option<u16>, u64>,
    /// When the latest sends left, oldest first: at most `per_second` of them.
    recent: VecDeque<DateTime<Utc>>,
}

impl<W: Wire> Session<W> {
    /// A session with the shop at `base_url` (already checked by the platform).
    pub fn new(wire: W, base_url: impl Into<String>, config: ExchangeConfig) -> Self {
        let config = ExchangeConfig {
            max_in_flight: config.max_in_flight.max(1),
            per_second: config.per_second.map(|n| n.max(1)),
            ..config
        };
        Session {
            wire,
            config,
            base_url: base_url.into(),
            moved_to: None,
            budget: RateBudget::default(),
            report: None,
            in_flight: 0,
            refused: None,
            sent: 0,
            answers: BTreeMap::new(),
            recent: VecDeque::new(),
        }
    }

    /// The platform.
    pub fn wire(&self) -> &W {
        &self.wire
    }

    /// The configuration.
    pub fn config(&self) -> &ExchangeConfig {
        &self.config
    }

    /// The API base URL requests go to now.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL the shop moved to since this was last asked, once.
    pub fn take_relocation(&mut self) -> Option<String> {
        self.moved_to.take()
    }

    /// The budget the latest answer reported, if it reported one (taken once): what a shell
    /// that shares the budget with other instances hands on to them.
    pub fn take_report(&mut self) -> Option<RateBudget> {
        self.report.take()
    }

    pub(crate) fn relocate(&mut self, base: String) {
        self.base_url.clone_from(&base);
        self.moved_to = Some(base);
    }

    /// The budget as it stands at `now`.
    pub fn budget(&self, now: DateTime<Utc>) -> RateBudget {
        self.budget.at(now)
    }

    /// Requests sent by this session (every attempt counts against the shop's budget).
    pub fn requests_sent(&self) -> u64 {
        self.sent
    }

    /// How the requests sent so far ended: a count per HTTP status the shop answered with,
    /// and under `None` those that got no answer. What an operator's metrics show; each
    /// attempt counts, as in [`Session::requests_sent`].
    pub fn answers(&self) -> &BTreeMap<Option<u16>, u64> {
        &self.answers
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The refusal that locked the session, if the credentials were refused.
    pub fn refused(&self) -> Option<&W::Error> {
        self.refused.as_ref()
    }

    /// Allows sending again: after the credentials were corrected, or after the caller
    /// waited long enough to try them once more.
    pub fn reset_credentials(&mut self) {
        self.refused = None;
    }

    /// Whether a request may leave now: `Ok(())`, or `Err(until)` when the budget is spent.
    pub(crate) fn admit(&self, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        match self.budget.admit(now) {
            Admission::Go => Ok(()),
            Admission::WaitUntil(t) => Err(t),
        }
    }

    /// When the next send fits the per-second limit, if not now: the oldest of the last
    /// `per_second` sends must be a [`PACING_WINDOW`] old.
    pub(crate) fn paced_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let limit = usize::try_from(self.config.per_second?).unwrap_or(usize::MAX);
        if self.recent.len() < limit {
            return None;
        }
        let window = TimeDelta::from_std(PACING_WINDOW).unwrap_or(TimeDelta::MAX);
        let free = self.recent.front()?.checked_add_signed(window)?;
        (free > now).then_some(free)
    }

    /// Whether the policy waits until `until`, rather than failing.
    pub(crate) fn waits_until(&self, until: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        match self.config.policy.on_rate_limit {
            OnRateLimit::Wait { max_wait } => {
                (until - now).to_std().unwrap_or(Duration::ZERO) <= max_wait
            }
            OnRateLimit::Fail => false,
        }
    }

    pub(crate) fn has_slot(&self) -> bool {
        self.in_flight < self.config.max_in_flight
    }

    pub(crate) fn sending(&mut self, now: DateTime<Utc>) {
        self.in_flight += 1;
        self.sent += 1;
        self.budget.record_sent(now);
        if let Some(limit) = self.config.per_second {
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            while self.recent.len() >= limit {
                self.recent.pop_front();
            }
            self.recent.push_back(now);
        }
    }

    pub(crate) fn finished(&mut self, status: Option<u16>, budget: Option<RateBudget>) {
        self.in_flight = self.in_flight.saturating_sub(1);
        *self.answers.entry(status).or_insert(0) += 1;
        self.report.clone_from(&budget);
        if let Some(b) = budget {
            self.budget = b;
        }
    }

    /// A send [`Session::sending`] counted did not leave after all: its slot, its place in
    /// the pace and its count are given back (the budget is the caller's to correct).
    pub(crate) fn not_sent(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.sent = self.sent.saturating_sub(1);
        if self.config.per_second.is_some() {
            self.recent.pop_back();
        }
    }
}
