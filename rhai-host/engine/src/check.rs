//! What is checked when a rule file is compiled, before it ever runs: hook names and their
//! parameters, calls to functions nobody defines, properties that what a hook receives does
//! not have (`order.order_total`; see [`crate::properties`]), and statements outside
//! functions (which would never run: only hooks are called).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use rhai::{AST, ASTNode, Dynamic, Engine, Expr, Stmt};
use shopflow_core::automation::Hook;
use shopflow_core::automation::platform::Capabilities;

use crate::error::{ErrorKind, RuleError};
use crate::properties::{self, Catalog, Script};
use crate::views::{ChangeView, CustomerRef, CustomerView, OrderRef, OrderView};

/// Functions the language itself provides without registering them.
const KEYWORD_FUNCTIONS: [&str; 9] =
    ["print", "debug", "type_of", "Fn", "call", "curry", "is_shared", "is_def_var", "is_def_fn"];

/// Every hook, as a script would declare it (for messages).
fn hook_list() -> String {
    Hook::ALL
        .iter()
        .map(|h| format!("{}({})", h.function_name(), param_names(*h)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A hook's parameter: its name in messages, and a value of the type the hook is called with
/// (`RuleSet::run` passes values of these types); the property check reads what each type has
/// from the engine, starting from these values.
pub(crate) struct Param {
    pub name: &'static str,
    pub value: fn() -> Dynamic,
}

pub(crate) fn hook_params(hook: Hook) -> &'static [Param] {
    const ORDER: Param = Param { name: "order", value: an_order };
    match hook {
        Hook::OrderCreated | Hook::OrderPaid => &[ORDER],
        Hook::OrderUpdated => &[ORDER, Param { name: "change", value: a_change }],
        Hook::OrderDeleted => &[Param { name: "ref", value: an_order_ref }],
        Hook::CustomerDeleted => &[Param { name: "ref", value: a_customer_ref }],
        Hook::CustomerCreated | Hook::CustomerUpdated => {
            &[Param { name: "customer", value: a_customer }]
        }
    }
}

/// When a hook is called, as the rule vocabulary says it ([`crate::vocabulary`]).
pub(crate) fn hook_when(hook: Hook) -> &'static str {
    match hook {
        Hook::OrderCreated => "an order is created",
        Hook::OrderUpdated => "an order changes; `change` says how its status and payment moved",
        Hook::OrderPaid => "the first time an order is seen paid",
        Hook::OrderDeleted => "an order is deleted; `ref` has its number only",
        Hook::CustomerCreated => "a customer account is created",
        Hook::CustomerUpdated => "a customer account changes",
        Hook::CustomerDeleted => "a customer account is deleted; `ref` has its id only",
    }
}

fn param_names(hook: Hook) -> String {
    hook_params(hook).iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// An order with one line, so that reading `order.products` shows what it holds.
fn an_order() -> Dynamic {
    let mut order = OrderView(Arc::default());
    if let Some(o) = Arc::get_mut(&mut order.0) {
        o.lines.push(Default::default());
    }
    Dynamic::from(order)
}

fn a_change() -> Dynamic {
    Dynamic::from(ChangeView(Arc::default()))
}

fn an_order_ref() -> Dynamic {
    Dynamic::from(OrderRef(String::new()))
}

fn a_customer_ref() -> Dynamic {
    Dynamic::from(CustomerRef(0))
}

fn a_customer() -> Dynamic {
    Dynamic::from(CustomerView(Arc::default()))
}

/// Checks a compiled script; returns the hooks it defines, or every problem found.
pub(crate) fn check(
    engine: &Engine,
    ast: &AST,
    platform: &Capabilities,
) -> Result<BTreeSet<Hook>, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut hooks = BTreeSet::new();
    let mut script_fns: HashSet<String> = HashSet::new();

    for f in ast.iter_fn_def() {
        script_fns.insert(f.name.to_string());
        let pos = f.body.start_position();
        match Hook::from_function_name(&f.name) {
            Some(hook) if f.params.len() == hook.arity() => {
                // A hook the platform never calls is a mistake, not a rule that waits.
                match platform.refuses(&f.name) {
                    Some(why) => errors.push(RuleError::at(ErrorKind::UnsupportedAction, why, pos)),
                    None => {
                        hooks.insert(hook);
                    }
                }
            }
            Some(hook) => errors.push(RuleError::at(
                ErrorKind::UnknownHook,
                format!(
                    "{} takes {} parameter{} ({}), not {}",
                    f.name,
                    hook.arity(),
                    if hook.arity() == 1 { "" } else { "s" },
                    param_names(hook),
                    f.params.len()
                ),
                pos,
            )),
            None if f.name.starts_with("on_") => errors.push(RuleError::at(
                ErrorKind::UnknownHook,
                format!("{} is not a hook; the hooks are {}", f.name, hook_list()),
                pos,
            )),
            None => {}
        }
    }

    for stmt in ast.statements() {
        errors.push(RuleError::at(
            ErrorKind::Syntax,
            "statements outside functions never run (only hooks are called); move this into a hook \
             or a function"
                .to_owned(),
            stmt.position(),
        ));
    }

    let known: HashSet<String> = engine
        .collect_fn_metadata(None, |info| Some(info.metadata.name.to_string()), true)
        .into_iter()
        .chain(KEYWORD_FUNCTIONS.iter().map(|s| (*s).to_owned()))
        .collect();
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, pos))) if call.op_token.is_none() => {
                Some((call, *pos))
            }
            Some(ASTNode::Expr(Expr::MethodCall(call, pos))) => Some((call, *pos)),
            // A call standing as a statement is a statement node, not an expression.
            Some(ASTNode::Stmt(Stmt::FnCall(call, pos))) if call.op_token.is_none() => {
                Some((call, *pos))
            }
            _ => None,
        };
        if let Some((call, pos)) = call {
            let name = call.name.as_str();
            if let Some(why) = platform.refuses(name).filter(|_| !script_fns.contains(name)) {
                errors.push(RuleError::at(ErrorKind::UnsupportedAction, why, pos));
            } else if !known.contains(name) && !script_fns.contains(name) {
                errors.push(RuleError::at(
                    ErrorKind::UnknownFunction,
                    format!("no function named {name}{}", suggestion(name, &known, &script_fns)),
                    pos,
                ));
            }
        }
        true
    });

    check_properties(engine, ast, &mut errors);

    if hooks.is_empty() && errors.is_empty() {
        errors.push(RuleError {
            kind: ErrorKind::UnknownHook,
            message: format!("the script defines no hook; define one of {}", hook_list()),
            line: None,
            column: None,
        });
    }
    if errors.is_empty() { Ok(hooks) } else { Err(errors) }
}

/// Reports unknown properties of every hook's parameters (see [`crate::properties`]).
fn check_properties(engine: &Engine, ast: &AST, errors: &mut Vec<RuleError>) {
    let hooks: Vec<_> = ast
        .iter_fn_def()
        .filter_map(|f| Some((f, Hook::from_function_name(&f.name)?)))
        .filter(|(f, hook)| f.params.len() == hook.arity())
        .collect();
    if hooks.is_empty() {
        return;
    }
    let roots = Hook::ALL.iter().flat_map(|h| hook_params(*h)).map(|p| (p.value)());
    let catalog = Catalog::new(engine, roots);
    let closures_assign = properties::assigned_in_closures(ast);
    let script = Script {
        catalog: &catalog,
        closures_assign: &closures_assign,
        this_assigned: properties::assigns_this(ast),
    };
    let mut found = Vec::new();
    for (f, hook) in hooks {
        let params: Vec<_> = f
            .params
            .iter()
            .zip(hook_params(hook))
            .map(|(name, p)| (name.to_string(), catalog.type_of(&(p.value)())))
            .collect();
        properties::check_hook(&script, ast, &f.name, &params, &mut found);
    }
    // In the order of the script (functions are not kept in order).
    found.sort_by_key(|e| (e.line, e.column));
    errors.extend(found);
}

/// " (did you mean set_status?)" when a known name is one edit or a case change away.
fn suggestion(name: &str, known: &HashSet<String>, script: &HashSet<String>) -> String {
    match closest(name, known.iter().chain(script.iter())) {
        Some(c) => format!(" (did you mean {c}?)"),
        None => String::new(),
    }
}

/// The first (sorted) of `known` one edit or a case change away from `name`.
pub(crate) fn closest<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a String>,
) -> Option<&'a String> {
    let lower = name.to_lowercase();
    known
        .into_iter()
        .filter(|k| !k.contains('$') && (k.to_lowercase() == lower || one_edit(k, name)))
        .min()
}

/// Whether `a` and `b` differ by one inserted, deleted or replaced character, or two swapped
/// neighbours.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    let (s_rest, l_rest) = (short.get(prefix..).unwrap_or(&[]), long.get(prefix..).unwrap_or(&[]));
    if short.len() == long.len() {
        let replaced = s_rest.get(1..) == l_rest.get(1..);
        let swapped = s_rest
            .get(..2)
            .zip(l_rest.get(..2))
            .is_some_and(|(x, y)| x.first() == y.get(1) && x.get(1) == y.first())
            && s_rest.get(2..) == l_rest.get(2..);
        !s_rest.is_empty() && (replaced || swapped)
    } else {
        s_rest == l_rest.get(1..).unwrap_or(&[])
    }
}
