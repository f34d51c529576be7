//! Deliveries the shop refuses for good do not hold up the rest: each refused try is counted
//! in the journal, and after [`MAX_TRIES`] the delivery is set aside (a dead letter) with the
//! API's reason and the orders it concerns, for an operator to retry or drop. A delivery that
//! cannot be read at all is set aside at once. Every other delivery of the pass is finished.

use chrono::{SecondsFormat, Utc};
use shopflow_core::automation::Subject;

use crate::Service;
use crate::journal::Delivery;

/// Tries before a refused delivery is set aside. Three: a refusal the shop repeats three
/// times, over the pass backoff's seconds, is the shop's answer, not a passing state; a
/// refusal caused by another order's write in the same pass (the first try) gets two more.
pub const MAX_TRIES: u32 = 3;

/// A subject as the dead letters and the run history name it: the order number, or
/// `customer ID`.
pub(super) fn subject_name(s: &Subject) -> String {
    match s {
        Subject::Order(n) => n.clone(),
        Subject::Customer(id) => format!("customer {id}"),
    }
}

/// Counts a refused try of delivery `id`; sets it aside once it has had [`MAX_TRIES`].
/// Returns whether it waits for another try (`false`: set aside).
///
/// # Errors
/// The journal cannot be written.
pub(super) fn refused(
    service: &Service,
    id: u64,
    reason: String,
    orders: Vec<String>,
) -> Result<bool, String> {
    let mut journal = service.journal();
    let tries = journal.tried(id, reason.clone(), orders.clone())?;
    if tries < MAX_TRIES {
        tracing::warn!(delivery = id, tries, max_tries = MAX_TRIES, %reason, "the shop refused a delivery's try");
        return Ok(true);
    }
    tracing::error!(delivery = id, tries, %reason, "a delivery was set aside after refused tries");
    journal.set_aside(id, reason, orders, now()).map(|()| false)
}

/// Sets a delivery that cannot be read aside at once: no try would read it.
///
/// # Errors
/// The journal cannot be written.
pub(super) fn unreadable(service: &Service, d: &Delivery, why: &str) -> Result<(), String> {
    let reason = format!("the delivery cannot be read: {why}");
    tracing::error!(delivery = d.id, %reason, "an unreadable delivery was set aside");
    service.journal().set_aside(d.id, reason, Vec::new(), now())
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
