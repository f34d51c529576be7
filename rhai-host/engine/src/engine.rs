//! The one place a rules engine is made, with every limit set.
//!
//! Rhai's own limits stop runaway scripts by counting (operations, call levels, expression
//! depth, string/array/map sizes, variables, functions); the progress callback adds a
//! wall-clock budget and stops a run whose `print`/`debug` output went past its budget. There
//! is no module loading (built with `no_module`) and no `eval`.
//!
//! Every engine shares one standard package (Rhai's built-in functions), built on first use:
//! `Engine::new` builds a fresh one per engine, and building it was most of a compile's time
//! and memory (a check or a dry run makes an engine per rule set).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rhai::packages::{Package, StandardPackage};
use rhai::{Dynamic, Engine, Module};

use crate::actions::{self, Shared, lock};
use crate::error::{STOP_OUTPUT, STOP_TIMEOUT};
use crate::limits::{Clock, Limits};
use crate::views;

/// The run's clock state, read by the progress callback.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// The deadline, as `f64` bits (milliseconds on the run's clock).
    deadline: AtomicU64,
    /// Operations used so far in this run.
    pub ops: AtomicU64,
}

impl Progress {
    pub fn start(&self, deadline: f64) {
        self.deadline.store(deadline.to_bits(), Ordering::Relaxed);
        self.ops.store(0, Ordering::Relaxed);
    }

    fn deadline(&self) -> f64 {
        f64::from_bits(self.deadline.load(Ordering::Relaxed))
    }
}

/// Rhai's standard package, built once and shared by every engine (a module behind Rhai's
/// `Shared`, an `Arc` with the `sync` feature).
fn standard_package() -> rhai::Shared<Module> {
    static PACKAGE: OnceLock<rhai::Shared<Module>> = OnceLock::new();
    PACKAGE.get_or_init(|| StandardPackage::new().as_shared_module()).clone()
}

/// A hardened engine whose actions and logs go to `state`.
pub(crate) fn hardened(
    limits: &Limits,
    clock: Clock,
    state: &Shared,
    progress: &Arc<Progress>,
) -> Engine {
    let mut engine = Engine::new_raw();
    engine
        .register_global_module(standard_package())
        // What `Engine::new` sets: equal strings in a script share one allocation.
        .set_max_strings_interned(rhai::default_limits::MAX_STRINGS_INTERNED)
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_fn_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(limits.max_variables)
        .set_max_functions(limits.max_functions)
        // `eval` would run code the check never saw.
        .disable_symbol("eval");

    let every = limits.clock_every.max(1);
    let (p, st) = (Arc::clone(progress), Arc::clone(state));
    engine.on_progress(move |ops| {
        p.ops.store(ops, Ordering::Relaxed);
        if ops % every != 0 {
            return None;
        }
        if lock(&st).output_over {
            return Some(Dynamic::from(STOP_OUTPUT));
        }
        (clock() > p.deadline()).then(|| Dynamic::from(STOP_TIMEOUT))
    });
    let st = Arc::clone(state);
    engine.on_print(move |text| lock(&st).log(text.to_owned()));
    let st = Arc::clone(state);
    engine.on_debug(move |text, _source, pos| {
        let line = match pos.line() {
            Some(l) => format!("[debug, line {l}] {text}"),
            None => format!("[debug] {text}"),
        };
        lock(&st).log(line);
    });

    views::register(&mut engine);
    actions::register(&mut engine, state);
    engine
}
