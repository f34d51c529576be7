//! Reading a JavaScript options object by name, the way a JavaScript developer expects an SDK
//! to check it: every option read once with its own expectation, every problem reported at
//! once, each at its field path (`.timeout: expected a whole number of milliseconds from 1 to
//! …, found "5s"`), and an option nobody reads refused with the name it was probably meant to
//! be. A serde reader would stop at the first problem and speak in its own words
//! (``missing field `login` ``, `invalid type: string "5s", expected f64`).

use js_sys::{Object, Reflect};
use shopflow_core::validation::{At, Problem, Problems};
use wasm_bindgen::{JsCast, JsValue};

use crate::envelope::ErrorInfo;

/// The options object of one class, read option by option.
pub(crate) struct OptionsReader {
    /// The class whose options these are (`Client`), for the message.
    class: &'static str,
    /// The object, or `undefined` when none was given.
    object: JsValue,
    /// Every option's name this class knows, read here or elsewhere (`fetch`).
    known: &'static [&'static str],
    problems: Vec<Problem>,
}

impl OptionsReader {
    /// The reader of `value`, the options of `class`, whose options are `known`.
    pub(crate) fn new(class: &'static str, value: JsValue, known: &'static [&'static str]) -> Self {
        let mut reader = OptionsReader { class, object: value, known, problems: Vec::new() };
        if !reader.object.is_object() {
            let found = describe(&reader.object, false);
            reader.problems.push(At::root().problem("an options object", found));
            reader.object = JsValue::UNDEFINED;
        }
        reader
    }

    /// The option `name`, `undefined` when it is absent (or no object was given).
    fn get(&self, name: &str) -> JsValue {
        if self.object.is_undefined() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(&self.object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn refuse(&mut self, name: &str, expected: &str, found: String) {
        self.problems.push(At::root().field(name).problem(expected, found));
    }

    /// A text option that must be given; `secret` keeps its content out of the message.
    pub(crate) fn required_text(&mut self, name: &str, expected: &str, secret: bool) -> String {
        let value = self.get(name);
        match value.as_string() {
            Some(text) if !text.trim().is_empty() => text,
            _ => {
                self.refuse(name, expected, describe(&value, secret));
                String::new()
            }
        }
    }

    /// A text option that may be left out (`undefined`).
    pub(crate) fn text(&mut self, name: &str, expected: &str) -> Option<String> {
        let value = self.get(name);
        if value.is_undefined() {
            return None;
        }
        let text = value.as_string();
        if text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            self.refuse(name, expected, describe(&value, false));
        }
        text
    }

    /// A whole-number option in `min..=max`, or `None` when left out.
    pub(crate) fn whole(&mut self, name: &str, what: &str, min: u32, max: u32) -> Option<u32> {
        let value = self.get(name);
        if value.is_undefined() {
            return None;
        }
        match value.as_f64() {
            Some(v) if v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max) => {
                // Whole and in range, so the conversion is exact.
                Some(v as u32)
            }
            _ => {
                let expected = format!("a whole number{what} from {min} to {max}");
                self.refuse(name, &expected, describe(&value, false));
                None
            }
        }
    }

    /// A boolean option, `false` when left out.
    pub(crate) fn flag(&mut self, name: &str) -> bool {
        let value = self.get(name);
        if value.is_undefined() {
            return false;
        }
        value.as_bool().unwrap_or_else(|| {
            self.refuse(name, "true or false", describe(&value, false));
            false
        })
    }

    /// One of `choices` (texts), or `None` when left out.
    pub(crate) fn choice(&mut self, name: &str, choices: &[&'static str]) -> Option<&'static str> {
        let value = self.get(name);
        if value.is_undefined() {
            return None;
        }
        let text = value.as_string();
        let chosen = choices.iter().copied().find(|c| text.as_deref() == Some(*c));
        if chosen.is_none() {
            let expected = choices.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>();
            self.refuse(name, &format!("one of {}", expected.join(", ")), describe(&value, false));
        }
        chosen
    }

    /// Every problem found, unknown options included, as one VALIDATION error; or nothing.
    pub(crate) fn finish(mut self) -> Result<(), ErrorInfo> {
        self.refuse_unknown();
        if self.problems.is_empty() {
            return Ok(());
        }
        let problems = Problems(self.problems);
        let message = format!("the {}'s options are not valid: {problems}", self.class);
        Err(ErrorInfo { message, ..ErrorInfo::from(problems) })
    }

    /// A problem for each option of the object this class does not have (a misspelt option
    /// would otherwise be silently ignored, its default taken).
    fn refuse_unknown(&mut self) {
        let Some(object) = self.object.dyn_ref::<Object>() else { return };
        for key in Object::keys(object).iter().filter_map(|k| k.as_string()) {
            if self.known.contains(&key.as_str()) {
                continue;
            }
            let expected = match suggestion(&key, self.known) {
                Some(near) => format!("an option of {} (did you mean `{near}`?)", self.class),
                None => format!("an option of {}: {}", self.class, self.known.join(", ")),
            };
            self.refuse(&key, &expected, "an unknown option".to_owned());
        }
    }
}

/// The known name `given` was probably meant to be: the same but for case, `_` and `-`, a
/// typo or two away, or a longer form of it (`timeoutMs` for `timeout`).
fn suggestion<'k>(given: &str, known: &[&'k str]) -> Option<&'k str> {
    let plain = |s: &str| s.to_ascii_lowercase().replace(['_', '-'], "");
    let given = plain(given);
    known.iter().copied().find(|k| {
        let k = plain(k);
        strsim::damerau_levenshtein(&given, &k) <= 2 || given.starts_with(&k)
    })
}

/// A JavaScript value in words for a problem's `found`; a secret's content is never shown.
fn describe(value: &JsValue, secret: bool) -> String {
    if value.is_undefined() {
        return "undefined (left out, or an environment variable that is not set)".to_owned();
    }
    if value.is_null() {
        return "null".to_owned();
    }
    if let Some(text) = value.as_string() {
        return match (secret, text.trim().is_empty()) {
            (_, true) => "an empty text".to_owned(),
            (true, false) => format!("a text of {} characters", text.chars().count()),
            (false, false) => format!("{text:?}"),
        };
    }
    if secret {
        // Only the type: a key given as a number is still a key.
        return format!("a value of type {}", value.js_typeof().as_string().unwrap_or_default());
    }
    if let Some(n) = value.as_f64() {
        return n.to_string();
    }
    if let Some(b) = value.as_bool() {
        return b.to_string();
    }
    if value.is_function() {
        return "a function".to_owned();
    }
    if js_sys::Array::is_array(value) {
        return "an array".to_owned();
    }
    "an object".to_owned()
}
