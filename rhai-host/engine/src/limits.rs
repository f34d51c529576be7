//! Every limit a rule run is held to, in one place.

use std::sync::Arc;

/// A monotonic clock in milliseconds. Native callers use `Instant`; wasm uses
/// `performance.now()`. The engine reads it every [`Limits::clock_every`] operations.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

/// Limits for one hook call. The defaults let a realistic rule use a small fraction of each
/// and stop a hostile one within milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Operations one call may take (Rhai counts statements and expressions).
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_levels: usize,
    /// Expression nesting at the top level and inside functions.
    pub max_expr_depth: usize,
    /// Expression nesting inside functions.
    pub max_fn_expr_depth: usize,
    /// Bytes in one string.
    pub max_string_size: usize,
    /// Items in one array.
    pub max_array_size: usize,
    /// Entries in one object map.
    pub max_map_size: usize,
    /// Variables alive at once.
    pub max_variables: usize,
    /// Functions a script may define.
    pub max_functions: usize,
    /// Wall-clock milliseconds one call may take.
    pub max_millis: f64,
    /// How often (in operations) the clock is read: reading it is not free.
    pub clock_every: u64,
    /// `print`/`debug` lines kept per call.
    pub max_log_lines: usize,
    /// Bytes of `print`/`debug` output per call; past it the call stops.
    pub max_log_bytes: usize,
    /// Actions one call may ask for.
    pub max_actions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 500_000,
            max_call_levels: 24,
            max_expr_depth: 64,
            max_fn_expr_depth: 32,
            max_string_size: 64 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
            max_variables: 512,
            max_functions: 128,
            max_millis: 50.0,
            clock_every: 512,
            max_log_lines: 200,
            max_log_bytes: 16 * 1024,
            max_actions: 1_000,
        }
    }
}
