//! The Retailys side of a pass: event callbacks and the poller's findings in; each order read
//! with `GET /System/Orders/{id}` (Retailys reads one order per request); actions planned as
//! spec §5 maps them, one request per change (`retailys::plan`), the calls of one order in
//! sequence and orders side by side (the client paces them under 100 a second).
//!
//! **Statuses.** A Retailys order carries no status (spec §3.1). An order's status is, in
//! this order: the one its status-change callback named in this pass, the one the journal
//! saw last, or else it is looked up by listing the orders of each status placed in the
//! window of the orders that need one (`GET /System/Orders?status_id=S&from=…&to=…`, one
//! request per status until all are found; in practice this is the new orders of a pass).
//!
//! **History.** Retailys has no way to read an order's history back, so a record added just
//! before a crash, and not yet journaled, can be added a second time after the restart; a
//! journaled one never is.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use chrono::{Offset, Utc};
use futures_util::StreamExt;
use shopflow_client::retailys::RetailysClient;
use shopflow_core::automation::seam::{Platform, Reads, reads};
use shopflow_core::automation::{Action, Hook, model};
use shopflow_core::date::ApiDate;
use shopflow_core::retailys::events::EventName;
use shopflow_core::retailys::neutral;
use shopflow_core::retailys::order::OrderModel;
use shopflow_core::retailys::plan::{Plan, PlannedCall, RetailysCall};
use shopflow_core::retailys::query::{OrderListQuery, PER_PAGE};
use shopflow_core::retailys::receiver::Callback;
use shopflow_core::retailys::{Retailys, poller::Polled};
use tokio::task::JoinSet;

use super::failure::{Cause, Failures, retailys_cause};
use super::{Lists, PassError, Read, ShopState, Work, Written, fresh, task_failed};
use crate::Service;
use crate::journal::{Delivery, Note};
use crate::retailys::{CALLBACK_PREFIX, CallbackBody, POLLED, PolledBody};

/// A journaled callback or poll, as triggers (and the status a callback named).
pub(super) fn read_delivery(d: &Delivery) -> Result<Read, String> {
    if d.event == POLLED {
        let body: PolledBody = serde_json::from_str(&d.body).map_err(|e| e.to_string())?;
        let triggers = body
            .orders
            .iter()
            .map(|&order_id| Polled { order_id, changes: Vec::new() }.trigger())
            .collect();
        return Ok(Read { triggers, status_hints: Vec::new() });
    }
    let name = d
        .event
        .strip_prefix(CALLBACK_PREFIX)
        .ok_or_else(|| format!("{:?} is not a Retailys event", d.event))?;
    let body: CallbackBody = serde_json::from_str(&d.body).map_err(|e| e.to_string())?;
    let callback =
        Callback { event: EventName::from(name), order_id: body.order, status_id: body.status };
    let hint = body
        .status
        .and_then(|s| u64::try_from(s).ok())
        .map(|s| (body.order.to_string(), s))
        .into_iter()
        .collect();
    Ok(Read { triggers: Retailys::triggers(&callback), status_hints: hint })
}

fn client_error(e: shopflow_client::retailys::Error) -> PassError {
    PassError::of(e.is_credentials(), retailys_cause(&e), e)
}

/// Reads the orders the hooks need, one request each, their statuses, and the statuses and
/// carriers lists (reused for a while). Retailys apps read no customers.
pub(super) async fn read_shop(
    service: &Service,
    client: &RetailysClient,
    work: &Work,
    lists: &mut Lists,
) -> Result<ShopState, PassError> {
    let handles = |hook: Hook| work.rules.iter().any(|(_, r)| r.handles(hook));
    let Reads { orders: numbers, .. } = reads(&work.triggers, handles);
    let statuses = statuses(client, lists).await?;
    let carriers = carriers(client, lists).await?;
    let found = read_orders(client, &numbers).await?;
    let status_of = statuses_of(service, client, work, &found, &statuses).await?;
    let orders = found
        .iter()
        .map(|o| {
            let mut n = neutral::order(o);
            n.status_id = status_of.get(&n.number).copied();
            n.status = n.status_id.and_then(|id| status_name(&statuses, id));
            (n.number.clone(), Arc::new(n))
        })
        .collect();
    Ok(ShopState { statuses, carriers, orders, customers: HashMap::new() })
}

fn status_name(statuses: &[model::Status], id: u64) -> Option<String> {
    statuses.iter().find(|s| s.id == Some(id)).and_then(model::Status::name).map(str::to_owned)
}

async fn statuses(
    client: &RetailysClient,
    lists: &mut Lists,
) -> Result<Arc<Vec<model::Status>>, PassError> {
    if let Some(list) = fresh(&lists.statuses) {
        return Ok(list);
    }
    let read = client.statuses().list().await.map_err(client_error)?;
    let list = Arc::new(neutral::statuses(&read));
    lists.statuses = Some((tokio::time::Instant::now(), Arc::clone(&list)));
    Ok(list)
}

async fn carriers(
    client: &RetailysClient,
    lists: &mut Lists,
) -> Result<Arc<Vec<(i64, String)>>, PassError> {
    if let Some(list) = fresh(&lists.carriers) {
        return Ok(list);
    }
    let read = client.shippers().list().await.map_err(client_error)?;
    let list = Arc::new(neutral::carriers(&read));
    lists.carriers = Some((tokio::time::Instant::now(), Arc::clone(&list)));
    Ok(list)
}

/// `GET /System/Orders/{id}` for each order, side by side. An order the shop no longer has
/// is left out (its hooks see nothing to run on).
async fn read_orders(
    client: &RetailysClient,
    numbers: &[String],
) -> Result<Vec<Arc<OrderModel>>, PassError> {
    let mut tasks = JoinSet::new();
    for id in numbers.iter().filter_map(|n| n.parse::<i64>().ok()) {
        let c = client.clone();
        tasks.spawn(async move { c.orders().get(id).await });
    }
    let mut out = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined.map_err(|e| PassError::Other(task_failed(&e)))? {
            Ok(order) => out.push(Arc::new(order)),
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(client_error(e)),
        }
    }
    out.sort_by_key(|o| o.id);
    Ok(out)
}

/// Each order's status: named by this pass's callbacks, else seen before, else looked up.
async fn statuses_of(
    service: &Service,
    client: &RetailysClient,
    work: &Work,
    found: &[Arc<OrderModel>],
    statuses: &[model::Status],
) -> Result<HashMap<String, u64>, PassError> {
    let mut known: HashMap<String, u64> = HashMap::new();
    let mut unknown = Vec::new();
    {
        let journal = service.journal();
        for o in found {
            let Some(id) = o.id else { continue };
            let number = id.to_string();
            let seen = journal.state.seen.get(&number).and_then(|s| s.status_id);
            match work.status_hints.get(&number).copied().or(seen) {
                Some(status) => {
                    known.insert(number, status);
                }
                None => unknown.push(Arc::clone(o)),
            }
        }
    }
    if !unknown.is_empty() {
        known.extend(look_up_statuses(client, &unknown, statuses).await?);
    }
    Ok(known)
}

/// Lists the orders of each status placed between the earliest and the latest of `orders`,
/// until every one of them is found.
async fn look_up_statuses(
    client: &RetailysClient,
    orders: &[Arc<OrderModel>],
    statuses: &[model::Status],
) -> Result<HashMap<String, u64>, PassError> {
    let mut wanted: BTreeSet<i64> = orders.iter().filter_map(|o| o.id).collect();
    let dates: Vec<ApiDate> = orders.iter().filter_map(|o| o.date_order).collect();
    let utc = |d: &&ApiDate| d.to_utc(Utc.fix());
    let from = dates.iter().min_by_key(utc).copied();
    let to = dates.iter().max_by_key(utc).copied();
    let mut out = HashMap::new();
    for status in statuses.iter().filter_map(|s| s.id.and_then(|id| i64::try_from(id).ok())) {
        if wanted.is_empty() {
            break;
        }
        let mut query = OrderListQuery::default();
        (query.status_id, query.from, query.to) = (Some(status), from, to);
        query.per_page = Some(PER_PAGE.1);
        query.expanded = Some(false);
        let mut listed = std::pin::pin!(client.orders().stream(query, |_| {}));
        while let Some(order) = listed.next().await {
            let Some(id) = order.map_err(client_error)?.id.filter(|id| wanted.remove(id)) else {
                continue;
            };
            if let Ok(s) = u64::try_from(status) {
                out.insert(id.to_string(), s);
            }
        }
    }
    Ok(out)
}

/// Plans the actions (spec §5) and sends them: each order's calls in sequence, orders side by
/// side; a history record is journaled as soon as it is added.
pub(super) async fn write_actions(
    service: &Arc<Service>,
    client: &RetailysClient,
    actions: &[Action],
    shop: &ShopState,
) -> Result<Written, PassError> {
    let planned: Plan = super::plan::<Retailys>(service, actions, shop);
    let satisfied = planned.satisfied.iter().cloned().collect();
    let mut failed = Failures::planned(&planned.refused);
    let applied = send_calls(service, client, planned.calls, &mut failed).await;
    super::written(client.refused().map(|e| e.to_string()), applied, satisfied, failed)
}

/// What one order's calls came to: the actions they carried, and those that failed.
struct OrderResult {
    carried: BTreeSet<usize>,
    failed: Vec<(usize, String, Cause)>,
    noted: Vec<Note>,
}

/// Sends every order's calls; returns how many actions were applied and fills `failed`.
async fn send_calls(
    service: &Service,
    client: &RetailysClient,
    calls: Vec<PlannedCall>,
    failed: &mut Failures,
) -> usize {
    let mut by_order: Vec<(i64, Vec<PlannedCall>)> = Vec::new();
    for call in calls {
        match by_order.last_mut() {
            Some((id, list)) if *id == call.order_id => list.push(call),
            _ => by_order.push((call.order_id, vec![call])),
        }
    }
    let mut tasks = JoinSet::new();
    let mut carried_by: HashMap<tokio::task::Id, BTreeSet<usize>> = HashMap::new();
    for (_, list) in by_order {
        let carried = list.iter().flat_map(|c| c.actions.iter().copied()).collect();
        let c = client.clone();
        let task = tasks.spawn(async move { order_calls(&c, list).await });
        carried_by.insert(task.id(), carried);
    }
    let mut applied = 0;
    while let Some(joined) = tasks.join_next_with_id().await {
        let result = match joined {
            Ok((_, r)) => r,
            Err(e) => {
                let why = task_failed(&e);
                let carried = carried_by.remove(&e.id()).unwrap_or_default();
                // A task that panicked would panic again: refused, so it ends aside.
                let failed = carried.iter().map(|&i| (i, why.clone(), Cause::Refused)).collect();
                OrderResult { carried, failed, noted: Vec::new() }
            }
        };
        applied += result.carried.len() - result.failed.len();
        for (i, why, cause) in result.failed {
            failed.add(i, why, cause);
        }
        if let Err(e) = service.journal().noted(result.noted) {
            tracing::error!(error = %e, "cannot journal added history records");
        }
    }
    applied
}

/// One order's calls in sequence. After a failure the rest are not sent: they belong to the
/// same change, and a later one may depend on an earlier (a parcel is sent before delivered).
async fn order_calls(client: &RetailysClient, calls: Vec<PlannedCall>) -> OrderResult {
    let carried: BTreeSet<usize> = calls.iter().flat_map(|c| c.actions.iter().copied()).collect();
    let mut failed: Vec<(usize, String, Cause)> = Vec::new();
    let mut done: HashSet<usize> = HashSet::new();
    let mut noted = Vec::new();
    let mut stop: Option<(String, Cause)> = None;
    for call in &calls {
        if let Some((why, cause)) = &stop {
            let why =
                format!("not sent: an earlier request for order {} failed ({why})", call.order_id);
            let not_done = call.actions.iter().filter(|i| !done.contains(i));
            failed.extend(not_done.map(|&i| (i, why.clone(), *cause)));
            continue;
        }
        match client.orders().call(call.order_id, &call.call).await {
            Ok(_) => {
                done.extend(call.actions.iter().copied());
                if let RetailysCall::History(h) = &call.call {
                    noted.push(history_note(call.order_id, h));
                }
            }
            Err(e) => {
                let (why, cause) = (e.to_string(), retailys_cause(&e));
                failed.extend(call.actions.iter().map(|&i| (i, why.clone(), cause)));
                stop = Some((why, cause));
            }
        }
    }
    // An action carried by a call that succeeded and one that failed has failed.
    failed.sort_by_key(|f| f.0);
    failed.dedup_by_key(|f| f.0);
    OrderResult { carried, failed, noted }
}

/// The journal's record of an added history record: order, name, value (Retailys keeps the
/// value as `record.status`).
fn history_note(order_id: i64, h: &shopflow_core::retailys::requests::HistoryPostRequest) -> Note {
    let record = h.record.as_ref();
    (
        order_id.to_string(),
        record.and_then(|r| r.name.clone()).unwrap_or_default(),
        record.and_then(|r| r.status.clone()).unwrap_or_default(),
    )
}
