//! One logical request, from its first attempt to an answer or an error.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::exchange::error::CallError;
use crate::exchange::session::Session;
use crate::exchange::wire::{Found, Wire};
use crate::http::{RequestSpec, Response};
use crate::retry::{Decision, Outcome, StopReason};

/// An answer to use: what the shop said (or, for a create found by lookups, what it would
/// have said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What the driver does next. Not `non_exhaustive`: a new step must break every driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<E> {
    /// Send this request, then report [`Call::answered`] or [`Call::no_answer`].
    Send(RequestSpec),
    /// Poll again at this instant (a backoff, a `Retry-After`, a spent budget).
    Wait(DateTime<Utc>),
    /// Every slot of the session is in flight: poll again when one of them finishes.
    Blocked,
    /// An answer is awaited; nothing to do.
    Pending,
    /// The call is over: use this answer.
    Done(Answer),
    /// The call is over: it failed.
    Failed(CallError<E>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ready,
    WaitUntil(DateTime<Utc>),
    InFlight,
    LookingUp,
    Finished,
}

/// Lookups of a create whose answer was lost, one key at a time.
#[derive(Debug)]
struct Lookups<W: Wire> {
    keys: VecDeque<String>,
    current: Option<(String, Box<Call<W>>)>,
}

/// One logical request: attempts, waits, relocation and lookups, decided by the core.
#[derive(Debug)]
pub struct Call<W: Wire> {
    spec: RequestSpec,
    original: RequestSpec,
    attempt: u32,
    state: State,
    found: Vec<Found>,
    lookups: Option<Lookups<W>>,
    result: Option<Step<W::Error>>,
}

fn later(now: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(after).ok().and_then(|d| now.checked_add_signed(d)).unwrap_or(now)
}

impl<W: Wire> Call<W> {
    /// A call that sends `spec` (already validated by the platform's builder).
    #[must_use]
    pub fn new(spec: RequestSpec) -> Self {
        Call {
            original: spec.clone(),
            spec,
            attempt: 0,
            state: State::Ready,
            found: Vec::new(),
            lookups: None,
            result: None,
        }
    }

    /// Attempts sent so far (lookups not counted).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// Whether the call is over.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    fn finish(&mut self, step: Step<W::Error>) {
        self.state = State::Finished;
        self.result = Some(step);
    }

    /// What to do now. `jitter` is a random number in `[0, 1)`.
    pub fn poll(&mut self, s: &mut Session<W>, now: DateTime<Utc>, jitter: f64) -> Step<W::Error> {
        loop {
            match self.state {
                State::Finished => return self.result.take().unwrap_or(Step::Pending),
                State::InFlight => return Step::Pending,
                State::WaitUntil(t) if now < t => return Step::Wait(t),
                State::WaitUntil(_) => {
                    self.state =
                        if self.lookups.is_some() { State::LookingUp } else { State::Ready };
                }
                State::LookingUp => {
                    if let Some(step) = self.poll_lookup(s, now, jitter) {
                        return step;
                    }
                }
                State::Ready => return self.send(s, now),
            }
        }
    }

    fn send(&mut self, s: &mut Session<W>, now: DateTime<Utc>) -> Step<W::Error> {
        if let Some(e) = &s.refused {
            return Step::Failed(self.fail(CallError::CredentialsRefused(e.clone())));
        }
        if let Err(until) = s.admit(now) {
            return self.spent_until(s, until, now);
        }
        // Pacing is the client's own spacing, not a limit the shop reported: it is always
        // waited out (never longer than the pacing window), whatever the policy says of 429s.
        if let Some(until) = s.paced_until(now) {
            self.state = State::WaitUntil(until);
            return Step::Wait(until);
        }
        if !s.has_slot() {
            return Step::Blocked;
        }
        s.sending(now);
        self.attempt += 1;
        self.state = State::InFlight;
        Step::Send(self.spec.clone())
    }

    /// The budget has nothing left before `until`: wait for it, or fail if the policy says so.
    fn spent_until(
        &mut self,
        s: &Session<W>,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Step<W::Error> {
        if s.waits_until(until, now) {
            self.state = State::WaitUntil(until);
            return Step::Wait(until);
        }
        let waits = !matches!(s.config.policy.on_rate_limit, crate::retry::OnRateLimit::Fail);
        Step::Failed(self.fail(CallError::BudgetSpent { until, waits }))
    }

    /// The request [`Call::poll`] said to send did not leave: the budget the shell shares
    /// with other instances of it has none left before `until` (`shared_budget`). The slot
    /// is given back, and the call waits or fails as for its own spent budget; the next
    /// [`Call::poll`] says which.
    pub fn not_sent(&mut self, s: &mut Session<W>, until: DateTime<Utc>, now: DateTime<Utc>) {
        if self.state == State::LookingUp {
            if let Some((_, sub)) = self.lookups.as_mut().and_then(|l| l.current.as_mut()) {
                sub.not_sent(s, until, now);
            }
            return;
        }
        if self.state != State::InFlight {
            return;
        }
        s.not_sent();
        self.attempt = self.attempt.saturating_sub(1);
        self.state = State::Ready;
        if let Step::Failed(e) = self.spent_until(s, until, now) {
            self.result = Some(Step::Failed(e));
        }
    }

    fn fail(&mut self, e: CallError<W::Error>) -> CallError<W::Error> {
        self.state = State::Finished;
        e
    }

    /// Runs the lookups; `None` means the state changed and the caller loops.
    fn poll_lookup(
        &mut self,
        s: &mut Session<W>,
        now: DateTime<Utc>,
        jitter: f64,
    ) -> Option<Step<W::Error>> {
        let lookups = self.lookups.as_mut()?;
        if let Some((key, sub)) = lookups.current.as_mut() {
            match sub.poll(s, now, jitter) {
                Step::Done(answer) => {
                    let key = key.clone();
                    lookups.current = None;
                    match s.wire.found(&key, &answer.body) {
                        Ok(Some(f)) => self.found.push(f),
                        Ok(None) => {}
                        Err(error) => {
                            let attempts = self.attempt;
                            let reason = StopReason::NotRetryable;
                            self.finish(Step::Failed(CallError::Api { error, reason, attempts }));
                        }
                    }
                    return None;
                }
                Step::Failed(e) => {
                    self.finish(Step::Failed(e));
                    return None;
                }
                other => return Some(other),
            }
        }
        if let Some(key) = lookups.keys.pop_front() {
            let spec = s.wire.lookup(&self.spec, &key);
            lookups.current = Some((key, Box::new(Call::new(spec))));
            return None;
        }
        self.lookups = None;
        match s.wire.without(&self.spec, &self.found) {
            Some(rest) => {
                self.spec = rest;
                self.state = State::Ready;
            }
            None => {
                let body = s.wire.merge_found(&self.original, &self.found, None);
                self.finish(Step::Done(Answer { status: 200, headers: Vec::new(), body }));
            }
        }
        None
    }

    /// The shop answered the request of the last [`Step::Send`].
    pub fn answered(
        &mut self,
        s: &mut Session<W>,
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        now: DateTime<Utc>,
        jitter: f64,
    ) {
        if self.state == State::LookingUp {
            if let Some((_, sub)) = self.lookups.as_mut().and_then(|l| l.current.as_mut()) {
                sub.answered(s, status, headers, body, now, jitter);
            }
            return;
        }
        if self.state != State::InFlight {
            return;
        }
        let reading = s.wire.read(&Response::new(status, &headers, &body), now);
        s.finished(Some(status), reading.budget);
        if let Some(e) = &reading.error
            && s.wire.refuses_credentials(e)
        {
            s.refused = Some(e.clone());
            let (error, attempts) = (e.clone(), self.attempt);
            let reason = StopReason::NotRetryable;
            self.finish(Step::Failed(CallError::Api { error, reason, attempts }));
            return;
        }
        let answer = Answer { status, headers, body };
        self.decide(s, &reading.outcome, reading.error, Ok(answer), now, jitter);
    }

    /// No answer came for the request of the last [`Step::Send`] (the connection failed or
    /// timed out); `why` is what the HTTP layer said.
    pub fn no_answer(&mut self, s: &mut Session<W>, why: String, now: DateTime<Utc>, jitter: f64) {
        if self.state == State::LookingUp {
            if let Some((_, sub)) = self.lookups.as_mut().and_then(|l| l.current.as_mut()) {
                sub.no_answer(s, why, now, jitter);
            }
            return;
        }
        if self.state != State::InFlight {
            return;
        }
        s.finished(None, None);
        self.decide(s, &Outcome::Transient, None, Err(why), now, jitter);
    }

    fn decide(
        &mut self,
        s: &mut Session<W>,
        outcome: &Outcome,
        error: Option<W::Error>,
        answer: Result<Answer, String>,
        now: DateTime<Utc>,
        jitter: f64,
    ) {
        let attempts = self.attempt;
        match s.config.policy.decide(attempts, outcome, &self.spec.resend, now, jitter) {
            Decision::Accept => {
                let Ok(mut answer) = answer else { return };
                if !self.found.is_empty() {
                    answer.body =
                        s.wire.merge_found(&self.original, &self.found, Some(&answer.body));
                }
                self.finish(Step::Done(answer));
            }
            Decision::Retry { after } => self.state = State::WaitUntil(later(now, after)),
            Decision::Relocate { api_url } => match s.wire.relocation(&api_url) {
                Ok(base) => {
                    self.spec.base_url.clone_from(&base);
                    self.original.base_url.clone_from(&base);
                    s.relocate(base);
                    self.state = State::Ready;
                }
                Err(why) => self.finish(Step::Failed(CallError::Relocation { api_url, why })),
            },
            Decision::LookupThenResend { keys, after } => {
                self.lookups = Some(Lookups { keys: keys.into(), current: None });
                self.state = State::WaitUntil(later(now, after));
            }
            Decision::Stop(reason) => {
                let e = match (error, answer) {
                    (Some(error), _) => CallError::Api { error, reason, attempts },
                    (None, Err(message)) => CallError::Network { message, reason, attempts },
                    (None, Ok(a)) => CallError::Network {
                        message: format!("an answer with HTTP {} could not be used", a.status),
                        reason,
                        attempts,
                    },
                };
                self.finish(Step::Failed(e));
            }
        }
    }
}
