//! The service's durable journal: every webhook delivery is made durable before the shop
//! gets its 200, so a crash loses nothing; what was done is written after it was done, so a
//! restart (or, on PostgreSQL, another instance taking the shop over) resumes with exactly
//! the deliveries that were not finished.
//!
//! Besides deliveries and their completion, the journal keeps the history records already
//! added (the API has no idempotency key, so a record is never sent twice: see the worker),
//! what each order looked like when rules last saw it (so an update knows the previous
//! status and a payment is noticed once), refused tries and dead letters. These are
//! [`Record`]s, replayed by one [`apply`] into the [`JournalState`] the worker reads.
//!
//! Two logs keep them (the storage seam): `file.rs`, one JSON record per line in the shop's
//! data folder, synced per write (the default, one instance); `pg.rs`, PostgreSQL shared by
//! instances, where deliveries are deduplicated across them and the rest is written only by
//! the holder of the shop's lease (`shopflow run --store`).

mod file;
mod pg;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use shopflow_core::automation::Seen;

/// One webhook delivery as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Its number in this journal.
    pub id: u64,
    /// The event its URL named (`Orders.create`).
    pub event: String,
    /// The body, as received.
    pub body: String,
    /// When it came (RFC 3339).
    pub received_at: String,
}

/// A history record: order number, name, value.
pub type Note = (String, String, String);

/// A pending delivery's tries that the shop refused: how many, and the last refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tries {
    /// Tries refused so far.
    pub count: u32,
    /// The API's reason for the last refusal.
    pub reason: String,
    /// The orders (or customers) the delivery concerns.
    pub orders: Vec<String>,
}

/// A delivery set aside (a dead letter): the shop refused it permanently, or it cannot be
/// read. Nothing is done with it until an operator retries or drops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The delivery as received.
    pub delivery: Delivery,
    /// Its last refusal (or why it cannot be read) and the tries it had.
    pub tries: Tries,
    /// When it was set aside (RFC 3339).
    pub set_aside_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub(crate) enum Record {
    /// The service started watching on this day (payments before it are not new).
    Started {
        since: String,
    },
    Delivery(Delivery),
    /// These deliveries are finished.
    Done {
        ids: Vec<u64>,
    },
    /// A history record was added.
    Noted {
        order: String,
        name: String,
        value: String,
    },
    /// What an order looked like when rules last saw it.
    Seen {
        order: String,
        #[serde(flatten)]
        seen: Seen,
    },
    /// The shop refused a pending delivery's try (it stays pending).
    Tried {
        id: u64,
        #[serde(flatten)]
        tries: Tries,
    },
    /// A pending delivery was set aside.
    SetAside {
        id: u64,
        #[serde(flatten)]
        tries: Tries,
        at: String,
    },
    /// An operator put a set-aside delivery back to pending.
    Retried {
        id: u64,
    },
    /// An operator dropped a set-aside delivery.
    Dropped {
        id: u64,
    },
}

/// What the journal knows.
#[derive(Debug, Default)]
pub struct JournalState {
    /// The day watching began.
    pub since: Option<String>,
    /// Deliveries received and not finished, by id.
    pub pending: BTreeMap<u64, Delivery>,
    /// History records added.
    pub noted: HashSet<Note>,
    /// Orders as last seen.
    pub seen: HashMap<String, Seen>,
    /// Pending deliveries found at start: their orders' history is looked up before any
    /// record is added, because the crash may have come after the POST and before the note.
    pub recovered: HashSet<u64>,
    /// Pending deliveries the shop refused at least once.
    pub tries: HashMap<u64, Tries>,
    /// Deliveries set aside, by id.
    pub set_aside: BTreeMap<u64, DeadLetter>,
    /// The next delivery id (the file journal numbers its own).
    next_id: u64,
}

/// Where the records are kept.
enum Log {
    File(file::FileLog),
    Pg(pg::PgLog),
}

/// The journal: its log and the state replayed from it.
pub struct Journal {
    log: Log,
    /// Why the last write failed, if it did (cleared by the next one that succeeds).
    failed: Option<String>,
    /// The state.
    pub state: JournalState,
}

pub(crate) use pg::wait;
pub use pg::{PgShop, on_store};

impl Journal {
    /// Opens (or creates) `dir/journal.jsonl` and replays it (see `file.rs`).
    ///
    /// # Errors
    /// The file cannot be read or written, or a line other than the last is not a record.
    pub fn open(dir: &Path, today: &str) -> Result<Journal, String> {
        let (log, state) = file::FileLog::open(dir)?;
        let mut journal = Journal { log: Log::File(log), failed: None, state };
        journal.start(today)?;
        Ok(journal)
    }

    /// A journal on PostgreSQL for one shop of several instances: empty until this instance
    /// takes the shop's lease ([`Journal::take_lease`]); deliveries are received meanwhile.
    pub fn on_postgres(shop: PgShop) -> Journal {
        Journal { log: Log::Pg(pg::PgLog::new(shop)), failed: None, state: JournalState::default() }
    }

    /// Records the day watching began, the first time.
    fn start(&mut self, today: &str) -> Result<(), String> {
        match self.state.since {
            Some(_) => Ok(()),
            None => self.append(vec![Record::Started { since: today.to_owned() }]),
        }
    }

    fn append(&mut self, records: Vec<Record>) -> Result<(), String> {
        if records.is_empty() {
            return Ok(());
        }
        let written = match &mut self.log {
            Log::File(log) => log.write(&records),
            Log::Pg(log) => log.write(&records),
        };
        self.failed = written.as_ref().err().cloned();
        written?;
        for r in records {
            apply(&mut self.state, r);
        }
        Ok(())
    }

    /// Whether a delivery can be journaled now (the file journal: the last write succeeded
    /// and the file is still where a restart will look for it).
    ///
    /// # Errors
    /// Why not, in words (a path and an OS error; no shop data).
    pub fn writable(&self) -> Result<(), String> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match &self.log {
            Log::File(log) => log.present(),
            Log::Pg(_) => Ok(()),
        }
    }

    /// Makes everything written durable, metadata too (at a stop).
    ///
    /// # Errors
    /// The sync failed.
    pub fn flush(&mut self) -> Result<(), String> {
        match &mut self.log {
            Log::File(log) => log.flush(),
            Log::Pg(_) => Ok(()),
        }
    }

    /// Records a delivery durably and returns its id.
    ///
    /// # Errors
    /// The journal cannot be written: the delivery must then not be acknowledged.
    pub fn receive(
        &mut self,
        event: String,
        body: String,
        received_at: String,
    ) -> Result<u64, String> {
        let ids = self.receive_many(vec![(event, body, received_at)])?;
        ids.first().copied().ok_or_else(|| "no id was given".to_owned())
    }

    /// Records deliveries (event, body, received at) durably, with one write and one sync
    /// on file (group commit: see `ingest.rs`), and returns their ids in order. On
    /// PostgreSQL a delivery stored before (the shop sent it again, to any instance) keeps
    /// its id and is not worked twice.
    ///
    /// # Errors
    /// The journal cannot be written: none of them may then be acknowledged.
    pub fn receive_many(
        &mut self,
        deliveries: Vec<(String, String, String)>,
    ) -> Result<Vec<u64>, String> {
        let Log::Pg(log) = &mut self.log else {
            let records: Vec<Record> = (self.state.next_id..)
                .zip(deliveries)
                .map(|(id, (event, body, received_at))| {
                    Record::Delivery(Delivery { id, event, body, received_at })
                })
                .collect();
            let ids = records.iter().filter_map(Record::delivery_id).collect();
            self.append(records)?;
            return Ok(ids);
        };
        let received = log.receive(deliveries);
        self.failed = received.as_ref().err().cloned();
        let (ids, new) = received?;
        for d in new {
            apply(&mut self.state, Record::Delivery(d));
        }
        Ok(ids)
    }

    /// Brings in what other instances received for this shop (PostgreSQL; nothing on file).
    ///
    /// # Errors
    /// The database cannot be read, or the lease was lost.
    pub fn refresh(&mut self) -> Result<(), String> {
        let Log::Pg(log) = &mut self.log else {
            return Ok(());
        };
        let known = self.state.pending.keys().chain(self.state.set_aside.keys()).copied();
        for d in log.newer(known)? {
            apply(&mut self.state, Record::Delivery(d));
        }
        Ok(())
    }

    /// How often the worker looks for deliveries other instances received (`None`: every
    /// delivery wakes it, as on file).
    pub fn poll_every(&self) -> Option<std::time::Duration> {
        match &self.log {
            Log::File(_) => None,
            Log::Pg(_) => Some(pg::POLL),
        }
    }

    /// Records history records as added.
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn noted(&mut self, notes: Vec<Note>) -> Result<(), String> {
        self.append(
            notes
                .into_iter()
                .map(|(order, name, value)| Record::Noted { order, name, value })
                .collect(),
        )
    }

    /// Records what orders look like now, and finishes deliveries.
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn finish(&mut self, seen: Vec<(String, Seen)>, done: Vec<u64>) -> Result<(), String> {
        let mut records: Vec<Record> =
            seen.into_iter().map(|(order, seen)| Record::Seen { order, seen }).collect();
        if !done.is_empty() {
            records.push(Record::Done { ids: done });
        }
        self.append(records)?;
        if let Log::File(log) = &mut self.log {
            log.compact_if_large(&self.state)?;
        }
        Ok(())
    }

    /// Counts a refused try of a pending delivery; returns the tries so far.
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn tried(&mut self, id: u64, reason: String, orders: Vec<String>) -> Result<u32, String> {
        let count = self.state.tries.get(&id).map_or(0, |t| t.count) + 1;
        self.append(vec![Record::Tried { id, tries: Tries { count, reason, orders } }])?;
        Ok(count)
    }

    /// Sets a pending delivery aside with why (its tries so far, if any, are kept).
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn set_aside(
        &mut self,
        id: u64,
        reason: String,
        orders: Vec<String>,
        at: String,
    ) -> Result<(), String> {
        let count = self.state.tries.get(&id).map_or(0, |t| t.count);
        let tries = Tries { count, reason, orders };
        self.append(vec![Record::SetAside { id, tries, at }])
    }

    /// Puts a set-aside delivery back to pending (`false`: there is no such dead letter). Its
    /// history records already added stay noted, so a replay never adds one twice.
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn retry(&mut self, id: u64) -> Result<bool, String> {
        if !self.state.set_aside.contains_key(&id) {
            return Ok(false);
        }
        self.append(vec![Record::Retried { id }]).map(|()| true)
    }

    /// Drops a set-aside delivery for good (`false`: there is no such dead letter).
    ///
    /// # Errors
    /// The journal cannot be written.
    pub fn drop_dead(&mut self, id: u64) -> Result<bool, String> {
        if !self.state.set_aside.contains_key(&id) {
            return Ok(false);
        }
        self.append(vec![Record::Dropped { id }]).map(|()| true)
    }

    /// PostgreSQL: this instance now holds the shop (see `lease.rs`): the state is replayed
    /// from the shared records and the unfinished deliveries, all of which count as
    /// recovered (the last holder may have died after a POST and before its note).
    ///
    /// # Errors
    /// The database cannot be read; the journal then stays without the shop.
    pub fn take_lease(
        &mut self,
        lease: shopflow_pg_store::Lease,
        today: &str,
    ) -> Result<(), String> {
        let Log::Pg(log) = &mut self.log else {
            return Ok(());
        };
        let state = log.take(lease)?;
        self.state = state;
        self.start(today)
    }

    /// Whether this instance works the shop: always on file; on PostgreSQL while it holds
    /// the shop's lease (another instance's work must not be done twice, nor its requests
    /// spent twice).
    ///
    /// # Errors
    /// Another instance works it (in words, for an operator).
    pub fn works_here(&self) -> Result<(), String> {
        match &self.log {
            Log::File(_) => Ok(()),
            Log::Pg(log) => log.held(),
        }
    }

    /// PostgreSQL: the lease this instance holds, if any.
    pub fn lease(&self) -> Option<&shopflow_pg_store::Lease> {
        match &self.log {
            Log::Pg(log) => log.lease(),
            Log::File(_) => None,
        }
    }

    /// PostgreSQL: the lease was renewed (until its new expiry).
    pub fn renewed(&mut self, lease: shopflow_pg_store::Lease) {
        if let Log::Pg(log) = &mut self.log {
            log.renewed(lease);
        }
    }

    /// PostgreSQL: the lease was lost or given up: the shop's state is dropped (its next
    /// holder replays it) and nothing more is written for it from here.
    pub fn lose_lease(&mut self) -> Option<shopflow_pg_store::Lease> {
        let Log::Pg(log) = &mut self.log else {
            return None;
        };
        self.state = JournalState::default();
        log.lose()
    }
}

impl Record {
    /// A delivery record's id.
    fn delivery_id(&self) -> Option<u64> {
        match self {
            Record::Delivery(d) => Some(d.id),
            _ => None,
        }
    }
}

fn apply(state: &mut JournalState, record: Record) {
    match record {
        Record::Started { since } => state.since = Some(since),
        Record::Delivery(d) => {
            state.next_id = state.next_id.max(d.id + 1);
            state.pending.insert(d.id, d);
        }
        Record::Done { ids } => {
            for id in ids {
                state.pending.remove(&id);
                state.recovered.remove(&id);
                state.tries.remove(&id);
            }
        }
        Record::Tried { id, tries } => {
            state.tries.insert(id, tries);
        }
        Record::SetAside { id, tries, at } => {
            state.recovered.remove(&id);
            state.tries.remove(&id);
            if let Some(delivery) = state.pending.remove(&id) {
                state.set_aside.insert(id, DeadLetter { delivery, tries, set_aside_at: at });
            }
        }
        Record::Retried { id } => {
            if let Some(dead) = state.set_aside.remove(&id) {
                state.pending.insert(id, dead.delivery);
            }
        }
        Record::Dropped { id } => {
            state.set_aside.remove(&id);
        }
        Record::Noted { order, name, value } => {
            state.noted.insert((order, name, value));
        }
        Record::Seen { order, seen } => {
            state.seen.insert(order, seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_resumes_what_was_not_finished_and_cuts_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut j = Journal::open(dir.path(), "2026-11-23").unwrap();
            let a =
                j.receive("Orders.create".into(), "{\"orders\":[]}".into(), "t".into()).unwrap();
            let b = j.receive("Orders.update".into(), "{}".into(), "t".into()).unwrap();
            j.noted(vec![("1".into(), "n".into(), "v".into())]).unwrap();
            j.finish(
                vec![(
                    "1".into(),
                    Seen { status: Some("A".into()), status_id: Some(1), paid: true },
                )],
                vec![a],
            )
            .unwrap();
            assert_eq!(b, 1);
        }
        // A crash in the middle of writing the next record.
        let path = dir.path().join("journal.jsonl");
        let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        std::io::Write::write_all(&mut f, b"{\"t\":\"delivery\",\"id\":2,\"ev").unwrap();
        drop(f);

        let j = Journal::open(dir.path(), "2026-12-01").unwrap();
        assert_eq!(j.state.pending.keys().copied().collect::<Vec<_>>(), [1]);
        assert_eq!(j.state.recovered.iter().copied().collect::<Vec<_>>(), [1]);
        assert!(j.state.noted.contains(&("1".into(), "n".into(), "v".into())));
        assert!(j.state.seen["1"].paid);
        assert_eq!(j.state.since.as_deref(), Some("2026-11-23"), "watching began on the first day");
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("}\n"), "the torn line is gone");
    }

    #[test]
    fn deliveries_written_together_get_ids_in_order_and_are_all_replayed() {
        let dir = tempfile::tempdir().unwrap();
        let d = |n: &str| ("Orders.create".to_owned(), format!("{{\"n\":{n}}}"), "t".to_owned());
        {
            let mut j = Journal::open(dir.path(), "2026-12-04").unwrap();
            assert_eq!(j.receive_many(vec![d("1"), d("2"), d("3")]).unwrap(), [0, 1, 2]);
            assert_eq!(j.receive_many(vec![d("4")]).unwrap(), [3]);
        }
        let j = Journal::open(dir.path(), "2026-12-05").unwrap();
        let bodies: Vec<&str> = j.state.pending.values().map(|d| d.body.as_str()).collect();
        assert_eq!(bodies, [r#"{"n":1}"#, r#"{"n":2}"#, r#"{"n":3}"#, r#"{"n":4}"#]);
    }

    #[test]
    fn a_dead_letter_survives_a_restart_and_compaction_and_a_retry_resets_its_tries() {
        let dir = tempfile::tempdir().unwrap();
        let orders = vec!["2026-001".to_owned()];
        {
            let mut j = Journal::open(dir.path(), "2026-12-04").unwrap();
            let id = j.receive("Orders.create".into(), "{}".into(), "t".into()).unwrap();
            assert_eq!(j.tried(id, "422 first".into(), orders.clone()).unwrap(), 1);
            assert_eq!(j.tried(id, "422 second".into(), orders.clone()).unwrap(), 2);
            j.set_aside(id, "422 last".into(), orders.clone(), "at".into()).unwrap();
            assert!(j.state.pending.is_empty());
            // Force the snapshot: it must keep the dead letter.
            if let Log::File(log) = &mut j.log {
                log.records += file::COMPACT_AFTER;
            }
            j.finish(Vec::new(), Vec::new()).unwrap();
        }
        let mut j = Journal::open(dir.path(), "2026-12-05").unwrap();
        let dead = &j.state.set_aside[&0];
        assert_eq!((dead.tries.count, dead.tries.reason.as_str()), (2, "422 last"));
        assert_eq!(dead.tries.orders, orders);
        assert!(j.state.pending.is_empty() && j.state.recovered.is_empty());
        assert!(!j.drop_dead(7).unwrap(), "no such dead letter");
        assert!(j.retry(0).unwrap());
        assert!(j.state.pending.contains_key(&0) && j.state.set_aside.is_empty());
        assert_eq!(j.tried(0, "again".into(), orders).unwrap(), 1, "a retry starts counting anew");
        let next = j.receive("Orders.create".into(), "{}".into(), "t".into()).unwrap();
        assert_eq!(next, 1, "ids are never reused");
    }
}
