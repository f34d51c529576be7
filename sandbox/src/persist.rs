//! The state file: written atomically after each change, read at start.
//!
//! The snapshot goes to a temporary file in the same directory, is flushed to disk, and
//! replaces the state file by rename, so a crash leaves either the old state or the new,
//! never half of one.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// Any IO error, with the path in it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state.json");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let fail = |what: &str, e: std::io::Error| format!("cannot {what} {}: {e}", tmp.display());
    let mut f = fs::File::create(&tmp).map_err(|e| fail("create", e))?;
    f.write_all(bytes).map_err(|e| fail("write", e))?;
    f.sync_all().map_err(|e| fail("flush", e))?;
    drop(f);
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    // The rename is durable once the directory is flushed too.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads the state file, or `None` when there is none yet.
///
/// # Errors
/// Any IO error other than "not found", with the path in it.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}
