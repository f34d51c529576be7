//! The answer format of every export: `{"ok": value}` or `{"err": error}`.
//!
//! The same shape and codes as the client module's answers (`shopflow-wasm`'s envelope), so
//! the package's JavaScript reports both alike: a document that does not read is
//! `VALIDATION` with its JSON path, line and column. Rule files that do not compile are
//! `RULES`, with every problem in `errors`. The client module's envelope is not shared as a
//! crate: linking `shopflow-wasm` would export all of its functions from this module too.

use serde::Serialize;
use shopflow_core::json::JsonError;
use shopflow_rules::RuleError;

/// A rule file's problem as JavaScript receives it: a stable lowercase code (`syntax`,
/// `unknown_function`, `too_many_operations`, …), words, and the place in the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleProblem {
    /// The rules crate's stable code.
    pub code: &'static str,
    /// What went wrong, without the place (that is in `line` and `column`).
    pub message: String,
    /// 1-based script line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl From<&RuleError> for RuleProblem {
    fn from(e: &RuleError) -> Self {
        RuleProblem {
            code: e.kind.code(),
            message: e.message.clone(),
            line: e.line,
            column: e.column,
        }
    }
}

/// An error as JavaScript receives it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ErrorInfo {
    /// `VALIDATION` (an input that does not read) or `RULES` (a rule file that does not
    /// compile).
    pub code: &'static str,
    /// What went wrong, for people, naming the input.
    pub message: String,
    /// Where in a JSON document a read failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Line of a read failure (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column of a read failure (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Every problem of a rule file, in the order found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RuleProblem>,
}

impl ErrorInfo {
    /// A `VALIDATION` error without a place.
    pub fn validation(message: impl Into<String>) -> Self {
        ErrorInfo { code: "VALIDATION", message: message.into(), ..ErrorInfo::default() }
    }

    /// A document that did not read; `what` names it in the message (`the data`, …).
    pub fn json(what: &str, e: &JsonError) -> Self {
        let located = e.line > 0;
        ErrorInfo {
            path: Some(e.path.clone()),
            line: located.then_some(e.line),
            column: located.then_some(e.column),
            ..ErrorInfo::validation(format!("{what} {e}"))
        }
    }

    /// A rule file that did not compile; the message is the first problem, with its place.
    pub fn rules(errors: &[RuleError]) -> Self {
        let message = match errors {
            [] => "the rule file did not compile".to_owned(),
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        };
        ErrorInfo {
            code: "RULES",
            message,
            errors: errors.iter().map(RuleProblem::from).collect(),
            ..ErrorInfo::default()
        }
    }
}

#[derive(Serialize)]
enum Envelope<'a, T: Serialize> {
    #[serde(rename = "ok")]
    Ok(&'a T),
    #[serde(rename = "err")]
    Err(&'a ErrorInfo),
}

/// `{"ok": value}`, in ASCII JSON (JavaScript decodes it faster; see `ascii_json`).
pub fn ok<T: Serialize>(value: &T) -> String {
    shopflow_core::ascii_json::to_string(&Envelope::Ok(value)).unwrap_or_else(|e| {
        err(&ErrorInfo { code: "BAD_RESPONSE", message: e.to_string(), ..ErrorInfo::default() })
    })
}

/// `{"err": error}`.
pub fn err(e: &ErrorInfo) -> String {
    shopflow_core::ascii_json::to_string(&Envelope::<()>::Err(e)).unwrap_or_else(|_| {
        r#"{"err":{"code":"BAD_RESPONSE","message":"an error could not be written"}}"#.to_owned()
    })
}

/// Either, from a result.
pub fn answer<T: Serialize>(r: Result<T, ErrorInfo>) -> String {
    match r {
        Ok(v) => ok(&v),
        Err(e) => err(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_compile_problems_say_how_many_more() {
        let e = |line| RuleError {
            kind: shopflow_rules::ErrorKind::UnknownFunction,
            message: "no function named x".into(),
            line: Some(line),
            column: Some(5),
        };
        let info = ErrorInfo::rules(&[e(2), e(7)]);
        assert_eq!(info.message, "line 2, column 5: no function named x (and 1 more)");
        let json: serde_json::Value = serde_json::from_str(&err(&info)).unwrap();
        assert_eq!(json["err"]["code"], "RULES");
        assert_eq!(json["err"]["errors"][1]["line"], 7);
        assert_eq!(json["err"]["errors"][0]["code"], "unknown_function");
    }
}
