//! JSON decoding with errors a person can act on: the JSON path, the line and column.
//!
//! The fast path is plain `serde_json`. Only when it fails is the input decoded a second
//! time through `serde_path_to_error` to learn *where*; valid input pays nothing for that.

use std::fmt;

use serde::de::DeserializeOwned;

/// Why a JSON document could not be decoded into the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where in the document, like `orders[3].customer.email` (`.` for the root).
    pub path: String,
    /// 1-based line of the offending value (0 when unknown).
    pub line: usize,
    /// 1-based column of the offending value (0 when unknown).
    pub column: usize,
    /// What was wrong, in serde's words without its position suffix.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {} (line {}, column {}): {}", self.path, self.line, self.column, self.message)
    }
}

impl std::error::Error for JsonError {}

impl JsonError {
    /// An error about a document as a whole (no position).
    #[must_use]
    pub fn whole(path: impl Into<String>, message: impl Into<String>) -> Self {
        JsonError { path: path.into(), line: 0, column: 0, message: message.into() }
    }
}

/// Decodes `bytes` as `T`, reporting the path, line and column on failure.
///
/// # Errors
/// A [`JsonError`] when the bytes are not JSON or do not have the shape of `T`.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    serde_json::from_slice(bytes).map_err(|first| locate::<T>(bytes, &first))
}

/// Decodes `text` as `T`, reporting the path, line and column on failure.
///
/// # Errors
/// A [`JsonError`] when the text is not JSON or does not have the shape of `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    from_slice(text.as_bytes())
}

/// Converts an already-parsed value into `T`, with the path of the first mismatch.
///
/// # Errors
/// A [`JsonError`] (without line and column) when the value does not have the shape of `T`.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        JsonError::whole(path, strip_position(&e.into_inner().to_string()))
    })
}

/// Decodes again, tracking the path, to say where `first` happened.
fn locate<T: DeserializeOwned>(bytes: &[u8], first: &serde_json::Error) -> JsonError {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            JsonError {
                path,
                line: inner.line(),
                column: inner.column(),
                message: strip_position(&inner.to_string()),
            }
        }
        // The value itself was fine: the failure came after it (trailing characters).
        Ok(_) => JsonError {
            path: ".".to_owned(),
            line: first.line(),
            column: first.column(),
            message: strip_position(&first.to_string()),
        },
    }
}

/// serde_json appends " at line L column C"; we report those as fields instead.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        orders: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[test]
    fn reports_path_line_and_column() {
        let e =
            from_str::<Outer>("{\n  \"orders\": [\n    {\"n\": 1},\n    {\"n\": \"x\"}\n  ]\n}")
                .unwrap_err();
        assert_eq!(e.path, "orders[1].n");
        assert_eq!((e.line, e.column), (4, 13));
        assert!(e.message.contains("invalid type"), "{}", e.message);
        assert!(!e.message.contains("at line"), "{}", e.message);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = from_str::<Outer>("{\"orders\": [}").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.column > 0);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(from_str::<Inner>("{\"n\": 1} x").is_err());
    }
}
