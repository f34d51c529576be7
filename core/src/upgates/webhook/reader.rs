//! A JSON reader for webhook bodies that decides like serde_json: the same first error, in
//! the same words, at the same line and column.
//!
//! `shopflow/webhooks` checks a body in WebAssembly without serde_json (its derived readers
//! are most of the main module's size), yet it must refuse exactly what [`super::parse_webhook`]
//! refuses, where it refuses it. So this is a port of the parts of serde_json 1.0 the webhook
//! reading uses (`SliceRead`, `deserialize_any`, `deserialize_struct`, `ignore_value`, the
//! number parser without `float_roundtrip`), in the same order, and the callers in
//! [`super::edits`] replay what serde's derived visitors do. Equivalence is tested there.
//!
//! Every error is built in cold, never-inlined functions: the wording (serde's messages, a
//! float's digits, the line and column) stays out of the scanning loops, which keeps them
//! small and fast; only a refused body pays for it.
//!
//! The client's order page ([`crate::upgates::order::page_text`], feature `page-text`) reads
//! `GET /orders` answers with this scanner too, going back to a mark when a record's keys come
//! out of order; it words no errors (it leaves a refused answer to the typed reading).

use std::fmt;

use crate::lenient::{Refused, Scalar};
use crate::numtext;

/// A reading failure, boxed: every step of the reader returns a `Result<_, Fail>`, and a
/// pointer-sized error keeps those results small (as serde_json's own `Error` is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail(pub Box<Failure>);

/// What a [`Fail`] holds: serde_json's message and, once known, its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub message: String,
    /// `None` until the enclosing value fixes it, as serde_json's `fix_position` does.
    pub at: Option<(usize, usize)>,
}

impl Fail {
    fn new(message: String, at: Option<(usize, usize)>) -> Self {
        Fail(Box::new(Failure { message, at }))
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Fail {}

/// A value as an error names it: a scalar, or a list or an object.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Named<'a> {
    Scalar(Scalar<'a>),
    Seq,
    Map,
}

/// serde's errors, worded as serde_json words them, without `fmt` (`core::fmt` and core's
/// float formatting were a third of the module): the same text as `de::Error`'s defaults
/// with serde_json's `JsonUnexpected`, built with `push_str`. `tests` holds them to
/// serde_json's.
impl Fail {
    /// serde's `Error::custom`: the message, its position still to come.
    #[cold]
    #[inline(never)]
    pub fn custom(message: String) -> Self {
        Fail::new(message, None)
    }

    /// serde's `invalid_type`.
    #[cold]
    #[inline(never)]
    pub fn invalid_type(v: Named<'_>, expecting: &str) -> Self {
        Fail::invalid("invalid type: ", v, expecting)
    }

    /// serde's `invalid_value`.
    #[cold]
    #[inline(never)]
    pub fn invalid_value(v: Named<'_>, expecting: &str) -> Self {
        Fail::invalid("invalid value: ", v, expecting)
    }

    /// A lenient rule's refusal of `v` ([`Refused::into_error`] for serde's errors).
    #[cold]
    #[inline(never)]
    pub fn refused(r: Refused, v: Scalar<'_>) -> Self {
        match r {
            Refused::Type(expecting) => Fail::invalid_type(Named::Scalar(v), expecting),
            Refused::Value(expecting) => Fail::invalid_value(Named::Scalar(v), expecting),
        }
    }

    /// serde's `invalid_length`.
    #[cold]
    #[inline(never)]
    pub fn invalid_length(len: usize, expecting: &str) -> Self {
        let mut m = String::from("invalid length ");
        numtext::push_u64(&mut m, len as u64);
        m.push_str(", expected ");
        m.push_str(expecting);
        Fail::custom(m)
    }

    /// [`crate::lenient::no_value`]: a required field without a value.
    #[cold]
    #[inline(never)]
    pub fn no_value(expecting: &str) -> Self {
        let mut m = String::from("expected ");
        m.push_str(expecting);
        m.push_str(", found null or an empty string");
        Fail::custom(m)
    }

    fn invalid(what: &str, v: Named<'_>, expecting: &str) -> Self {
        let mut m = String::from(what);
        push_named(&mut m, v);
        m.push_str(", expected ");
        m.push_str(expecting);
        Fail::custom(m)
    }
}

/// serde's `Unexpected` as serde_json words it (`null` for unit, floats by zmij).
fn push_named(out: &mut String, v: Named<'_>) {
    match v {
        Named::Seq => out.push_str("sequence"),
        Named::Map => out.push_str("map"),
        Named::Scalar(Scalar::Null) => out.push_str("null"),
        Named::Scalar(Scalar::Bool(b)) => {
            out.push_str(if b { "boolean `true`" } else { "boolean `false`" });
        }
        Named::Scalar(Scalar::U64(n)) => {
            out.push_str("integer `");
            numtext::push_u64(out, n);
            out.push('`');
        }
        Named::Scalar(Scalar::I64(n)) => {
            out.push_str("integer `");
            numtext::push_i64(out, n);
            out.push('`');
        }
        Named::Scalar(Scalar::F64(n)) => {
            out.push_str("floating point `");
            numtext::push_f64_json(out, n);
            out.push('`');
        }
        Named::Scalar(Scalar::Str(s)) => {
            out.push_str("string ");
            push_debug_str(out, s);
        }
    }
}

/// `s` as `{:?}` writes it: quoted, each char escaped as `char::escape_debug` does except
/// `'` (which `str`'s `Debug` leaves as it is).
pub(crate) fn push_debug_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '\'' || (c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\') {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    out.push('"');
}

/// A number as serde_json classifies it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Num {
    pub fn scalar(self) -> Scalar<'static> {
        match self {
            Num::U64(n) => Scalar::U64(n),
            Num::I64(n) => Scalar::I64(n),
            Num::F64(n) => Scalar::F64(n),
        }
    }
}

/// A string that was read: borrowed from the body, or unescaped into the scratch buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Str<'a> {
    Borrowed(&'a str),
    Scratch,
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const INVALID_CODE_POINT: &str = "invalid unicode code point";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_LEADING_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const UNEXPECTED_END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// A place in the text and the nesting there ([`Reader::mark`]).
#[cfg(feature = "page-text")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    index: usize,
    remaining_depth: u8,
}

/// The reader: the body, the index of the next byte, serde_json's nesting budget.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    /// The body as text when the whole of it is valid UTF-8: then a string is a slice of it
    /// (quotes are ASCII, so char boundaries), not checked again. Checking each string was a
    /// third of the reading time. Otherwise each is checked as serde_json does, which says
    /// where the first bad byte of a string it reads is.
    text: Option<&'a str>,
    index: usize,
    remaining_depth: u8,
    scratch: Vec<u8>,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        let text = std::str::from_utf8(bytes).ok();
        Reader { bytes, text, index: 0, remaining_depth: 128, scratch: Vec::new() }
    }

    /// A reader of text (valid UTF-8 by its type, so not checked again).
    pub fn of_text(text: &'a str) -> Self {
        Reader {
            bytes: text.as_bytes(),
            text: Some(text),
            index: 0,
            remaining_depth: 128,
            scratch: Vec::new(),
        }
    }

    /// serde_json's position after `i` bytes: 1-based line, column of the last byte read.
    fn position_of(&self, i: usize) -> (usize, usize) {
        let head = self.bytes.get(..i).unwrap_or(self.bytes);
        let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + head.get(..start).map_or(0, |h| h.iter().filter(|&&b| b == b'\n').count());
        (line, i - start)
    }

    /// An error at the last byte read (serde_json's `error`).
    #[cold]
    #[inline(never)]
    pub fn error(&self, message: &str) -> Fail {
        Fail::new(message.to_owned(), Some(self.position_of(self.index)))
    }

    /// An error at the next byte (serde_json's `peek_error`).
    #[cold]
    #[inline(never)]
    pub fn peek_error(&self, message: &str) -> Fail {
        let at = (self.index + 1).min(self.bytes.len());
        Fail::new(message.to_owned(), Some(self.position_of(at)))
    }

    /// Gives an error without a position the current one (serde_json's `fix_position`).
    #[cold]
    #[inline(never)]
    pub fn fix(&self, mut fail: Fail) -> Fail {
        if fail.0.at.is_none() {
            fail.0.at = Some(self.position_of(self.index));
        }
        fail
    }

    #[cfg(feature = "page-text")]
    /// Where the reader is, to read again from there ([`Reader::back_to`]).
    pub fn mark(&self) -> Mark {
        Mark { index: self.index, remaining_depth: self.remaining_depth }
    }

    #[cfg(feature = "page-text")]
    /// Back to a [`Reader::mark`], to read the same text again.
    pub fn back_to(&mut self, mark: Mark) {
        self.index = mark.index;
        self.remaining_depth = mark.remaining_depth;
    }

    #[cfg(feature = "page-text")]
    /// How many bytes have been read.
    pub fn offset(&self) -> usize {
        self.index
    }

    #[cfg(feature = "page-text")]
    /// The bytes read since `start` (an earlier [`Reader::offset`]).
    pub fn since(&self, start: usize) -> &'a [u8] {
        self.bytes.get(start..self.index).unwrap_or_default()
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.index).copied()
    }

    pub fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    pub fn eat_char(&mut self) {
        self.index += 1;
    }

    fn next_char(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.index += 1;
        Some(b)
    }

    pub fn parse_whitespace(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.eat_char(),
                other => return other,
            }
        }
    }

    /// One level deeper, or serde_json's recursion error (its limit is 128).
    pub fn enter(&mut self) -> Result<(), Fail> {
        self.remaining_depth = self.remaining_depth.saturating_sub(1);
        if self.remaining_depth == 0 {
            return Err(self.peek_error(RECURSION_LIMIT));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.remaining_depth = self.remaining_depth.saturating_add(1);
    }

    pub fn parse_ident(&mut self, ident: &[u8]) -> Result<(), Fail> {
        for expected in ident {
            match self.next_char() {
                None => return Err(self.error(EOF_VALUE)),
                Some(next) if next != *expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    // ---- numbers (serde_json without `float_roundtrip`) ----

    /// A number; `positive` is false when a `-` was eaten.
    pub fn parse_integer(&mut self, positive: bool) -> Result<Num, Fail> {
        let Some(next) = self.next_char() else { return Err(self.error(EOF_VALUE)) };
        match next {
            b'0' => match self.peek_or_null() {
                b'0'..=b'9' => Err(self.peek_error(INVALID_NUMBER)),
                _ => self.parse_number(positive, 0),
            },
            c @ b'1'..=b'9' => {
                let mut significand = u64::from(c - b'0');
                loop {
                    match self.peek_or_null() {
                        c @ b'0'..=b'9' => {
                            let digit = u64::from(c - b'0');
                            match significand.checked_mul(10).and_then(|s| s.checked_add(digit)) {
                                Some(s) => {
                                    self.eat_char();
                                    significand = s;
                                }
                                None => {
                                    return Ok(Num::F64(
                                        self.parse_long_integer(positive, significand)?,
                                    ));
                                }
                            }
                        }
                        _ => return self.parse_number(positive, significand),
                    }
                }
            }
            _ => Err(self.error(INVALID_NUMBER)),
        }
    }

    fn parse_number(&mut self, positive: bool, significand: u64) -> Result<Num, Fail> {
        Ok(match self.peek_or_null() {
            b'.' => Num::F64(self.parse_decimal(positive, significand, 0)?),
            b'e' | b'E' => Num::F64(self.parse_exponent(positive, significand, 0)?),
            _ if positive => Num::U64(significand),
            _ => {
                // serde_json's own arithmetic: `-0` and anything below i64::MIN are floats.
                let neg = (significand as i64).wrapping_neg();
                if neg >= 0 { Num::F64(-(significand as f64)) } else { Num::I64(neg) }
            }
        })
    }

    fn parse_decimal(
        &mut self,
        positive: bool,
        mut significand: u64,
        before: i32,
    ) -> Result<f64, Fail> {
        self.eat_char();
        let mut after = 0i32;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            let digit = u64::from(c - b'0');
            match significand.checked_mul(10).and_then(|s| s.checked_add(digit)) {
                Some(s) => {
                    self.eat_char();
                    significand = s;
                    after -= 1;
                }
                None => return self.parse_decimal_overflow(positive, significand, before + after),
            }
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        let exponent = before + after;
        match self.peek_or_null() {
            b'e' | b'E' => self.parse_exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    fn parse_exponent(
        &mut self,
        positive: bool,
        significand: u64,
        starting: i32,
    ) -> Result<f64, Fail> {
        self.eat_char();
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.eat_char();
                true
            }
            b'-' => {
                self.eat_char();
                false
            }
            _ => true,
        };
        let Some(next) = self.next_char() else { return Err(self.error(EOF_VALUE)) };
        let mut exp = match next {
            c @ b'0'..=b'9' => i32::from(c - b'0'),
            _ => return Err(self.error(INVALID_NUMBER)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
            let digit = i32::from(c - b'0');
            match exp.checked_mul(10).and_then(|e| e.checked_add(digit)) {
                Some(e) => exp = e,
                None => {
                    return self.parse_exponent_overflow(positive, significand == 0, positive_exp);
                }
            }
        }
        let exponent =
            if positive_exp { starting.saturating_add(exp) } else { starting.saturating_sub(exp) };
        self.f64_from_parts(positive, significand, exponent)
    }

    fn f64_from_parts(
        &mut self,
        positive: bool,
        significand: u64,
        mut exponent: i32,
    ) -> Result<f64, Fail> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(NUMBER_OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }

    fn parse_long_integer(&mut self, positive: bool, significand: u64) -> Result<f64, Fail> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.eat_char();
                    exponent = exponent.saturating_add(1);
                }
                b'.' => return self.parse_decimal(positive, significand, exponent),
                b'e' | b'E' => return self.parse_exponent(positive, significand, exponent),
                _ => return self.f64_from_parts(positive, significand, exponent),
            }
        }
    }

    fn parse_decimal_overflow(
        &mut self,
        positive: bool,
        significand: u64,
        exponent: i32,
    ) -> Result<f64, Fail> {
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.parse_exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    fn parse_exponent_overflow(
        &mut self,
        positive: bool,
        zero: bool,
        positive_exp: bool,
    ) -> Result<f64, Fail> {
        if !zero && positive_exp {
            return Err(self.error(NUMBER_OUT_OF_RANGE));
        }
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        Ok(if positive { 0.0 } else { -0.0 })
    }

    // ---- strings ----

    /// A string whose opening quote was eaten, unescaped and checked as UTF-8.
    pub fn parse_str(&mut self) -> Result<Str<'a>, Fail> {
        self.scratch.clear();
        let mut start = self.index;
        loop {
            self.skip_to_escape();
            let Some(&b) = self.bytes.get(self.index) else { return Err(self.error(EOF_STRING)) };
            match b {
                b'"' => {
                    let end = self.index;
                    let raw = self.bytes.get(start..end).unwrap_or_default();
                    self.index += 1;
                    if self.scratch.is_empty() {
                        if let Some(s) = self.text.and_then(|t| t.get(start..end)) {
                            return Ok(Str::Borrowed(s));
                        }
                        return match std::str::from_utf8(raw) {
                            Ok(s) => Ok(Str::Borrowed(s)),
                            Err(e) => Err(self.utf8_error(raw.len(), e.valid_up_to())),
                        };
                    }
                    self.scratch.extend_from_slice(raw);
                    return match std::str::from_utf8(&self.scratch) {
                        Ok(_) => Ok(Str::Scratch),
                        Err(e) => Err(self.utf8_error(self.scratch.len(), e.valid_up_to())),
                    };
                }
                b'\\' => {
                    let raw = self.bytes.get(start..self.index).unwrap_or_default();
                    self.scratch.extend_from_slice(raw);
                    self.index += 1;
                    self.parse_escape()?;
                    start = self.index;
                }
                _ => {
                    self.index += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
        }
    }

    /// serde_json points at the first bad byte, counting back from the closing quote.
    #[cold]
    #[inline(never)]
    fn utf8_error(&self, len: usize, valid_up_to: usize) -> Fail {
        let (line, column) = self.position_of(self.index);
        Fail::new(
            INVALID_CODE_POINT.to_owned(),
            Some((line, column.saturating_sub(len - valid_up_to))),
        )
    }

    /// The text of a string [`Reader::parse_str`] returned.
    // `#[inline]` here and on `skip_to_escape`: the client's module is built for size, where
    // LLVM kept both as calls in the string loop (about a tenth of a webhook check).
    #[inline]
    pub fn str_of(&self, s: Str<'a>) -> &str {
        match s {
            Str::Borrowed(s) => s,
            Str::Scratch => std::str::from_utf8(&self.scratch).unwrap_or_default(),
        }
    }

    /// Moves to the next `"`, `\` or control character (or the end), eight bytes at a time
    /// while none of them is one: strings are most of a body.
    #[inline]
    fn skip_to_escape(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        // The high bit of each byte of `x` below `n`, and maybe of bytes after the first such
        // one (a borrow carries upward), never of one before it: the lowest bit set is exact.
        let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS;
        let rest = self.bytes.get(self.index..).unwrap_or_default();
        // Whole words, not `chunks_exact` plus `copy_from_slice`: built for size (the client's
        // module) that copy stayed a call per word, a quarter of a webhook check's time.
        let (words, tail) = rest.as_chunks::<8>();
        let mut skipped = 0;
        for word in words {
            let x = u64::from_le_bytes(*word);
            let quote = below(x ^ (ONES * u64::from(b'"')), 1);
            let backslash = below(x ^ (ONES * u64::from(b'\\')), 1);
            let found = below(x, 0x20) | quote | backslash;
            if found != 0 {
                // Little-endian: the first byte found is at the lowest bit set.
                self.index += skipped + (found.trailing_zeros() / 8) as usize;
                return;
            }
            skipped += 8;
        }
        skipped +=
            tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(tail.len());
        self.index += skipped;
    }

    fn parse_escape(&mut self) -> Result<(), Fail> {
        let Some(ch) = self.next_char() else { return Err(self.error(EOF_STRING)) };
        let byte = match ch {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.parse_unicode_escape(),
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        self.scratch.push(byte);
        Ok(())
    }

    fn parse_unicode_escape(&mut self) -> Result<(), Fail> {
        let n = self.decode_hex_escape()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_LEADING_SURROGATE));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            self.push_code_point(u32::from(n));
            return Ok(());
        }
        let Some(b) = self.peek() else { return Err(self.error(EOF_STRING)) };
        self.index += 1;
        if b != b'\\' {
            return Err(self.error(UNEXPECTED_END_OF_HEX_ESCAPE));
        }
        let Some(b) = self.peek() else { return Err(self.error(EOF_STRING)) };
        self.index += 1;
        if b != b'u' {
            return Err(self.error(UNEXPECTED_END_OF_HEX_ESCAPE));
        }
        let n2 = self.decode_hex_escape()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(self.error(LONE_LEADING_SURROGATE));
        }
        let c = (((u32::from(n) - 0xD800) << 10) | (u32::from(n2) - 0xDC00)) + 0x1_0000;
        self.push_code_point(c);
        Ok(())
    }

    fn push_code_point(&mut self, c: u32) {
        // Surrogates were refused above, so this is a char.
        if let Some(c) = char::from_u32(c) {
            let mut buf = [0; 4];
            self.scratch.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    fn decode_hex_escape(&mut self) -> Result<u16, Fail> {
        let Some(four) = self.bytes.get(self.index..self.index + 4) else {
            self.index = self.bytes.len();
            return Err(self.error(EOF_STRING));
        };
        self.index += 4;
        let mut n = 0u16;
        for &b in four {
            let Some(d) = (b as char).to_digit(16) else { return Err(self.error(INVALID_ESCAPE)) };
            n = (n << 4) | d as u16;
        }
        Ok(n)
    }

    /// Skips a string whose opening quote was eaten, checking only its syntax (no UTF-8, no
    /// surrogate pairs), as serde_json does for values nobody reads.
    fn ignore_str(&mut self) -> Result<(), Fail> {
        loop {
            self.skip_to_escape();
            let Some(&b) = self.bytes.get(self.index) else { return Err(self.error(EOF_STRING)) };
            match b {
                b'"' => {
                    self.index += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.index += 1;
                    let Some(ch) = self.next_char() else { return Err(self.error(EOF_STRING)) };
                    match ch {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            self.decode_hex_escape()?;
                        }
                        _ => return Err(self.error(INVALID_ESCAPE)),
                    }
                }
                _ => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    // ---- structure ----

    /// Skips any value, checking its syntax only (serde_json's `ignore_value`: no depth limit).
    /// The lists and objects it is inside are a stack of their opening bytes, not recursion:
    /// `enclosing` is the innermost, `stack` the ones around it.
    pub fn ignore_value(&mut self) -> Result<(), Fail> {
        let mut stack: Vec<u8> = Vec::new();
        let mut enclosing: Option<u8> = None;
        loop {
            let (frame, accept_comma) = match self.ignore_scalar_or_open()? {
                Some(opened) => {
                    stack.extend(enclosing.take());
                    (opened, false)
                }
                // After a scalar: on in the list or object it is in, if any (from the second
                // value on, the innermost one open is always `enclosing`).
                None => match enclosing.take() {
                    Some(frame) => (frame, true),
                    None => return Ok(()),
                },
            };
            let Some(frame) = self.close_frames(frame, accept_comma, &mut stack)? else {
                return Ok(());
            };
            if frame == b'{' {
                self.ignore_key()?;
            }
            enclosing = Some(frame);
        }
    }

    /// One value of [`Reader::ignore_value`]: a scalar skipped (`None`), or a list or an object
    /// opened (`Some` of its `[` or `{`).
    fn ignore_scalar_or_open(&mut self) -> Result<Option<u8>, Fail> {
        let Some(peek) = self.parse_whitespace() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match peek {
            b'n' => {
                self.eat_char();
                self.parse_ident(b"ull")?;
            }
            b't' => {
                self.eat_char();
                self.parse_ident(b"rue")?;
            }
            b'f' => {
                self.eat_char();
                self.parse_ident(b"alse")?;
            }
            b'-' => {
                self.eat_char();
                self.ignore_integer()?;
            }
            b'0'..=b'9' => self.ignore_integer()?,
            b'"' => {
                self.eat_char();
                self.ignore_str()?;
            }
            frame @ (b'[' | b'{') => {
                self.eat_char();
                return Ok(Some(frame));
            }
            _ => return Err(self.peek_error(EXPECTED_VALUE)),
        }
        Ok(None)
    }

    /// After a value (or an opening bracket, `accept_comma` false) inside `frame`: on to the
    /// next value of `frame`, or of the first list or object out of `stack` left open after
    /// the closing brackets that follow (`Some` of it), or `None` when the outermost closed.
    fn close_frames(
        &mut self,
        mut frame: u8,
        mut accept_comma: bool,
        stack: &mut Vec<u8>,
    ) -> Result<Option<u8>, Fail> {
        loop {
            match self.parse_whitespace() {
                Some(b',') if accept_comma => {
                    self.eat_char();
                    return Ok(Some(frame));
                }
                Some(b']') if frame == b'[' => {}
                Some(b'}') if frame == b'{' => {}
                Some(_) if accept_comma => {
                    return Err(self.peek_error(if frame == b'[' {
                        EXPECTED_LIST_COMMA_OR_END
                    } else {
                        EXPECTED_OBJECT_COMMA_OR_END
                    }));
                }
                Some(_) => return Ok(Some(frame)),
                None => {
                    return Err(self.peek_error(if frame == b'[' { EOF_LIST } else { EOF_OBJECT }));
                }
            }
            self.eat_char();
            let Some(outer) = stack.pop() else { return Ok(None) };
            frame = outer;
            accept_comma = true;
        }
    }

    /// An object's key and its colon, inside [`Reader::ignore_value`].
    fn ignore_key(&mut self) -> Result<(), Fail> {
        match self.parse_whitespace() {
            Some(b'"') => self.eat_char(),
            Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
            None => return Err(self.peek_error(EOF_OBJECT)),
        }
        self.ignore_str()?;
        match self.parse_whitespace() {
            Some(b':') => {
                self.eat_char();
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    fn ignore_integer(&mut self) -> Result<(), Fail> {
        match self.next_char().unwrap_or(0) {
            b'0' => {
                if let b'0'..=b'9' = self.peek_or_null() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            b'1'..=b'9' => {
                while let b'0'..=b'9' = self.peek_or_null() {
                    self.eat_char();
                }
            }
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        match self.peek_or_null() {
            b'.' => self.ignore_decimal(),
            b'e' | b'E' => self.ignore_exponent(),
            _ => Ok(()),
        }
    }

    fn ignore_decimal(&mut self) -> Result<(), Fail> {
        self.eat_char();
        let mut digits = false;
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
            digits = true;
        }
        if !digits {
            return Err(self.peek_error(INVALID_NUMBER));
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.ignore_exponent(),
            _ => Ok(()),
        }
    }

    fn ignore_exponent(&mut self) -> Result<(), Fail> {
        self.eat_char();
        if let b'+' | b'-' = self.peek_or_null() {
            self.eat_char();
        }
        match self.next_char().unwrap_or(0) {
            b'0'..=b'9' => {}
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        while let b'0'..=b'9' = self.peek_or_null() {
            self.eat_char();
        }
        Ok(())
    }

    /// Whether an object has another key (its opening quote is next, not yet eaten).
    /// Always inlined, as [`Reader::parse_object_colon`]: they run for every key of a body,
    /// and the record loop was measurably faster with them in it (docs/benchmarks.md).
    #[inline(always)]
    pub fn has_next_key(&mut self, first: &mut bool) -> Result<bool, Fail> {
        let Some(peek) = self.parse_whitespace() else { return Err(self.peek_error(EOF_OBJECT)) };
        if peek == b'}' {
            Ok(false)
        } else if *first {
            *first = false;
            if peek == b'"' { Ok(true) } else { Err(self.peek_error(KEY_MUST_BE_A_STRING)) }
        } else if peek == b',' {
            self.eat_char();
            match self.parse_whitespace() {
                Some(b'"') => Ok(true),
                Some(b'}') => Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                None => Err(self.peek_error(EOF_VALUE)),
            }
        } else {
            Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END))
        }
    }

    /// The next key of an object, after [`Reader::has_next_key`] said there is one.
    pub fn key(&mut self) -> Result<Str<'a>, Fail> {
        self.eat_char();
        self.parse_str()
    }

    /// Whether a list has another element.
    pub fn has_next_element(&mut self, first: &mut bool) -> Result<bool, Fail> {
        let Some(peek) = self.parse_whitespace() else { return Err(self.peek_error(EOF_LIST)) };
        if peek == b']' {
            Ok(false)
        } else if *first {
            *first = false;
            Ok(true)
        } else if peek == b',' {
            self.eat_char();
            match self.parse_whitespace() {
                Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => Ok(true),
                None => Err(self.peek_error(EOF_VALUE)),
            }
        } else {
            Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END))
        }
    }

    /// The `:` after a key (see [`Reader::has_next_key`] on inlining).
    #[inline(always)]
    pub fn parse_object_colon(&mut self) -> Result<(), Fail> {
        match self.parse_whitespace() {
            Some(b':') => {
                self.eat_char();
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    pub fn end_seq(&mut self) -> Result<(), Fail> {
        match self.parse_whitespace() {
            Some(b']') => {
                self.eat_char();
                Ok(())
            }
            Some(b',') => {
                self.eat_char();
                match self.parse_whitespace() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING_CHARACTERS)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_LIST)),
        }
    }

    pub fn end_map(&mut self) -> Result<(), Fail> {
        match self.parse_whitespace() {
            Some(b'}') => {
                self.eat_char();
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// After the document: only whitespace may follow.
    pub fn end(&mut self) -> Result<(), Fail> {
        match self.parse_whitespace() {
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Ok(()),
        }
    }

    #[cold]
    #[inline(never)]
    pub fn eof_value(&self) -> Fail {
        self.peek_error(EOF_VALUE)
    }

    #[cold]
    #[inline(never)]
    pub fn expected_value(&self) -> Fail {
        self.peek_error(EXPECTED_VALUE)
    }

    /// Reads one scalar for a visitor (serde_json's `deserialize_any` for a visitor that takes
    /// scalars only): `visit` gets it and whether a number was written as plain digits; a list
    /// or an object is refused as `expecting`, consuming what serde_json consumes before it
    /// gives up. Errors `visit` returns get the position after the value.
    pub fn scalar<R>(
        &mut self,
        expecting: &str,
        visit: impl FnOnce(Scalar<'_>, bool) -> Result<R, Fail>,
    ) -> Result<R, Fail> {
        let Some(peek) = self.parse_whitespace() else { return Err(self.eof_value()) };
        // The value first, then one call of `visit`: one copy of it in the code, not six.
        let (value, plain) = match peek {
            b'n' => {
                self.eat_char();
                self.parse_ident(b"ull")?;
                (Scalar::Null, false)
            }
            b't' => {
                self.eat_char();
                self.parse_ident(b"rue")?;
                (Scalar::Bool(true), false)
            }
            b'f' => {
                self.eat_char();
                self.parse_ident(b"alse")?;
                (Scalar::Bool(false), false)
            }
            b'-' => {
                self.eat_char();
                (self.parse_integer(false)?.scalar(), false)
            }
            b'0'..=b'9' => {
                let start = self.index;
                let n = self.parse_integer(true)?;
                let plain = self
                    .bytes
                    .get(start..self.index)
                    .is_some_and(|t| t.iter().all(u8::is_ascii_digit));
                (n.scalar(), plain)
            }
            b'"' => {
                self.eat_char();
                let s = self.parse_str()?;
                (Scalar::Str(self.str_of(s)), false)
            }
            b'[' | b'{' => return Err(self.not_a_scalar(peek, expecting)),
            _ => return Err(self.expected_value()),
        };
        let result = visit(value, plain);
        result.map_err(|e| self.fix(e))
    }

    /// A list or an object where a scalar was expected: serde_json consumes up to where it
    /// gives up (its closing bracket, if next), then refuses it as `expecting`.
    #[cold]
    #[inline(never)]
    fn not_a_scalar(&mut self, open: u8, expecting: &str) -> Fail {
        if let Err(e) = self.enter() {
            return e;
        }
        self.eat_char();
        let named = if open == b'[' {
            drop(self.end_seq());
            Named::Seq
        } else {
            drop(self.end_map());
            Named::Map
        };
        self.leave();
        self.fix(Fail::invalid_type(named, expecting))
    }

    /// serde_json's answer when a struct or map is wanted and a scalar is next: the scalar is
    /// read and named (`peek_invalid_type`).
    #[cold]
    #[inline(never)]
    pub fn invalid_type_here(&mut self, expecting: &str) -> Fail {
        let fail = match self.peek_or_null() {
            b'n' => {
                self.eat_char();
                if let Err(e) = self.parse_ident(b"ull") {
                    return e;
                }
                Fail::invalid_type(Named::Scalar(Scalar::Null), expecting)
            }
            b't' | b'f' => {
                let value = self.peek_or_null() == b't';
                self.eat_char();
                if let Err(e) = self.parse_ident(if value { b"rue" } else { b"alse" }) {
                    return e;
                }
                Fail::invalid_type(Named::Scalar(Scalar::Bool(value)), expecting)
            }
            b'-' => {
                self.eat_char();
                match self.parse_integer(false) {
                    Ok(n) => Fail::invalid_type(Named::Scalar(n.scalar()), expecting),
                    Err(e) => return e,
                }
            }
            b'0'..=b'9' => match self.parse_integer(true) {
                Ok(n) => Fail::invalid_type(Named::Scalar(n.scalar()), expecting),
                Err(e) => return e,
            },
            b'"' => {
                self.eat_char();
                match self.parse_str() {
                    Ok(s) => {
                        Fail::invalid_type(Named::Scalar(Scalar::Str(self.str_of(s))), expecting)
                    }
                    Err(e) => return e,
                }
            }
            b'[' => Fail::invalid_type(Named::Seq, expecting),
            b'{' => Fail::invalid_type(Named::Map, expecting),
            _ => self.peek_error(EXPECTED_VALUE),
        };
        self.fix(fail)
    }

    /// Checks any value as `serde_json::Value` reads it; answers whether it is a list.
    pub fn value(&mut self) -> Result<bool, Fail> {
        let Some(peek) = self.parse_whitespace() else { return Err(self.eof_value()) };
        match peek {
            b'n' => {
                self.eat_char();
                self.parse_ident(b"ull")?;
            }
            b't' => {
                self.eat_char();
                self.parse_ident(b"rue")?;
            }
            b'f' => {
                self.eat_char();
                self.parse_ident(b"alse")?;
            }
            b'-' => {
                self.eat_char();
                self.parse_integer(false)?;
            }
            b'0'..=b'9' => {
                self.parse_integer(true)?;
            }
            b'"' => {
                self.eat_char();
                self.parse_str()?;
            }
            b'[' => {
                self.enter()?;
                self.eat_char();
                let mut first = true;
                let mut ret = Ok(());
                loop {
                    match self.has_next_element(&mut first) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            ret = Err(e);
                            break;
                        }
                    }
                    if let Err(e) = self.value() {
                        ret = Err(e);
                        break;
                    }
                }
                let end = self.end_seq();
                self.leave();
                ret.and(end).map_err(|e| self.fix(e))?;
                return Ok(true);
            }
            b'{' => {
                self.enter()?;
                self.eat_char();
                let mut first = true;
                let mut ret = Ok(());
                loop {
                    match self.has_next_key(&mut first) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            ret = Err(e);
                            break;
                        }
                    }
                    let entry = self
                        .key()
                        .and_then(|_| self.parse_object_colon())
                        .and_then(|()| self.value().map(drop));
                    if let Err(e) = entry {
                        ret = Err(e);
                        break;
                    }
                }
                let end = self.end_map();
                self.leave();
                ret.and(end).map_err(|e| self.fix(e))?;
            }
            _ => return Err(self.expected_value()),
        }
        Ok(false)
    }
}

static POW10: [f64; 309] = [
    1e000, 1e001, 1e002, 1e003, 1e004, 1e005, 1e006, 1e007, 1e008, 1e009, 1e010, 1e011, 1e012,
    1e013, 1e014, 1e015, 1e016, 1e017, 1e018, 1e019, 1e020, 1e021, 1e022, 1e023, 1e024, 1e025,
    1e026, 1e027, 1e028, 1e029, 1e030, 1e031, 1e032, 1e033, 1e034, 1e035, 1e036, 1e037, 1e038,
    1e039, 1e040, 1e041, 1e042, 1e043, 1e044, 1e045, 1e046, 1e047, 1e048, 1e049, 1e050, 1e051,
    1e052, 1e053, 1e054, 1e055, 1e056, 1e057, 1e058, 1e059, 1e060, 1e061, 1e062, 1e063, 1e064,
    1e065, 1e066, 1e067, 1e068, 1e069, 1e070, 1e071, 1e072, 1e073, 1e074, 1e075, 1e076, 1e077,
    1e078, 1e079, 1e080, 1e081, 1e082, 1e083, 1e084, 1e085, 1e086, 1e087, 1e088, 1e089, 1e090,
    1e091, 1e092, 1e093, 1e094, 1e095, 1e096, 1e097, 1e098, 1e099, 1e100, 1e101, 1e102, 1e103,
    1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116,
    1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129,
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142,
    1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155,
    1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168,
    1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181,
    1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194,
    1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207,
    1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220,
    1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233,
    1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246,
    1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259,
    1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272,
    1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285,
    1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298,
    1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_named_as_serde_json_names_them() {
        let texts = [
            "null",
            "true",
            "false",
            "0",
            "42",
            "-7",
            "1.5",
            "-0.0",
            "1e20",
            "1.234e-9",
            "\"\"",
            "\"a'b\\\"c\\n\\u0000\\u007f\\u00ad\\u0301x\\ud83d\\ude00 č\"",
            "[]",
            "{}",
        ];
        for text in texts {
            // `{}` is refused as a boolean, the rest as a map.
            let theirs = match serde_json::from_str::<std::collections::BTreeMap<String, u8>>(text)
            {
                Err(e) => e.to_string(),
                Ok(_) => serde_json::from_str::<bool>(text).unwrap_err().to_string(),
            };
            let mut r = Reader::new(text.as_bytes());
            let ours = r.invalid_type_here("X").0.message;
            let named = ours.strip_suffix(", expected X").unwrap();
            assert!(theirs.starts_with(named), "{theirs} / {ours}");
        }
    }

    proptest::proptest! {
        // Runs of plain bytes (so the scan goes past whole words) and bytes near the three
        // kinds it stops at (a borrow of the word-at-a-time test can flag the byte after a
        // hit: `#` after `"`, `]` after a backslash, space after 0x1f), above 0x80, at every offset.
        #[test]
        fn the_scan_stops_at_the_first_quote_backslash_or_control_character(
            text in proptest::collection::vec(proptest::prop_oneof![
                6 => proptest::strategy::Just(b'a'),
                1 => proptest::sample::select(vec![
                    b'"', b'#', b'!', b'\\', b']', b'[', 0x00, 0x01, 0x1f, b' ', 0x7f, 0x80, 0xc3, 0xff,
                ]),
            ], 0..48),
        ) {
            let first = text.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(text.len());
            let mut r = Reader::new(&text);
            r.skip_to_escape();
            proptest::prop_assert_eq!(r.index, first);
        }

        #[test]
        fn strings_are_quoted_as_debug_quotes_them(s in proptest::prelude::any::<String>()) {
            let mut ours = String::new();
            push_debug_str(&mut ours, &s);
            proptest::prop_assert_eq!(ours, format!("{s:?}"));
        }
    }

    /// Skipping a value refuses what serde_json refuses, with its message and position: every
    /// prefix of nested values, and every byte of them replaced by one that breaks the syntax.
    #[test]
    fn skipped_values_are_refused_as_serde_json_refuses_them() {
        let samples: [&[u8]; 3] = [
            br#"{"a": [1, -2.5e3, {"b": {}}, [], "x\"y"], "c": {"d": [true, false, null]}}"#,
            b"[[], [[1, 2], {\"k\": \"v\"}], {}]",
            b"  \"text\"  ",
        ];
        let mut texts = Vec::new();
        for sample in samples {
            texts.extend((0..=sample.len()).map(|cut| sample[..cut].to_vec()));
            for at in 0..sample.len() {
                for byte in *b"}],:\"x {[" {
                    let mut text = sample.to_vec();
                    text[at] = byte;
                    texts.push(text);
                }
            }
        }
        for text in texts {
            let theirs = serde_json::from_slice::<serde::de::IgnoredAny>(&text)
                .map(|_| ())
                .map_err(|e| e.to_string());
            let mut r = Reader::new(&text);
            let ours = r.ignore_value().and_then(|()| r.end()).map_err(|f| match f.0.at {
                Some((line, column)) => format!("{} at line {line} column {column}", f.0.message),
                None => f.0.message.clone(),
            });
            assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(&text));
        }
    }

    #[test]
    fn positions_count_lines_and_bytes_as_serde_json() {
        let r = Reader::new(b"{\n  \"a\": 1\n}");
        assert_eq!(r.position_of(0), (1, 0));
        assert_eq!(r.position_of(2), (2, 0));
        assert_eq!(r.position_of(5), (2, 3));
    }
}
