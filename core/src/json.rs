//! JSON decoding with errors a person can act on: the JSON path, the line and column.
//!
//! Decoding is plain `serde_json`. When it fails, serde_json knows the line and column; a
//! small scanner then walks the text up to that point, tracking object keys and array
//! indexes, to name the path (`orders[3].customer.email`). One generic scanner instead of a
//! path-tracking copy of every typed deserializer keeps the WebAssembly build small, and
//! valid input pays nothing.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a JSON document could not be decoded into the expected type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JsonError {
    /// Where in the document, like `orders[3].customer.email` (`.` for the root).
    pub path: String,
    /// 1-based line of the offending value (0 when unknown).
    pub line: usize,
    /// 1-based column (in bytes) of the offending value's end (0 when unknown).
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
    serde_json::from_slice(bytes).map_err(|e| JsonError {
        path: path_at(bytes, e.line(), e.column()),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

/// Decodes `text` as `T`, reporting the path, line and column on failure.
///
/// # Errors
/// A [`JsonError`] when the text is not JSON or does not have the shape of `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    from_slice(text.as_bytes())
}

/// Converts an already-parsed value into `T`, with the path of the first mismatch. (The
/// value is written out and read again, so the same decoder and the same errors apply.)
///
/// # Errors
/// A [`JsonError`] when the value does not have the shape of `T`.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, JsonError> {
    let bytes =
        serde_json::to_vec_pretty(value).map_err(|e| JsonError::whole(".", e.to_string()))?;
    from_slice(&bytes)
}

/// serde_json appends " at line L column C"; we report those as fields instead.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// One open container while scanning.
enum Frame {
    /// An object, with the key whose value is being read (once its key has been seen).
    Object { key: Option<String>, awaiting_key: bool },
    /// An array, at this element.
    Array { index: usize },
}

/// The path of the value that ends at `line`:`column` (serde_json's error position).
///
/// Scanning includes the character at the position: for a wrong value that completes the
/// value (its key stays on the path); for a missing field, serde_json points at the
/// object's `}`, which closes it, leaving the object's own path, as wanted.
pub(crate) fn path_at(bytes: &[u8], line: usize, column: usize) -> String {
    let target = byte_offset(bytes, line, column);
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && i <= target {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'{' => stack.push(Frame::Object { key: None, awaiting_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, awaiting_key }) => {
                    *key = None;
                    *awaiting_key = true;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { awaiting_key, .. }) = stack.last_mut() {
                    *awaiting_key = false;
                }
            }
            b'"' => {
                let (text, end) = read_string(bytes, i + 1);
                if let Some(Frame::Object { key, awaiting_key: true }) = stack.last_mut() {
                    *key = Some(text);
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() { ".".to_owned() } else { path }
}

/// The byte index of a serde_json position (1-based line; column in bytes from the line's
/// start, 0 meaning just before the line's first byte).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut current = 1;
    while current < line {
        match bytes.get(start..).and_then(|rest| rest.iter().position(|&b| b == b'\n')) {
            Some(nl) => {
                start += nl + 1;
                current += 1;
            }
            None => return bytes.len(),
        }
    }
    (start + column).saturating_sub(1)
}

/// Reads a JSON string starting after its opening quote: its text and the index of the
/// closing quote (or the end of input).
fn read_string(bytes: &[u8], from: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i),
            b'\\' => {
                let escaped = bytes.get(i + 1).copied().unwrap_or(b'\\');
                match escaped {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'u' => {
                        let hex = bytes.get(i + 2..i + 6).and_then(|h| std::str::from_utf8(h).ok());
                        if let Some(c) = hex
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .and_then(char::from_u32)
                        {
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        i += 4;
                    }
                    other => out.push(other),
                }
                i += 2;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), bytes.len())
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
        #[serde(default)]
        customer: Option<Customer>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Customer {
        email: String,
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
    fn paths_of_nested_values_missing_fields_and_escaped_keys() {
        let e = from_str::<Outer>(r#"{"orders":[{"n":1},{"n":2,"customer":{"email":5}}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "orders[1].customer.email");
        let e = from_str::<Outer>(r#"{"orders":[{"n":1},{"n":2,"customer":{"mail":"x"}}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "orders[1].customer", "a missing field names its object");
        let e = from_str::<Outer>(r#"{"orders":[{"n":1,"x":"a,b]}"},{}]}"#).unwrap_err();
        assert_eq!(e.path, "orders[1]", "brackets and commas inside strings do not count");
        let e = from_str::<Outer>("{\"or\\u0064ers\": [{\"n\": \"č\"}]}").unwrap_err();
        assert_eq!(e.path, "orders[0].n");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = from_str::<Outer>("{\"orders\": [}").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.column > 0);
        assert_eq!(e.path, "orders");
    }

    #[test]
    fn trailing_garbage_is_an_error_at_the_root() {
        let e = from_str::<Inner>("{\"n\": 1} x").unwrap_err();
        assert_eq!(e.path, ".");
    }

    #[test]
    fn values_convert_with_paths() {
        let v = serde_json::json!({"orders": [{"n": 1}, {"n": -1}]});
        assert_eq!(from_value::<Outer>(&v).unwrap_err().path, "orders[1].n");
    }
}
