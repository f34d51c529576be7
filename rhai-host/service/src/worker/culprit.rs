//! Finding the delivery a whole pass was refused for, without failing the others: the
//! deliveries of a refused pass become suspects, and the next passes take half of them at a
//! time (bisection). A half that goes through is finished and the rest stay suspects; a half
//! refused becomes the suspects; one delivery refused alone is the culprit, and its try is
//! counted (`dead_letters.rs`). A culprit among N deliveries is found in about log2(N) passes.

use std::collections::BTreeSet;

use super::{dead_letters, read_delivery};
use crate::Service;
use crate::journal::Delivery;

/// The deliveries under suspicion (none: no search under way).
#[derive(Debug, Default)]
pub(super) struct Suspects(BTreeSet<u64>);

impl Suspects {
    /// The deliveries of the next pass: the first half of the suspects still pending, or,
    /// with no search under way, every pending delivery.
    pub fn take(&mut self, service: &Service) -> Vec<Delivery> {
        let journal = service.journal();
        let pending = &journal.state.pending;
        self.0.retain(|id| pending.contains_key(id));
        let half = self.0.len().div_ceil(2);
        if half == 0 {
            return pending.values().cloned().collect();
        }
        self.0.iter().take(half).filter_map(|id| pending.get(id).cloned()).collect()
    }

    /// A pass refused as a whole: with several deliveries, they are the suspects now; alone,
    /// its delivery's try is counted. Returns whether a try was counted and the delivery still
    /// waits (the next try comes after the pass backoff; a narrowing search goes on at once).
    pub fn refused(&mut self, service: &Service, deliveries: &[Delivery], why: &str) -> bool {
        self.0 = deliveries.iter().map(|d| d.id).collect();
        let [d] = deliveries else { return false };
        let orders = read_delivery(service, d)
            .map(|r| {
                let names = r.triggers.iter().map(|t| dead_letters::subject_name(&t.subject));
                names.collect::<BTreeSet<_>>().into_iter().collect()
            })
            .unwrap_or_default();
        match dead_letters::refused(service, d.id, why.to_owned(), orders) {
            Ok(waits) => waits,
            Err(e) => {
                tracing::error!(error = %e, "cannot journal a refused try");
                true
            }
        }
    }
}
