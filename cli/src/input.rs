//! Reading a command's input file (or stdin) and naming it in messages.

use std::io::Read;
use std::path::Path;

/// An input document and the name to use for it in messages.
pub struct Input {
    /// `-` for stdin, else the path as given.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads `path`, or stdin for `None` and `-`.
pub fn read(path: Option<&Path>) -> Result<Input, String> {
    match path {
        None => read_stdin(),
        Some(p) if p.as_os_str() == "-" => read_stdin(),
        Some(p) => {
            let name = p.display().to_string();
            std::fs::read(p)
                .map(|bytes| Input { name: name.clone(), bytes })
                .map_err(|e| format!("cannot read {name}: {e}"))
        }
    }
}

fn read_stdin() -> Result<Input, String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(Input { name: "<stdin>".to_owned(), bytes })
}

/// `FILE:LINE:COLUMN: not a valid KIND: at PATH: message`, the shape editors and people
/// both read.
pub fn located(file: &str, kind: &str, e: &shopflow_core::json::JsonError) -> String {
    if e.line == 0 {
        format!("{file}: not a valid {kind}: at {}: {}", e.path, e.message)
    } else {
        format!("{file}:{}:{}: not a valid {kind}: at {}: {}", e.line, e.column, e.path, e.message)
    }
}
