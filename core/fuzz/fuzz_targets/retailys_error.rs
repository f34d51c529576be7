//! Retailys error answers: `response::error_for` and `error_message` over any status, any
//! `Retry-After` and any body. Input: two bytes of status, then `Retry-After` up to `\n`, then
//! the body. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::http::Response;
use shopflow_core::retailys::response::{classify, error_for, error_message};

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else { return };
    let status = u16::from_be_bytes(*status) % 1000;
    let (retry_after, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&[][..], rest),
    };
    let headers = [("Retry-After".to_owned(), String::from_utf8_lossy(retry_after).into_owned())];
    let now = "2026-11-23T10:00:00Z".parse().expect("a date");
    let resp = Response::new(status, &headers, body);
    if let Some(e) = error_for(&resp, now) {
        let _ = (e.to_string(), e.code(), e.status());
    }
    let _ = classify(&resp, now);
    let _ = error_message(body);
});
