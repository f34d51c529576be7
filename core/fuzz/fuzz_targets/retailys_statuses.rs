//! `GET /System/Orders/Statuses`: no panic; a parsed page writes out and parses back equal;
//! lookups by id and name; `kinds::parse` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::retailys::kinds::{ParseKind, parse};
use shopflow_core::retailys::status::OrderStatusesModel;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = json::from_slice::<OrderStatusesModel>(data) {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: OrderStatusesModel = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
        for s in &list.statuses {
            let _ = (s.completes(), s.cancels());
            if let Some(id) = s.id {
                assert!(list.get(id).is_some());
            }
            if let Some(name) = s.name.as_deref() {
                let _ = list.by_name(name);
            }
        }
        let _ = list.into_page().next_page();
    }
    let _ = parse(ParseKind::OrderStatusList, data);
});
