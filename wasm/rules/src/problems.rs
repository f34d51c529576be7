//! Rule files' problems in the shared answer envelope (`shopflow-wasm-envelope`): a rule file
//! that does not compile is `RULES`, with every problem in `errors`.

use shopflow_rules::RuleError;
use shopflow_wasm_envelope::{ErrorInfo, RuleProblem};

/// A rule file's problem as JavaScript receives it.
pub fn rule_problem(e: &RuleError) -> RuleProblem {
    RuleProblem { code: e.kind.code(), message: e.message.clone(), line: e.line, column: e.column }
}

/// A rule file that did not compile; the message is the first problem, with its place.
pub fn rules_error(errors: &[RuleError]) -> ErrorInfo {
    let message = match errors {
        [] => "the rule file did not compile".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    };
    ErrorInfo {
        errors: errors.iter().map(rule_problem).collect(),
        ..ErrorInfo::new("RULES", message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shopflow_wasm_envelope::err;

    #[test]
    fn several_compile_problems_say_how_many_more() {
        let e = |line| RuleError {
            kind: shopflow_rules::ErrorKind::UnknownFunction,
            message: "no function named x".into(),
            line: Some(line),
            column: Some(5),
        };
        let info = rules_error(&[e(2), e(7)]);
        assert_eq!(info.message, "line 2, column 5: no function named x (and 1 more)");
        let json: serde_json::Value = serde_json::from_str(&err(&info)).unwrap();
        assert_eq!(json["err"]["code"], "RULES");
        assert_eq!(json["err"]["errors"][1]["line"], 7);
        assert_eq!(json["err"]["errors"][0]["code"], "unknown_function");
    }
}
