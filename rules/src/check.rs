//! What is checked when a rule file is compiled, before it ever runs: hook names and their
//! parameters, calls to functions nobody defines, and statements outside functions (which
//! would never run: only hooks are called).

use std::collections::{BTreeSet, HashSet};

use rhai::{AST, ASTNode, Engine, Expr, Stmt};
use shopflow_core::automation::Hook;

use crate::error::{ErrorKind, RuleError};

/// Functions the language itself provides without registering them.
const KEYWORD_FUNCTIONS: [&str; 9] =
    ["print", "debug", "type_of", "Fn", "call", "curry", "is_shared", "is_def_var", "is_def_fn"];

/// Every hook, as a script would declare it (for messages).
fn hook_list() -> String {
    Hook::ALL
        .iter()
        .map(|h| format!("{}({})", h.function_name(), hook_params(*h)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn hook_params(hook: Hook) -> &'static str {
    match hook {
        Hook::OrderCreated | Hook::OrderPaid => "order",
        Hook::OrderUpdated => "order, change",
        Hook::OrderDeleted | Hook::CustomerDeleted => "ref",
        Hook::CustomerCreated | Hook::CustomerUpdated => "customer",
    }
}

/// Checks a compiled script; returns the hooks it defines, or every problem found.
pub(crate) fn check(engine: &Engine, ast: &AST) -> Result<BTreeSet<Hook>, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut hooks = BTreeSet::new();
    let mut script_fns: HashSet<String> = HashSet::new();

    for f in ast.iter_fn_def() {
        script_fns.insert(f.name.to_string());
        let pos = f.body.start_position();
        match Hook::from_function_name(&f.name) {
            Some(hook) if f.params.len() == hook.arity() => {
                hooks.insert(hook);
            }
            Some(hook) => errors.push(RuleError::at(
                ErrorKind::UnknownHook,
                format!(
                    "{} takes {} parameter{} ({}), not {}",
                    f.name,
                    hook.arity(),
                    if hook.arity() == 1 { "" } else { "s" },
                    hook_params(hook),
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
            if !known.contains(name) && !script_fns.contains(name) {
                errors.push(RuleError::at(
                    ErrorKind::UnknownFunction,
                    format!("no function named {name}{}", suggestion(name, &known, &script_fns)),
                    pos,
                ));
            }
        }
        true
    });

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

/// " (did you mean set_status?)" when a known name is one edit or a case change away.
fn suggestion(name: &str, known: &HashSet<String>, script: &HashSet<String>) -> String {
    let lower = name.to_lowercase();
    let mut candidates: Vec<&String> = known
        .iter()
        .chain(script.iter())
        .filter(|k| !k.contains('$') && (k.to_lowercase() == lower || one_edit(k, name)))
        .collect();
    candidates.sort();
    match candidates.first() {
        Some(c) => format!(" (did you mean {c}?)"),
        None => String::new(),
    }
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
