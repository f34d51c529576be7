//! Which fields of a webhook record are read how: the record kinds as field tables.
//!
//! [`super::payload`]'s typed records are what `parse_webhook` builds; this table is what the
//! webhook entry of the npm package (`shopflow/webhooks`) checks a body against without them.
//! Both read each field with the same rule ([`crate::lenient::LenientScalar`]), and the
//! equivalence test in [`super::edits`] holds the table to the structs, field by field.

use crate::date::ApiDate;
use crate::lenient::{Lenient, LenientScalar, Scalar};
use crate::upgates::webhook::payload::{InvoiceType, blank_order_number};
use crate::upgates::webhook::reader::{Fail, Reader};

/// How one field is read (and so what it becomes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Text, required, not blank.
    OrderNumber,
    /// Text, required (`""` is a value).
    RequiredText,
    /// Text.
    Text,
    /// A date ([`ApiDate`]), written back canonically.
    Date,
    /// A whole number, from a number or a numeric string.
    Id,
    /// The same, required.
    RequiredId,
    /// A boolean in any of PHP's spellings.
    Flag,
    /// An invoice type ([`InvoiceType`]).
    InvoiceType,
}

/// A field of a record kind, in the struct's order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub rule: Rule,
    /// Which of the three timestamps (creation, last update, deletion) the field is, if one:
    /// the event is inferred from the first record's. Held here, not found by name per field.
    pub stamp: Option<usize>,
}

/// A record kind: serde's name for it and its fields in declaration order.
#[derive(Debug)]
pub(crate) struct Record {
    /// serde's `expecting` for the struct (`struct OrderRecord`).
    pub expecting: &'static str,
    /// The same with its length, for a record given as a list.
    pub expecting_seq: &'static str,
    pub fields: &'static [Field],
}

const fn f(name: &'static str, rule: Rule) -> Field {
    Field { name, rule, stamp: None }
}

const CREATED: Field = Field { name: "creation_time", rule: Rule::Date, stamp: Some(0) };
const UPDATED: Field = Field { name: "last_update_time", rule: Rule::Date, stamp: Some(1) };
const DELETED: Field = Field { name: "deletion_time", rule: Rule::Date, stamp: Some(2) };

/// [`super::payload::OrderRecord`].
pub(crate) const ORDER: Record = Record {
    expecting: "struct OrderRecord",
    expecting_seq: "struct OrderRecord with 6 elements",
    fields: &[
        f("order_number", Rule::OrderNumber),
        CREATED,
        UPDATED,
        DELETED,
        f("status_id", Rule::Id),
        f("status", Rule::Text),
    ],
};

/// [`super::payload::CustomerRecord`].
pub(crate) const CUSTOMER: Record = Record {
    expecting: "struct CustomerRecord",
    expecting_seq: "struct CustomerRecord with 8 elements",
    fields: &[
        f("customer_id", Rule::RequiredId),
        f("email", Rule::Text),
        f("code", Rule::Text),
        CREATED,
        UPDATED,
        DELETED,
        f("active_yn", Rule::Flag),
        f("blocked_yn", Rule::Flag),
    ],
};

/// [`super::payload::ProductRecord`].
pub(crate) const PRODUCT: Record = Record {
    expecting: "struct ProductRecord",
    expecting_seq: "struct ProductRecord with 5 elements",
    fields: &[f("product_id", Rule::Id), f("code", Rule::Text), CREATED, UPDATED, DELETED],
};

/// [`super::payload::VariantRecord`].
pub(crate) const VARIANT: Record = Record {
    expecting: "struct VariantRecord",
    expecting_seq: "struct VariantRecord with 3 elements",
    fields: &[f("variant_id", Rule::Id), f("code", Rule::Text), DELETED],
};

/// [`super::payload::InvoiceRecord`].
pub(crate) const INVOICE: Record = Record {
    expecting: "struct InvoiceRecord",
    expecting_seq: "struct InvoiceRecord with 5 elements",
    fields: &[
        f("invoice_number", Rule::RequiredText),
        f("type", Rule::InvoiceType),
        CREATED,
        UPDATED,
        DELETED,
    ],
};

/// A value a field takes where the parsed body's JSON differs from the typed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditValue {
    /// A number (ids; JavaScript reads it as a `number`).
    Number(u64),
    /// Text (rewritten dates, numbers used as text).
    Text(String),
    /// A boolean.
    Bool(bool),
}

/// What reading a field gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Got {
    /// No value: the field is left out.
    Nothing,
    /// The value is what the body's JSON already holds.
    Same,
    /// The value differs from the body's JSON.
    Changed(EditValue),
    /// An order number that is empty or blank.
    Blank,
}

impl Rule {
    /// serde's `expecting` for the visitor that reads this field.
    fn expecting(self) -> &'static str {
        match self {
            Rule::OrderNumber | Rule::RequiredText | Rule::Text | Rule::InvoiceType => {
                String::expecting()
            }
            Rule::Date => ApiDate::expecting(),
            Rule::Id | Rule::RequiredId => u64::expecting(),
            Rule::Flag => bool::expecting(),
        }
    }

    /// Reads the field's value (`full`: answer the value even when it is the body's own).
    pub(crate) fn read(self, r: &mut Reader<'_>, full: bool) -> Result<Got, Fail> {
        let got = r.scalar(self.expecting(), |v, plain| self.decide(v, plain, full))?;
        // Checks that serde's `deserialize_with` functions make after the visitor: their
        // errors take the position of the enclosing record (serde_json fixes them there).
        match (self, &got) {
            (Rule::OrderNumber | Rule::RequiredText, Got::Nothing) => {
                Err(Fail::no_value(String::expecting()))
            }
            (Rule::RequiredId, Got::Nothing) => Err(Fail::no_value(u64::expecting())),
            (Rule::OrderNumber, Got::Blank) => Err(Fail::custom(blank_order_number().to_owned())),
            _ => Ok(got),
        }
    }

    fn decide(self, v: Scalar<'_>, plain: bool, full: bool) -> Result<Got, Fail> {
        let text = |t: &str| Got::Changed(EditValue::Text(t.to_owned()));
        Ok(match self {
            Rule::OrderNumber | Rule::RequiredText | Rule::Text => match v {
                // Every string is kept as it is (`String::from_scalar`), so none is copied.
                Scalar::Str(s) if self == Rule::OrderNumber && s.trim().is_empty() => Got::Blank,
                Scalar::Str(s) if full => text(s),
                Scalar::Str(_) => Got::Same,
                other => match String::from_scalar(other).map_err(|r| Fail::refused(r, v))? {
                    None => Got::Nothing,
                    Some(t) => Got::Changed(EditValue::Text(t)),
                },
            },
            // Nearly every timestamp is already written as the batch writes it: checked in
            // place; the rest go through the reader.
            Rule::Date => match v {
                Scalar::Str(s) if !full && ApiDate::is_canonical_datetime(s) => Got::Same,
                _ => match ApiDate::from_scalar(v).map_err(|r| Fail::refused(r, v))? {
                    None => Got::Nothing,
                    Some(d) => match v {
                        Scalar::Str(s) if !full && d.writes_as(s) => Got::Same,
                        _ => Got::Changed(EditValue::Text(d.to_string())),
                    },
                },
            },
            Rule::Id | Rule::RequiredId => {
                match u64::from_scalar(v).map_err(|r| Fail::refused(r, v))? {
                    None => Got::Nothing,
                    // Plain digits read the same in JavaScript.
                    Some(_) if plain && !full => Got::Same,
                    Some(n) => Got::Changed(EditValue::Number(n)),
                }
            }
            Rule::Flag => match bool::from_scalar(v).map_err(|r| Fail::refused(r, v))? {
                None => Got::Nothing,
                Some(_) if matches!(v, Scalar::Bool(_)) && !full => Got::Same,
                Some(b) => Got::Changed(EditValue::Bool(b)),
            },
            Rule::InvoiceType => {
                match InvoiceType::from_scalar(v).map_err(|r| Fail::refused(r, v))? {
                    None => Got::Nothing,
                    Some(t) => match v {
                        Scalar::Str(s) if !full && t.as_str() == s => Got::Same,
                        _ => text(t.as_str()),
                    },
                }
            }
        })
    }
}
