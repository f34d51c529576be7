//! The Retailys event-callback receiver's input (it faces the internet): a query string and a
//! body, read as a form and as JSON through `CallbackParams`, merged, and resolved to typed ids
//! through a subscription's `parameters`; and the receiver itself (`receiver::read_callback`:
//! the path's event and secret, then the ids) on a path made of the input's first line.
//! Input: `query \0 body` (no `\0`: all query).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopflow_core::retailys::events::{CallbackParams, CallbackValues, EventParameter};
use shopflow_core::retailys::receiver::read_callback;

const MACROS: [&str; 9] = [
    "%orderId%",
    "%statusId%",
    "%channelId%",
    "%articleId%",
    "%userId%",
    "%login%",
    "%link%",
    " %orderId% ",
    "order %orderId%",
];

/// What `resolve` must make of `value` sent for `macro_text`.
fn check_value(values: &CallbackValues, macro_text: &str, value: &str) {
    let id = value.trim().parse::<i64>().ok();
    match macro_text.trim() {
        "%orderId%" => assert_eq!(values.order_id, id),
        "%statusId%" => assert_eq!(values.status_id, id),
        "%channelId%" => assert_eq!(values.channel_id, id),
        "%articleId%" => assert_eq!(values.article_id, id),
        "%userId%" => assert_eq!(values.user_id, id),
        "%login%" => assert_eq!(values.login.as_deref(), Some(value)),
        "%link%" => assert_eq!(values.link.as_deref(), Some(value)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let (query, body) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    // The receiver: a path from the query's first line, with the real secret or not.
    let text = String::from_utf8_lossy(query);
    let path = text.lines().next().unwrap_or_default();
    let secret = "0123456789abcdef0123456789abcdef";
    for p in [path.to_owned(), format!("/retailys/order-new/{secret}"), format!("{path}/{secret}")] {
        if let Ok(cb) = read_callback(&p, &text, body, secret) {
            assert!(cb.order_id > 0);
            let _ = cb.trigger();
        }
    }
    // A server hands the receiver text; bytes that are not UTF-8 arrive replaced.
    let query = String::from_utf8_lossy(query);
    let mut params = CallbackParams::from_query(&query);
    let form = CallbackParams::from_query(&String::from_utf8_lossy(body));
    params.merge(form);
    if let Ok(json) = CallbackParams::from_json(body) {
        let expected = json.clone();
        params.merge(json);
        for (k, v) in &expected.0 {
            assert_eq!(params.get(k), Some(v.as_str()), "the body's value wins");
        }
    }
    let _ = serde_json::to_vec(&params).expect("params write out");

    // The documented bindings, fixed names.
    let fixed = [
        EventParameter::new("order", "%orderId%"),
        EventParameter::new("status", "%statusId%"),
        EventParameter::new("channel", "%channelId%"),
        EventParameter::new("article", "%articleId%"),
        EventParameter::new("user", "%userId%"),
        EventParameter::new("login", "%login%"),
        EventParameter::new("link", "%link%"),
        EventParameter::new("secret", "literal %orderId% text"),
        EventParameter::default(),
    ];
    let _ = params.resolve(&fixed);

    // Every name the input sent, bound to one macro, so the fuzzer's values reach the typing.
    for (i, (name, value)) in params.0.iter().enumerate().take(64) {
        let m = MACROS[i % MACROS.len()];
        let values = params.resolve(&[EventParameter::new(name.clone(), m)]);
        check_value(&values, m, value);
        let _ = serde_json::to_vec(&values).expect("values write out");
    }
});
