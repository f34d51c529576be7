//! The file journal (the default): one JSON record per line in `DATA/journal.jsonl`,
//! appended and synced per write. When the file grows, it is rewritten as a snapshot of
//! what is still needed.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{JournalState, Record, apply};

/// Rewrite when the file holds this many records more than a snapshot would.
pub(super) const COMPACT_AFTER: usize = 20_000;

/// The journal file.
pub struct FileLog {
    path: PathBuf,
    file: File,
    /// Records in the file.
    pub(super) records: usize,
}

impl FileLog {
    /// Opens (or creates) `dir/journal.jsonl` and replays it. A torn last line (the crash
    /// came mid-write, before the sync, so that delivery was never acknowledged) is cut off.
    ///
    /// # Errors
    /// The file cannot be read or written, or a line other than the last is not a record.
    pub fn open(dir: &Path) -> Result<(FileLog, JournalState), String> {
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
        Ok((FileLog { path, file, records }, state))
    }

    pub fn write(&mut self, records: &[Record]) -> Result<(), String> {
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
            text.push('\n');
        }
        self.file
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the journal: {e}"))?;
        // The promise made to the shop (200 = we have it) rests on this sync.
        self.file.sync_data().map_err(|e| format!("cannot sync the journal: {e}"))?;
        self.records += records.len();
        Ok(())
    }

    /// Whether the file is still where a restart will look for it (a deleted data folder
    /// leaves the open file writable, but what is written there is lost at the next start).
    ///
    /// # Errors
    /// Why not, in words (a path and an OS error; no shop data).
    pub fn present(&self) -> Result<(), String> {
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

    pub fn compact_if_large(&mut self, state: &JournalState) -> Result<(), String> {
        let live = 1
            + state.pending.len()
            + state.tries.len()
            + 2 * state.set_aside.len()
            + state.noted.len()
            + state.seen.len();
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
        push(&Record::Started { since: state.since.clone().unwrap_or_default() })?;
        for (order, seen) in &state.seen {
            push(&Record::Seen { order: order.clone(), seen: seen.clone() })?;
        }
        for (order, name, value) in &state.noted {
            push(&Record::Noted {
                order: order.clone(),
                name: name.clone(),
                value: value.clone(),
            })?;
        }
        for d in state.pending.values() {
            push(&Record::Delivery(d.clone()))?;
            if let Some(tries) = state.tries.get(&d.id) {
                push(&Record::Tried { id: d.id, tries: tries.clone() })?;
            }
        }
        // A dead letter is its delivery and the record that set it aside, as first written.
        for dead in state.set_aside.values() {
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
