//! `GET /customers` pages: whatever parses must write out and parse back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::upgates::customer::CustomerList;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = json::from_slice::<CustomerList>(data) {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: CustomerList = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
    }
});
