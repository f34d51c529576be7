//! Rule files on disk: finding them, compiling them, and naming their errors the way editors
//! read them (`FILE:LINE:COLUMN: code: message`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use shopflow_core::automation::platform::Capabilities;
use shopflow_core::date::ApiDate;
use shopflow_rules::{Clock, Limits, RuleError, RuleSet, WeakRuleSet};

/// What a rule file was compiled from: the platform, the limits (as written) and the source.
type Source = (&'static str, String, String);

/// The compiled rule files in use, by what they were compiled from: shops whose rule files
/// are the same (an agency's shared rules folder) share one compiled file, and its engine,
/// instead of about 310 KB each per shop (docs/benchmarks.md, many shops). Weak, so a file
/// no shop uses any more (reloaded away) is freed.
static COMPILED: LazyLock<Mutex<HashMap<Source, WeakRuleSet>>> = LazyLock::new(Mutex::default);

/// The compiled file in use for `source`, or `source` compiled now.
fn compile_shared(
    source: String,
    limits: &Limits,
    clock: &Clock,
    platform: &Capabilities,
) -> Result<RuleSet, Vec<RuleError>> {
    let key = (platform.platform, format!("{limits:?}"), source);
    let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(set) = compiled.get(&key).and_then(WeakRuleSet::upgrade) {
        return Ok(set);
    }
    let set = RuleSet::compile_for(&key.2, limits.clone(), Arc::clone(clock), platform)?;
    compiled.retain(|_, weak| weak.upgrade().is_some());
    compiled.insert(key, set.downgrade());
    Ok(set)
}

/// A monotonic clock in milliseconds for the rules' wall-clock budget.
pub fn native_clock() -> Clock {
    let start = Instant::now();
    Arc::new(move || start.elapsed().as_secs_f64() * 1000.0)
}

/// The day `mark_paid` without a date means: `given` (YYYY-MM-DD), else today in UTC.
pub fn today(given: Option<&str>) -> Result<ApiDate, String> {
    let text = match given {
        Some(t) => t.to_owned(),
        None => {
            let days =
                SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
            let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
            format!("{y:04}-{m:02}-{d:02}")
        }
    };
    text.parse().map_err(|_| format!("not a date (YYYY-MM-DD): {text:?}"))
}

/// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The rule files a path names: the file itself, or a folder's `*.rhai` files by name.
pub fn rule_paths(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rhai") && p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("{}: no .rhai files in this folder", path.display()));
        }
        Ok(files)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// A rule's name: its file name without `.rhai`.
pub fn rule_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// `FILE:LINE:COLUMN: code: message`.
pub fn located(file: &Path, e: &RuleError) -> String {
    let place = match (e.line, e.column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    };
    format!("{}{place}: {}: {}", file.display(), e.kind.code(), e.message)
}

/// Compiles every rule file `paths` name for `platform` (a file compiled before and still
/// in use is shared: [`COMPILED`]); all errors of all files, located.
pub fn load(
    paths: &[PathBuf],
    limits: &Limits,
    platform: &Capabilities,
) -> Result<Vec<(String, RuleSet)>, Vec<String>> {
    let clock = native_clock();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let files = match rule_paths(path) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for file in files {
            match std::fs::read_to_string(&file) {
                Err(e) => errors.push(format!("{}: cannot read: {e}", file.display())),
                Ok(source) => match compile_shared(source, limits, &clock, platform) {
                    Ok(set) => rules.push((rule_name(&file), set)),
                    Err(es) => errors.extend(es.iter().map(|e| located(&file, e))),
                },
            }
        }
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_rule_file_is_compiled_once_while_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for folder in [&a, &b] {
            std::fs::create_dir(folder).unwrap();
            let rule = "fn on_order_created(order) { set_status(order, \"Ke kontrole\"); }";
            std::fs::write(folder.join("check.rhai"), rule).unwrap();
        }
        let upgates = shopflow_core::upgates::CAPABILITIES;
        let limits = Limits::default();
        let first = load(std::slice::from_ref(&a), &limits, &upgates).unwrap();
        let second = load(std::slice::from_ref(&b), &limits, &upgates).unwrap();
        assert!(first[0].1.shares(&second[0].1), "another folder, the same file");
        let retailys = shopflow_core::retailys::CAPABILITIES;
        let other = load(std::slice::from_ref(&a), &limits, &retailys).unwrap();
        assert!(!other[0].1.shares(&first[0].1), "another platform checks it anew");
        std::fs::write(b.join("check.rhai"), "fn on_order_paid(order) { }").unwrap();
        let changed = load(std::slice::from_ref(&b), &limits, &upgates).unwrap();
        assert!(!changed[0].1.shares(&first[0].1), "a changed file is compiled");
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
    }
}
