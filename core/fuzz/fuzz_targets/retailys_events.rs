//! `GET /System/Events[/{id}]`: no panic; a parsed page or subscription writes out and parses
//! back equal; its put request validates without panicking; `kinds::parse` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::json;
use shopflow_core::retailys::events::{EventModel, EventsModel};
use shopflow_core::retailys::kinds::{ParseKind, parse};
use shopflow_core::validation::Validate;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = json::from_slice::<EventsModel>(data) {
        let text = serde_json::to_vec(&list).expect("a parsed page writes out");
        let again: EventsModel = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(list, again);
        for e in &list.events {
            let _ = e.to_put_request().validate();
        }
        let _ = list.into_page().next_page();
    }
    if let Ok(event) = json::from_slice::<EventModel>(data) {
        let text = serde_json::to_vec(&event).expect("a parsed event writes out");
        let again: EventModel = json::from_slice(&text).expect("what we write, we read");
        assert_eq!(event, again);
        let _ = event.to_put_request().validate();
    }
    let _ = parse(ParseKind::EventList, data);
    let _ = parse(ParseKind::EventDetail, data);
});
