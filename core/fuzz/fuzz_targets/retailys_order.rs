//! `GET /System/Orders/{id}`: no panic; whatever parses writes out and parses back equal, and
//! `kinds::parse` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::retailys::kinds::{ParseKind, parse};
use shopflow_core::retailys::order::OrderModel;

fuzz_target!(|data: &[u8]| {
    if let Ok(order) = json::from_slice::<OrderModel>(data) {
        let text = serde_json::to_vec(&order).expect("a parsed order writes out");
        let again: OrderModel = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(order, again);
    }
    let _ = parse(ParseKind::OrderDetail, data);
});
