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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use shopflow_client::Error as ShopError;
use shopflow_core::automation::{
    Action, Hook, Seen, Subject, Trigger, TriggerKind, events_for, triggers,
};
use shopflow_core::date::ApiDate;
use shopflow_core::upgates::customer::Customer;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::order::Order;
use shopflow_core::upgates::order_status::OrderStatus;
use shopflow_core::upgates::plan::{Current, Plan, PlannedItem, plan};
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use shopflow_rules::dry_run::input_for;
use shopflow_rules::outcome_of;
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
    let mut statuses: Option<(tokio::time::Instant, Arc<Vec<OrderStatus>>)> = None;
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

/// One hook call of this pass.
struct Call {
    event: shopflow_core::automation::RuleEvent,
    actions: Vec<usize>,
    errors: Vec<String>,
}

/// Processes `deliveries` as one batch.
async fn pass(
    service: &Arc<Service>,
    deliveries: &[Delivery],
    statuses: &mut Option<(tokio::time::Instant, Arc<Vec<OrderStatus>>)>,
) -> Result<(), PassError> {
    // Read every delivery; coalesce the same record named twice.
    let mut seen_triggers: HashSet<(TriggerKind, Subject)> = HashSet::new();
    let mut work: Vec<Trigger> = Vec::new();
    let mut records = 0u64;
    // Orders of deliveries that were pending when the service started: their history is
    // read before records are added (see drop_recorded_history).
    let mut recovered_orders: HashSet<String> = HashSet::new();
    let recovered = service.journal().state.recovered.clone();
    for d in deliveries {
        let event = d.event.parse::<WebhookEvent>().ok();
        match parse_webhook(d.body.as_bytes(), event.as_ref()) {
            Ok(batch) => {
                let ts = triggers(&batch);
                records += ts.len() as u64;
                for t in ts {
                    if let Subject::Order(n) = &t.subject
                        && recovered.contains(&d.id)
                    {
                        recovered_orders.insert(n.clone());
                    }
                    if seen_triggers.insert((t.kind, t.subject.clone())) {
                        work.push(t);
                    }
                }
            }
            Err(e) => {
                records += 1;
                service.board().delivery_failed(DeliveryFailure {
                    at: now_text(),
                    event: d.event.clone(),
                    reason: format!("delivery {} could not be read: {e}", d.id),
                });
            }
        }
    }

    // Read what the hooks need, and only that.
    let needs =
        |hooks: &[Hook]| service.rules.iter().any(|(_, r)| hooks.iter().any(|h| r.handles(*h)));
    let order_hooks = needs(&[Hook::OrderCreated, Hook::OrderUpdated, Hook::OrderPaid]);
    let customer_hooks = needs(&[Hook::CustomerCreated, Hook::CustomerUpdated]);
    let numbers: Vec<String> = unique(work.iter().filter_map(|t| match (&t.subject, t.kind) {
        (Subject::Order(n), TriggerKind::Created | TriggerKind::Updated) if order_hooks => {
            Some(n.clone())
        }
        _ => None,
    }));
    let ids: Vec<u64> = unique(work.iter().filter_map(|t| match (&t.subject, t.kind) {
        (Subject::Customer(id), TriggerKind::Created | TriggerKind::Updated) if customer_hooks => {
            Some(*id)
        }
        _ => None,
    }));
    let orders: HashMap<String, Arc<Order>> = if numbers.is_empty() {
        HashMap::new()
    } else {
        service
            .shop
            .orders()
            .by_numbers(&numbers)
            .await?
            .into_iter()
            .map(|o| (o.order_number.clone(), Arc::new(o)))
            .collect()
    };
    let customers: HashMap<u64, Arc<Customer>> = if ids.is_empty() {
        HashMap::new()
    } else {
        service
            .shop
            .customers()
            .by_ids(&ids)
            .await?
            .into_iter()
            .map(|c| (c.customer_id, Arc::new(c)))
            .collect()
    };
    let status_list = match statuses {
        Some((at, list)) if at.elapsed() < STATUSES_FOR => Arc::clone(list),
        _ => {
            let list = Arc::new(service.shop.order_statuses().list().await?);
            *statuses = Some((tokio::time::Instant::now(), Arc::clone(&list)));
            list
        }
    };

    // Run the rules.
    // What was seen of these orders before: only theirs, not the journal's whole map.
    let (previous, since) = {
        let j = service.journal();
        let previous: HashMap<&str, Seen> = orders
            .keys()
            .filter_map(|n| j.state.seen.get(n).map(|s| (n.as_str(), s.clone())))
            .collect();
        (previous, j.state.since.as_deref().and_then(|s| s.parse::<ApiDate>().ok()))
    };
    let mut actions: Vec<Action> = Vec::new();
    let mut calls: Vec<Call> = Vec::new();
    for t in &work {
        let (order, before) = match &t.subject {
            Subject::Order(n) => (orders.get(n).map(Arc::as_ref), previous.get(n.as_str())),
            Subject::Customer(_) => (None, None),
        };
        for event in events_for(t, order, before, since.as_ref()) {
            // A hook no rule defines is not an event anyone asked about.
            if !service.rules.iter().any(|(_, r)| r.handles(event.hook)) {
                continue;
            }
            let mut call = Call { event, actions: Vec::new(), errors: Vec::new() };
            if let Some(input) = input_for(&call.event, &orders, &customers) {
                for (name, rules) in
                    service.rules.iter().filter(|(_, r)| r.handles(call.event.hook))
                {
                    let run = rules.run(&call.event, input.clone());
                    for line in &run.logs {
                        eprintln!("[{name}] {line}");
                    }
                    if let Some(e) = run.error {
                        call.errors.push(format!("{name}: {}: {e}", e.kind.code()));
                    }
                    let first = actions.len();
                    actions.extend(run.actions);
                    call.actions.extend(first..actions.len());
                }
            }
            calls.push(call);
        }
    }

    // Plan and write.
    let today: ApiDate = super::today();
    let mut planned = {
        // Planning is quick and never awaits: the journal is looked up in place, not copied.
        let journal = service.journal();
        let is_noted = |o: &str, n: &str, v: &str| {
            journal.state.noted.contains(&(o.to_owned(), n.to_owned(), v.to_owned()))
        };
        plan(
            &actions,
            &Current {
                orders: &orders,
                orders_complete: true,
                customers: &customers,
                statuses: Some(&status_list),
                today,
                noted: &is_noted,
            },
        )
    };
    drop_recorded_history(service, &mut planned, &recovered_orders).await?;
    let mut satisfied: HashMap<usize, String> = planned.satisfied.iter().cloned().collect();
    let mut failed: HashMap<usize, String> = planned.refused.iter().cloned().collect();
    let applied = write(service, &planned, &mut failed).await;
    if let Some(refusal) = service.shop.refused() {
        // The credentials were refused while writing: keep the deliveries for the next try
        // (what did land is satisfied then, and added history notes are journaled).
        return Err(PassError::Credentials(refusal.to_string()));
    }
    satisfied.retain(|i, _| !failed.contains_key(i));

    // Outcomes, counters, and the journal.
    let mut board = service.board();
    board.counters.actions_applied += applied as u64;
    board.counters.actions_satisfied += satisfied.len() as u64;
    board.counters.actions_failed += failed.len() as u64;
    board.counters.events_processed += records;
    for call in calls {
        let (outcome, reason) = outcome_of(&call.errors, &call.actions, &satisfied, &failed);
        let acts = call.actions.iter().filter_map(|&i| actions.get(i).cloned()).collect();
        board.record(OutcomeRecord {
            at: now_text(),
            event: call.event,
            outcome,
            actions: acts,
            reason,
        });
    }
    drop(board);
    let seen: Vec<(String, Seen)> =
        orders.values().map(|o| (o.order_number.clone(), Seen::of(o))).collect();
    Ok(service.journal().finish(seen, deliveries.iter().map(|d| d.id).collect())?)
}

fn unique<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
    items.collect::<BTreeSet<T>>().into_iter().collect()
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

/// A write request's items and what the shop said of each.
type WriteResult = (Vec<PlannedItem>, Result<Vec<ItemOutcome>, String>);

/// Sends the plan; returns how many actions were applied and fills `failed`.
async fn write(
    service: &Arc<Service>,
    planned: &Plan,
    failed: &mut HashMap<usize, String>,
) -> usize {
    let mut applied = 0usize;
    let mut tasks: JoinSet<WriteResult> = JoinSet::new();
    for w in &planned.order_updates {
        let (s, req, items) = (Arc::clone(service), w.request.clone(), w.items.clone());
        tasks.spawn(
            async move { (items, item_outcomes(s.shop.orders().update_request(req).await)) },
        );
    }
    for w in &planned.customer_updates {
        let (s, req, items) = (Arc::clone(service), w.request.clone(), w.items.clone());
        tasks.spawn(
            async move { (items, item_outcomes(s.shop.customers().update_request(req).await)) },
        );
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((items, result)) = joined else { continue };
        match result {
            Ok(outcomes) => {
                for (item, outcome) in items.iter().zip(outcomes) {
                    if outcome.ok {
                        applied += item.actions.len();
                    } else {
                        let why = outcome
                            .messages
                            .iter()
                            .map(|m| m.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ");
                        let why = format!("the shop refused {}: {why}", item.key);
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

    // History: one request per order, journaled in groups as they succeed.
    for group in planned.histories.chunks(30) {
        let mut tasks: JoinSet<(usize, Result<(), String>)> = JoinSet::new();
        for (k, h) in group.iter().enumerate() {
            let (s, number, req) = (Arc::clone(service), h.order_number.clone(), h.request.clone());
            tasks.spawn(async move {
                let added = s.shop.orders().add_history(&number, &req).await;
                (k, added.map(|_| ()).map_err(|e| e.to_string()))
            });
        }
        let mut notes: Vec<Note> = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let Ok((k, result)) = joined else { continue };
            let Some(h) = group.get(k) else { continue };
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
