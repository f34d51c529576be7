//! The running rules, swappable while the service runs (hot reload).
//!
//! A pass takes one snapshot ([`LiveRules::current`]) at its start, so a reload never changes
//! the rules in the middle of a pass. A reload asks the [`Reloader`] the command line gave
//! (it loads and checks the rule files exactly as the start did, so loading lives in one
//! place); rules that fail the check leave the running ones in place, and `/status` says why
//! (`rules_error`) until a reload succeeds.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use shopflow_rules::RuleSet;

use super::board::{Board, RuleInfo};
use super::worker::now_text;

/// Rule files, by name.
pub type Rules = Vec<(String, RuleSet)>;

/// Loads and checks the rule files again: the rules, or the problems as text (one
/// `FILE:LINE:COLUMN: code: message` a line, as `shopflow rules check` prints them).
pub type Reloader = Box<dyn Fn() -> Result<Rules, String> + Send + Sync>;

/// The rules in use and how to load them again.
pub struct LiveRules {
    current: RwLock<Arc<Rules>>,
    reloader: Option<Reloader>,
    /// One reload at a time (the file watch, SIGHUP and the endpoint may ask together).
    reloading: Mutex<()>,
    /// Counts good reloads; its receivers wake on each (the command line registers the
    /// webhooks that new rules need).
    reloads: tokio::sync::watch::Sender<u64>,
}

impl LiveRules {
    /// `rules`, reloaded by `reloader` (none: the rules are fixed).
    pub fn new(rules: Rules, reloader: Option<Reloader>) -> Self {
        LiveRules {
            current: RwLock::new(Arc::new(rules)),
            reloader,
            reloading: Mutex::new(()),
            reloads: tokio::sync::watch::Sender::new(0),
        }
    }

    /// Wakes on every good reload.
    pub fn reloads(&self) -> tokio::sync::watch::Receiver<u64> {
        self.reloads.subscribe()
    }

    /// The rules in use now (a pass keeps this snapshot to its end).
    pub fn current(&self) -> Arc<Rules> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Loads the rules again and swaps them in, or leaves the running ones in place when
    /// they fail the check. Either way the board says so. Blocking (it compiles): call it off
    /// the runtime's threads.
    ///
    /// # Errors
    /// The problems (the running rules stay), or that this service cannot reload.
    pub fn reload(&self, board: &Mutex<Board>) -> Result<Vec<String>, String> {
        let Some(reloader) = &self.reloader else {
            return Err(
                "this service was started without its rule files' place; it cannot reload them"
                    .into(),
            );
        };
        let _one = self.reloading.lock().unwrap_or_else(PoisonError::into_inner);
        let loaded = reloader();
        let mut board = board.lock().unwrap_or_else(PoisonError::into_inner);
        match loaded {
            Ok(rules) => {
                board.rules = RuleInfo::of(&rules);
                board.rules_error = None;
                board.rules_loaded_at = now_text();
                let names = rules.iter().map(|(n, _)| n.clone()).collect();
                *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(rules);
                drop(board);
                self.reloads.send_modify(|n| *n += 1);
                Ok(names)
            }
            Err(problems) => {
                board.rules_error = Some(problems.clone());
                Err(problems)
            }
        }
    }
}
