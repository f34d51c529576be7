//! The rule vocabulary as the npm package's README shows it: every hook with what it
//! receives, every property and function rules can read on it, every action with its
//! parameters and options, and what each platform accepts or refuses.
//!
//! It is rendered from what the engine itself uses, never from a list of its own: the hooks'
//! parameters the check types ([`crate::check::hook_params`]), the properties the engine
//! registers (the check's [`Catalog`]), the action table ([`crate::actions::ACTIONS`], held to
//! the registrations by a test) and the platforms' capabilities (the check's
//! [`Capabilities::refuses`]). The README holds it between [`START`] and [`END`]; a test
//! fails when that block differs from [`markdown`], and [`REGENERATE`] rewrites it.

use std::sync::{Arc, Mutex};

use rhai::Dynamic;
use shopflow_core::automation::Hook;
use shopflow_core::automation::platform::{Capabilities, platforms};

use crate::actions::{ACTIONS, ActionSpec, NOTIFY_OPTIONS, NOTIFY_PLATFORMS, RunState};
use crate::check::{hook_params, hook_when};
use crate::engine::{Progress, hardened};
use crate::limits::Limits;
use crate::properties::Catalog;

/// The line before the generated block.
pub const START: &str = "<!-- rule-vocabulary:start -->";
/// The line after it.
pub const END: &str = "<!-- rule-vocabulary:end -->";
/// The command that rewrites the block in the package README (from the workspace root).
pub const REGENERATE: &str =
    "cargo run -p shopflow-rules --example rule-vocabulary -- --write wasm/package/README.md";

/// The vocabulary as Markdown (without the markers).
#[must_use]
pub fn markdown() -> String {
    let state = Arc::new(Mutex::new(RunState::default()));
    let engine =
        hardened(&Limits::default(), Arc::new(|| 0.0), &state, &Arc::new(Progress::default()));
    let roots: Vec<Dynamic> =
        Hook::ALL.iter().flat_map(|h| hook_params(*h)).map(|p| (p.value)()).collect();
    let catalog = Catalog::new(&engine, roots.iter().cloned());
    let platforms = platforms();
    let mut out = format!("<!-- generated from the rules engine; to update: {REGENERATE} -->\n\n");
    hooks(&catalog, platforms, &mut out);
    reads(&catalog, &roots, &mut out);
    actions(platforms, &mut out);
    out
}

/// The table of hooks, with what each receives and where it is called.
fn hooks(catalog: &Catalog, platforms: &[Capabilities], out: &mut String) {
    out.push_str(
        "#### Hooks\n\nA rule file defines any of these functions; nothing else runs.\n\n",
    );
    table_head(&["hook", "called when", "receives"], platforms, out);
    for hook in Hook::ALL {
        let params = hook_params(hook);
        let names: Vec<&str> = params.iter().map(|p| p.name).collect();
        let receives: Vec<String> = params
            .iter()
            .map(|p| {
                let ty = catalog.name_of(&(p.value)()).unwrap_or("?");
                format!("`{}`: {ty}", p.name)
            })
            .collect();
        let name = hook.function_name();
        let signature = format!("`{name}({})`", names.join(", "));
        table_row(&[&signature, hook_when(hook), &receives.join(", ")], name, platforms, out);
    }
}

/// Every type hooks receive or reach, with its properties and functions.
fn reads(catalog: &Catalog, roots: &[Dynamic], out: &mut String) {
    out.push_str(
        "\n#### What rules read\n\nProperties only read: assigning one is an error. A property \
         not listed is reported when the file is compiled.\n\n",
    );
    for ty in catalog.docs(roots) {
        let properties: Vec<String> = ty
            .properties
            .iter()
            .map(|(name, reads)| match reads {
                Some(t) => format!("`{name}` ({t})"),
                None => format!("`{name}`"),
            })
            .collect();
        out.push_str(&format!("- **{}**: {}", ty.name, properties.join(", ")));
        let functions: Vec<String> = ty
            .methods
            .iter()
            .filter(|m| !ACTIONS.iter().any(|a| a.name == m.as_str()))
            .map(|m| format!("`{m}(…)`"))
            .collect();
        if !functions.is_empty() {
            out.push_str(&format!("; functions: {}", functions.join(", ")));
        }
        out.push('\n');
    }
}

/// The table of actions, and what their options say.
fn actions(platforms: &[Capabilities], out: &mut String) {
    out.push_str("\n#### Actions\n\n");
    table_head(&["action", "what it asks for"], platforms, out);
    for action in &ACTIONS {
        table_row(&[&signature(action), action.about], action.name, platforms, out);
    }
    let options: Vec<String> = NOTIFY_OPTIONS
        .iter()
        .map(|(key, whom)| format!("`#{{{key}: true}}` tells {whom}"))
        .collect();
    out.push_str(&format!(
        "\n`options` is a map whose values are `true` or `false`: {}. {NOTIFY_PLATFORMS}\n",
        options.join(", ")
    ));
}

/// `set_tracking(order, code, carrier?, options?)`.
fn signature(action: &ActionSpec) -> String {
    let options = action.options.then_some("options?");
    let params: Vec<&str> = action.params.iter().copied().chain(options).collect();
    format!("`{}({})`", action.name, params.join(", "))
}

/// A table's head: `titles`, then a column per platform.
fn table_head(titles: &[&str], platforms: &[Capabilities], out: &mut String) {
    let names = titles.iter().copied().chain(platforms.iter().map(|p| p.platform));
    out.push_str(&format!("| {} |\n", names.collect::<Vec<_>>().join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(titles.len() + platforms.len())));
}

/// A row: `cells`, then per platform `yes` or why the check refuses `name`.
fn table_row(cells: &[&str], name: &str, platforms: &[Capabilities], out: &mut String) {
    let verdicts: Vec<String> = platforms
        .iter()
        .map(|p| p.refuses(name).map_or_else(|| "yes".to_owned(), |why| format!("no: {why}")))
        .collect();
    let all: Vec<&str> = cells.iter().copied().chain(verdicts.iter().map(String::as_str)).collect();
    out.push_str(&format!("| {} |\n", all.join(" | ")));
}

/// The text between the markers in `document` (a newline after [`START`], one before
/// [`END`]).
///
/// # Errors
/// When the markers are missing, repeated or out of order.
pub fn block(document: &str) -> Result<&str, String> {
    let (start, end) = markers(document)?;
    Ok(document.get(start..end).unwrap_or_default())
}

/// `document` with the text between the markers replaced by `block`.
///
/// # Errors
/// As [`block`].
pub fn splice(document: &str, block: &str) -> Result<String, String> {
    let (start, end) = markers(document)?;
    let before = document.get(..start).unwrap_or_default();
    let after = document.get(end..).unwrap_or_default();
    Ok(format!("{before}{block}{after}"))
}

/// Where the block starts and ends (after the start marker's line, before the end marker).
fn markers(document: &str) -> Result<(usize, usize), String> {
    let one = |marker: &str| {
        let mut found = document.match_indices(marker).map(|(at, _)| at);
        match (found.next(), found.next()) {
            (Some(at), None) => Ok(at),
            (None, _) => Err(format!("no {marker} line")),
            (Some(_), Some(_)) => Err(format!("{marker} is there more than once")),
        }
    };
    let start = one(START)? + START.len() + 1;
    let end = one(END)?;
    if start > end {
        return Err(format!("{END} comes before {START}"));
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use rhai::{Engine, Map};

    use super::*;
    use crate::views::{CustomerView, OrderView};

    /// The action table and the registrations agree: the same names, each with the arities
    /// its parameters allow, on the record type its first parameter names, and an options map
    /// last exactly where the table says so.
    #[test]
    fn the_action_table_is_what_the_engine_registers() {
        let mut engine = Engine::new_raw();
        crate::actions::register(&mut engine, &Arc::new(Mutex::new(RunState::default())));
        let mut registered: BTreeMap<String, Vec<Vec<std::any::TypeId>>> = BTreeMap::new();
        for (name, types) in engine.collect_fn_metadata(
            None,
            |info| Some((info.metadata.name.to_string(), info.metadata.param_types.to_vec())),
            false,
        ) {
            registered.entry(name).or_default().push(types);
        }
        let table: BTreeSet<&str> = ACTIONS.iter().map(|a| a.name).collect();
        assert_eq!(registered.keys().map(String::as_str).collect::<BTreeSet<_>>(), table);
        for a in &ACTIONS {
            let forms = &registered[a.name];
            let required = a.params.iter().filter(|p| !p.ends_with('?')).count();
            let most = a.params.len() + usize::from(a.options);
            let arities: BTreeSet<usize> = forms.iter().map(Vec::len).collect();
            assert_eq!(arities, (required..=most).collect(), "{}", a.name);
            let record = match a.params[0] {
                "order" => std::any::TypeId::of::<OrderView>(),
                "customer" => std::any::TypeId::of::<CustomerView>(),
                other => panic!("{}: the record is an order or a customer, not {other}", a.name),
            };
            assert!(forms.iter().all(|f| f[0] == record), "{}", a.name);
            let takes_map = forms.iter().any(|f| f.last() == Some(&std::any::TypeId::of::<Map>()));
            assert_eq!(takes_map, a.options, "{}: options", a.name);
        }
    }

    /// Everything a platform refuses is an action or a hook, so the vocabulary shows it.
    #[test]
    fn every_refusal_is_shown() {
        let text = markdown();
        for p in platforms() {
            for (name, _) in p.unsupported {
                let why = p.refuses(name).unwrap();
                assert!(text.contains(&format!("no: {why}")), "{name} on {}", p.platform);
            }
        }
        assert!(text.contains("`order`: Order, `change`: StatusChange | yes | yes |"));
        assert!(text.contains("`customer` (OrderCustomer)") && text.contains("(array of Product)"));
        assert!(text.contains("`set_tracking(order, code, carrier?, options?)`"));
    }

    #[test]
    fn the_block_is_found_and_replaced_between_its_markers() {
        let doc = format!("# x\n{START}\nold\n{END}\nrest\n");
        assert_eq!(block(&doc), Ok("old\n"));
        assert_eq!(splice(&doc, "new\n").unwrap(), format!("# x\n{START}\nnew\n{END}\nrest\n"));
        assert!(block("no markers").unwrap_err().contains(START));
        assert!(block(&format!("{END}\n{START}\n")).unwrap_err().contains("comes before"));
        assert!(block(&format!("{START}\n{START}\n{END}")).unwrap_err().contains("more than once"));
    }
}
