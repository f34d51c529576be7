//! `GET /System/Orders` pages: no panic; whatever parses writes out and parses back equal,
//! and `kinds::parse` (normalized and redacted, what `shopflow parse` prints) never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::retailys::kinds::{ParseKind, parse};
use shopflow_core::retailys::order::OrdersModel;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = json::from_slice::<OrdersModel>(data) {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: OrdersModel = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
        let _ = list.into_page().next_page();
    }
    let _ = parse(ParseKind::OrderList, data);
});
