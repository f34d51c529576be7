//! A compiled rule file and one hook call on it.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use rhai::{AST, CallFnOptions, Dynamic, Engine, EvalAltResult, FuncArgs, Scope};
use serde::Serialize;
use shopflow_core::automation::model::{Customer, Order};
use shopflow_core::automation::platform::Capabilities;
use shopflow_core::automation::{Action, Hook, RuleEvent};

use crate::actions::{RunState, Shared, lock};
use crate::check::check;
use crate::engine::{Progress, hardened};
use crate::error::{ErrorKind, RuleError};
use crate::limits::{Clock, Limits};
use crate::views::{ChangeView, CustomerRef, CustomerView, OrderRef, OrderView};

/// What a hook is called with.
#[derive(Debug, Clone)]
pub enum HookInput {
    /// An order (created, updated, paid).
    Order(Arc<Order>),
    /// A customer (created, updated).
    Customer(Arc<Customer>),
    /// A deleted order's number.
    OrderRef(String),
    /// A deleted customer's id.
    CustomerRef(u64),
}

/// What one hook call produced. A failed call has an error and no actions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleRun {
    /// The actions asked for, in order.
    pub actions: Vec<Action>,
    /// `print` and `debug` output.
    pub logs: Vec<String>,
    /// Operations used.
    pub ops_used: u64,
    /// Why the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RuleError>,
}

/// A rule file, compiled and checked once, run per event. A handle: clones share the one
/// compiled file (its engine is most of a rule file's memory, about 310 KB), and their runs
/// take turns, so shops with the same rule file can share it ([`RuleSet::downgrade`] lets
/// a loader find the one in use).
#[derive(Clone)]
pub struct RuleSet {
    compiled: Arc<Compiled>,
}

/// A handle that does not keep the compiled file alive.
#[derive(Clone)]
pub struct WeakRuleSet(std::sync::Weak<Compiled>);

impl WeakRuleSet {
    /// The rule file, if a [`RuleSet`] still holds it.
    #[must_use]
    pub fn upgrade(&self) -> Option<RuleSet> {
        self.0.upgrade().map(|compiled| RuleSet { compiled })
    }
}

/// What a rule file compiles to.
struct Compiled {
    engine: Engine,
    ast: AST,
    hooks: BTreeSet<Hook>,
    state: Shared,
    progress: Arc<Progress>,
    clock: Clock,
    limits: Limits,
    /// One run at a time: runs share the engine's callbacks.
    running: Mutex<()>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("hooks", &self.compiled.hooks)
            .field("limits", &self.compiled.limits)
            .finish_non_exhaustive()
    }
}

impl RuleSet {
    /// Compiles and checks `source` for Upgates; every problem found is returned, each at its
    /// place.
    ///
    /// # Errors
    /// Syntax errors, forbidden words, unknown hooks, functions or properties, statements
    /// outside functions.
    pub fn compile(source: &str, limits: Limits, clock: Clock) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::compile_for(source, limits, clock, &shopflow_core::upgates::CAPABILITIES)
    }

    /// Compiles and checks `source` for `platform`: as [`RuleSet::compile`], and an action the
    /// platform cannot make is an error naming the platform and what to use instead.
    ///
    /// # Errors
    /// As [`RuleSet::compile`], and `unsupported_action`.
    pub fn compile_for(
        source: &str,
        limits: Limits,
        clock: Clock,
        platform: &Capabilities,
    ) -> Result<RuleSet, Vec<RuleError>> {
        let state: Shared = Arc::new(Mutex::new(RunState {
            max_actions: limits.max_actions,
            max_log_lines: limits.max_log_lines,
            max_log_bytes: limits.max_log_bytes,
            ..RunState::default()
        }));
        let progress = Arc::new(Progress::default());
        let engine = hardened(&limits, Arc::clone(&clock), &state, &progress);
        let ast = engine.compile(source).map_err(|e| vec![RuleError::from_parse(&e)])?;
        let hooks = check(&engine, &ast, platform)?;
        let running = Mutex::new(());
        let compiled = Compiled { engine, ast, hooks, state, progress, clock, limits, running };
        Ok(RuleSet { compiled: Arc::new(compiled) })
    }

    /// The hooks the file defines.
    #[must_use]
    pub fn hooks(&self) -> &BTreeSet<Hook> {
        &self.compiled.hooks
    }

    /// Whether the file defines `hook`.
    #[must_use]
    pub fn handles(&self, hook: Hook) -> bool {
        self.compiled.hooks.contains(&hook)
    }

    /// Whether `other` is a handle on the same compiled file.
    #[must_use]
    pub fn shares(&self, other: &RuleSet) -> bool {
        Arc::ptr_eq(&self.compiled, &other.compiled)
    }

    /// A handle that does not keep the file alive.
    #[must_use]
    pub fn downgrade(&self) -> WeakRuleSet {
        WeakRuleSet(Arc::downgrade(&self.compiled))
    }

    /// The limits runs are held to.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.compiled.limits
    }

    /// Calls the event's hook with `input`. A file without that hook returns an empty run.
    #[must_use]
    pub fn run(&self, event: &RuleEvent, input: HookInput) -> RuleRun {
        if !self.handles(event.hook) {
            return RuleRun::default();
        }
        let _one_at_a_time =
            self.compiled.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        {
            let mut s = lock(&self.compiled.state);
            s.actions.clear();
            s.logs.clear();
            s.log_bytes = 0;
            s.output_over = false;
        }
        self.compiled.progress.start((self.compiled.clock)() + self.compiled.limits.max_millis);
        let result = self.call(event, input);
        let ops_used = self.compiled.progress.ops.load(Ordering::Relaxed);
        let mut s = lock(&self.compiled.state);
        let logs = std::mem::take(&mut s.logs);
        let actions = std::mem::take(&mut s.actions);
        match result {
            Ok(()) => RuleRun { actions, logs, ops_used, error: None },
            // A failed run asks for nothing: half a rule's actions could be worse than none.
            Err(error) => RuleRun { actions: Vec::new(), logs, ops_used, error: Some(error) },
        }
    }

    fn call(&self, event: &RuleEvent, input: HookInput) -> Result<(), RuleError> {
        let name = event.hook.function_name();
        let result = match (event.hook, input) {
            (Hook::OrderUpdated, HookInput::Order(o)) => {
                let change = Arc::new(event.change.clone().unwrap_or_default());
                self.call_fn(name, (OrderView(o), ChangeView(change)))
            }
            (Hook::OrderCreated | Hook::OrderPaid, HookInput::Order(o)) => {
                self.call_fn(name, (OrderView(o),))
            }
            (Hook::CustomerCreated | Hook::CustomerUpdated, HookInput::Customer(c)) => {
                self.call_fn(name, (CustomerView(c),))
            }
            (Hook::OrderDeleted, HookInput::OrderRef(n)) => self.call_fn(name, (OrderRef(n),)),
            (Hook::CustomerDeleted, HookInput::CustomerRef(id)) => {
                self.call_fn(name, (CustomerRef(id),))
            }
            (hook, input) => {
                return Err(RuleError {
                    kind: ErrorKind::Runtime,
                    message: format!("{} cannot be called with {input:?}", hook.function_name()),
                    line: None,
                    column: None,
                });
            }
        };
        result.map(|_| ()).map_err(|e| RuleError::from_eval(&e))
    }

    /// Calls a hook function without re-running the file's top level (the check allows none).
    fn call_fn(&self, name: &str, args: impl FuncArgs) -> Result<Dynamic, Box<EvalAltResult>> {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        self.compiled.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            &self.compiled.ast,
            name,
            args,
        )
    }
}
