//! The service's durable journal: every webhook delivery is written and synced to disk before
//! the shop gets its 200, so a crash loses nothing; what was done is written after it was
//! done, so a restart resumes with exactly the deliveries that were not finished.
//!
//! One JSON record per line, appended. Besides deliveries and their completion, the journal
//! keeps the history records already added (the API has no idempotency key, so a record is
//! never sent twice: see the worker) and what each order looked like when rules last saw it
//! (so an update knows the previous status and a payment is noticed once). When the file
//! grows, it is rewritten as a snapshot of what is still needed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
enum Record {
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
    next_id: u64,
}

/// The journal file and its state.
pub struct Journal {
    path: PathBuf,
    file: File,
    records: usize,
    /// Why the last write failed, if it did (cleared by the next one that succeeds).
    failed: Option<String>,
    /// The state.
    pub state: JournalState,
}

/// Rewrite when the file holds this many records more than a snapshot would.
const COMPACT_AFTER: usize = 20_000;

impl Journal {
    /// Opens (or creates) `dir/journal.jsonl` and replays it. A torn last line (the crash
    /// came mid-write, before the sync, so that delivery was never acknowledged) is cut off.
    ///
    /// # Errors
    /// The file cannot be read or written, or a line other than the last is not a record.
    pub fn open(dir: &Path, today: &str) -> Result<Journal, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join("journal.jsonl");
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let mut state = JournalState::default();
        let mut records = 0usize;
        let mut good_len = 0u64;
        let mut torn = false;
        {
            let mut reader = BufReader::new(&file);
            let mut line = String::new();
            let mut line_no = 0usize;
            loop {
                line.clear();
                let n = reader
                    .read_line(&mut line)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                if torn {
                    return Err(format!(
                        "{}:{}: a damaged record before the end",
                        path.display(),
                        line_no - 1
                    ));
                }
                match serde_json::from_str::<Record>(line.trim_end()) {
                    Ok(r) if line.ends_with('\n') => {
                        apply(&mut state, r);
                        records += 1;
                        good_len += n as u64;
                    }
                    _ => torn = true,
                }
            }
        }
        if torn {
            tracing::warn!(path = %path.display(), "journal: cutting off a record torn by a crash (it was never acknowledged)");
            file.set_len(good_len).map_err(|e| format!("cannot repair {}: {e}", path.display()))?;
            file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
        }
        state.recovered = state.pending.keys().copied().collect();
        let mut journal = Journal { path, file, records, failed: None, state };
        if journal.state.since.is_none() {
            journal.append(vec![Record::Started { since: today.to_owned() }])?;
        }
        Ok(journal)
    }

    fn append(&mut self, records: Vec<Record>) -> Result<(), String> {
        if records.is_empty() {
            return Ok(());
        }
        let written = self.write(&records);
        self.failed = written.as_ref().err().cloned();
        written?;
        self.records += records.len();
        for r in records {
            apply(&mut self.state, r);
        }
        Ok(())
    }

    fn write(&mut self, records: &[Record]) -> Result<(), String> {
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
            text.push('\n');
        }
        self.file
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the journal: {e}"))?;
        // The promise made to the shop (200 = we have it) rests on this sync.
        self.file.sync_data().map_err(|e| format!("cannot sync the journal: {e}"))
    }

    /// Whether a delivery can be journaled now: the last write succeeded and the file is
    /// still where a restart will look for it (a deleted data folder leaves the open file
    /// writable, but what is written there is lost at the next start).
    ///
    /// # Errors
    /// Why not, in words (a path and an OS error; no shop data).
    pub fn writable(&self) -> Result<(), String> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        std::fs::metadata(&self.path)
            .map(|_| ())
            .map_err(|e| format!("the journal {} is gone: {e}", self.path.display()))
    }

    /// Syncs everything written, metadata too (at a stop: each record was already synced
    /// as it was written; this makes the file's length and times durable as well).
    ///
    /// # Errors
    /// The sync failed.
    pub fn flush(&mut self) -> Result<(), String> {
        self.file
            .flush()
            .and_then(|()| self.file.sync_all())
            .map_err(|e| format!("cannot sync the journal: {e}"))
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

    /// Records deliveries (event, body, received at) with one write and one sync, and
    /// returns their ids in order (group commit: see `ingest.rs`).
    ///
    /// # Errors
    /// The journal cannot be written: none of them may then be acknowledged.
    pub fn receive_many(
        &mut self,
        deliveries: Vec<(String, String, String)>,
    ) -> Result<Vec<u64>, String> {
        let first = self.state.next_id;
        let ids: Vec<u64> = (first..).take(deliveries.len()).collect();
        let records = ids
            .iter()
            .zip(deliveries)
            .map(|(&id, (event, body, received_at))| {
                Record::Delivery(Delivery { id, event, body, received_at })
            })
            .collect();
        self.append(records)?;
        Ok(ids)
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
        self.compact_if_large()
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

    fn compact_if_large(&mut self) -> Result<(), String> {
        let live = 1
            + self.state.pending.len()
            + self.state.tries.len()
            + 2 * self.state.set_aside.len()
            + self.state.noted.len()
            + self.state.seen.len();
        if self.records < live + COMPACT_AFTER {
            return Ok(());
        }
        let tmp = self.path.with_extension("jsonl.tmp");
        let mut out = String::new();
        let mut push = |r: &Record| -> Result<(), String> {
            out.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
            out.push('\n');
            Ok(())
        };
        push(&Record::Started { since: self.state.since.clone().unwrap_or_default() })?;
        for (order, seen) in &self.state.seen {
            push(&Record::Seen { order: order.clone(), seen: seen.clone() })?;
        }
        for (order, name, value) in &self.state.noted {
            push(&Record::Noted {
                order: order.clone(),
                name: name.clone(),
                value: value.clone(),
            })?;
        }
        for d in self.state.pending.values() {
            push(&Record::Delivery(d.clone()))?;
            if let Some(tries) = self.state.tries.get(&d.id) {
                push(&Record::Tried { id: d.id, tries: tries.clone() })?;
            }
        }
        // A dead letter is its delivery and the record that set it aside, as first written.
        for dead in self.state.set_aside.values() {
            push(&Record::Delivery(dead.delivery.clone()))?;
            push(&Record::SetAside {
                id: dead.delivery.id,
                tries: dead.tries.clone(),
                at: dead.set_aside_at.clone(),
            })?;
        }
        let mut f =
            File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        f.write_all(out.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &self.path).map_err(|e| e.to_string())?;
        if let Some(dir) = self.path.parent() {
            // The rename itself must reach the disk.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        self.file = OpenOptions::new().append(true).open(&self.path).map_err(|e| e.to_string())?;
        self.records = live;
        Ok(())
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
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"t\":\"delivery\",\"id\":2,\"ev").unwrap();
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
            j.records += COMPACT_AFTER;
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
