//! Hot reload of `shopflow run`'s rules: how they are loaded (the same at start and at every
//! reload, so a reload checks exactly what a start checks), and what asks for a reload:
//! SIGHUP and a watch of the rule files. (`POST /rules/reload` is the service's own.)
//!
//! A reload whose files fail the check leaves the running rules in place; the service shows
//! the problems on `/status` (`rules_error`) and the log says them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use shopflow_core::automation::platform::Capabilities;
use shopflow_rules::Limits;
use shopflow_service::Service;
use shopflow_service::rules::{Reloader, Rules};

/// How often the watch looks at the rule files.
const WATCH_EVERY: Duration = Duration::from_secs(2);
/// How long the files must stay unchanged before a reload: an editor's save (write, rename,
/// touch) is one reload, not three.
const SETTLE: Duration = Duration::from_millis(300);

/// Loads and checks the rule files at `path` (a file or a folder) for `platform`: the rules,
/// or every problem, one `FILE:LINE:COLUMN: code: message` a line.
pub fn load(path: &Path, platform: &Capabilities) -> Result<Rules, String> {
    crate::rule_files::load(std::slice::from_ref(&path.to_path_buf()), &Limits::default(), platform)
        .map_err(|errors| errors.join("\n"))
}

/// What the service calls to reload: [`load`] of the same place.
pub fn reloader(path: PathBuf, platform: Capabilities) -> Reloader {
    Box::new(move || load(&path, &platform))
}

/// Reloads (off the runtime's threads: it compiles) and says in the log what came of it.
async fn reload(service: &Arc<Service>, why: &str) {
    let s = Arc::clone(service);
    match tokio::task::spawn_blocking(move || s.reload_rules()).await {
        Ok(Ok(names)) => tracing::info!(trigger = why, rules = ?names, "rules reloaded"),
        Ok(Err(problems)) => {
            tracing::warn!(trigger = why, %problems, "rules not reloaded; the running ones stay");
        }
        Err(e) => tracing::error!(trigger = why, error = %e, "rules not reloaded"),
    }
}

/// Reloads on every SIGHUP, until the process ends.
pub async fn on_hangup(service: Arc<Service>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::hangup()) {
            Ok(mut hup) => {
                while hup.recv().await.is_some() {
                    reload(&service, "SIGHUP").await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "SIGHUP will not reload the rules"),
        }
    }
    #[cfg(not(unix))]
    let _ = service;
}

/// What the watch compares: each rule file's name, size and modification time.
type Stamp = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The stamp of the rule files at `path` now (a file gone or a folder unreadable is part of
/// it too: the reload then says why).
fn stamp(path: &Path) -> Stamp {
    let files = crate::rule_files::rule_paths(path).unwrap_or_default();
    files
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f).ok();
            let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
            (f, len, meta.and_then(|m| m.modified().ok()))
        })
        .collect()
}

/// Reloads when the rule files at `path` change (looked at every [`WATCH_EVERY`]; a change
/// is reloaded once the files have stayed unchanged for [`SETTLE`]).
pub async fn watch(service: Arc<Service>, path: PathBuf) {
    let mut seen = stamp(&path);
    loop {
        if !service.pause(WATCH_EVERY).await {
            return;
        }
        let mut now = stamp(&path);
        if now == seen {
            continue;
        }
        // Wait for the save to end.
        loop {
            if !service.pause(SETTLE).await {
                return;
            }
            let later = stamp(&path);
            if later == now {
                break;
            }
            now = later;
        }
        seen = now;
        reload(&service, "a rule file changed").await;
    }
}
