//! Retailys: the events it does not call back for (a payment, a parcel sent or delivered, an
//! order finished or canceled, a tracking number added), found by the core's poller
//! (`shopflow_core::retailys::poller`: what to read and when, within an hourly request
//! budget) and journaled like a callback, so the worker handles them the same way and a
//! crash loses none of them.

use std::sync::Arc;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use shopflow_client::retailys::RetailysClient;
use shopflow_core::retailys::poller::{PollStep, Poller, PollerConfig};

use crate::Service;
use crate::retailys::{POLLED, PolledBody};

/// How long the poller rests after a read failed (the worker shows why on `/status`).
const AFTER_FAILURE: Duration = Duration::from_secs(30);

/// Polls until the process ends.
pub async fn run(service: Arc<Service>, client: RetailysClient, config: PollerConfig) {
    let mut poller = Poller::new(config);
    loop {
        if client.refused().is_some() {
            // The worker tries the credentials again on its own schedule.
            tokio::time::sleep(AFTER_FAILURE).await;
            continue;
        }
        if service.journal().works_here().is_err() {
            // Another instance holds the shop (`--store`) and polls it; look again within
            // the time a dead holder's lease takes to lapse.
            tokio::time::sleep(crate::lease::TTL).await;
            continue;
        }
        match poller.next(Utc::now()) {
            PollStep::Wait(at) => {
                let wait = (at - Utc::now()).to_std().unwrap_or_default();
                tokio::time::sleep(wait).await;
            }
            PollStep::Read(query) => match client.orders().list(&query).await {
                Ok(list) => {
                    let found = poller.page_read(&list.into_page(), Utc::now());
                    if !found.is_empty() {
                        journal(&service, &PolledBody::of(&found));
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the Retailys poller could not read orders");
                    tokio::time::sleep(AFTER_FAILURE).await;
                }
            },
        }
    }
}

/// Journals what a poll found as one delivery and wakes the worker. If the journal cannot be
/// written, the changes are lost to this poll; the next poll does not see them again, so the
/// failure is logged loudly.
fn journal(service: &Service, body: &PolledBody) {
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let text = match serde_json::to_string(body) {
        Ok(t) => t,
        Err(e) => {
            return tracing::error!(error = %e, "cannot journal what the poller found");
        }
    };
    let stored = service.journal().receive(POLLED.to_owned(), text, at);
    match stored {
        Ok(_) => {
            service.board().counters.events_received += body.orders.len() as u64;
            service.wake.notify_one();
        }
        Err(e) => tracing::error!(
            error = %e,
            orders = ?body.orders,
            "cannot journal what the poller found; these orders' events are lost"
        ),
    }
}
