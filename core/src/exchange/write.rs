//! A write of many items: chunks of at most 100, each a [`Call`], sent a few at a time.
//!
//! Every chunk is validated before any is sent (a problem in record 120 stops record 0 from
//! going out), each item's result is lined up with what was sent, and after a fatal answer
//! (refused credentials, a relocation that cannot be followed) no further chunk is sent.

use crate::exchange::call::{Answer, Call};
use crate::exchange::error::CallError;
use crate::exchange::wire::Wire;
use crate::http::RequestSpec;
use crate::validation::{Problem, Problems};

/// One request's worth of items.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Index of the chunk's first item in the caller's batch.
    pub offset: usize,
    /// The request (validated).
    pub spec: RequestSpec,
    /// Each item's key (order number, external number, e-mail), for reconciling.
    pub keys: Vec<Option<String>>,
}

/// An item's outcome, as the platform reports it.
pub trait ItemOutcomeLike: Sized {
    /// An item that failed without an answer of its own: its chunk failed as a whole, or was
    /// not sent. `code` is the failure's stable code.
    fn failed(index: usize, key: Option<String>, message: String, code: &'static str) -> Self;
    /// Whether the item was processed.
    fn is_ok(&self) -> bool;
    /// The item's index in the caller's batch.
    fn index(&self) -> usize;
}

/// Reads a chunk's answer into one outcome per item, starting at index `offset`.
pub type Reconcile<O, E> =
    fn(keys: &[Option<String>], body: &[u8], offset: usize) -> Result<Vec<O>, E>;

/// Why a write did not fully succeed.
#[derive(Debug, Clone)]
pub enum BatchError<E, O> {
    /// A chunk failed as a whole (after the retries the policy allows): the cause, and every
    /// item's outcome (items of unsent chunks fail as not sent).
    Call {
        /// The first whole-chunk failure.
        error: CallError<E>,
        /// Every item's outcome, in the caller's order.
        results: Vec<O>,
    },
    /// Every chunk was answered, and the shop refused some items.
    ItemsFailed(Vec<O>),
}

/// A batched write in progress.
#[derive(Debug)]
pub struct BatchWrite<W: Wire, O> {
    chunks: Vec<Chunk>,
    next: usize,
    outstanding: usize,
    results: Vec<Option<O>>,
    failure: Option<CallError<W::Error>>,
    fatal: bool,
    reconcile: Reconcile<O, W::Error>,
}

impl<W: Wire, O: ItemOutcomeLike> BatchWrite<W, O> {
    /// A write of `items` items, given every chunk's request or its validation problems.
    ///
    /// # Errors
    /// Every problem of every chunk, numbered in the caller's batch (`list_key[i]`), when any
    /// chunk is invalid: then nothing is sent.
    pub fn new(
        items: usize,
        list_key: &str,
        chunks: Vec<(usize, Result<Chunk, Problems>)>,
        reconcile: Reconcile<O, W::Error>,
    ) -> Result<Self, Problems> {
        let mut ok = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        for (offset, chunk) in chunks {
            match chunk {
                Ok(c) => ok.push(c),
                Err(p) => problems.extend(p.0.into_iter().map(|p| p.shifted(list_key, offset))),
            }
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        Ok(BatchWrite {
            chunks: ok,
            next: 0,
            outstanding: 0,
            results: (0..items).map(|_| None).collect(),
            failure: None,
            fatal: false,
            reconcile,
        })
    }

    /// The next chunk to send, as a call and its id; `None` when every chunk was handed out
    /// or a fatal answer stopped the write.
    pub fn next_chunk(&mut self) -> Option<(usize, Call<W>)> {
        if self.fatal {
            return None;
        }
        let c = self.chunks.get(self.next)?;
        let id = self.next;
        self.next += 1;
        self.outstanding += 1;
        Some((id, Call::new(c.spec.clone())))
    }

    /// A chunk's call ended.
    pub fn chunk_done(&mut self, id: usize, result: Result<Answer, CallError<W::Error>>) {
        self.outstanding = self.outstanding.saturating_sub(1);
        let Some(c) = self.chunks.get(id) else { return };
        let outcomes = match result {
            Ok(answer) => match (self.reconcile)(&c.keys, &answer.body, c.offset) {
                Ok(o) => o,
                Err(error) => {
                    let reason = crate::retry::StopReason::NotRetryable;
                    self.fail_chunk(id, CallError::Api { error, reason, attempts: 1 });
                    return;
                }
            },
            Err(e) => {
                self.fail_chunk(id, e);
                return;
            }
        };
        for o in outcomes {
            if let Some(slot) = self.results.get_mut(o.index()) {
                *slot = Some(o);
            }
        }
    }

    fn fail_chunk(&mut self, id: usize, e: CallError<W::Error>) {
        let Some(c) = self.chunks.get(id) else { return };
        let message = e.to_string();
        let code = e.code();
        for (i, key) in c.keys.iter().enumerate() {
            if let Some(slot) = self.results.get_mut(c.offset + i) {
                *slot = Some(O::failed(c.offset + i, key.clone(), message.clone(), code));
            }
        }
        self.fatal |= e.is_fatal();
        if self.failure.is_none() {
            self.failure = Some(e);
        }
    }

    /// Whether every chunk that will be sent has come back.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.outstanding == 0 && (self.fatal || self.next >= self.chunks.len())
    }

    /// Every item's outcome, in the caller's order.
    ///
    /// # Errors
    /// [`BatchError::Call`] when a chunk failed as a whole (items of unsent chunks fail as
    /// not sent), [`BatchError::ItemsFailed`] when the shop refused some items.
    pub fn finish(mut self) -> Result<Vec<O>, BatchError<W::Error, O>> {
        let (message, code) = match &self.failure {
            Some(e) => (
                format!("not sent, because an earlier request of this write failed: {e}"),
                e.code(),
            ),
            None => ("the write ended before this item was sent".to_owned(), "NOT_SENT"),
        };
        for c in &self.chunks {
            for (i, key) in c.keys.iter().enumerate() {
                if let Some(slot @ None) = self.results.get_mut(c.offset + i) {
                    *slot = Some(O::failed(c.offset + i, key.clone(), message.clone(), code));
                }
            }
        }
        let results: Vec<O> = self
            .results
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.unwrap_or_else(|| O::failed(i, None, message.clone(), code)))
            .collect();
        match self.failure {
            Some(error) => Err(BatchError::Call { error, results }),
            None if results.iter().any(|r| !r.is_ok()) => Err(BatchError::ItemsFailed(results)),
            None => Ok(results),
        }
    }
}
