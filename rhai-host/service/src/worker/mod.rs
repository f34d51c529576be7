//! The worker: journaled deliveries in, the fewest API calls out, on either platform.
//!
//! A pass takes every unfinished delivery (so deliveries arriving together are coalesced),
//! dedupes their records, reads what the hooks need, runs the rules, plans all actions
//! together (merged per order) and writes. Each hook call gets an outcome. Only then are the
//! deliveries marked finished; if the shop cannot be reached, they stay in the journal and
//! the pass is tried again later. The stages that talk to the shop are per platform:
//! `upgates.rs` (100 orders per GET and per PUT) and `retailys.rs` (one order per request);
//! the rest of a pass is here, once.
//!
//! When the shop refuses the credentials (401/403), the client sends nothing more and the
//! worker waits [`CREDENTIALS_RETRY`] before one more try: deliveries keep arriving and
//! stay journaled, `/status` says why, and a restart with corrected credentials tries at
//! once. Five refused logins in an hour lock an Upgates shop's API user, for every
//! integration.
//!
//! A delivery the shop refuses for good (a 4xx, an item refused inside a 200) is tried
//! again in later passes and then set aside (`dead_letters.rs`); the other deliveries of
//! the pass finish and never wait on it. When a whole pass is refused and holds several
//! deliveries, the next passes bisect them until the one refused alone is found
//! (`culprit.rs`). A failure that may pass (no answer, 5xx) keeps the deliveries it concerns for the
//! next pass, with backoff.
//!
//! History records are the one write that is not idempotent. A record is journaled as added
//! after its POST succeeds, and a journaled record is never planned again.

mod culprit;
mod dead_letters;
mod failure;
mod history;
mod retailys;
mod upgates;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use shopflow_core::automation::merge::Current;
use shopflow_core::automation::model;
use shopflow_core::automation::seam::Platform;
use shopflow_core::automation::{Action, Seen, Subject, Trigger, TriggerKind};
use shopflow_core::date::ApiDate;
use shopflow_rules::{Evaluation, Known, evaluate};

use super::Service;
use super::board::{DeliveryFailure, OutcomeRecord};
use super::journal::Delivery;
use super::shop::Shop;
use failure::{Cause, Failures};

/// How long a pass waits for more deliveries to arrive together.
const COALESCE: Duration = Duration::from_millis(150);
/// How long statuses (and carriers) are reused before they are read again.
const LISTS_FOR: Duration = Duration::from_secs(600);
/// How long the worker waits after the shop refused the credentials before trying once more.
pub const CREDENTIALS_RETRY: Duration = Duration::from_secs(15 * 60);

/// Why a pass did not finish.
#[derive(Debug)]
enum PassError {
    /// The shop refused the credentials: nothing more is sent until they are reset.
    Credentials(String),
    /// The shop refused a request of the pass as a whole, for good: the culprit delivery is
    /// looked for and its try counted.
    Refused(String),
    /// The pass finished what it could; some deliveries stay (refused and counted, or not
    /// answered) and are tried again with backoff.
    Partly(String),
    /// Anything else (the shop unreachable, a journal write failed): retried with backoff.
    Other(String),
}

impl PassError {
    /// A client's failure: refused credentials stop the worker, a refusal looks for its
    /// delivery, the rest is retried.
    fn of(credentials: bool, cause: Cause, e: impl std::fmt::Display) -> Self {
        match (credentials, cause) {
            (true, _) => PassError::Credentials(e.to_string()),
            (false, Cause::Refused) => PassError::Refused(e.to_string()),
            (false, Cause::Transient) => PassError::Other(e.to_string()),
        }
    }
}

impl From<shopflow_client::Error> for PassError {
    fn from(e: shopflow_client::Error) -> Self {
        PassError::of(e.is_credentials(), failure::upgates_cause(&e), e)
    }
}

impl From<String> for PassError {
    fn from(e: String) -> Self {
        PassError::Other(e)
    }
}

/// Now, as `/status` writes times (RFC 3339, milliseconds, UTC).
pub(crate) fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A list read from the shop, and when.
type Kept<T> = Option<(tokio::time::Instant, Arc<Vec<T>>)>;

/// Lists the shop changes rarely, kept between passes.
#[derive(Default)]
struct Lists {
    /// The order statuses.
    statuses: Kept<model::Status>,
    /// The carriers (Retailys shippers: id and name).
    carriers: Kept<(i64, String)>,
}

/// A list still fresh enough to use.
fn fresh<T>(kept: &Kept<T>) -> Option<Arc<Vec<T>>> {
    kept.as_ref().filter(|(at, _)| at.elapsed() < LISTS_FOR).map(|(_, list)| Arc::clone(list))
}

/// Runs passes until the service stops: a pass in hand is finished first (the stop waits
/// for it), and no new one starts.
pub async fn run(service: Arc<Service>) {
    let mut lists = Lists::default();
    let mut backoff = Duration::from_secs(1);
    let mut suspects = culprit::Suspects::default();
    while !service.stopping() {
        if service.shop.refused().is_some() {
            // Deliveries keep being journaled meanwhile; nothing is sent.
            if !service.pause(CREDENTIALS_RETRY).await {
                return;
            }
            service.shop.reset_credentials();
        }
        let (waiting, poll) = {
            let mut journal = service.journal();
            // On PostgreSQL: what other instances received for the shop (nothing on file).
            if let Err(e) = journal.refresh() {
                tracing::warn!(error = %e, "cannot look for deliveries in the shared store");
            }
            (journal.state.pending.len(), journal.poll_every())
        };
        if waiting == 0 {
            // A stop wakes the worker too, and the loop's condition ends it. With instances
            // sharing the shop's deliveries, another instance's are looked for now and then.
            match poll {
                None => service.wake.notified().await,
                Some(every) => {
                    let _ = tokio::time::timeout(every, service.wake.notified()).await;
                }
            }
            service.pause(COALESCE).await;
            continue;
        }
        let deliveries = suspects.take(&service);
        let (began, sent_before) = (tokio::time::Instant::now(), service.shop.requests_sent());
        match pass(&service, &deliveries, &mut lists).await {
            Ok(()) => {
                tracing::info!(
                    deliveries = deliveries.len(),
                    requests = service.shop.requests_sent().saturating_sub(sent_before),
                    ms = began.elapsed().as_millis() as u64,
                    "pass finished"
                );
                backoff = Duration::from_secs(1);
                service.board().shop_error = None;
            }
            Err(PassError::Credentials(e)) => credentials_refused(&service, &e),
            Err(PassError::Refused(e)) => {
                if suspects.refused(&service, &deliveries, &e) {
                    back_off(&service, e, &mut backoff).await;
                } else {
                    service.board().shop_error = Some(e);
                }
            }
            Err(PassError::Partly(e) | PassError::Other(e)) => {
                back_off(&service, e, &mut backoff).await;
            }
        }
    }
}

/// Says why a pass did not finish, and waits before the next (longer each time).
async fn back_off(service: &Service, e: String, backoff: &mut Duration) {
    tracing::warn!(error = %e, retry_in_s = backoff.as_secs(), "the pass did not finish; trying again");
    service.board().shop_error = Some(e);
    service.pause(*backoff).await;
    *backoff = (*backoff * 2).min(Duration::from_secs(60));
}

/// Says on `/status` and in the log why nothing is sent, and until when.
fn credentials_refused(service: &Service, e: &str) {
    let next = Utc::now() + CREDENTIALS_RETRY;
    let why = format!(
        "{e}. Nothing is sent to the shop until {} (one try every {} minutes), or until the service restarts with corrected credentials; every delivery is kept.",
        next.to_rfc3339_opts(SecondsFormat::Secs, true),
        CREDENTIALS_RETRY.as_secs() / 60
    );
    tracing::error!(error = %why, "the shop refused the credentials");
    service.board().shop_error = Some(why);
}

/// The deliveries of a pass, read: their triggers (each record once), how many records they
/// named, the orders of deliveries recovered after a restart, and the statuses deliveries
/// said orders are in (Retailys tells a status only in its status-change callback).
struct Work {
    /// The rules of this pass: one snapshot, so a reload never changes them mid-pass.
    rules: Arc<crate::rules::Rules>,
    triggers: Vec<Trigger>,
    records: u64,
    recovered_orders: HashSet<String>,
    status_hints: HashMap<String, u64>,
    /// The deliveries that named each subject.
    from: HashMap<Subject, Vec<u64>>,
    /// Deliveries that cannot be read (set aside already).
    unreadable: HashSet<u64>,
}

/// What one delivery says: its triggers, and statuses it names.
struct Read {
    triggers: Vec<Trigger>,
    status_hints: Vec<(String, u64)>,
}

/// What the shop holds of a pass's records, as rules and the merge see them (the neutral
/// model).
struct ShopState {
    statuses: Arc<Vec<model::Status>>,
    carriers: Arc<Vec<(i64, String)>>,
    orders: HashMap<String, Arc<model::Order>>,
    customers: HashMap<u64, Arc<model::Customer>>,
}

/// What became of a pass's actions.
struct Written {
    applied: usize,
    satisfied: HashMap<usize, String>,
    failed: Failures,
}

/// Processes `deliveries` as one batch, in stages: read, run, write, record.
async fn pass(
    service: &Arc<Service>,
    deliveries: &[Delivery],
    lists: &mut Lists,
) -> Result<(), PassError> {
    let requests_before = service.shop.requests_sent();
    let work = read_deliveries(service, deliveries);
    let shop = match &service.shop {
        Shop::Upgates(c) => upgates::read_shop(c, &work, lists).await?,
        Shop::Retailys(c) => retailys::read_shop(service, c, &work, lists).await?,
    };
    let mut evaluation = run_rules(service, &work, &shop);
    let written = match &service.shop {
        Shop::Upgates(c) => {
            upgates::write_actions(service, c, &evaluation.actions, &shop, &work).await?
        }
        Shop::Retailys(c) => {
            retailys::write_actions(service, c, &evaluation.actions, &shop).await?
        }
    };
    let requests = service.shop.requests_sent().saturating_sub(requests_before);
    record(service, &mut evaluation, &shop, &work, &written, deliveries, requests)
}

/// Reads every delivery; the same record named twice is one trigger.
fn read_deliveries(service: &Service, deliveries: &[Delivery]) -> Work {
    let mut seen: HashSet<(TriggerKind, Subject)> = HashSet::new();
    let mut work = Work {
        rules: service.rules(),
        triggers: Vec::new(),
        records: 0,
        recovered_orders: HashSet::new(),
        status_hints: HashMap::new(),
        from: HashMap::new(),
        unreadable: HashSet::new(),
    };
    let recovered = service.journal().state.recovered.clone();
    for d in deliveries {
        match read_delivery(service, d) {
            Ok(read) => {
                work.records += read.triggers.len() as u64;
                // Deliveries are in the order they came: a later status wins.
                work.status_hints.extend(read.status_hints);
                for t in read.triggers {
                    let from = work.from.entry(t.subject.clone()).or_default();
                    if from.last() != Some(&d.id) {
                        from.push(d.id);
                    }
                    if let Subject::Order(n) = &t.subject
                        && recovered.contains(&d.id)
                    {
                        work.recovered_orders.insert(n.clone());
                    }
                    if seen.insert((t.kind, t.subject.clone())) {
                        work.triggers.push(t);
                    }
                }
            }
            Err(e) => {
                work.records += 1;
                work.unreadable.insert(d.id);
                if let Err(journal) = dead_letters::unreadable(service, d, &e) {
                    tracing::error!(delivery = d.id, error = %journal, "cannot set a delivery aside");
                }
                service.board().delivery_failed(DeliveryFailure {
                    at: now_text(),
                    event: d.event.clone(),
                    reason: format!("delivery {} could not be read (set aside): {e}", d.id),
                });
            }
        }
    }
    work
}

/// One delivery's triggers, read by its platform.
fn read_delivery(service: &Service, d: &Delivery) -> Result<Read, String> {
    match &service.shop {
        Shop::Upgates(_) => upgates::read_delivery(d),
        Shop::Retailys(_) => retailys::read_delivery(d),
    }
}

/// Why a write task ended without a result: it panicked or was cancelled. Its actions are
/// failed with this, never counted as applied.
pub(super) fn task_failed(e: &tokio::task::JoinError) -> String {
    format!("the write failed inside the service ({e}); it will not be retried by this pass")
}

/// Plans every action against what the pass read, for the shop's platform: merged per order,
/// a history record the journal has as added never planned again. Planning is quick and never
/// awaits: the journal is looked up in place, not copied.
fn plan<P: Platform>(service: &Service, actions: &[Action], shop: &ShopState) -> P::Plan {
    let journal = service.journal();
    let is_noted = |o: &str, n: &str, v: &str| {
        journal.state.noted.contains(&(o.to_owned(), n.to_owned(), v.to_owned()))
    };
    P::plan_actions(
        actions,
        &Current {
            orders: &shop.orders,
            orders_complete: true,
            customers: &shop.customers,
            statuses: Some(&shop.statuses),
            carriers: &shop.carriers,
            today: crate::today(),
            noted: &is_noted,
        },
    )
}

/// What a write came to. If the credentials were refused while writing, the deliveries are
/// kept for the next try instead (what did land is satisfied then, and added history records
/// are journaled).
fn written(
    refused: Option<String>,
    applied: usize,
    mut satisfied: HashMap<usize, String>,
    failed: Failures,
) -> Result<Written, PassError> {
    if let Some(refusal) = refused {
        return Err(PassError::Credentials(refusal));
    }
    satisfied.retain(|i, _| !failed.reasons.contains_key(i));
    Ok(Written { applied, satisfied, failed })
}

/// Runs the rules: the same evaluation path as `shopflow rules test` and the npm package.
fn run_rules(service: &Service, work: &Work, shop: &ShopState) -> Evaluation {
    // What was seen of these orders before: only theirs, not the journal's whole map (the
    // journal is not held while rules run: webhooks keep being acknowledged).
    let (previous, since) = {
        let j = service.journal();
        let previous: HashMap<String, Seen> = shop
            .orders
            .keys()
            .filter_map(|n| j.state.seen.get(n).map(|s| (n.clone(), s.clone())))
            .collect();
        (previous, j.state.since.as_deref().and_then(|s| s.parse::<ApiDate>().ok()))
    };
    let before = |n: &str| previous.get(n).cloned();
    let known = Known {
        orders: &shop.orders,
        customers: &shop.customers,
        previous: &before,
        watching_since: since.as_ref(),
    };
    let evaluation = evaluate(&work.rules, &work.triggers, &known);
    for line in &evaluation.logs {
        tracing::info!(target: "shopflow::rules", "{line}");
    }
    evaluation
}

/// Outcomes and counters on the board; what was seen of the orders, and the deliveries
/// finished, in the journal.
fn record(
    service: &Service,
    evaluation: &mut Evaluation,
    shop: &ShopState,
    work: &Work,
    written: &Written,
    deliveries: &[Delivery],
    requests: u64,
) -> Result<(), PassError> {
    evaluation.decide(&written.satisfied, &written.failed.reasons);
    let held = held(evaluation, work, &written.failed);
    let runs = history::runs_of(evaluation, work, deliveries, requests, &now_text());
    let mut board = service.board();
    board.counters.actions_applied += written.applied as u64;
    board.counters.actions_satisfied += written.satisfied.len() as u64;
    board.counters.actions_failed += written.failed.reasons.len() as u64;
    board.counters.events_processed += work.records;
    for report in evaluation.events.drain(..) {
        let actions = report
            .rules
            .iter()
            .flat_map(|r| r.actions.iter().filter_map(|&i| evaluation.actions.get(i).cloned()))
            .collect();
        board.record(OutcomeRecord {
            at: now_text(),
            event: report.event,
            outcome: report.outcome,
            actions,
            reason: report.reason,
        });
    }
    drop(board);
    let seen: Vec<(String, Seen)> =
        shop.orders.values().map(|o| (o.number.clone(), Seen::of(o))).collect();
    let done = deliveries
        .iter()
        .map(|d| d.id)
        .filter(|id| !work.unreadable.contains(id) && !held.contains_key(id))
        .collect();
    service.journal().finish(seen, done)?;
    if let Err(e) = service.runs().append(&runs) {
        // History, not the promise to the shop: the pass stands without it.
        tracing::warn!(error = %e, "cannot record the run history");
    }
    hold(service, held)
}

/// What keeps a delivery from finishing: the shop refused one of its actions (why, and the
/// subjects its failed actions concern), or did not answer.
enum Held {
    Refused(String, BTreeSet<String>),
    Unanswered(String),
}

/// The deliveries whose actions the shop refused or did not answer: each failed action's
/// event names a subject, and every delivery that named it is held (not answered wins: no
/// try is counted for what may pass).
fn held(evaluation: &Evaluation, work: &Work, failed: &Failures) -> HashMap<u64, Held> {
    let mut held: HashMap<u64, Held> = HashMap::new();
    for report in &evaluation.events {
        let actions = report.rules.iter().flat_map(|r| r.actions.iter());
        for (i, cause) in actions.filter_map(|i| failed.causes.get(i).map(|c| (i, *c))) {
            let why = failed.reasons.get(i).cloned().unwrap_or_default();
            let subject = dead_letters::subject_name(&report.event.subject);
            for &id in work.from.get(&report.event.subject).into_iter().flatten() {
                match (held.get_mut(&id), cause) {
                    (Some(Held::Refused(_, subjects)), Cause::Refused) => {
                        subjects.insert(subject.clone());
                    }
                    (Some(Held::Unanswered(_)), _) => {}
                    (_, Cause::Refused) => {
                        let subjects = BTreeSet::from([subject.clone()]);
                        held.insert(id, Held::Refused(why.clone(), subjects));
                    }
                    (_, Cause::Transient) => {
                        held.insert(id, Held::Unanswered(why.clone()));
                    }
                }
            }
        }
    }
    held
}

/// Counts a try of each refused delivery (setting it aside after the last); the held
/// deliveries stay pending, and the pass says so to back off before the next.
fn hold(service: &Service, held: HashMap<u64, Held>) -> Result<(), PassError> {
    let mut waiting = 0usize;
    let mut why = String::new();
    for (id, h) in held {
        let waits = match h {
            Held::Refused(reason, subjects) => {
                let orders = subjects.into_iter().collect();
                dead_letters::refused(service, id, reason.clone(), orders)?.then_some(reason)
            }
            Held::Unanswered(reason) => Some(reason),
        };
        if let Some(reason) = waits {
            waiting += 1;
            why = reason;
        }
    }
    if waiting == 0 {
        return Ok(());
    }
    Err(PassError::Partly(format!("{waiting} deliveries wait for another try: {why}")))
}
