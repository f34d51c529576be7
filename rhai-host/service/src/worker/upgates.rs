//! The Upgates side of a pass: webhook batches in; orders and customers read 100 per GET
//! (`order_numbers=a;b;...`); actions merged per order into `PUT /orders` and
//! `PUT /customers` of 100 items, and history one `POST` per order. After a crash, the
//! orders of recovered deliveries have their history read first, so a record the shop
//! already has is not added again.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use shopflow_client::{Client, Error as ShopError};
use shopflow_core::automation::seam::{Platform, Reads, reads};
use shopflow_core::automation::{Action, Hook, model};
use shopflow_core::upgates::Upgates;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::neutral;
use shopflow_core::upgates::plan::{Plan, PlannedItem};
use shopflow_core::upgates::webhook::{WebhookEvent, parse_webhook};
use tokio::task::JoinSet;

use super::failure::{Cause, Failures, upgates_cause};
use super::{Lists, PassError, Read, ShopState, Work, Written, fresh, task_failed};
use crate::Service;
use crate::journal::{Delivery, Note};

/// A webhook batch's records, as triggers.
pub(super) fn read_delivery(d: &Delivery) -> Result<Read, String> {
    let event = d.event.parse::<WebhookEvent>().ok();
    let batch = parse_webhook(d.body.as_bytes(), event.as_ref()).map_err(|e| e.to_string())?;
    Ok(Read { triggers: Upgates::triggers(&batch), status_hints: Vec::new() })
}

/// Reads what the hooks need, and only that: orders 100 per GET, customers 100 per GET, and
/// the statuses (reused for a while).
pub(super) async fn read_shop(
    shop: &Client,
    work: &Work,
    lists: &mut Lists,
) -> Result<ShopState, PassError> {
    let handles = |hook: Hook| work.rules.iter().any(|(_, r)| r.handles(hook));
    let Reads { orders: numbers, customers: ids } = reads(&work.triggers, handles);
    let statuses = match fresh(&lists.statuses) {
        Some(list) => list,
        None => {
            let list = Arc::new(neutral::statuses(&shop.order_statuses().list().await?));
            lists.statuses = Some((tokio::time::Instant::now(), Arc::clone(&list)));
            list
        }
    };
    let orders: HashMap<String, Arc<model::Order>> = if numbers.is_empty() {
        HashMap::new()
    } else {
        let found = shop.orders().by_numbers(&numbers).await?;
        found
            .into_iter()
            .map(|o| {
                let mut n = neutral::order(&Arc::new(o));
                // Upgates tells canceled and sent only by the status's type.
                n.flags_from_status(&statuses);
                (n.number.clone(), Arc::new(n))
            })
            .collect()
    };
    let customers: HashMap<u64, Arc<model::Customer>> = if ids.is_empty() {
        HashMap::new()
    } else {
        let found = shop.customers().by_ids(&ids).await?;
        found
            .into_iter()
            .map(|c| (c.customer_id, Arc::new(neutral::customer(&Arc::new(c)))))
            .collect()
    };
    // Upgates keeps one tracking code without a carrier: no carriers are needed.
    Ok(ShopState { statuses, carriers: Arc::default(), orders, customers })
}

/// Plans every action into the fewest requests and sends them.
pub(super) async fn write_actions(
    service: &Arc<Service>,
    client: &Client,
    actions: &[Action],
    shop: &ShopState,
    work: &Work,
) -> Result<Written, PassError> {
    let mut planned = super::plan::<Upgates>(service, actions, shop);
    drop_recorded_history(service, client, &mut planned, &work.recovered_orders).await?;
    let satisfied = planned.satisfied.iter().cloned().collect();
    let mut failed = Failures::planned(&planned.refused);
    let applied = write(service, client, &planned, &mut failed).await;
    super::written(client.refused().map(|e| e.to_string()), applied, satisfied, failed)
}

/// After a crash, a planned history record the shop already has is satisfied, not resent.
async fn drop_recorded_history(
    service: &Service,
    client: &Client,
    planned: &mut Plan,
    recovered: &HashSet<String>,
) -> Result<(), PassError> {
    for h in planned.histories.iter_mut().filter(|h| recovered.contains(&h.order_number)) {
        let history = client.orders().history(&h.order_number).await?;
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

/// Why a request failed as a whole, and whether it may pass.
type Failure = (String, Cause);

/// Each item's outcome of a write whose request was answered (refused items included), or
/// why the request failed as a whole.
fn item_outcomes(r: Result<Vec<ItemOutcome>, ShopError>) -> Result<Vec<ItemOutcome>, Failure> {
    match r {
        Ok(outcomes) | Err(ShopError::ItemsFailed(outcomes)) => Ok(outcomes),
        Err(e) => {
            let cause = upgates_cause(&e);
            match e {
                ShopError::WriteFailed { error, .. } => Err((error.to_string(), cause)),
                e => Err((e.to_string(), cause)),
            }
        }
    }
}

/// Sends the plan; returns how many actions were applied and fills `failed`.
async fn write(service: &Service, client: &Client, planned: &Plan, failed: &mut Failures) -> usize {
    write_batches(client, planned, failed).await
        + write_histories(service, client, planned, failed).await
}

/// `PUT /orders` and `PUT /customers`, all at once (the client keeps 3 in flight).
async fn write_batches(client: &Client, planned: &Plan, failed: &mut Failures) -> usize {
    let mut applied = 0usize;
    let mut tasks: JoinSet<Result<Vec<ItemOutcome>, Failure>> = JoinSet::new();
    let mut carried: HashMap<tokio::task::Id, Vec<PlannedItem>> = HashMap::new();
    for w in &planned.order_updates {
        let (c, req) = (client.clone(), w.request.clone());
        let task = tasks.spawn(async move { item_outcomes(c.orders().update_request(req).await) });
        carried.insert(task.id(), w.items.clone());
    }
    for w in &planned.customer_updates {
        let (c, req) = (client.clone(), w.request.clone());
        let task =
            tasks.spawn(async move { item_outcomes(c.customers().update_request(req).await) });
        carried.insert(task.id(), w.items.clone());
    }
    while let Some(joined) = tasks.join_next_with_id().await {
        let (id, result) = match joined {
            Ok((id, result)) => (id, result),
            // A task that panicked would panic again: counted as refused, so it ends aside.
            Err(e) => (e.id(), Err((task_failed(&e), Cause::Refused))),
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
                        for &i in &item.actions {
                            failed.add(i, why.clone(), Cause::Refused);
                        }
                    }
                }
            }
            Err((e, cause)) => {
                for &i in items.iter().flat_map(|item| &item.actions) {
                    failed.add(i, e.clone(), cause);
                }
            }
        }
    }
    applied
}

/// History: one request per order, journaled in groups as they succeed.
async fn write_histories(
    service: &Service,
    client: &Client,
    planned: &Plan,
    failed: &mut Failures,
) -> usize {
    let mut applied = 0usize;
    for group in planned.histories.chunks(30) {
        let mut tasks: JoinSet<Result<(), Failure>> = JoinSet::new();
        let mut which: HashMap<tokio::task::Id, usize> = HashMap::new();
        for (k, h) in group.iter().enumerate() {
            let (c, number, req) = (client.clone(), h.order_number.clone(), h.request.clone());
            let task = tasks.spawn(async move {
                let added = c.orders().add_history(&number, &req).await;
                added.map(|_| ()).map_err(|e| (e.to_string(), upgates_cause(&e)))
            });
            which.insert(task.id(), k);
        }
        let mut notes: Vec<Note> = Vec::new();
        while let Some(joined) = tasks.join_next_with_id().await {
            let (id, result) = match joined {
                Ok((id, result)) => (id, result),
                Err(e) => (e.id(), Err((task_failed(&e), Cause::Refused))),
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
                Err((e, cause)) => {
                    for &i in &h.actions {
                        failed.add(i, e.clone(), cause);
                    }
                }
            }
        }
        if let Err(e) = service.journal().noted(notes) {
            tracing::error!(error = %e, "cannot journal added history records");
        }
    }
    applied
}
