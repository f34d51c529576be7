//! The npm package types `parse` and `validate` by kind name (`ParseKinds`, `ValidateKind` in
//! wasm/package/index.d.ts, written by hand): the names there must be the registry's, so a
//! kind added, renamed or removed here fails this test until the types follow.

use std::collections::BTreeSet;

use shopflow_core::upgates::kinds::{ParseKind, ValidateKind};

fn index_d_ts() -> String {
    let path = format!("{}/../wasm/package/index.d.ts", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quoted names in the text from `start` to the first `end` after it.
fn quoted_names(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("index.d.ts has no {start:?}"));
    let block = &text[from + start.len()..];
    let block = &block[..block.find(end).unwrap()];
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("/**") && !l.starts_with('*') && !l.starts_with("//"))
        .filter_map(|l| l.split('\'').nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn parse_kinds_in_the_typescript_types_are_the_registry() {
    let text = index_d_ts();
    let typed = quoted_names(&text, "export interface ParseKinds {", "\n}");
    let registry: BTreeSet<String> = ParseKind::ALL.iter().map(|k| k.name().to_owned()).collect();
    assert_eq!(typed, registry, "ParseKinds in wasm/package/index.d.ts");
}

#[test]
fn validate_kinds_in_the_typescript_types_are_the_registry() {
    let text = index_d_ts();
    let typed = quoted_names(&text, "export type ValidateKind =", ";");
    let registry: BTreeSet<String> =
        ValidateKind::ALL.iter().map(|k| k.name().to_owned()).collect();
    assert_eq!(typed, registry, "ValidateKind in wasm/package/index.d.ts");
}
