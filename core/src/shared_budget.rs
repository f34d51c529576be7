//! One shop's request budget shared by every instance that sends to it: the decisions, kept
//! by whatever store the instances share (`shopflow-pg-store`), one shop at a time under a
//! lock.
//!
//! Each instance's session knows only its own sends: after a lease moves to another
//! instance (its holder was paused, not dead), two of them may send to one shop for a
//! moment, and each would spend what it believes is left. Here every send is numbered and
//! taken from the figures the shop last reported before it leaves; an answer's figures
//! replace them only if no later send's answer came first, less the sends numbered after
//! it (they may not have reached the shop yet, so they count as spent: the error is on the
//! safe side). Until the shop has reported anything, one request at a time goes, so that
//! even the first requests cannot overspend a budget another tool nearly used up.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::rate_limit::{Admission, RateBudget};

/// How long a first request may go unanswered before another may be sent instead (its
/// sender died, or will never report): longer than any request's timeout.
pub const PROBE_LOST: TimeDelta = TimeDelta::seconds(90);

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
    /// The send whose answer the figures come from.
    pub reported: u64,
    /// The request out while nothing is known yet: its number and when it left.
    pub probe: Option<(u64, DateTime<Utc>)>,
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
        if self.figures.is_known() {
            if let Admission::WaitUntil(t) = self.figures.admit(now) {
                return Reservation::WaitUntil(t);
            }
        } else if let Some((_, left)) = self.probe
            && now < left.checked_add_signed(PROBE_LOST).unwrap_or(left)
        {
            return Reservation::WaitUntil(now.checked_add_signed(PROBE_WAIT).unwrap_or(now));
        }
        self.figures.record_sent(now);
        self.sends += 1;
        if !self.figures.is_known() {
            self.probe = Some((self.sends, now));
        }
        Reservation::Send(self.sends)
    }

    /// The answer to send number `send` came, with the figures it reported if any (a
    /// request that got no answer reports none).
    pub fn report(&mut self, send: u64, figures: Option<RateBudget>, now: DateTime<Utc>) {
        if self.probe.is_some_and(|(probe, _)| probe == send) {
            self.probe = None;
        }
        let Some(mut figures) = figures else { return };
        if send <= self.reported || send > self.sends {
            return;
        }
        figures.record_sends(now, self.sends - send);
        self.figures = figures;
        self.reported = send;
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
    fn an_answer_counts_the_sends_numbered_after_it_as_spent() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget { figures: hour_left(10, now), ..SharedBudget::default() };
        for _ in 0..4 {
            b.reserve(now);
        }
        // The shop answered send 2 with 8 left: sends 3 and 4 may not have reached it.
        b.report(2, Some(hour_left(8, now)), now);
        assert_eq!(b.figures.remaining(now), Some(6));
        // An older answer, arriving late, changes nothing.
        b.report(1, Some(hour_left(9, now)), now);
        assert_eq!(b.figures.remaining(now), Some(6));
        // Nor does a number never handed out.
        b.report(7, Some(hour_left(10, now)), now);
        assert_eq!((b.figures.remaining(now), b.reported), (Some(6), 2));
    }

    #[test]
    fn until_the_shop_reports_one_request_goes_at_a_time() {
        let now = t("2026-11-23T10:20:00Z");
        let mut b = SharedBudget::default();
        assert_eq!(b.reserve(now), Reservation::Send(1));
        assert_eq!(b.reserve(now), Reservation::WaitUntil(now + PROBE_WAIT));
        // No answer (no figures): another may try.
        b.report(1, None, now);
        assert_eq!(b.reserve(now), Reservation::Send(2));
        // Its sender died: after PROBE_LOST another goes anyway.
        assert!(matches!(b.reserve(now + PROBE_LOST / 2), Reservation::WaitUntil(_)));
        assert_eq!(b.reserve(now + PROBE_LOST), Reservation::Send(3));
        b.report(3, Some(hour_left(1, now)), now);
        assert_eq!(b.reserve(now), Reservation::Send(4));
        assert!(matches!(b.reserve(now), Reservation::WaitUntil(_)));
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
