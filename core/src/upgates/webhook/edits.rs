//! A webhook body's normalizations, for a reader that parses the body itself.
//!
//! [`webhook_edits`] checks a body exactly as [`parse_webhook`] does and answers only what
//! the typed batch would change: a numeric string that becomes a number, a date written
//! canonically, a field left out, the event and the entity tag. JavaScript then `JSON.parse`s
//! the original body (V8 builds those objects faster than any reader in WebAssembly can hand
//! them over) and applies the edits: [`WebhookEdits::apply_to`] is that step in Rust, and the
//! tests hold `apply_to(body) == parse_webhook(body)` for fixtures and generated bodies.
//!
//! [`parse_webhook`]: super::parse_webhook

use std::collections::BTreeMap;

use crate::json::{self, JsonError};
use crate::lenient::{Lenient, LenientScalar, Scalar};
use crate::upgates::webhook::event::{WebhookEntity, WebhookEvent};
use crate::upgates::webhook::fields::{self, Got, Record, Rule};
use crate::upgates::webhook::payload::{EventSource, Listed, Shape, WebhookError, decide};
use crate::upgates::webhook::reader::{Fail, Named, Reader};

pub use crate::upgates::webhook::fields::EditValue;

/// A list of records in a webhook body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKey {
    /// `orders`.
    Orders,
    /// `customers`.
    Customers,
    /// `products`.
    Products,
    /// `variants` (deleted variants, next to `products`).
    Variants,
    /// `invoices`.
    Invoices,
}

impl ListKey {
    const ALL: [ListKey; 5] = [
        ListKey::Orders,
        ListKey::Customers,
        ListKey::Products,
        ListKey::Variants,
        ListKey::Invoices,
    ];

    /// The body's key.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ListKey::Orders => "orders",
            ListKey::Customers => "customers",
            ListKey::Products => "products",
            ListKey::Variants => "variants",
            ListKey::Invoices => "invoices",
        }
    }

    fn from_key(key: &str) -> Option<ListKey> {
        ListKey::ALL.into_iter().find(|k| k.as_str() == key)
    }

    fn record(self) -> &'static Record {
        match self {
            ListKey::Orders => &fields::ORDER,
            ListKey::Customers => &fields::CUSTOMER,
            ListKey::Products => &fields::PRODUCT,
            ListKey::Variants => &fields::VARIANT,
            ListKey::Invoices => &fields::INVOICE,
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// One change to a record of the parsed body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Edit {
    /// Field `field` of record `index` of `list` becomes `value`.
    Set {
        /// The list.
        list: ListKey,
        /// The record's index.
        index: usize,
        /// The field.
        field: &'static str,
        /// Its value.
        value: EditValue,
    },
    /// Field `field` is left out (it holds no value, or it is not a field of the record).
    Remove {
        /// The list.
        list: ListKey,
        /// The record's index.
        index: usize,
        /// The field.
        field: String,
    },
    /// The record came as a list of values in field order: it becomes an object of these.
    Replace {
        /// The list.
        list: ListKey,
        /// The record's index.
        index: usize,
        /// Its fields with a value, in order.
        fields: Vec<(&'static str, EditValue)>,
    },
}

/// The batch's `project_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectName {
    /// The body's string, as it is.
    Kept,
    /// `null` (absent or null in the body).
    Null,
    /// This text (the body had a number).
    Text(String),
}

/// What [`parse_webhook`](super::parse_webhook) makes of a body, as changes to the body's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEdits {
    /// The event.
    pub event: WebhookEvent,
    /// Whether it was configured or inferred.
    pub event_source: EventSource,
    /// The batch's `entity` tag: `orders`, `customers`, `products`, `invoices` or `other`.
    pub entity: &'static str,
    /// The batch's `project_name`.
    pub project_name: ProjectName,
    /// The changes to the records the batch keeps, list by list, in order.
    pub edits: Vec<Edit>,
}

/// The body keys a batch of entity `other` leaves out of its `records`.
pub const ENVELOPE_KEYS: [&str; 6] =
    ["project_name", "orders", "customers", "products", "variants", "invoices"];

const ENVELOPE: &str = "a webhook body: an object with project_name and a list of records";
const A_LIST: &str = "a list";

/// Checks a webhook body as [`parse_webhook`](super::parse_webhook) does and answers its
/// normalizations instead of the batch.
///
/// # Errors
/// The same [`WebhookError`] as `parse_webhook`, with the same path, line and column.
pub fn webhook_edits(
    body: &[u8],
    configured: Option<&WebhookEvent>,
) -> Result<WebhookEdits, WebhookError> {
    edits_of(Reader::new(body), body, configured)
}

/// [`webhook_edits`] for a body that is text already (a JavaScript string): valid UTF-8, so
/// its strings need no checking one by one.
///
/// # Errors
/// As [`webhook_edits`].
pub fn webhook_edits_text(
    body: &str,
    configured: Option<&WebhookEvent>,
) -> Result<WebhookEdits, WebhookError> {
    edits_of(Reader::of_text(body), body.as_bytes(), configured)
}

fn edits_of(
    r: Reader<'_>,
    body: &[u8],
    configured: Option<&WebhookEvent>,
) -> Result<WebhookEdits, WebhookError> {
    let mut scan = Scan {
        r,
        project_name: ProjectName::Null,
        lists: Default::default(),
        other: BTreeMap::new(),
    };
    if let Err(fail) = scan.envelope() {
        let (line, column) = fail.0.at.unwrap_or((0, 0));
        return Err(WebhookError::Json(JsonError {
            path: json::path_at(body, line, column),
            line,
            column,
            message: fail.0.message,
        }));
    }
    let listed = |k: ListKey| {
        scan.lists.get(k.slot()).and_then(Option::as_ref).map(|l| Listed { first: l.first })
    };
    let shape = Shape {
        orders: listed(ListKey::Orders),
        customers: listed(ListKey::Customers),
        products: listed(ListKey::Products),
        variants: listed(ListKey::Variants),
        invoices: listed(ListKey::Invoices),
        other_lists: scan
            .other
            .iter()
            .filter(|(_, list)| **list)
            .map(|(k, _)| k.as_str())
            .collect(),
    };
    let (event, event_source) = decide(&shape, configured)?;
    let (entity, kept): (&'static str, &[ListKey]) = match event.entity {
        WebhookEntity::Orders => ("orders", &[ListKey::Orders]),
        WebhookEntity::Customers => ("customers", &[ListKey::Customers]),
        WebhookEntity::Products => ("products", &[ListKey::Products, ListKey::Variants]),
        WebhookEntity::Invoices => ("invoices", &[ListKey::Invoices]),
        _ => ("other", &[]),
    };
    let mut edits = Vec::new();
    for k in kept {
        if let Some(Some(list)) = scan.lists.get_mut(k.slot()) {
            edits.append(&mut list.edits);
        }
    }
    Ok(WebhookEdits { event, event_source, entity, project_name: scan.project_name, edits })
}

/// A list as read: its first record's timestamps and its records' edits.
#[derive(Debug, Default)]
struct ListScan {
    first: Option<[bool; 3]>,
    edits: Vec<Edit>,
}

/// The reading of one body: what serde's visitors for `Envelope`, the lists and the derived
/// records do, on [`Reader`].
struct Scan<'a> {
    r: Reader<'a>,
    project_name: ProjectName,
    /// By [`ListKey::slot`]; a key that comes twice counts as it last came (as serde's does).
    lists: [Option<ListScan>; 5],
    /// Other keys, and whether each is a list.
    other: BTreeMap<String, bool>,
}

/// serde_json's `match (ret, end)`: the visitor's error first, then the closing one.
fn both<T>(ret: Result<T, Fail>, end: Result<(), Fail>) -> Result<T, Fail> {
    match (ret, end) {
        (Ok(v), Ok(())) => Ok(v),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// serde's `duplicate_field` and `missing_field`: `{what}{name}``.
#[cold]
#[inline(never)]
fn field_error(what: &str, name: &str) -> Fail {
    let mut m = String::from(what);
    m.push_str(name);
    m.push('`');
    Fail::custom(m)
}

fn required(rule: Rule) -> bool {
    matches!(rule, Rule::OrderNumber | Rule::RequiredText | Rule::RequiredId)
}

impl Scan<'_> {
    fn envelope(&mut self) -> Result<(), Fail> {
        let Some(peek) = self.r.parse_whitespace() else { return Err(self.r.eof_value()) };
        if peek != b'{' {
            return Err(self.r.invalid_type_here(ENVELOPE));
        }
        self.r.enter()?;
        self.r.eat_char();
        let ret = self.entries();
        let end = self.r.end_map();
        self.r.leave();
        both(ret, end).map_err(|e| self.r.fix(e))?;
        self.r.end()
    }

    fn entries(&mut self) -> Result<(), Fail> {
        let mut first = true;
        while self.r.has_next_key(&mut first)? {
            let key = self.r.key()?;
            let text = self.r.str_of(key);
            if text == "project_name" {
                self.r.parse_object_colon()?;
                self.project_name = self.r.scalar(String::expecting(), |v, _| {
                    Ok(match v {
                        Scalar::Str(_) => ProjectName::Kept,
                        other => {
                            match String::from_scalar(other).map_err(|r| Fail::refused(r, other))? {
                                None => ProjectName::Null,
                                Some(t) => ProjectName::Text(t),
                            }
                        }
                    })
                })?;
            } else if let Some(list) = ListKey::from_key(text) {
                self.r.parse_object_colon()?;
                let scan = self.list(list)?;
                if let Some(slot) = self.lists.get_mut(list.slot()) {
                    *slot = Some(scan);
                }
            } else {
                let key = text.to_owned();
                self.r.parse_object_colon()?;
                let is_list = self.r.value()?;
                self.other.insert(key, is_list);
            }
        }
        Ok(())
    }

    /// A list of records, leniently (`null`, `""` and `{}` are empty lists).
    fn list(&mut self, key: ListKey) -> Result<ListScan, Fail> {
        let mut scan = ListScan::default();
        let Some(peek) = self.r.parse_whitespace() else { return Err(self.r.eof_value()) };
        let ret = match peek {
            b'[' => {
                self.r.enter()?;
                self.r.eat_char();
                let ret = self.records(key, &mut scan);
                let end = self.r.end_seq();
                self.r.leave();
                both(ret, end)
            }
            b'{' => {
                self.r.enter()?;
                self.r.eat_char();
                let mut first = true;
                let ret = match self.r.has_next_key(&mut first) {
                    Ok(true) => {
                        self.r.key().and_then(|_| Err(Fail::invalid_type(Named::Map, A_LIST)))
                    }
                    Ok(false) => Ok(()),
                    Err(e) => Err(e),
                };
                let end = self.r.end_map();
                self.r.leave();
                both(ret, end)
            }
            _ => self.r.scalar(A_LIST, |v, _| match v {
                Scalar::Null => Ok(()),
                Scalar::Str("") => Ok(()),
                other => Err(Fail::invalid_type(Named::Scalar(other), A_LIST)),
            }),
        };
        ret.map_err(|e| self.r.fix(e))?;
        Ok(scan)
    }

    fn records(&mut self, key: ListKey, scan: &mut ListScan) -> Result<(), Fail> {
        let mut first = true;
        let mut index = 0;
        while self.r.has_next_element(&mut first)? {
            let stamps = self.record(key, index, &mut scan.edits)?;
            if index == 0 {
                scan.first = Some(stamps);
            }
            index += 1;
        }
        Ok(())
    }

    /// One record (serde's derived `deserialize_struct`): an object, or a list of values.
    fn record(
        &mut self,
        key: ListKey,
        index: usize,
        edits: &mut Vec<Edit>,
    ) -> Result<[bool; 3], Fail> {
        let table = key.record();
        let Some(peek) = self.r.parse_whitespace() else { return Err(self.r.eof_value()) };
        let ret = match peek {
            b'{' => {
                self.r.enter()?;
                self.r.eat_char();
                let ret = self.record_map(table, key, index, edits);
                let end = self.r.end_map();
                self.r.leave();
                both(ret, end)
            }
            b'[' => {
                self.r.enter()?;
                self.r.eat_char();
                let ret = self.record_seq(table, key, index, edits);
                let end = self.r.end_seq();
                self.r.leave();
                both(ret, end)
            }
            _ => Err(self.r.invalid_type_here(table.expecting)),
        };
        ret.map_err(|e| self.r.fix(e))
    }

    fn record_map(
        &mut self,
        table: &Record,
        list: ListKey,
        index: usize,
        edits: &mut Vec<Edit>,
    ) -> Result<[bool; 3], Fail> {
        let mut seen = 0u32;
        let mut stamps = [false; 3];
        let mut first = true;
        while self.r.has_next_key(&mut first)? {
            let key = self.r.key()?;
            let text = self.r.str_of(key);
            let Some((k, field)) = table.fields.iter().enumerate().find(|(_, f)| f.name == text)
            else {
                // Not a field of the record: serde skips it, the batch leaves it out.
                let name = text.to_owned();
                self.r.parse_object_colon()?;
                self.r.ignore_value()?;
                edits.push(Edit::Remove { list, index, field: name });
                continue;
            };
            let bit = 1u32 << k;
            if seen & bit != 0 {
                return Err(field_error("duplicate field `", field.name));
            }
            seen |= bit;
            self.r.parse_object_colon()?;
            let got = field.rule.read(&mut self.r, false)?;
            if let Some(slot) = field.stamp.and_then(|s| stamps.get_mut(s)) {
                *slot = got != Got::Nothing;
            }
            match got {
                Got::Same | Got::Blank => {}
                Got::Nothing => {
                    edits.push(Edit::Remove { list, index, field: field.name.to_owned() });
                }
                Got::Changed(value) => {
                    edits.push(Edit::Set { list, index, field: field.name, value });
                }
            }
        }
        for (k, field) in table.fields.iter().enumerate() {
            if required(field.rule) && seen & (1u32 << k) == 0 {
                return Err(field_error("missing field `", field.name));
            }
        }
        Ok(stamps)
    }

    fn record_seq(
        &mut self,
        table: &Record,
        list: ListKey,
        index: usize,
        edits: &mut Vec<Edit>,
    ) -> Result<[bool; 3], Fail> {
        let mut stamps = [false; 3];
        let mut first = true;
        let mut values = Vec::new();
        for (k, field) in table.fields.iter().enumerate() {
            if !self.r.has_next_element(&mut first)? {
                if required(field.rule) {
                    return Err(Fail::invalid_length(k, table.expecting_seq));
                }
                continue;
            }
            let got = field.rule.read(&mut self.r, true)?;
            if let Some(slot) = field.stamp.and_then(|s| stamps.get_mut(s)) {
                *slot = got != Got::Nothing;
            }
            if let Got::Changed(value) = got {
                values.push((field.name, value));
            }
        }
        edits.push(Edit::Replace { list, index, fields: values });
        Ok(stamps)
    }
}

impl WebhookEdits {
    /// The batch `parse_webhook` makes, from the body as a JSON value (the step the npm
    /// package does in JavaScript, `wasm/js/webhooks/apply.js`).
    #[must_use]
    pub fn apply_to(&self, body: serde_json::Value) -> serde_json::Value {
        use serde_json::{Map, Value};
        let mut doc = match body {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let mut out = Map::new();
        out.insert("event".into(), Value::String(self.event.to_string()));
        let source = match self.event_source {
            EventSource::Configured => "configured",
            EventSource::Inferred => "inferred",
        };
        out.insert("event_source".into(), Value::String(source.into()));
        let project_name = match &self.project_name {
            ProjectName::Kept => doc.get("project_name").cloned().unwrap_or(Value::Null),
            ProjectName::Null => Value::Null,
            ProjectName::Text(t) => Value::String(t.clone()),
        };
        out.insert("project_name".into(), project_name);
        out.insert("entity".into(), Value::String(self.entity.into()));
        let value = |v: &EditValue| match v {
            EditValue::Number(n) => Value::from(*n),
            EditValue::Text(t) => Value::String(t.clone()),
            EditValue::Bool(b) => Value::Bool(*b),
        };
        let lists: &[&str] = match self.entity {
            "orders" => &["orders"],
            "customers" => &["customers"],
            "products" => &["products", "variants"],
            "invoices" => &["invoices"],
            _ => {
                let records: Map<String, Value> =
                    doc.into_iter().filter(|(k, _)| !ENVELOPE_KEYS.contains(&k.as_str())).collect();
                out.insert("records".into(), Value::Object(records));
                return Value::Object(out);
            }
        };
        for key in lists {
            let mut list = match doc.remove(*key) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            for edit in &self.edits {
                let (l, index) = match edit {
                    Edit::Set { list, index, .. }
                    | Edit::Remove { list, index, .. }
                    | Edit::Replace { list, index, .. } => (list, *index),
                };
                if l.as_str() != *key {
                    continue;
                }
                let Some(record) = list.get_mut(index) else { continue };
                match edit {
                    Edit::Set { field, value: v, .. } => {
                        if let Value::Object(o) = record {
                            o.insert((*field).to_owned(), value(v));
                        }
                    }
                    Edit::Remove { field, .. } => {
                        if let Value::Object(o) = record {
                            o.remove(field);
                        }
                    }
                    Edit::Replace { fields, .. } => {
                        *record = Value::Object(
                            fields.iter().map(|(k, v)| ((*k).to_owned(), value(v))).collect(),
                        );
                    }
                }
            }
            if *key == "variants" && list.is_empty() {
                continue;
            }
            out.insert((*key).to_owned(), Value::Array(list));
        }
        Value::Object(out)
    }
}
