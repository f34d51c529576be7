//! A write of many items, as the core's `BatchWrite` runs it: chunks built and validated
//! here, sent at most `concurrency` at a time.

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Map, Value};
use shopflow_core::exchange::write::{BatchError, BatchWrite, Chunk, Reconcile};
use shopflow_core::upgates::ApiError;
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::wire::{
    UpgatesWire, customers_created, customers_updated, orders_created, orders_updated,
};
use shopflow_core::validation::Problems;

use super::{Inner, run};
use crate::envelope::{ErrorInfo, err, ok};
use crate::request::Config;
use crate::request::build_spec;

/// An item's key (order number, external number, login e-mail), for reconciling.
type KeyOf = fn(&Value) -> Option<String>;

/// How a write operation's answers are read and its items keyed.
fn kind_of(op: &str) -> Option<(Reconcile<ItemOutcome, ApiError>, KeyOf)> {
    fn text(v: Option<&Value>) -> Option<String> {
        v.and_then(Value::as_str).map(str::to_owned)
    }
    Some(match op {
        "createOrders" => (orders_created, |v| text(v.get("external_order_number"))),
        "updateOrders" => (orders_updated, |v| text(v.get("order_number"))),
        "createCustomers" => {
            (customers_created, |v| text(v.get("login").and_then(|l| l.get("email"))))
        }
        "updateCustomers" => {
            (customers_updated, |v| text(v.get("login").and_then(|l| l.get("email"))))
        }
        _ => return None,
    })
}

fn body(shared: &Map<String, Value>, list_key: &str, items: &[Value]) -> String {
    let mut args = shared.clone();
    args.insert(list_key.to_owned(), Value::Array(items.to_vec()));
    Value::Object(args).to_string()
}

/// The write, to the envelope text of its outcomes or its error.
pub(crate) async fn write(
    inner: &Inner<UpgatesWire, Config>,
    op: &str,
    list_key: &str,
    shared: &str,
    items: &str,
) -> String {
    match write_items(inner, op, list_key, shared, items).await {
        Ok(results) => ok(&results),
        Err(e) => err(&e),
    }
}

async fn write_items(
    inner: &Inner<UpgatesWire, Config>,
    op: &str,
    list_key: &str,
    shared: &str,
    items: &str,
) -> Result<Vec<ItemOutcome>, ErrorInfo> {
    let (reconcile, key_of) = kind_of(op)
        .ok_or_else(|| ErrorInfo::new("VALIDATION", format!("{op:?} is not a batched write")))?;
    let bad = |what: &str, e: serde_json::Error| {
        ErrorInfo::new("VALIDATION", format!("{what} must be JSON: {e}"))
    };
    let shared: Map<String, Value> = serde_json::from_str(shared).map_err(|e| bad("shared", e))?;
    let items: Vec<Value> = serde_json::from_str(items).map_err(|e| bad(list_key, e))?;
    if items.is_empty() {
        // The builder says what an empty write lacks.
        build_spec(&inner.config, &inner.base_url(), op, &body(&shared, list_key, &items))?;
        return Ok(Vec::new());
    }
    let max = shopflow_core::batch::MAX_ITEMS_PER_REQUEST;
    let mut chunks = Vec::new();
    for (i, part) in items.chunks(max).enumerate() {
        let offset = i * max;
        let keys = part.iter().map(key_of).collect();
        let built =
            build_spec(&inner.config, &inner.base_url(), op, &body(&shared, list_key, part));
        chunks.push((
            offset,
            match built {
                Ok(spec) => Ok(Chunk { offset, spec, keys }),
                Err(e) if !e.problems.is_empty() => Err(Problems(e.problems)),
                Err(e) => return Err(e),
            },
        ));
    }
    let mut batch =
        BatchWrite::<UpgatesWire, ItemOutcome>::new(items.len(), list_key, chunks, reconcile)
            .map_err(|p| ErrorInfo::from(p).nothing_sent())?;
    let lanes = inner.lanes();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < lanes {
            let Some((id, call)) = batch.next_chunk() else { break };
            running.push(async move { (id, run(inner, call).await) });
        }
        let Some((id, result)) = running.next().await else { break };
        batch.chunk_done(id, result);
    }
    batch.finish().map_err(|e| match e {
        BatchError::Call { error, results } => ErrorInfo::from(&error).with_results(&results),
        BatchError::ItemsFailed(results) => ErrorInfo::items_failed(&results),
    })
}
