//! One shop's request budget shared by every instance that sends to it: the decisions, kept
//! by whatever store the instances share (`shopflow-pg-store`), one shop at a time under a
//! lock.
//!
//! Each instance's session knows only its own sends: after a lease moves to another
//! instance (its holder was paused, not dead), two of them may send to one shop for a
//! moment, and each would spend what it believes is left. Here every send is taken from the
//! shared figures before it leaves, so within a clock hour the figures are exact for every
//! instance together. An answer's figures can only be lower when something else spends
//! from the shop's budget (another tool on the same API user): the lower is kept. They are
//! never taken when higher: they are the shop's count at some moment while other sends were
//! on their way, not yet counted. The day's allowance, which refills at midnight, comes from
//! the first answer read in each hour, less the sends still out. Until the first answer
//! comes back, one request at a time goes, so even the first requests cannot overspend a
//! budget another tool nearly used up; a shop that answers without reporting a budget has
//! none to keep (as a session without figures sends freely). A send whose answer never comes (its sender died)
//! stops counting as out after [`LOST_AFTER`].
//!
//! Not covered: a request sent in the last moment of an hour and counted by the shop in the
//! next one (the next hour's first answer shows it).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::rate_limit::{Admission, RateBudget};

/// How long a send may go unanswered before it no longer counts as out (its sender died,
/// or will never report): longer than any request's timeout.
pub const LOST_AFTER: TimeDelta = TimeDelta::seconds(90);

/// How soon to ask again while the first request is out.
pub const PROBE_WAIT: TimeDelta = TimeDelta::milliseconds(200);

/// The shared figures of one shop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SharedBudget {
    /// What the shop last reported, less every send since.
    pub figures: RateBudget,
    /// Sends numbered so far (the last send's number).
    pub sends: u64,
    /// Sends not answered yet: their numbers and when they left.
    pub out: Vec<(u64, DateTime<Utc>)>,
    /// The clock hour (hours since the epoch) of the last answer read.
    pub read_hour: Option<i64>,
    /// Whether any send has come back (answered, with figures or without, or failed).
    pub heard: bool,
}

/// Whether a request may leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Send it; report its answer under this number.
    Send(u64),
    /// Nothing may be sent before this instant (the budget is spent, or the first request
    /// is still out).
    WaitUntil(DateTime<Utc>),
}

impl SharedBudget {
    /// Takes one request from the budget, or says until when none may go.
    pub fn reserve(&mut self, now: DateTime<Utc>) -> Reservation {
        self.forget_lost(now);
        if self.figures.is_known() {
            if let Admission::WaitUntil(t) = self.figures.admit(now) {
                return Reservation::WaitUntil(t);
            }
        } else if !self.heard && !self.out.is_empty() {
            return Reservation::WaitUntil(now.checked_add_signed(PROBE_WAIT).unwrap_or(now));
        }
        self.figures.record_sent(now);
        self.sends += 1;
        self.out.push((self.sends, now));
        Reservation::Send(self.sends)
    }

    /// The answer to send number `send` came, with the figures it reported if any (a
    /// request that got no answer reports none).
    pub fn report(&mut self, send: u64, figures: Option<RateBudget>, now: DateTime<Utc>) {
        self.out.retain(|(n, _)| *n != send);
        self.forget_lost(now);
        self.heard = true;
        let Some(reported) = figures else { return };
        let Some(hour) = hour_of(&reported) else { return };
        let kept = self.figures.at(now);
        if hour_of(&kept).is_some_and(|k| hour < k) {
            return; // a reading from an hour that is over
        }
        let first_this_hour = self.read_hour != Some(hour);
        self.read_hour = Some(hour);
        let out = self.out.len() as u64;
        self.figures = if kept.is_known() {
            merge(&kept, &reported, first_this_hour, out)
        } else {
            let mut first = reported;
            first.record_sends(now, out);
            first
        };
    }

    /// Sends out longer than [`LOST_AFTER`] no longer count as out.
    fn forget_lost(&mut self, now: DateTime<Utc>) {
        self.out.retain(|(_, left)| now < left.checked_add_signed(LOST_AFTER).unwrap_or(*left));
    }
}

/// The clock hour the figures were read in.
fn hour_of(b: &RateBudget) -> Option<i64> {
    b.observed_at.map(|t| t.timestamp().div_euclid(3600))
}

/// The kept figures and an answer's, read in the same clock hour: the lower remainders (the
/// answer's are lower only when something else spends), but the day's allowance from the
/// hour's first answer, less the `out` sends it may not count yet.
fn merge(kept: &RateBudget, reported: &RateBudget, first_this_hour: bool, out: u64) -> RateBudget {
    let min = |x: Option<u64>, y: Option<u64>| match (x, y) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let fresh = |x: Option<u64>| x.map(|v| v.saturating_sub(out));
    let (day, total) = match first_this_hour {
        true => (fresh(reported.day_remaining), fresh(reported.total_remaining)),
        false => (
            min(kept.day_remaining, reported.day_remaining),
            min(kept.total_remaining, reported.total_remaining),
        ),
    };
    let hour = min(kept.hour_remaining, reported.hour_remaining);
    RateBudget {
        hour_limit: reported.hour_limit.or(kept.hour_limit),
        day_limit: reported.day_limit.or(kept.day_limit),
        hour_remaining: hour,
        day_remaining: day,
        // The server's total is the hour's and the day's together.
        total_remaining: match (hour, day) {
            (Some(h), Some(d)) => Some(h + d),
            _ => total,
        },
        observed_at: kept.observed_at.max(reported.observed_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn hour_left(left: u64, now: DateTime<Utc>) -> RateBudget {
        RateBudget {
            hour_limit: Some(10),
            day_limit: Some(0),
            hour_remaining: Some(left),
            day_remaining: Some(0),
            total_remaining: Some(left),
            observed_at: Some(now),
        }
    }

    #[test]
    fn at_ten_an_hour_ten_sends_go_and_the_eleventh_waits_for_the_next_hour() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget { figures: hour_left(10, now), ..SharedBudget::default() };
        for n in 1..=10 {
            assert_eq!(b.reserve(now), Reservation::Send(n));
        }
        assert_eq!(b.reserve(now), Reservation::WaitUntil(t("2026-11-23T11:00:00Z")));
        assert_eq!(b.reserve(t("2026-11-23T11:00:01Z")), Reservation::Send(11));
    }

    #[test]
    fn answers_never_raise_the_hour_and_lower_it_when_something_else_spent() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget {
            figures: hour_left(10, now),
            read_hour: hour_of(&hour_left(10, now)),
            ..SharedBudget::default()
        };
        for _ in 0..4 {
            b.reserve(now);
        }
        // Send 4 reached the shop before sends 1 to 3 did: its answer says 9 left. The four
        // are counted here already: 6.
        b.report(4, Some(hour_left(9, now)), now);
        assert_eq!(b.figures.remaining(now), Some(6));
        // The shop says 3: another tool spent 3 more.
        b.report(1, Some(hour_left(3, now)), now);
        assert_eq!(b.figures.remaining(now), Some(3));
        b.report(2, None, now);
        b.report(3, Some(hour_left(8, now)), now);
        assert_eq!((b.figures.remaining(now), b.out.len()), (Some(3), 0));
        // The next hour refills; an answer from the hour before, arriving late, changes
        // nothing.
        let later = t("2026-11-23T11:05:00Z");
        assert_eq!(b.reserve(later), Reservation::Send(5));
        b.report(5, Some(hour_left(9, later)), later);
        assert_eq!(b.figures.remaining(later), Some(9));
        b.report(4, Some(hour_left(2, now)), later);
        assert_eq!(b.figures.remaining(later), Some(9));
    }

    #[test]
    fn the_days_allowance_comes_back_with_the_first_answer_of_an_hour() {
        let evening = t("2026-11-23T23:30:00Z");
        let spent = RateBudget {
            hour_limit: Some(10),
            day_limit: Some(100),
            hour_remaining: Some(0),
            day_remaining: Some(0),
            total_remaining: Some(0),
            observed_at: Some(evening),
        };
        let mut b = SharedBudget {
            figures: spent.clone(),
            read_hour: hour_of(&spent),
            ..SharedBudget::default()
        };
        assert!(matches!(b.reserve(evening), Reservation::WaitUntil(_)));
        let morning = t("2026-11-24T00:10:00Z");
        let Reservation::Send(n) = b.reserve(morning) else { panic!("the hour refilled") };
        let fresh = RateBudget {
            hour_remaining: Some(9),
            day_remaining: Some(100),
            total_remaining: Some(109),
            observed_at: Some(morning),
            ..spent
        };
        b.report(n, Some(fresh), morning);
        assert_eq!(b.figures.remaining(morning), Some(109));
    }

    #[test]
    fn until_the_first_answer_one_request_goes_at_a_time() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget::default();
        assert_eq!(b.reserve(now), Reservation::Send(1));
        assert_eq!(b.reserve(now), Reservation::WaitUntil(now + PROBE_WAIT));
        // Its sender died: after LOST_AFTER another goes anyway.
        assert!(matches!(b.reserve(now + LOST_AFTER / 2), Reservation::WaitUntil(_)));
        assert_eq!(b.reserve(now + LOST_AFTER), Reservation::Send(2));
        // The shop answered without a budget: it has none to keep; requests go freely.
        b.report(2, None, now + LOST_AFTER);
        assert_eq!(b.reserve(now + LOST_AFTER), Reservation::Send(3));
        assert_eq!(b.reserve(now + LOST_AFTER), Reservation::Send(4));
        // Once it reports one, the budget is kept.
        b.report(3, Some(hour_left(1, now)), now + LOST_AFTER);
        assert_eq!(b.figures.remaining(now + LOST_AFTER), Some(0), "4 is out");
        assert!(matches!(b.reserve(now + LOST_AFTER), Reservation::WaitUntil(_)));
    }

    #[test]
    fn the_figures_survive_a_round_trip_through_json() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget::default();
        b.reserve(now);
        let text = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<SharedBudget>(&text).unwrap(), b);
        // A row written by an older version (or empty) reads as nothing known.
        assert_eq!(serde_json::from_str::<SharedBudget>("{}").unwrap(), SharedBudget::default());
    }
}
