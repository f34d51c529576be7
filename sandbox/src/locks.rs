//! Locks that survive a panicking holder. A leaf module: `state` and `delivery` both use it,
//! and it uses neither.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A lock whose holder panicked is still usable: the data is plain values, and a sandbox
/// that stops answering after one bug is worse than one that goes on.
pub(crate) fn recover<T>(r: Result<T, PoisonError<T>>) -> T {
    r.unwrap_or_else(PoisonError::into_inner)
}

/// Locks a mutex, recovering it if a holder panicked.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    recover(m.lock())
}
