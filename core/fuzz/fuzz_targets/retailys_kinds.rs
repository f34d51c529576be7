//! Every Retailys document kind: the first byte picks a `ParseKind` (and a `ValidateKind`),
//! the rest goes through `kinds::parse` and `kinds::validate`. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::retailys::kinds::{ParseKind, ValidateKind, parse, validate};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let kind = ParseKind::ALL[usize::from(pick) % ParseKind::ALL.len()];
    if let Ok(value) = parse(kind, rest) {
        let _ = serde_json::to_vec(&value).expect("a normalized document writes out");
    }
    let vkind = ValidateKind::ALL[usize::from(pick) % ValidateKind::ALL.len()];
    let _ = validate(vkind, rest);
});
