//! Run history: per order, what each pass did with it (what Shopify Flow calls run history).
//! One JSON line per order per pass in `DATA/runs.jsonl`: the deliveries that named it
//! (id, event, when), each hook call with its rules, their actions, their `log()` lines and
//! errors, the outcome, and the requests the pass cost (shared by every order of the pass:
//! the count is the pass's, with how many orders shared it; it is not split per order).
//!
//! The file is history, not the promise made to the shop (that is the journal): lines are
//! appended without a sync, and a crash may lose the last ones. Runs older than the
//! retention are pruned at start and whenever this many lines were appended since
//! ([`PRUNE_EVERY`]). Nothing is kept in memory: `GET /runs/{order}` reads the file, which
//! the retention keeps to a size an operator's look-up reads quickly.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Lines appended between prunes.
const PRUNE_EVERY: usize = 20_000;

/// A delivery that named the order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunEvent {
    /// The delivery's id in the journal.
    pub delivery: u64,
    /// The event its URL named.
    pub event: String,
    /// When it came (RFC 3339).
    pub received_at: String,
}

/// One hook call on the order: its rules' reports (actions, logs, errors) and outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HookRun {
    /// The hook (`order_created`, ...).
    pub hook: String,
    /// Each rule file that defines it: `{rule, actions, logs, error}`.
    pub rules: Vec<serde_json::Value>,
    /// `applied`, `filtered` or `failed`.
    pub outcome: String,
    /// Why it was filtered or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What the pass cost, shared by the orders it handled.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct PassCost {
    /// API requests the whole pass sent.
    pub requests: u64,
    /// Orders the pass handled, who shared those requests.
    pub orders_in_pass: usize,
}

/// One order's run in one pass.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    /// When the pass recorded it (RFC 3339).
    pub at: String,
    /// The order number.
    pub order: String,
    /// The deliveries that named the order in this pass.
    pub events: Vec<RunEvent>,
    /// The hook calls.
    pub hooks: Vec<HookRun>,
    /// `failed` if a hook call failed, else `applied` if one applied, else `filtered`.
    pub outcome: String,
    /// The pass's requests.
    pub cost: PassCost,
}

/// The run history file.
pub struct RunHistory {
    path: PathBuf,
    keep: Duration,
    appended: usize,
}

impl RunHistory {
    /// Opens `dir/runs.jsonl`, pruning runs older than `keep`.
    ///
    /// # Errors
    /// The file cannot be read or rewritten.
    pub fn open(dir: &Path, keep: Duration) -> Result<RunHistory, String> {
        let history = RunHistory { path: dir.join("runs.jsonl"), keep, appended: 0 };
        history.prune()?;
        Ok(history)
    }

    /// Where the runs are.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a pass's runs (not synced: see the module's doc), pruning when due.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn append(&mut self, runs: &[Run]) -> Result<(), String> {
        if runs.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for r in runs {
            text.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
            text.push('\n');
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| format!("cannot open {}: {e}", self.path.display()))?;
        f.write_all(text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        self.appended += runs.len();
        if self.appended >= PRUNE_EVERY {
            self.appended = 0;
            self.prune()?;
        }
        Ok(())
    }

    /// Rewrites the file without the runs older than the retention (and without lines that
    /// are not runs, such as one torn by a crash).
    fn prune(&self) -> Result<(), String> {
        let Ok(file) = File::open(&self.path) else { return Ok(()) };
        let since = Utc::now() - self.keep;
        let (mut kept, mut dropped) = (String::new(), 0usize);
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
            match serde_json::from_str::<Run>(&line) {
                Ok(run) if is_since(&run, since) => {
                    kept.push_str(&line);
                    kept.push('\n');
                }
                _ => dropped += 1,
            }
        }
        if dropped == 0 {
            return Ok(());
        }
        let tmp = self.path.with_extension("jsonl.tmp");
        std::fs::write(&tmp, kept)
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| format!("cannot rewrite {}: {e}", self.path.display()))
    }
}

fn is_since(run: &Run, since: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&run.at).is_ok_and(|at| at >= since)
}

/// The order's runs in the file at `path`, newest first, at most `limit`.
///
/// # Errors
/// The file exists and cannot be read.
pub fn read(path: &Path, order: &str, limit: usize) -> Result<Vec<Run>, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read the run history: {e}")),
    };
    // The order's number in a line, as serde_json writes it: most lines are skipped unparsed.
    let needle = serde_json::to_string(order).map(|q| format!("\"order\":{q}")).unwrap_or_default();
    let mut runs: Vec<Run> = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read the run history: {e}"))?;
        if !line.contains(&needle) {
            continue;
        }
        if let Ok(run) = serde_json::from_str::<Run>(&line)
            && run.order == order
        {
            runs.push(run);
        }
    }
    runs.reverse();
    runs.truncate(limit);
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(at: &str, order: &str) -> Run {
        Run {
            at: at.to_owned(),
            order: order.to_owned(),
            events: Vec::new(),
            hooks: Vec::new(),
            outcome: "filtered".to_owned(),
            cost: PassCost { requests: 2, orders_in_pass: 1 },
        }
    }

    #[test]
    fn runs_are_read_newest_first_and_old_ones_pruned_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let keep = Duration::from_secs(14 * 86_400);
        let mut h = RunHistory::open(dir.path(), keep).unwrap();
        let now = Utc::now();
        let old = (now - chrono::Duration::days(20)).to_rfc3339();
        let recent = |s: i64| (now - chrono::Duration::seconds(s)).to_rfc3339();
        h.append(&[run(&old, "1"), run(&recent(2), "1"), run(&recent(1), "1"), run(&old, "2")])
            .unwrap();
        let got = read(h.path(), "1", 10).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].at, recent(1), "newest first");
        assert_eq!(read(h.path(), "1", 1).unwrap().len(), 1, "the limit");
        let h = RunHistory::open(dir.path(), keep).unwrap();
        assert_eq!(read(h.path(), "1", 10).unwrap().len(), 2, "the old run pruned");
        assert!(read(h.path(), "2", 10).unwrap().is_empty());
        assert!(read(&dir.path().join("none.jsonl"), "1", 10).unwrap().is_empty());
    }
}
