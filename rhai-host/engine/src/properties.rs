//! Properties of what hooks receive, checked before anything runs: `order.order_total` (the
//! platform's field name, where the view says `order.total`) would fail on every order, so the
//! check reports it at its place, with the property meant.
//!
//! What exists comes from the engine, not from a list kept here. Every getter is a function
//! `get$<property>` whose parameter type is the type it reads
//! ([`Engine::collect_fn_metadata`]). What a getter returns is not in that metadata (Rhai keeps
//! return types only with its `metadata` feature, and an array's would not say what it holds),
//! so each getter is called once on a value of the type it is registered on, starting from
//! values of the types hooks are called with ([`crate::check::hook_params`]):
//! `order.customer` returns an `OrderCustomer`, `order.products` an array of `Product`, and so
//! on. Getters only read.
//!
//! Only what would surely fail is reported. A name is typed when every binding of it in the
//! hook gives it the same known type: the hook's parameter, `let c = order.customer`,
//! `for p in order.products`. A name bound differently anywhere in the hook (`let order = #{}`,
//! an assignment, a closure assigning it, a catch variable) is not checked there at all;
//! neither is anything that goes through a method call, a map (`order.metas.x`,
//! `order.api.x`), a variable holding an array, a function's parameter, or a type with an
//! indexer (which reads unknown properties).

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use rhai::{AST, ASTFlags, ASTNode, Dynamic, Engine, Expr, NativeCallContext, Position, Stmt};

use crate::error::{ErrorKind, RuleError};

/// Rhai's name for the getter of a property.
const GETTER: &str = "get$";
/// Rhai's name for an indexer, which reads unknown properties of its type.
const INDEXER: &str = "index$get$";
/// Rhai's prefix for closures' functions.
const CLOSURE: &str = "anon$";

/// The platform's field names (as the API, its docs and webhook bodies spell them) and the
/// view's names for them; suggested only where the type has that property.
const PLATFORM_NAMES: [(&str, &str); 29] = [
    ("order_number", "number"),
    ("order_id", "id"),
    ("order_total", "total"),
    ("external_order_number", "external_number"),
    ("language_id", "language"),
    ("currency_id", "currency"),
    ("creation_time", "created"),
    ("total_weight", "weight"),
    ("resolved_yn", "resolved"),
    ("firstname_invoice", "firstname"),
    ("surname_invoice", "surname"),
    ("city_invoice", "city"),
    ("zip_invoice", "zip"),
    ("country_id_invoice", "country"),
    ("customer_note", "note"),
    ("company_yn", "is_company"),
    ("vat_payer_yn", "vat_payer"),
    ("company_number", "ico"),
    ("customer_id", "id"),
    ("price_with_vat", "price"),
    ("price_per_unit_with_vat", "price_per_unit"),
    ("line_type", "kind"),
    ("affiliate_id", "pickup_point_id"),
    ("affiliate_name", "pickup_point_name"),
    ("payment_type", "type"),
    ("shipment_type", "type"),
    ("newsletter_yn", "newsletter"),
    ("active_yn", "active"),
    ("blocked_yn", "blocked"),
];

/// The type of a value, where the check knows it: one value of a type with getters, or an
/// array of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    One(TypeId),
    Many(TypeId),
}

impl Ty {
    /// The type of an item of an array of this type.
    fn item(self) -> Option<Ty> {
        match self {
            Ty::Many(t) => Some(Ty::One(t)),
            Ty::One(_) => None,
        }
    }
}

/// A type with getters, as the engine has it.
#[derive(Debug)]
struct TypeInfo {
    /// As registered (`Order`).
    name: String,
    /// Its properties, with what each returns where that is known.
    properties: BTreeMap<String, Option<Ty>>,
    /// Functions taking it first (`order.has_meta("x")`), for the hint when one is read as a
    /// property.
    methods: BTreeSet<String>,
    /// Whether an indexer reads its unknown properties.
    indexed: bool,
}

/// A type hooks can reach, as the rule vocabulary shows it ([`crate::vocabulary`]).
#[derive(Debug)]
pub(crate) struct TypeDoc {
    /// As registered (`Order`).
    pub name: String,
    /// Its properties, each with the type it reads where that is one of these types
    /// (`OrderCustomer`, `array of Product`).
    pub properties: Vec<(String, Option<String>)>,
    /// Functions taking it first (`has_meta`), the actions among them too.
    pub methods: Vec<String>,
}

/// Every type hooks can reach through properties, with its properties.
#[derive(Debug)]
pub(crate) struct Catalog {
    types: HashMap<TypeId, TypeInfo>,
    /// Properties every value has (getters on `Dynamic`, such as Rhai's `tag`).
    everywhere: BTreeSet<String>,
}

impl Catalog {
    /// The types reachable from `roots` (values of the types hooks are called with), read
    /// from `engine`.
    pub(crate) fn new(engine: &Engine, roots: impl IntoIterator<Item = Dynamic>) -> Catalog {
        let dynamic = TypeId::of::<Dynamic>();
        // The host's functions: its types' getters, indexers and methods.
        let host = engine.collect_fn_metadata(
            None,
            |info| {
                let f = info.metadata;
                Some((f.name.to_string(), f.num_params, *f.param_types.first()?))
            },
            false,
        );
        // The types checked: those the host gave getters.
        let own: HashSet<TypeId> = host
            .iter()
            .filter(|(name, n, t)| name.starts_with(GETTER) && *n == 1 && *t != dynamic)
            .map(|(.., t)| *t)
            .collect();
        // Rhai's packages give their own types (strings, arrays, …) getters and indexers, and
        // every value some (`tag`): only those that apply to the types checked matter.
        let packages = engine.collect_fn_metadata(
            None,
            |info| {
                let f = info.metadata;
                let t = *f.param_types.first()?;
                let wanted = (t == dynamic || own.contains(&t))
                    && (f.name.starts_with(GETTER) || f.name == INDEXER);
                wanted.then(|| (f.name.to_string(), f.num_params, t))
            },
            true,
        );
        let mut getters: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
        let mut methods: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
        let mut everywhere = BTreeSet::new();
        let mut indexed = HashSet::new();
        for (name, n, t) in host.into_iter().chain(packages) {
            if let Some(property) = name.strip_prefix(GETTER).filter(|_| n == 1) {
                if t == dynamic {
                    everywhere.insert(property.to_owned());
                } else {
                    getters.entry(t).or_default().insert(property.to_owned());
                }
            } else if name == INDEXER {
                indexed.insert(t);
            } else if !name.contains('$') {
                methods.entry(t).or_default().insert(name);
            }
        }

        let global = engine.new_global_runtime_state();
        let context = NativeCallContext::from((engine, "", None, &global, Position::NONE));
        let mut types = HashMap::new();
        let mut pending: Vec<Dynamic> = roots.into_iter().collect();
        while let Some(value) = pending.pop() {
            let t = value.type_id();
            if !own.contains(&t) || types.contains_key(&t) {
                continue;
            }
            let properties = getters
                .get(&t)
                .into_iter()
                .flatten()
                .map(|p| (p.clone(), returns(&context, &value, p, &own, &mut pending)))
                .collect();
            let info = TypeInfo {
                name: engine.map_type_name(value.type_name()).to_owned(),
                properties,
                methods: methods.remove(&t).unwrap_or_default(),
                indexed: indexed.contains(&t) || indexed.contains(&dynamic),
            };
            types.insert(t, info);
        }
        Catalog { types, everywhere }
    }

    /// Every type reachable from `roots`, as the rule vocabulary shows it: breadth-first, in
    /// the order of `roots` and then of each type's properties.
    pub(crate) fn docs(&self, roots: &[Dynamic]) -> Vec<TypeDoc> {
        let mut queue: VecDeque<TypeId> = roots
            .iter()
            .filter_map(|v| match self.type_of(v) {
                Some(Ty::One(t)) => Some(t),
                _ => None,
            })
            .collect();
        let mut done = HashSet::new();
        let mut out = Vec::new();
        while let Some(t) = queue.pop_front() {
            let Some(info) = self.types.get(&t).filter(|_| done.insert(t)) else { continue };
            let mut reads = |ty: &Option<Ty>| {
                let (Ty::One(next) | Ty::Many(next)) = (*ty)?;
                queue.push_back(next);
                let name = &self.types.get(&next)?.name;
                Some(if matches!(ty, Some(Ty::Many(_))) {
                    format!("array of {name}")
                } else {
                    name.clone()
                })
            };
            let properties = info.properties.iter().map(|(p, ty)| (p.clone(), reads(ty))).collect();
            let methods = info.methods.iter().cloned().collect();
            out.push(TypeDoc { name: info.name.clone(), properties, methods });
        }
        out
    }

    /// The name of `value`'s type as registered (`Order`), when it is one the check knows.
    pub(crate) fn name_of(&self, value: &Dynamic) -> Option<&str> {
        self.types.get(&value.type_id()).map(|i| i.name.as_str())
    }

    /// The type of `value`, when it is one the check knows.
    pub(crate) fn type_of(&self, value: &Dynamic) -> Option<Ty> {
        let t = value.type_id();
        self.types.contains_key(&t).then_some(Ty::One(t))
    }
}

/// What the getter of `property` returns on `value`, when it is a type with getters (or an
/// array of one); such values are queued to be read in turn.
fn returns(
    context: &NativeCallContext,
    value: &Dynamic,
    property: &str,
    own: &HashSet<TypeId>,
    pending: &mut Vec<Dynamic>,
) -> Option<Ty> {
    // A call counts as an operation, so the engine's progress callback sees it; with the
    // clock read on every operation it stops the call (no deadline is set at compile time),
    // and only the hooks' parameters themselves are checked.
    let mut this = value.clone();
    let out =
        context.call_native_fn_raw(format!("{GETTER}{property}"), true, &mut [&mut this]).ok()?;
    let t = out.type_id();
    if own.contains(&t) {
        pending.push(out);
        return Some(Ty::One(t));
    }
    let items = out.as_array_ref().ok()?;
    let first = items.first()?;
    let t = first.type_id();
    if !own.contains(&t) || items.iter().any(|i| i.type_id() != t) {
        return None;
    }
    pending.push(first.clone());
    Some(Ty::Many(t))
}

/// Names that closures assign to (`|| order = 1` changes the `order` they captured).
pub(crate) fn assigned_in_closures(ast: &AST) -> HashSet<String> {
    let mut names = HashSet::new();
    only_functions(ast, |name, _| name.starts_with(CLOSURE)).walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Assignment(x))) = path.last()
            && let Expr::Variable(v, ..) = &x.1.lhs
        {
            names.insert(v.1.to_string());
        }
        true
    });
    names
}

/// The functions of `ast` that `keep` keeps (by name and arity), without its statements.
fn only_functions(ast: &AST, keep: impl Fn(&str, usize) -> bool) -> AST {
    // Not `clone_functions_only_filtered`: Rhai 1.27 ignores its filter when cloning into an
    // empty module.
    let mut functions = ast.clone_functions_only();
    functions.retain_functions(|_, _, name, n| keep(name, n));
    functions
}

/// Whether a script function assigns to `this`, which changes the variable it was called on
/// (`order.reset()` with `fn reset() { this = #{}; }`).
pub(crate) fn assigns_this(ast: &AST) -> bool {
    let mut found = false;
    ast.clone_functions_only().walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Assignment(x))) = path.last() {
            found |= matches!(x.1.lhs, Expr::ThisPtr(..));
        }
        !found
    });
    found
}

/// What the check of one hook knows about the whole script.
pub(crate) struct Script<'a> {
    pub catalog: &'a Catalog,
    /// [`assigned_in_closures`].
    pub closures_assign: &'a HashSet<String>,
    /// [`assigns_this`].
    pub this_assigned: bool,
}

/// Reports every unknown property read from the hook `name`'s parameters (named `params`, of
/// the given types) or from values reached through them.
pub(crate) fn check_hook(
    script: &Script<'_>,
    ast: &AST,
    name: &str,
    params: &[(String, Option<Ty>)],
    errors: &mut Vec<RuleError>,
) {
    let hook = only_functions(ast, |f, n| f == name && n == params.len());
    let mut names = Names { catalog: script.catalog, env: HashMap::new() };
    // Each round types the bindings with what the last one knew; a name only ever gains a
    // type, so this ends (a round per name at most).
    for _ in 0..=64 {
        let env = names.bindings(script, &hook, params);
        if env == names.env {
            break;
        }
        names.env = env;
    }
    hook.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(e @ (Expr::Dot(x, ..) | Expr::Index(x, ..)))) = path.last()
            && !continues_chain(path, e)
        {
            let root = match &x.lhs {
                Expr::Variable(v, ..) => v.1.to_string(),
                _ => "…".to_owned(),
            };
            names.chain(names.type_of(&x.lhs), e, &x.rhs, &root, Some(errors));
        }
        true
    });
}

/// Whether `e` is the rest of a chain (`.b.c` of `a.b.c`) rather than a value of its own.
fn continues_chain(path: &[ASTNode], e: &Expr) -> bool {
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
    match parent {
        Some(ASTNode::Expr(Expr::Dot(x, ..))) => std::ptr::eq(&x.rhs, e),
        // `a[i]` ends the chain: `i` is a value of its own.
        Some(ASTNode::Expr(Expr::Index(x, options, _))) => {
            !options.intersects(ASTFlags::BREAK) && std::ptr::eq(&x.rhs, e)
        }
        _ => false,
    }
}

/// The names of one hook and what they hold.
struct Names<'a> {
    catalog: &'a Catalog,
    /// A name's type; `None` when it is bound to different or unknown types.
    env: HashMap<String, Option<Ty>>,
}

impl Names<'_> {
    /// The type of every name bound in `hook`, typing the bindings with `self.env`.
    fn bindings(
        &self,
        script: &Script<'_>,
        hook: &AST,
        params: &[(String, Option<Ty>)],
    ) -> HashMap<String, Option<Ty>> {
        let mut seen: HashMap<String, Vec<Option<Ty>>> = HashMap::new();
        for (name, ty) in params {
            seen.entry(name.clone()).or_default().push(*ty);
        }
        hook.walk(&mut |path: &[ASTNode]| {
            // An array in a variable may change (`ps[0] = #{}`): only single values are kept.
            let mut bind = |name: &str, ty: Option<Ty>| {
                let ty = ty.filter(|t| matches!(t, Ty::One(_)));
                seen.entry(name.to_owned()).or_default().push(ty);
            };
            match path.last() {
                Some(ASTNode::Stmt(Stmt::Var(x, ..))) => bind(&x.0.name, self.type_of(&x.1)),
                Some(ASTNode::Stmt(Stmt::For(x, ..))) => {
                    bind(&x.0.name, self.type_of(&x.2.expr).and_then(Ty::item));
                    if let Some(counter) = &x.1 {
                        bind(&counter.name, None);
                    }
                }
                Some(ASTNode::Stmt(Stmt::Assignment(x))) => {
                    if let Expr::Variable(v, ..) = &x.1.lhs {
                        let ty = if x.0.is_op_assignment() { None } else { self.type_of(&x.1.rhs) };
                        bind(&v.1, ty);
                    }
                }
                Some(ASTNode::Stmt(Stmt::TryCatch(x, ..))) => {
                    if let Expr::Variable(v, ..) = &x.expr {
                        bind(&v.1, None);
                    }
                }
                Some(ASTNode::Stmt(Stmt::Share(x))) => {
                    for (ident, _) in x.iter() {
                        if script.closures_assign.contains(ident.name.as_str()) {
                            bind(&ident.name, None);
                        }
                    }
                }
                // A script function called on a variable may assign `this`, which is it.
                Some(ASTNode::Expr(Expr::Dot(x, ..))) if script.this_assigned => {
                    if let (Expr::Variable(v, ..), Expr::MethodCall(..)) =
                        (&x.lhs, first_link(&x.rhs))
                    {
                        bind(&v.1, None);
                    }
                }
                _ => {}
            }
            true
        });
        seen.into_iter()
            .map(|(name, tys)| {
                let first = tys.first().copied().flatten();
                (name, first.filter(|t| tys.iter().all(|x| *x == Some(*t))))
            })
            .collect()
    }

    /// The type of `e`, where it is known.
    fn type_of(&self, e: &Expr) -> Option<Ty> {
        match e {
            Expr::Variable(v, ..) => self.env.get(v.1.as_str()).copied().flatten(),
            Expr::Dot(x, ..) | Expr::Index(x, ..) => {
                self.chain(self.type_of(&x.lhs), e, &x.rhs, "…", None)
            }
            _ => None,
        }
    }

    /// Follows the chain `rhs` of `parent` (a dot or an index) from a value of type `ty`, as
    /// Rhai evaluates it; returns the type at its end. Unknown properties go to `report`.
    /// `path` is the chain so far, as written (for messages).
    fn chain(
        &self,
        ty: Option<Ty>,
        parent: &Expr,
        rhs: &Expr,
        path: &str,
        mut report: Option<&mut Vec<RuleError>>,
    ) -> Option<Ty> {
        match parent {
            Expr::Index(_, options, _) => {
                let item = ty.and_then(Ty::item);
                match rhs {
                    // `[i].rest` or `[i][j]`: the index is the left side.
                    Expr::Dot(x, ..) | Expr::Index(x, ..)
                        if !options.intersects(ASTFlags::BREAK) =>
                    {
                        self.chain(item, rhs, &x.rhs, &format!("{path}[…]"), report)
                    }
                    _ => item,
                }
            }
            Expr::Dot(..) => match rhs {
                Expr::Property(p, pos) => self.property(ty, &p.2, *pos, path, report),
                Expr::Dot(x, ..) | Expr::Index(x, ..) => {
                    let (next, path) = match &x.lhs {
                        Expr::Property(p, pos) => (
                            self.property(ty, &p.2, *pos, path, report.as_deref_mut()),
                            format!("{path}.{}", p.2),
                        ),
                        _ => (None, format!("{path}.…")),
                    };
                    self.chain(next, rhs, &x.rhs, &path, report)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The type `ty.name` reads, or an error in `report` when `ty` has no such property.
    fn property(
        &self,
        ty: Option<Ty>,
        name: &str,
        pos: Position,
        path: &str,
        report: Option<&mut Vec<RuleError>>,
    ) -> Option<Ty> {
        let Some(Ty::One(t)) = ty else { return None };
        let info = self.catalog.types.get(&t)?;
        if let Some(returns) = info.properties.get(name) {
            return *returns;
        }
        if info.indexed || self.catalog.everywhere.contains(name) {
            return None;
        }
        if let Some(errors) = report {
            errors.push(RuleError::at(ErrorKind::UnknownProperty, unknown(info, name, path), pos));
        }
        None
    }
}

/// The first link of a chain's rest (`m` of `.m().b`).
fn first_link(rhs: &Expr) -> &Expr {
    match rhs {
        Expr::Dot(x, ..) | Expr::Index(x, ..) => &x.lhs,
        other => other,
    }
}

/// "Order has no property order_total (did you mean total?)", with what the author may have
/// meant, or what there is.
fn unknown(info: &TypeInfo, name: &str, path: &str) -> String {
    let head = format!("{} has no property {name}", info.name);
    let has = |p: &str| info.properties.contains_key(p);
    let own_field = if has("api") && !path.contains('…') {
        format!("{path}.api.{name} for the platform's own field")
    } else {
        String::new()
    };
    if let Some(close) = crate::check::closest(name, info.properties.keys()) {
        return format!("{head} (did you mean {close}?)");
    }
    if info.methods.contains(name) {
        return format!("{head} ({name} is a function: {path}.{name}(…))");
    }
    let platform = PLATFORM_NAMES
        .iter()
        .find(|(field, view)| field.eq_ignore_ascii_case(name) && has(view))
        .map(|(_, view)| *view);
    match (platform, own_field.is_empty()) {
        (Some(view), true) => format!("{head} (did you mean {view}?)"),
        (Some(view), false) => format!("{head} (did you mean {view}? or {own_field})"),
        (None, own) => {
            let all = info.properties.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
            let api = if own { String::new() } else { format!("; or {own_field}") };
            format!("{head} (its properties: {all}{api})")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use shopflow_core::automation::Hook;

    use super::*;
    use crate::check::hook_params;
    use crate::engine::{Progress, hardened};
    use crate::limits::Limits;
    use crate::ruleset::RuleSet;

    fn clock() -> crate::limits::Clock {
        Arc::new(|| 0.0)
    }

    /// Every property the catalog knows, read from every hook's parameters and through them
    /// (`order.customer.email`, `for x in order.products { x.title }`), passes the check: the
    /// catalog and the check agree, whatever the views register.
    #[test]
    fn every_known_property_passes_the_check() {
        let state = Arc::new(Mutex::new(crate::actions::RunState::default()));
        let engine = hardened(&Limits::default(), clock(), &state, &Arc::new(Progress::default()));
        let roots = Hook::ALL.iter().flat_map(|h| hook_params(*h)).map(|p| (p.value)());
        let catalog = Catalog::new(&engine, roots);
        assert!(catalog.types.len() >= 9, "every view is reached: {:?}", catalog.types.keys());
        let mut reads = 0;
        for hook in Hook::ALL {
            let params = hook_params(hook);
            let mut body = String::new();
            for (i, p) in params.iter().enumerate() {
                let Some(Ty::One(t)) = catalog.type_of(&(p.value)()) else {
                    panic!("{} is a known type", p.name)
                };
                read(&catalog, t, &format!("p{i}"), 0, &mut body, &mut reads);
            }
            let names: Vec<_> = (0..params.len()).map(|i| format!("p{i}")).collect();
            let src = format!("fn {}({}) {{\n{body}}}\n", hook.function_name(), names.join(", "));
            if let Err(e) = RuleSet::compile(&src, Limits::default(), clock()) {
                panic!("{src}\n{e:?}");
            }
        }
        assert!(reads > 80, "{reads} reads");
    }

    fn read(
        catalog: &Catalog,
        t: TypeId,
        path: &str,
        depth: usize,
        out: &mut String,
        n: &mut usize,
    ) {
        for (property, returns) in &catalog.types[&t].properties {
            *n += 1;
            out.push_str(&format!("    let x{n} = {path}.{property};\n"));
            match returns {
                Some(Ty::One(next)) if depth < 3 => {
                    read(catalog, *next, &format!("{path}.{property}"), depth + 1, out, n);
                }
                Some(Ty::Many(next)) if depth < 3 => {
                    let item = format!("i{n}");
                    out.push_str(&format!("    for {item} in {path}.{property} {{\n"));
                    read(catalog, *next, &item, depth + 1, out, n);
                    out.push_str("    }\n");
                }
                _ => {}
            }
        }
    }
}
