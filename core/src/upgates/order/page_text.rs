//! A page of `GET /orders` written straight from the answer's text, as the typed models would
//! write it: the fast way to the npm package's `parse('order-list', …)` and `listOrders()`.
//!
//! Reading a page into [`super::Order`]s and writing them out again took three quarters of
//! that call's time in WebAssembly (serde's derived code for 150 fields, twice). Here each
//! order is read against a field table ([`super::fields`]) with the rule the model reads each
//! value with ([`LenientScalar`]), and each value is written as the model's `Serialize`
//! writes it, in the struct's order, with what the answer left out filled in; the text is
//! read once, by the webhook reader's scanner.
//!
//! Errors are not worded here. Whatever the tables do not take (a refused value, a duplicate
//! field, a record sent as a list) gives up with [`NotHere`], and the caller reads the page
//! typed: refusals and rare shapes have one reader and one wording.
//! `core/tests/order_page_text.rs` holds the two readings equal.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ascii_json;
use crate::lenient::{LenientScalar, Scalar};
use crate::pagination::Page;
use crate::upgates::order::fields::ORDER;
use crate::upgates::webhook::reader::{Fail, Reader};

/// The answer was not read here: the typed reading must read it (and word what is wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotHere;

impl From<Fail> for NotHere {
    fn from(_: Fail) -> Self {
        NotHere
    }
}

impl From<serde_json::Error> for NotHere {
    fn from(_: serde_json::Error) -> Self {
        NotHere
    }
}

/// An order-list page: its orders as the JSON text of a list, and its paging fields.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    /// The orders, `[…]`, as `serde_json` would write `Vec<Order>` (non-ASCII escaped, as
    /// [`ascii_json`] writes).
    pub items: String,
    /// The paging fields (its `items` hold one `()` per order).
    pub page: Page<()>,
}

/// Writes a value the field had; answers whether it is not the field's default.
pub(crate) type WriteScalar = fn(Scalar<'_>, &mut Vec<u8>) -> Result<bool, NotHere>;

/// Reads a whole value from its text and writes it; answers whether it is not the default.
pub(crate) type ReadTyped = fn(&[u8], &mut Vec<u8>) -> Result<bool, NotHere>;

/// How a field's value is read and written.
#[derive(Clone, Copy)]
pub(crate) enum Rule {
    /// One scalar.
    Scalar(WriteScalar),
    /// A nested record that is `null` when it is all defaults (`lenient::object`).
    Object(&'static [Field]),
    /// A nested record that is always there, with its defaults when none came.
    Always(&'static [Field]),
    /// A list of records (`lenient::list`).
    List(&'static [Field]),
    /// A value read whole by its typed reading.
    Typed(ReadTyped),
}

/// What a field is when the answer leaves it out.
#[derive(Clone, Copy)]
pub(crate) enum Absent {
    Null,
    False,
    EmptyList,
    /// A record with every field absent.
    Defaults(&'static [Field]),
    /// Nothing: the record is refused.
    Required,
}

/// A field of a record table.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    /// The serde name (the JSON key, in and out).
    pub name: &'static str,
    pub rule: Rule,
    pub absent: Absent,
}

/// The most fields a record has (the order has 38): [`record_any_order`] keeps a place per
/// field on the stack.
const MAX_FIELDS: usize = 48;

/// How deep records nest in the tables, at most (order, product, configuration, value: 4):
/// one scratch buffer per level for [`record_any_order`].
const DEPTH: usize = 5;

// A table wider or deeper than the scratch would send its records to the typed reading
// every time: refused at compile time instead.
const _: () = {
    let (widest, depth) = extent(ORDER);
    assert!(widest <= MAX_FIELDS && depth <= DEPTH);
};

/// The most fields of any record in `fields` or nested in it, and how many levels of records
/// `fields` is, itself included.
const fn extent(fields: &[Field]) -> (usize, usize) {
    let (mut widest, mut deepest) = (fields.len(), 0);
    let mut rest = fields;
    while let [field, tail @ ..] = rest {
        if let Some(inner) = field.nested() {
            let (w, d) = extent(inner);
            if w > widest {
                widest = w;
            }
            if d > deepest {
                deepest = d;
            }
        }
        rest = tail;
    }
    (widest, deepest + 1)
}

impl Field {
    /// The table of the records this field holds, if it holds records.
    const fn nested(&self) -> Option<&'static [Field]> {
        match self.rule {
            Rule::Object(fields) | Rule::Always(fields) | Rule::List(fields) => Some(fields),
            Rule::Scalar(_) | Rule::Typed(_) => None,
        }
    }
}

/// An order-list answer as a page (see the module's documentation).
///
/// # Errors
/// [`NotHere`] when the typed reading must read it, whether because it is refused or
/// because it has a shape the tables leave to that reading.
pub fn order_page_text(body: &[u8]) -> Result<PageText, NotHere> {
    let mut r = Reader::new(body);
    // The page as the model writes it is larger than the answer (every absent field is
    // written): room for half as much again, so that it is not moved while written.
    let mut items = Vec::with_capacity(body.len() + body.len() / 2);
    let (paging, orders) = answer(&mut r, &mut items)?;
    r.end()?;
    let [current_page, current_page_items, number_of_pages, number_of_items] = paging;
    let page = Page::from_parts(
        vec![(); orders],
        narrow(current_page)?,
        narrow(current_page_items)?,
        narrow(number_of_pages)?,
        number_of_items,
    );
    Ok(PageText { items: String::from_utf8(items).map_err(|_| NotHere)?, page })
}

/// The answer's object: its orders written to `items` (`[]` when it has none), and how many;
/// its paging fields in [`PAGING`]'s order.
fn answer(r: &mut Reader<'_>, items: &mut Vec<u8>) -> Result<([Option<u64>; 4], usize), NotHere> {
    if r.parse_whitespace() != Some(b'{') {
        return Err(NotHere);
    }
    r.enter()?;
    r.eat_char();
    let mut pool: [Vec<u8>; DEPTH] = Default::default();
    // Each field as it came (`Some`, of a value or of none), to refuse one given twice.
    let mut paging: [Option<Option<u64>>; 4] = [None; 4];
    let mut orders: Option<usize> = None;
    let mut first = true;
    while r.has_next_key(&mut first)? {
        let key = r.key()?;
        let slot = PAGING.into_iter().enumerate().find(|&(_, (name, _))| name == r.str_of(key));
        let is_orders = r.str_of(key) == "orders";
        r.parse_object_colon()?;
        if is_orders {
            if orders.is_some() {
                return Err(NotHere);
            }
            orders = Some(list(r, ORDER, items, &mut pool)?);
        } else if let Some((i, (_, width))) = slot {
            let seen = paging.get_mut(i).ok_or(NotHere)?;
            if seen.is_some() {
                return Err(NotHere);
            }
            *seen = Some(paging_value(r, width)?);
        } else {
            r.ignore_value()?;
        }
    }
    r.end_map()?;
    r.leave();
    if orders.is_none() {
        items.extend_from_slice(b"[]");
    }
    Ok((paging.map(Option::flatten), orders.unwrap_or(0)))
}

/// How wide a paging field's number is in [`super::OrderList`].
#[derive(Clone, Copy)]
enum Width {
    U32,
    U64,
}

/// The paging fields of [`super::OrderList`], in its order, with their widths.
const PAGING: [(&str, Width); 4] = [
    ("current_page", Width::U32),
    ("current_page_items", Width::U32),
    ("number_of_pages", Width::U32),
    ("number_of_items", Width::U64),
];

/// A paging number, read at its width as the list's model reads it (a `u32` field refuses
/// what does not fit).
fn paging_value(r: &mut Reader<'_>, width: Width) -> Result<Option<u64>, NotHere> {
    let read = r.scalar("", |v, _| {
        Ok(match width {
            Width::U64 => u64::from_scalar(v),
            Width::U32 => u32::from_scalar(v).map(|n| n.map(u64::from)),
        })
    })?;
    read.map_err(|_| NotHere)
}

fn narrow(n: Option<u64>) -> Result<Option<u32>, NotHere> {
    n.map(u32::try_from).transpose().map_err(|_| NotHere)
}

/// One field's value, written to `out` (`pool` is scratch for the records inside it).
fn value(
    r: &mut Reader<'_>,
    rule: Rule,
    out: &mut Vec<u8>,
    pool: &mut [Vec<u8>],
) -> Result<bool, NotHere> {
    match rule {
        Rule::Scalar(write) => r.scalar("", |v, _| Ok(write(v, out)))?,
        Rule::Object(fields) => {
            if r.parse_whitespace() != Some(b'{') {
                nothing(r)?;
                out.extend_from_slice(b"null");
                return Ok(false);
            }
            let start = out.len();
            let set = record(r, fields, out, pool)?;
            if !set {
                out.truncate(start);
                out.extend_from_slice(b"null");
            }
            Ok(set)
        }
        Rule::Always(fields) => {
            if r.parse_whitespace() == Some(b'{') {
                record(r, fields, out, pool)
            } else {
                nothing(r)?;
                defaults(fields, out)?;
                Ok(false)
            }
        }
        Rule::List(fields) => list(r, fields, out, pool).map(|n| n > 0),
        Rule::Typed(read) => {
            let start = r.offset();
            r.ignore_value()?;
            read(r.since(start), out)
        }
    }
}

/// A list of records as `lenient::list` reads it (`null`, `""` and `{}` are empty); answers
/// how many there were.
fn list(
    r: &mut Reader<'_>,
    fields: &'static [Field],
    out: &mut Vec<u8>,
    pool: &mut [Vec<u8>],
) -> Result<usize, NotHere> {
    if r.parse_whitespace() != Some(b'[') {
        nothing(r)?;
        out.extend_from_slice(b"[]");
        return Ok(0);
    }
    r.enter()?;
    r.eat_char();
    out.push(b'[');
    let mut first = true;
    let mut n = 0;
    while r.has_next_element(&mut first)? {
        // A record given as a list is serde's to read.
        if r.parse_whitespace() != Some(b'{') {
            return Err(NotHere);
        }
        if n > 0 {
            out.push(b',');
        }
        record(r, fields, out, pool)?;
        n += 1;
    }
    r.end_seq()?;
    r.leave();
    out.push(b']');
    Ok(n)
}

/// `null`, `""`, `[]` or `{}`: how PHP says "none" for a list or an object.
fn nothing(r: &mut Reader<'_>) -> Result<(), NotHere> {
    let close = match r.parse_whitespace() {
        Some(b'n') => {
            r.eat_char();
            return Ok(r.parse_ident(b"ull")?);
        }
        Some(b'"') => b'"',
        Some(b'[') => b']',
        Some(b'{') => b'}',
        _ => return Err(NotHere),
    };
    r.eat_char();
    let next = if close == b'"' { r.peek() } else { r.parse_whitespace() };
    if next != Some(close) {
        return Err(NotHere);
    }
    r.eat_char();
    Ok(())
}

/// One record (its `{` is next), written in its table's order; answers whether any field is
/// not its default. Answers list their fields in the model's order, so each value is written
/// where it belongs as it comes; a record whose keys come in another order (or twice) is
/// read again and put in order ([`record_any_order`]).
fn record(
    r: &mut Reader<'_>,
    fields: &'static [Field],
    out: &mut Vec<u8>,
    pool: &mut [Vec<u8>],
) -> Result<bool, NotHere> {
    let (mark, start) = (r.mark(), out.len());
    if let Some(set) = record_in_order(r, fields, out, pool)? {
        return Ok(set);
    }
    r.back_to(mark);
    out.truncate(start);
    record_any_order(r, fields, out, pool)
}

/// [`record`] while its keys come in the table's order: `None` at the first that does not.
fn record_in_order(
    r: &mut Reader<'_>,
    fields: &'static [Field],
    out: &mut Vec<u8>,
    pool: &mut [Vec<u8>],
) -> Result<Option<bool>, NotHere> {
    r.enter()?;
    r.eat_char();
    out.push(b'{');
    let mut set = false;
    let mut first = true;
    let mut next = 0;
    while let Some(i) = next_field(r, fields, next, &mut first)? {
        // A key that belongs before, or a required field skipped that may still come.
        let skipped = fields.get(next..i).unwrap_or_default();
        if i < next || skipped.iter().any(|f| matches!(f.absent, Absent::Required)) {
            return Ok(None);
        }
        absent_from(fields, next, i, out)?;
        let field = fields.get(i).ok_or(NotHere)?;
        write_key(out, i, field.name);
        set |= value(r, field.rule, out, pool)?;
        next = i + 1;
    }
    r.end_map()?;
    r.leave();
    absent_from(fields, next, fields.len(), out)?;
    out.push(b'}');
    Ok(Some(set))
}

/// The fields from `from` up to `to`, absent.
fn absent_from(fields: &[Field], from: usize, to: usize, out: &mut Vec<u8>) -> Result<(), NotHere> {
    for (i, field) in fields.iter().enumerate().take(to).skip(from) {
        write_key(out, i, field.name);
        absent(field.absent, out)?;
    }
    Ok(())
}

/// [`record`] in any order: `pool`'s first buffer holds the values as they come, and the
/// record is written from it in the table's order; the rest are for the records inside.
fn record_any_order(
    r: &mut Reader<'_>,
    fields: &'static [Field],
    out: &mut Vec<u8>,
    pool: &mut [Vec<u8>],
) -> Result<bool, NotHere> {
    let Some((came, inner)) = pool.split_first_mut() else { return Err(NotHere) };
    came.clear();
    let mut at = [None::<(usize, usize)>; MAX_FIELDS];
    r.enter()?;
    r.eat_char();
    let mut set = false;
    let mut first = true;
    let mut next = 0;
    while let Some(i) = next_field(r, fields, next, &mut first)? {
        next = i + 1;
        let (Some(field), Some(slot)) = (fields.get(i), at.get_mut(i)) else {
            return Err(NotHere);
        };
        // serde refuses a field given twice.
        if slot.is_some() {
            return Err(NotHere);
        }
        let start = came.len();
        set |= value(r, field.rule, came, inner)?;
        *slot = Some((start, came.len()));
    }
    r.end_map()?;
    r.leave();
    out.push(b'{');
    for (i, field) in fields.iter().enumerate() {
        write_key(out, i, field.name);
        match at.get(i).copied().flatten() {
            Some((start, end)) => out.extend_from_slice(came.get(start..end).ok_or(NotHere)?),
            None => absent(field.absent, out)?,
        }
    }
    out.push(b'}');
    Ok(set)
}

/// The next key of the record that is one of its `fields`, with its colon read (the values
/// of keys the table does not name are skipped, as serde ignores unknown fields): its place
/// in `fields`, or `None` after the last key. Inlined: it is the inner loop of every record,
/// and a call per field made the page measurably slower in the client's module.
#[inline(always)]
fn next_field(
    r: &mut Reader<'_>,
    fields: &[Field],
    next: usize,
    first: &mut bool,
) -> Result<Option<usize>, NotHere> {
    while r.has_next_key(first)? {
        let key = r.key()?;
        let found = find(fields, r.str_of(key), next);
        r.parse_object_colon()?;
        match found {
            Some(i) => return Ok(Some(i)),
            None => r.ignore_value()?,
        }
    }
    Ok(None)
}

/// The place of `name` in `fields`, looked for first from `next` on (answers list their
/// fields in the model's order, leaving some out).
fn find(fields: &[Field], name: &str, next: usize) -> Option<usize> {
    let ahead = fields.get(next..).unwrap_or_default();
    if let Some(i) = ahead.iter().position(|f| f.name == name) {
        return Some(next + i);
    }
    fields.get(..next).unwrap_or_default().iter().position(|f| f.name == name)
}

fn write_key(out: &mut Vec<u8>, i: usize, name: &str) {
    if i > 0 {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// What a field the answer left out is written as.
fn absent(absent: Absent, out: &mut Vec<u8>) -> Result<(), NotHere> {
    match absent {
        Absent::Null => out.extend_from_slice(b"null"),
        Absent::False => out.extend_from_slice(b"false"),
        Absent::EmptyList => out.extend_from_slice(b"[]"),
        Absent::Defaults(fields) => defaults(fields, out)?,
        Absent::Required => return Err(NotHere),
    }
    Ok(())
}

/// A record with every field absent.
fn defaults(fields: &'static [Field], out: &mut Vec<u8>) -> Result<(), NotHere> {
    out.push(b'{');
    for (i, field) in fields.iter().enumerate() {
        write_key(out, i, field.name);
        absent(field.absent, out)?;
    }
    out.push(b'}');
    Ok(())
}

// ---- the scalar rules the tables name ----

/// An optional value (`lenient::optional`).
pub(crate) fn optional<T: LenientScalar + Serialize>(
    v: Scalar<'_>,
    out: &mut Vec<u8>,
) -> Result<bool, NotHere> {
    let value = T::from_scalar(v).map_err(|_| NotHere)?;
    ascii_json::to_writer(out, &value)?;
    Ok(value.is_some())
}

/// Optional text: [`optional`] for `String`, without copying a string that came as one.
pub(crate) fn text(v: Scalar<'_>, out: &mut Vec<u8>) -> Result<bool, NotHere> {
    match v {
        Scalar::Str(s) => {
            ascii_json::write_str(out, s)?;
            Ok(true)
        }
        other => optional::<String>(other, out),
    }
}

/// Required text (`lenient::required`): `null` is refused, `""` is a value.
pub(crate) fn required_text(v: Scalar<'_>, out: &mut Vec<u8>) -> Result<bool, NotHere> {
    match v {
        Scalar::Null => Err(NotHere),
        other => text(other, out),
    }
}

/// A flag (`lenient::flag`): no value is `false`.
pub(crate) fn flag(v: Scalar<'_>, out: &mut Vec<u8>) -> Result<bool, NotHere> {
    let on = bool::from_scalar(v).map_err(|_| NotHere)?.unwrap_or(false);
    out.extend_from_slice(if on { b"true" } else { b"false" });
    Ok(on)
}

/// A list read by its typed reading (`lenient::list` of `T`).
pub(crate) fn typed_list<T: DeserializeOwned + Serialize>(
    text: &[u8],
    out: &mut Vec<u8>,
) -> Result<bool, NotHere> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let items: Vec<T> = crate::lenient::list(&mut de)?;
    de.end()?;
    ascii_json::to_writer(out, &items)?;
    Ok(!items.is_empty())
}
