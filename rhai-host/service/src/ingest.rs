//! Group commit: the deliveries that arrive while the journal is syncing are written and
//! synced together, with one `fsync`, and each is answered once it is on disk.
//!
//! The 200 a shop gets promises the delivery survives a crash, so each one waits for a sync.
//! With one sync per delivery, deliveries queue behind each other's syncs: on this project's
//! test machine a sync takes about a millisecond, so past roughly a thousand deliveries a
//! second the queue, and the ack latency, grows without bound. Syncing whatever has queued
//! up in one write costs the same millisecond for one delivery or a hundred
//! (`docs/benchmarks.md`, "The rules service under load").
//!
//! One thread writes; the HTTP handlers hand it deliveries over a channel and await their
//! ids. It holds the service weakly, so it ends with the service.

use std::sync::{Arc, Weak};

use tokio::sync::{mpsc, oneshot};

use super::Service;

/// At most this many deliveries in one write (a bound on one write's size and on how long
/// the journal's lock is held for it).
const MAX_BATCH: usize = 512;

/// A delivery to journal: its event, its body, when it came, and where its id goes.
struct Item {
    event: String,
    body: String,
    received_at: String,
    reply: oneshot::Sender<Result<u64, String>>,
}

/// The handle HTTP handlers journal through.
pub struct Ingest {
    tx: mpsc::UnboundedSender<Item>,
}

/// The writer's end, until [`Writer::start`] is given the service it writes for.
pub struct Writer {
    rx: mpsc::UnboundedReceiver<Item>,
}

impl Ingest {
    /// The handle, and the writer to start once the service exists (the service holds the
    /// handle).
    pub fn new() -> (Ingest, Writer) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Ingest { tx }, Writer { rx })
    }

    /// Journals a delivery (synced to disk) and returns its id.
    ///
    /// # Errors
    /// The journal cannot be written, or the service is gone: the delivery must then not be
    /// acknowledged.
    pub async fn receive(
        &self,
        event: String,
        body: String,
        received_at: String,
    ) -> Result<u64, String> {
        let (reply, id) = oneshot::channel();
        self.tx
            .send(Item { event, body, received_at, reply })
            .map_err(|_| "the journal's writer has stopped".to_owned())?;
        id.await.map_err(|_| "the journal's writer has stopped".to_owned())?
    }
}

impl Writer {
    /// Starts the writer thread for `service`.
    ///
    /// # Errors
    /// The thread cannot be started.
    pub fn start(self, service: Weak<Service>) -> Result<(), String> {
        std::thread::Builder::new()
            .name("shopflow-journal".to_owned())
            .spawn(move || write_batches(&service, self.rx))
            .map(|_| ())
            .map_err(|e| format!("cannot start the journal's writer: {e}"))
    }
}

/// The writer: waits for a delivery, takes every other one already waiting (up to
/// [`MAX_BATCH`]), writes them with one sync and answers each.
fn write_batches(service: &Weak<Service>, mut rx: mpsc::UnboundedReceiver<Item>) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        let Some(service) = service.upgrade() else {
            return;
        };
        let written = commit(&service, &mut batch);
        for (item, result) in batch.into_iter().zip(written) {
            let _ = item.reply.send(result);
        }
    }
}

/// One write and one sync for the batch: each delivery's id, or the write's error for all.
fn commit(service: &Arc<Service>, batch: &mut [Item]) -> Vec<Result<u64, String>> {
    let deliveries = batch
        .iter_mut()
        .map(|i| {
            (
                std::mem::take(&mut i.event),
                std::mem::take(&mut i.body),
                std::mem::take(&mut i.received_at),
            )
        })
        .collect();
    match service.journal().receive_many(deliveries) {
        Ok(ids) => ids.into_iter().map(Ok).collect(),
        Err(e) => batch.iter().map(|_| Err(e.clone())).collect(),
    }
}
