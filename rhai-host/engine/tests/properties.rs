//! The check knows what hooks receive: a property the order, customer, change or reference
//! does not have (often the platform's field name, `order.order_total`) is reported at its
//! place with the property meant, before anything runs; and nothing is reported where what a
//! name holds is not known for sure.

mod common;

use common::compile;
use shopflow_rules::{ErrorKind, RuleError, RuleSet};

/// The unknown-property errors of `source`, as (line, column, message).
fn unknown(source: &str) -> Vec<(usize, usize, String)> {
    let errors = match compile(source) {
        Ok(_) => return Vec::new(),
        Err(errors) => errors,
    };
    let (properties, other): (Vec<RuleError>, Vec<RuleError>) =
        errors.into_iter().partition(|e| e.kind == ErrorKind::UnknownProperty);
    assert!(other.is_empty(), "only unknown properties expected: {other:?}");
    properties.into_iter().map(|e| (e.line.unwrap(), e.column.unwrap(), e.message)).collect()
}

#[test]
fn the_platforms_field_name_is_reported_with_the_views_name() {
    let src = "fn on_order_created(order) {\n    if order.order_total > 5000 {\n        print(order.number);\n    }\n}\n";
    let e = compile(src).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].kind, ErrorKind::UnknownProperty);
    assert_eq!(e[0].kind.code(), "unknown_property");
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(14)));
    assert_eq!(
        e[0].message,
        "Order has no property order_total (did you mean total? or order.api.order_total for the \
         platform's own field)"
    );
    assert_eq!(
        serde_json::to_value(&e[0]).unwrap()["kind"],
        "unknown_property",
        "the serialized code is the stable one"
    );
}

#[test]
fn parameters_are_typed_by_position_not_by_name() {
    let src = "fn on_order_created(o) {\n  let name = o.customer.firstname_invoice;\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            25,
            "OrderCustomer has no property firstname_invoice (did you mean firstname?)".into()
        )]
    );
    let src = "fn on_order_updated(o, c) {\n  if c.previous_status_idd == 1 { }\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            8,
            "StatusChange has no property previous_status_idd (did you mean previous_status_id?)"
                .into()
        )]
    );
}

#[test]
fn the_change_of_an_update_is_checked() {
    let src = "fn on_order_updated(order, change) {\n  print(change.previous_status_idd);\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            16,
            "StatusChange has no property previous_status_idd (did you mean previous_status_id?)"
                .into()
        )]
    );
}

#[test]
fn lines_are_checked_in_loops_and_by_index() {
    let src = "fn on_order_created(order) {\n  for p in order.products {\n    print(p.titel);\n  }\n  print(order.products[0].price_with_vat);\n}";
    assert_eq!(
        unknown(src),
        [
            (3, 13, "Product has no property titel (did you mean title?)".into()),
            (5, 27, "Product has no property price_with_vat (did you mean price?)".into()),
        ]
    );
}

#[test]
fn parts_of_an_order_are_checked_through_variables_too() {
    let src = r#"
fn on_order_created(order) {
    let c = order.customer;
    let s = order.shipment;
    let line = order.products[0];
    print(`${c.zip_invoice} ${s.affiliate_id} ${order.payment.payment_type} ${line.line_type}`);
}
"#;
    assert_eq!(
        unknown(src),
        [
            (6, 16, "OrderCustomer has no property zip_invoice (did you mean zip?)".into()),
            (6, 33, "Shipment has no property affiliate_id (did you mean pickup_point_id?)".into()),
            (6, 63, "Payment has no property payment_type (did you mean type?)".into()),
            (6, 84, "Product has no property line_type (did you mean kind?)".into()),
        ]
    );
}

#[test]
fn customers_and_references_are_checked() {
    let src = "fn on_customer_updated(customer) {\n  print(customer.firstnme);\n}\nfn on_order_deleted(r) {\n  print(r.order_number);\n}\nfn on_customer_deleted(r) {\n  print(r.customer_id);\n}";
    assert_eq!(
        unknown(src),
        [
            (2, 18, "Customer has no property firstnme (did you mean firstname?)".into()),
            (5, 11, "OrderRef has no property order_number (did you mean number?)".into()),
            (8, 11, "CustomerRef has no property customer_id (did you mean id?)".into()),
        ]
    );
}

#[test]
fn with_nothing_close_the_properties_are_listed() {
    let src = "fn on_order_deleted(r) {\n  print(r.reason);\n}";
    assert_eq!(
        unknown(src),
        [(2, 11, "OrderRef has no property reason (its properties: number)".into())]
    );
    let src = "fn on_order_created(order) {\n  print(order.shipment.carrier_tracking);\n}";
    let (.., message) = &unknown(src)[0];
    assert_eq!(
        message,
        "Shipment has no property carrier_tracking (its properties: code, is_pickup_point, name, \
         pickup_point_id, pickup_point_name, price, type)"
    );
    // A function read as a property is named as one.
    let src = "fn on_order_created(order) {\n  if order.is_cash_on_delivery { }\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            12,
            "Order has no property is_cash_on_delivery (is_cash_on_delivery is a function: \
             order.is_cash_on_delivery(…))"
                .into()
        )]
    );
}

#[test]
fn every_unknown_property_is_reported_with_the_other_mistakes() {
    let src = "fn on_order_created(order) {\n  set_stauts(order, 1);\n  print(order.order_number);\n  print(order.customer.emial);\n}";
    let e = compile(src).unwrap_err();
    let got: Vec<_> = e.iter().map(|e| (e.kind, e.line, e.column)).collect();
    assert_eq!(
        got,
        [
            (ErrorKind::UnknownFunction, Some(2), Some(3)),
            (ErrorKind::UnknownProperty, Some(3), Some(15)),
            (ErrorKind::UnknownProperty, Some(4), Some(24)),
        ]
    );
    assert_eq!(e[2].message, "OrderCustomer has no property emial (did you mean email?)");
}

#[test]
fn every_example_rule_passes_the_check_on_every_platform() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "rhai") {
            let source = std::fs::read_to_string(&path).unwrap();
            for platform in shopflow_core::automation::platform::platforms() {
                let limits = shopflow_rules::Limits::default();
                if let Err(e) = RuleSet::compile_for(&source, limits, common::clock(), platform) {
                    panic!("{} on {}: {e:?}", path.display(), platform.platform);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "the examples are there ({checked})");
}

#[test]
fn nothing_is_reported_where_what_a_name_holds_is_not_known() {
    for src in [
        // A local variable shadowing the parameter.
        "fn on_order_created(order) { let order = #{}; print(order.anything); }",
        "fn on_order_created(order) { if true { let order = #{a: 1}; print(order.a); } }",
        // The parameter reassigned, or assigned by a closure that captured it.
        "fn on_order_created(order) { order = #{x: 1}; print(order.x); }",
        "fn on_order_created(order) { let f = || { order = #{x: 1}; }; f.call(); print(order.x); }",
        // A loop variable over something else, or bound twice to different things.
        "fn on_order_created(order) { for p in [#{t: 1}] { print(p.t); } }",
        "fn on_order_created(order) { for p in order.products { } for p in [#{t: 1}] { print(p.t); } }",
        // Method calls, maps and what methods return.
        "fn on_order_created(order) { print(order.has_meta(\"x\")); print(order.meta(\"x\").len()); }",
        "fn on_order_created(order) { print(order.metas[\"x\"]); print(order.metas.anything); }",
        "fn on_order_created(order) { print(order.product_codes().anything); }",
        // A function's parameter is whatever it is called with.
        "fn helper(o) { o.anything }\nfn on_order_created(order) { helper(#{anything: 1}); }",
        // An array in a variable may have changed.
        "fn on_order_created(order) { let ps = order.products; ps[0] = #{t: 1}; print(ps[0].t); }",
        // `this` assigned by a function called on the parameter.
        "fn reset() { this = #{x: 1}; }\nfn on_order_created(order) { order.reset(); print(order.x); }",
        // A catch variable named like the parameter.
        "fn on_order_created(order) { try { throw #{x: 1}; } catch (order) { print(order.x); } }",
        // Properties every value has.
        "fn on_order_created(order) { print(order.tag); }",
        // Not a hook: nothing is known of its parameter.
        "fn on_order_created(order) { }\nfn order_created(order) { order.anything }",
    ] {
        let got = unknown(src);
        assert!(got.is_empty(), "{src}: {got:?}");
    }
}

#[test]
fn the_platforms_own_record_is_suggested_where_the_type_has_one() {
    // Customers have `api` too, and the parameter's own name is used.
    let src = "fn on_customer_created(c) {\n  print(c.newsletter_yn);\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            11,
            "Customer has no property newsletter_yn (did you mean newsletter? or \
             c.api.newsletter_yn for the platform's own field)"
                .into()
        )]
    );
    // With nothing close, the properties are listed and `api` named.
    let src = "fn on_order_created(order) {\n  print(order.order_url);\n}";
    let (.., message) = &unknown(src)[0];
    assert!(
        message.starts_with(
            "Order has no property order_url (its properties: api, canceled, created, "
        )
    );
    assert!(message.ends_with(", weight; or order.api.order_url for the platform's own field)"));
    // A typo gets the near name only.
    let src = "fn on_order_created(order) {\n  print(order.totl);\n}";
    assert_eq!(unknown(src), [(2, 15, "Order has no property totl (did you mean total?)".into())]);
    // What the platform calls a field is readable through `api`, unchecked.
    assert!(unknown("fn on_order_created(order) { print(order.api.order_total); }").is_empty());
    // A type without `api` gets no such hint.
    let src = "fn on_order_created(order) {\n  print(order.customer.firstname_invoice);\n}";
    assert_eq!(
        unknown(src),
        [(
            2,
            24,
            "OrderCustomer has no property firstname_invoice (did you mean firstname?)".into()
        )]
    );
}

#[test]
fn with_the_clock_read_on_every_operation_the_parameters_are_still_checked() {
    // What getters return is read by calling them, which the progress callback may stop at
    // compile time; then only the parameters' own properties are checked, and nothing false.
    let limits = shopflow_rules::Limits { clock_every: 1, ..Default::default() };
    let src = "fn on_order_created(order) {\n  print(order.order_total);\n  print(order.customer.email);\n}";
    let e = shopflow_rules::RuleSet::compile(src, limits, common::clock()).unwrap_err();
    assert_eq!(
        e.iter().map(|e| (e.kind, e.line, e.column)).collect::<Vec<_>>(),
        [(ErrorKind::UnknownProperty, Some(2), Some(15))]
    );
}
