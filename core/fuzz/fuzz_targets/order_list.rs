//! `GET /orders` pages: whatever parses must write out and parse back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::upgates::order::OrderList;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = json::from_slice::<OrderList>(data) {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: OrderList = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
        let _ = list.into_page().next_page();
    }
});
