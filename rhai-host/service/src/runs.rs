//! Run history: per order, what each pass did with it (what Shopify Flow calls run history).
//! One record per order per pass: the deliveries that named it (id, event, when), each hook
//! call with its rules, their actions, their `log()` lines and errors, the outcome, and the
//! requests the pass cost (shared by every order of the pass: the count is the pass's, with
//! how many orders shared it; it is not split per order).
//!
//! Kept where the journal is (the storage seam): on file, one JSON line per run in
//! `DATA/runs.jsonl`; on PostgreSQL (`--store`), one row per run in the shared database,
//! so any instance shows a shop's runs, whoever worked it (`shopflow_pg_store::runs`).
//! Either way it is history, not the promise made to the shop (that is the journal): runs
//! are written without a sync (the file's lines unsynced, the rows committed
//! asynchronously), and a crash may lose the last ones. Runs older than the retention are
//! pruned at start and whenever this many runs were added since ([`PRUNE_EVERY`]). Nothing
//! is kept in memory: `GET /runs/{order}` reads the file or the table, which the retention
//! keeps to a size an operator's look-up reads quickly.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shopflow_pg_store::RunRow;

use crate::journal::{PgShop, on_store, wait};

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

/// Where the runs are kept.
#[derive(Clone)]
enum Log {
    /// `DATA/runs.jsonl`.
    File(PathBuf),
    /// The shared database's `run_history` rows of this shop.
    Pg(PgShop),
}

/// The run history of one shop.
pub struct RunHistory {
    log: Log,
    keep: Duration,
    appended: usize,
}

/// Where to read a shop's runs from, apart from the history's lock (a read may be slow).
#[derive(Clone)]
pub struct RunReader(Log);

impl RunHistory {
    /// The history in `dir/runs.jsonl`, or in the database when the journal is there,
    /// pruning runs older than `keep`.
    ///
    /// # Errors
    /// The file cannot be read or rewritten, or the database refuses the prune.
    pub fn open(dir: &Path, store: Option<PgShop>, keep: Duration) -> Result<RunHistory, String> {
        let log = match store {
            Some(shop) => Log::Pg(shop),
            None => Log::File(dir.join("runs.jsonl")),
        };
        let history = RunHistory { log, keep, appended: 0 };
        history.prune()?;
        Ok(history)
    }

    /// Where to read the runs from.
    #[must_use]
    pub fn reader(&self) -> RunReader {
        RunReader(self.log.clone())
    }

    /// Adds a pass's runs (not synced: see the module's doc), pruning when due.
    ///
    /// # Errors
    /// The file cannot be written, or the database refuses the rows.
    pub fn append(&mut self, runs: &[Run]) -> Result<(), String> {
        if runs.is_empty() {
            return Ok(());
        }
        match &self.log {
            Log::File(path) => append_lines(path, runs)?,
            Log::Pg(shop) => {
                let rows = runs.iter().map(row_of).collect::<Result<Vec<_>, _>>()?;
                let (store, name) = (shop.store.clone(), shop.shop.clone());
                wait(&shop.runtime, async move { store.add_runs(&name, &rows).await })?
                    .map_err(|e| format!("cannot record the run history: {e}"))?;
            }
        }
        self.appended += runs.len();
        if self.appended >= PRUNE_EVERY {
            self.appended = 0;
            self.prune()?;
        }
        Ok(())
    }

    /// Removes the runs older than the retention.
    fn prune(&self) -> Result<(), String> {
        let since = Utc::now() - self.keep;
        match &self.log {
            Log::File(path) => prune_file(path, since),
            Log::Pg(shop) => {
                let (store, name) = (shop.store.clone(), shop.shop.clone());
                wait(&shop.runtime, async move { store.prune_runs(&name, since).await })?
                    .map(drop)
                    .map_err(|e| format!("cannot prune the run history: {e}"))
            }
        }
    }
}

impl RunReader {
    /// The order's runs, newest first, at most `limit`.
    ///
    /// # Errors
    /// The file exists and cannot be read; the database cannot be read, or holds a run
    /// that is not one.
    pub async fn read(self, order: String, limit: usize) -> Result<Vec<Run>, String> {
        match self.0 {
            Log::File(path) => tokio::task::spawn_blocking(move || read(&path, &order, limit))
                .await
                .map_err(|e| format!("cannot read the run history: {e}"))?,
            Log::Pg(shop) => {
                let limit = i64::try_from(limit).unwrap_or(i64::MAX);
                let rows = on_store(&shop.runtime, async move {
                    shop.store.runs(&shop.shop, &order, limit).await
                })
                .await?
                .map_err(|e| format!("cannot read the run history: {e}"))?;
                rows.iter().map(run_of).collect()
            }
        }
    }
}

/// A run as a row of the table.
fn row_of(run: &Run) -> Result<RunRow, String> {
    let at = DateTime::parse_from_rfc3339(&run.at)
        .map_or_else(|_| Utc::now(), |at| at.with_timezone(&Utc));
    let text = serde_json::to_string(run).map_err(|e| e.to_string())?;
    Ok(RunRow { order: run.order.clone(), at, run: text })
}

/// A row of the table as a run.
fn run_of(row: &RunRow) -> Result<Run, String> {
    serde_json::from_str(&row.run).map_err(|e| {
        format!("the run history holds a run of order {:?} that cannot be read: {e}", row.order)
    })
}

/// Appends runs as lines of the file.
fn append_lines(path: &Path, runs: &[Run]) -> Result<(), String> {
    let mut text = String::new();
    for r in runs {
        text.push_str(&serde_json::to_string(r).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Rewrites the file without the runs older than `since` (and without lines that are not
/// runs, such as one torn by a crash).
fn prune_file(path: &Path, since: DateTime<Utc>) -> Result<(), String> {
    let Ok(file) = File::open(path) else { return Ok(()) };
    let (mut kept, mut dropped) = (String::new(), 0usize);
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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
    let tmp = path.with_extension("jsonl.tmp");
    std::fs::write(&tmp, kept)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot rewrite {}: {e}", path.display()))
}

fn is_since(run: &Run, since: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&run.at).is_ok_and(|at| at >= since)
}

/// The order's runs in the file at `path`, newest first, at most `limit`.
///
/// # Errors
/// The file exists and cannot be read.
fn read(path: &Path, order: &str, limit: usize) -> Result<Vec<Run>, String> {
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
        let mut h = RunHistory::open(dir.path(), None, keep).unwrap();
        let path = dir.path().join("runs.jsonl");
        let now = Utc::now();
        let old = (now - chrono::Duration::days(20)).to_rfc3339();
        let recent = |s: i64| (now - chrono::Duration::seconds(s)).to_rfc3339();
        h.append(&[run(&old, "1"), run(&recent(2), "1"), run(&recent(1), "1"), run(&old, "2")])
            .unwrap();
        let got = read(&path, "1", 10).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].at, recent(1), "newest first");
        assert_eq!(read(&path, "1", 1).unwrap().len(), 1, "the limit");
        RunHistory::open(dir.path(), None, keep).unwrap();
        assert_eq!(read(&path, "1", 10).unwrap().len(), 2, "the old run pruned");
        assert!(read(&path, "2", 10).unwrap().is_empty());
        assert!(read(&dir.path().join("none.jsonl"), "1", 10).unwrap().is_empty());
    }
}
