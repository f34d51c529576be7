//! The worker: journaled deliveries in, the fewest API calls out.
//!
//! A pass takes every unfinished delivery (so deliveries arriving together are coalesced),
//! dedupes their records, reads the orders and customers the hooks need with
//! `order_numbers=a;b;...` (100 per GET), runs the rules, plans all actions together (merged
//! per order, 100 orders per PUT) and writes. Each hook call gets an outcome. Only then are
//! the deliveries marked finished; if the shop cannot be reached, they stay in the journal
//! and the pass is tried again later.
//!
//! When the shop refuses the credentials (401/403), the client sends nothing more and the
//! worker waits [`CREDENTIALS_RETRY`] before one more try: deliveries keep arriving and
//! stay journaled, `/status` says why, and a restart with corrected credentials tries at
//! once. Five refused logins in an hour lock the shop's API user, for every integration.
//!
//! History records are the one write that is not idempotent. A record is journaled as added
//! after its POST succeeds; after a crash, the orders of recovered deliveries have their
//! history read first, so a record the shop already has is not added again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use shopflow_client::Error as ShopError;
use shopflow_core::automation::model;
use shopflow_core::automation::seam::{Platform, Reads, reads};
use shopflow_core::automation::{Action, Hook, Seen, Subject, Trigger, TriggerKind};
use shopflow_core::date::ApiDate;
use shopflow_core::upgates::Upgates;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::neutral;
use shopflow_core::upgates::plan::{Current, Plan, PlannedItem};
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use shopflow_rules::{Evaluation, Known, evaluate};
use tokio::task::JoinSet;

use super::Service;
use super::board::{DeliveryFailure, OutcomeRecord};
use super::journal::{Delivery, Note};

/// How long a pass waits for more deliveries to arrive together.
const COALESCE: Duration = Duration::from_millis(150);
/// How long statuses are reused before they are read again.
const STATUSES_FOR: Duration = Duration::from_secs(600);
/// How long the worker waits after the shop refused the credentials before trying once more.
pub const CREDENTIALS_RETRY: Duration = Duration::from_secs(15 * 60);

/// Why a pass did not finish.
#[derive(Debug)]
enum PassError {
    /// The shop refused the credentials: nothing more is sent until they are reset.
    Credentials(String),
    /// Anything else (the shop unreachable, a journal write failed): retried with backoff.
    Other(String),
}

impl From<ShopError> for PassError {
    fn from(e: ShopError) -> Self {
        if e.is_credentials() {
            PassError::Credentials(e.to_string())
        } else {
            PassError::Other(e.to_string())
        }
    }
}

impl From<String> for PassError {
    fn from(e: String) -> Self {
        PassError::Other(e)
    }
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Runs passes until the process ends.
pub async fn run(service: Arc<Service>) {
    let mut statuses: Option<(tokio::time::Instant, Arc<Vec<model::Status>>)> = None;
    let mut backoff = Duration::from_secs(1);
    loop {
        if service.shop.refused().is_some() {
            // Deliveries keep being journaled meanwhile; nothing is sent.
            tokio::time::sleep(CREDENTIALS_RETRY).await;
            service.shop.reset_credentials();
        }
        let waiting = service.journal().state.pending.len();
        if waiting == 0 {
            service.wake.notified().await;
            tokio::time::sleep(COALESCE).await;
            continue;
        }
        let deliveries: Vec<Delivery> = service.journal().state.pending.values().cloned().collect();
        match pass(&service, &deliveries, &mut statuses).await {
            Ok(()) => {
                backoff = Duration::from_secs(1);
                service.board().shop_error = None;
            }
            Err(PassError::Credentials(e)) => {
                let next = Utc::now() + CREDENTIALS_RETRY;
                let why = format!(
                    "{e}. Nothing is sent to the shop until {} (one try every {} minutes), or until the service restarts with corrected credentials; every delivery is kept.",
                    next.to_rfc3339_opts(SecondsFormat::Secs, true),
                    CREDENTIALS_RETRY.as_secs() / 60
                );
                eprintln!("{why}");
                service.board().shop_error = Some(why);
            }
            Err(PassError::Other(e)) => {
                eprintln!("the pass failed, retrying in {}s: {e}", backoff.as_secs());
                service.board().shop_error = Some(e);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
        let mut board = service.board();
        board.pending_deliveries = service.journal().state.pending.len();
        board.counters.api_requests = service.shop.requests_sent();
        board.rate_budget = Some(service.shop.budget());
    }
}

/// The deliveries of a pass, read: their triggers (each record once), how many records they
/// named, and the orders of deliveries recovered after a restart.
struct Work {
    triggers: Vec<Trigger>,
    records: u64,
    recovered_orders: HashSet<String>,
}

/// What the shop holds of a pass's records, as rules and the merge see them (the neutral
/// model).
struct ShopState {
    statuses: Arc<Vec<model::Status>>,
    orders: HashMap<String, Arc<model::Order>>,
    customers: HashMap<u64, Arc<model::Customer>>,
}

/// What became of a pass's actions.
struct Written {
    applied: usize,
    satisfied: HashMap<usize, String>,
    failed: HashMap<usize, String>,
}

/// Processes `deliveries` as one batch, in stages: read, run, write, record.
async fn pass(
    service: &Arc<Service>,
    deliveries: &[Delivery],
    statuses: &mut Option<(tokio::time::Instant, Arc<Vec<model::Status>>)>,
) -> Result<(), PassError> {
    let work = read_deliveries(service, deliveries);
    let shop = read_shop(service, &work, statuses).await?;
    let mut evaluation = run_rules(service, &work, &shop);
    let written = write_actions(service, &evaluation.actions, &shop, &work).await?;
    record(service, &mut evaluation, &shop, &work, &written, deliveries)
}

/// Reads every delivery; the same record named twice is one trigger.
fn read_deliveries(service: &Service, deliveries: &[Delivery]) -> Work {
    let mut seen: HashSet<(TriggerKind, Subject)> = HashSet::new();
    let mut work = Work { triggers: Vec::new(), records: 0, recovered_orders: HashSet::new() };
    let recovered = service.journal().state.recovered.clone();
    for d in deliveries {
        let event = d.event.parse::<WebhookEvent>().ok();
        match parse_webhook(d.body.as_bytes(), event.as_ref()) {
            Ok(batch) => {
                let ts = Upgates::triggers(&batch);
                work.records += ts.len() as u64;
                for t in ts {
                    // Their history is read before records are added (drop_recorded_history).
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
                service.board().delivery_failed(DeliveryFailure {
                    at: now_text(),
                    event: d.event.clone(),
                    reason: format!("delivery {} could not be read: {e}", d.id),
                });
            }
        }
    }
    work
}

/// Reads what the hooks need, and only that: orders 100 per GET, customers 100 per GET, and
/// the statuses (reused for a while).
async fn read_shop(
    service: &Service,
    work: &Work,
    statuses: &mut Option<(tokio::time::Instant, Arc<Vec<model::Status>>)>,
) -> Result<ShopState, PassError> {
    let handles = |hook: Hook| service.rules.iter().any(|(_, r)| r.handles(hook));
    let Reads { orders: numbers, customers: ids } = reads(&work.triggers, handles);
    let orders: HashMap<String, Arc<model::Order>> = if numbers.is_empty() {
        HashMap::new()
    } else {
        let found = service.shop.orders().by_numbers(&numbers).await?;
        found
            .into_iter()
            .map(|o| (o.order_number.clone(), Arc::new(neutral::order(&Arc::new(o)))))
            .collect()
    };
    let customers: HashMap<u64, Arc<model::Customer>> = if ids.is_empty() {
        HashMap::new()
    } else {
        let found = service.shop.customers().by_ids(&ids).await?;
        found
            .into_iter()
            .map(|c| (c.customer_id, Arc::new(neutral::customer(&Arc::new(c)))))
            .collect()
    };
    let statuses = match statuses {
        Some((at, list)) if at.elapsed() < STATUSES_FOR => Arc::clone(list),
        _ => {
            let list = Arc::new(neutral::statuses(&service.shop.order_statuses().list().await?));
            *statuses = Some((tokio::time::Instant::now(), Arc::clone(&list)));
            list
        }
    };
    Ok(ShopState { statuses, orders, customers })
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
    let evaluation = evaluate(&service.rules, &work.triggers, &known);
    for line in &evaluation.logs {
        eprintln!("{line}");
    }
    evaluation
}

/// Plans every action into the fewest requests and sends them.
async fn write_actions(
    service: &Arc<Service>,
    actions: &[Action],
    shop: &ShopState,
    work: &Work,
) -> Result<Written, PassError> {
    let mut planned = {
        // Planning is quick and never awaits: the journal is looked up in place, not copied.
        let journal = service.journal();
        let is_noted = |o: &str, n: &str, v: &str| {
            journal.state.noted.contains(&(o.to_owned(), n.to_owned(), v.to_owned()))
        };
        Upgates::plan_actions(
            actions,
            &Current {
                orders: &shop.orders,
                orders_complete: true,
                customers: &shop.customers,
                statuses: Some(&shop.statuses),
                // Upgates keeps one tracking code without a carrier: none are read.
                carriers: &[],
                today: super::today(),
                noted: &is_noted,
            },
        )
    };
    drop_recorded_history(service, &mut planned, &work.recovered_orders).await?;
    let mut satisfied: HashMap<usize, String> = planned.satisfied.iter().cloned().collect();
    let mut failed: HashMap<usize, String> = planned.refused.iter().cloned().collect();
    let applied = write(service, &planned, &mut failed).await;
    if let Some(refusal) = service.shop.refused() {
        // The credentials were refused while writing: keep the deliveries for the next try
        // (what did land is satisfied then, and added history notes are journaled).
        return Err(PassError::Credentials(refusal.to_string()));
    }
    satisfied.retain(|i, _| !failed.contains_key(i));
    Ok(Written { applied, satisfied, failed })
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
) -> Result<(), PassError> {
    evaluation.decide(&written.satisfied, &written.failed);
    let mut board = service.board();
    board.counters.actions_applied += written.applied as u64;
    board.counters.actions_satisfied += written.satisfied.len() as u64;
    board.counters.actions_failed += written.failed.len() as u64;
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
    Ok(service.journal().finish(seen, deliveries.iter().map(|d| d.id).collect())?)
}

/// After a crash, a planned history record the shop already has is satisfied, not resent.
async fn drop_recorded_history(
    service: &Service,
    planned: &mut Plan,
    recovered: &HashSet<String>,
) -> Result<(), PassError> {
    for h in planned.histories.iter_mut().filter(|h| recovered.contains(&h.order_number)) {
        let history = service.shop.orders().history(&h.order_number).await?;
        let present: HashSet<(String, String)> = history
            .history
            .iter()
            .flat_map(|e| e.data.iter())
            .filter_map(|d| Some((d.name.clone()?, d.value.clone()?)))
            .collect();
        let mut keep_data = Vec::new();
        let mut keep_actions = Vec::new();
        let mut found = Vec::new();
        for (d, &i) in h.request.data.iter().zip(&h.actions) {
            let key = (d.name.clone().unwrap_or_default(), d.value.clone().unwrap_or_default());
            if present.contains(&key) {
                planned
                    .satisfied
                    .push((i, format!("the history record {:?} was added before", key.0)));
                found.push((h.order_number.clone(), key.0, key.1));
            } else {
                keep_data.push(d.clone());
                keep_actions.push(i);
            }
        }
        h.request.data = keep_data;
        h.actions = keep_actions;
        service.journal().noted(found)?;
    }
    planned.histories.retain(|h| !h.request.data.is_empty());
    Ok(())
}

/// Each item's outcome of a write whose request was answered (refused items included), or
/// why the request failed as a whole.
fn item_outcomes(r: Result<Vec<ItemOutcome>, ShopError>) -> Result<Vec<ItemOutcome>, String> {
    match r {
        Ok(outcomes) | Err(ShopError::ItemsFailed(outcomes)) => Ok(outcomes),
        Err(ShopError::WriteFailed { error, .. }) => Err(error.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Why a write task ended without a result: it panicked or was cancelled. Its actions are
/// failed with this, never counted as applied.
fn task_failed(e: &tokio::task::JoinError) -> String {
    format!("the write failed inside the service ({e}); it will not be retried by this pass")
}

/// Sends the plan; returns how many actions were applied and fills `failed`.
async fn write(
    service: &Arc<Service>,
    planned: &Plan,
    failed: &mut HashMap<usize, String>,
) -> usize {
    write_batches(service, planned, failed).await + write_histories(service, planned, failed).await
}

/// `PUT /orders` and `PUT /customers`, all at once (the client keeps 3 in flight).
async fn write_batches(
    service: &Arc<Service>,
    planned: &Plan,
    failed: &mut HashMap<usize, String>,
) -> usize {
    let mut applied = 0usize;
    let mut tasks: JoinSet<Result<Vec<ItemOutcome>, String>> = JoinSet::new();
    let mut carried: HashMap<tokio::task::Id, Vec<PlannedItem>> = HashMap::new();
    for w in &planned.order_updates {
        let (s, req) = (Arc::clone(service), w.request.clone());
        let task =
            tasks.spawn(async move { item_outcomes(s.shop.orders().update_request(req).await) });
        carried.insert(task.id(), w.items.clone());
    }
    for w in &planned.customer_updates {
        let (s, req) = (Arc::clone(service), w.request.clone());
        let task =
            tasks.spawn(async move { item_outcomes(s.shop.customers().update_request(req).await) });
        carried.insert(task.id(), w.items.clone());
    }
    while let Some(joined) = tasks.join_next_with_id().await {
        let (id, result) = match joined {
            Ok((id, result)) => (id, result),
            Err(e) => (e.id(), Err(task_failed(&e))),
        };
        let items = carried.remove(&id).unwrap_or_default();
        match result {
            Ok(outcomes) => {
                for (item, outcome) in items.iter().zip(outcomes) {
                    if outcome.ok {
                        applied += item.actions.len();
                    } else {
                        let why: Vec<&str> =
                            outcome.messages.iter().map(|m| m.message.as_str()).collect();
                        let why = format!("the shop refused {}: {}", item.key, why.join("; "));
                        failed.extend(item.actions.iter().map(|&i| (i, why.clone())));
                    }
                }
            }
            Err(e) => {
                for item in &items {
                    failed.extend(item.actions.iter().map(|&i| (i, e.clone())));
                }
            }
        }
    }
    applied
}

/// History: one request per order, journaled in groups as they succeed.
async fn write_histories(
    service: &Arc<Service>,
    planned: &Plan,
    failed: &mut HashMap<usize, String>,
) -> usize {
    let mut applied = 0usize;
    for group in planned.histories.chunks(30) {
        let mut tasks: JoinSet<Result<(), String>> = JoinSet::new();
        let mut which: HashMap<tokio::task::Id, usize> = HashMap::new();
        for (k, h) in group.iter().enumerate() {
            let (s, number, req) = (Arc::clone(service), h.order_number.clone(), h.request.clone());
            let task = tasks.spawn(async move {
                let added = s.shop.orders().add_history(&number, &req).await;
                added.map(|_| ()).map_err(|e| e.to_string())
            });
            which.insert(task.id(), k);
        }
        let mut notes: Vec<Note> = Vec::new();
        while let Some(joined) = tasks.join_next_with_id().await {
            let (id, result) = match joined {
                Ok((id, result)) => (id, result),
                Err(e) => (e.id(), Err(task_failed(&e))),
            };
            let Some(h) = which.get(&id).and_then(|&k| group.get(k)) else { continue };
            match result {
                Ok(()) => {
                    applied += h.actions.len();
                    notes.extend(h.request.data.iter().map(|d| {
                        (
                            h.order_number.clone(),
                            d.name.clone().unwrap_or_default(),
                            d.value.clone().unwrap_or_default(),
                        )
                    }));
                }
                Err(e) => failed.extend(h.actions.iter().map(|&i| (i, e.clone()))),
            }
        }
        if let Err(e) = service.journal().noted(notes) {
            eprintln!("cannot journal added history records: {e}");
        }
    }
    applied
}
