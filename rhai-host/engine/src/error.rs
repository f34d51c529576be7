//! Rule errors: what went wrong, where in the script, as a stable code.

use rhai::{EvalAltResult, ParseError, ParseErrorType, Position};
use serde::{Deserialize, Serialize};

/// What kind of error stopped a rule. The serialized names are stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The script does not parse.
    Syntax,
    /// A function named like a hook that is not one, or a hook with the wrong parameters.
    UnknownHook,
    /// A call to a function that neither the script nor the host defines.
    UnknownFunction,
    /// A property that what a hook receives does not have (`order.order_total` where the
    /// order's property is `total`), found before the rule runs.
    UnknownProperty,
    /// An action the chosen platform cannot make (`set_internal_note` where the platform has
    /// no internal note), found before the rule runs; the message says what to use instead.
    UnsupportedAction,
    /// Something rules may not do (`eval`, `import`).
    Forbidden,
    /// The script failed while running (a `throw`, a type mismatch, a missing property the
    /// check could not see).
    Runtime,
    /// An action was called with an invalid argument.
    InvalidAction,
    /// The operation budget ran out (an endless loop, most likely).
    TooManyOperations,
    /// Calls or expressions nested too deeply (recursion, most likely).
    TooDeep,
    /// A string, array or map grew past its limit.
    DataTooLarge,
    /// Too many variables alive at once.
    TooManyVariables,
    /// The wall-clock budget ran out.
    Timeout,
    /// `print`/`debug` wrote more than the log budget.
    TooMuchOutput,
    /// More actions than one run may ask for.
    TooManyActions,
}

impl ErrorKind {
    /// The stable code, as serialized.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownHook => "unknown_hook",
            ErrorKind::UnknownFunction => "unknown_function",
            ErrorKind::UnknownProperty => "unknown_property",
            ErrorKind::UnsupportedAction => "unsupported_action",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Runtime => "runtime",
            ErrorKind::InvalidAction => "invalid_action",
            ErrorKind::TooManyOperations => "too_many_operations",
            ErrorKind::TooDeep => "too_deep",
            ErrorKind::DataTooLarge => "data_too_large",
            ErrorKind::TooManyVariables => "too_many_variables",
            ErrorKind::Timeout => "timeout",
            ErrorKind::TooMuchOutput => "too_much_output",
            ErrorKind::TooManyActions => "too_many_actions",
        }
    }
}

/// An error in a rule script, with its place when known (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}{message}", place(*line, *column))]
pub struct RuleError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// What happened, in words.
    pub message: String,
    /// The script line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

fn place(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

/// Marks of the run's own stops, carried through Rhai as termination tokens.
pub(crate) const STOP_TIMEOUT: &str = "shopflow:timeout";
pub(crate) const STOP_OUTPUT: &str = "shopflow:output";
/// Prefix of errors raised by actions, so they are reported as invalid actions.
pub(crate) const ACTION_ERROR: &str = "shopflow:action:";
pub(crate) const TOO_MANY_ACTIONS: &str = "shopflow:too-many-actions:";

impl RuleError {
    /// An error of `kind` at `pos`.
    #[must_use]
    pub fn at(kind: ErrorKind, message: impl Into<String>, pos: Position) -> RuleError {
        RuleError { kind, message: message.into(), line: pos.line(), column: pos.position() }
    }

    /// A parse error, classified (`eval` and `import` are forbidden rather than bad syntax).
    #[must_use]
    pub fn from_parse(err: &ParseError) -> RuleError {
        RuleError::from_parse_type(&err.0, err.1)
    }

    fn from_parse_type(err: &ParseErrorType, pos: Position) -> RuleError {
        let kind = match err {
            ParseErrorType::Reserved(word) | ParseErrorType::ForbiddenVariable(word)
                if FORBIDDEN_WORDS.contains(&word.as_str()) =>
            {
                ErrorKind::Forbidden
            }
            ParseErrorType::BadInput(token)
                if FORBIDDEN_WORDS.iter().any(|w| token.to_string().contains(w)) =>
            {
                ErrorKind::Forbidden
            }
            ParseErrorType::ExprTooDeep => ErrorKind::TooDeep,
            ParseErrorType::LiteralTooLarge(..) => ErrorKind::DataTooLarge,
            _ => ErrorKind::Syntax,
        };
        let message = match kind {
            ErrorKind::Forbidden => format!("{err} (rules may not evaluate code or load modules)"),
            _ => err.to_string(),
        };
        RuleError::at(kind, message, pos)
    }

    /// A runtime error, unwrapped to the innermost cause (a failure inside a script
    /// function is reported where it happened, not at the call).
    #[must_use]
    pub fn from_eval(err: &EvalAltResult) -> RuleError {
        let mut err = err;
        while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = err {
            err = inner;
        }
        let pos = err.position();
        if let EvalAltResult::ErrorParsing(parse, _) = err {
            // Code parsed at run time (a function pointer to `eval`, say).
            return RuleError::from_parse_type(parse, pos);
        }
        let (kind, message) = match err {
            EvalAltResult::ErrorTooManyOperations(_) => (
                ErrorKind::TooManyOperations,
                "the rule used up its operations budget (an endless loop?)".to_owned(),
            ),
            EvalAltResult::ErrorStackOverflow(_) => {
                (ErrorKind::TooDeep, "calls nested too deeply (endless recursion?)".to_owned())
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => {
                (ErrorKind::DataTooLarge, format!("{what} grew past the limit for rules"))
            }
            EvalAltResult::ErrorTooManyVariables(_) => {
                (ErrorKind::TooManyVariables, "too many variables alive at once".to_owned())
            }
            EvalAltResult::ErrorTerminated(token, _) => {
                match token.clone().into_string().as_deref() {
                    Ok(STOP_OUTPUT) => (
                        ErrorKind::TooMuchOutput,
                        "print/debug wrote more than the log budget".to_owned(),
                    ),
                    _ => (ErrorKind::Timeout, "the rule ran out of time".to_owned()),
                }
            }
            EvalAltResult::ErrorFunctionNotFound(sig, _) => {
                (ErrorKind::Runtime, format!("no function {sig} (check the argument types)"))
            }
            EvalAltResult::ErrorRuntime(value, _) => {
                let text = value.to_string();
                if let Some(why) = text.strip_prefix(ACTION_ERROR) {
                    (ErrorKind::InvalidAction, why.to_owned())
                } else if let Some(why) = text.strip_prefix(TOO_MANY_ACTIONS) {
                    (ErrorKind::TooManyActions, why.to_owned())
                } else {
                    (ErrorKind::Runtime, text)
                }
            }
            other => (ErrorKind::Runtime, strip_position(&other.to_string())),
        };
        RuleError::at(kind, message, pos)
    }
}

/// Words a rule may not use.
const FORBIDDEN_WORDS: [&str; 2] = ["eval", "import"];

/// Rhai's messages end with " (line 3, position 5)"; the place is reported separately.
fn strip_position(text: &str) -> String {
    match text.rfind(" (line ") {
        Some(at) if text.ends_with(')') => text.get(..at).unwrap_or(text).to_owned(),
        _ => text.to_owned(),
    }
}
