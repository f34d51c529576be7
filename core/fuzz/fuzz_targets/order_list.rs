//! `GET /orders` pages: whatever parses must write out and parse back equal, and the field
//! tables (`order_page_text`) write exactly what the typed reading writes, or leave the page
//! to it; they never answer a page it refuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::upgates::order::{OrderList, order_page_text};
use shopflow_core::{ascii_json, json};

fuzz_target!(|data: &[u8]| {
    let typed = json::from_slice::<OrderList>(data);
    let tables = order_page_text(data);
    if let Ok(list) = typed {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: OrderList = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
        let page = list.into_page();
        let _ = page.next_page();
        if let Ok(written) = tables {
            assert_eq!(written.items, ascii_json::to_string(&page.items).expect("writes"));
            assert_eq!(written.page.number_of_items, page.number_of_items);
            assert_eq!(written.page.current_page, page.current_page);
        }
    } else {
        assert!(tables.is_err(), "the tables answered a page the typed reading refuses");
    }
});
