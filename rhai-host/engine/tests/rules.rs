//! Rule scripts end to end: hooks see typed orders, actions are recorded and checked, errors
//! carry their place, and the check catches mistakes before anything runs.

mod common;

use common::{compile, order};
use serde_json::json;
use shopflow_core::automation::{Action, Hook, RuleEvent, StatusChange, StatusRef, Subject};
use shopflow_core::notify::Notify;
use shopflow_rules::{ErrorKind, HookInput};

fn created(number: &str) -> RuleEvent {
    RuleEvent { hook: Hook::OrderCreated, subject: Subject::Order(number.into()), change: None }
}

fn cod_order(total: &str) -> serde_json::Value {
    json!({
        "order_number": "2026000001", "status_id": 1, "status": "Přijatá", "currency_id": "CZK",
        "order_total": total,
        "customer": {"email": "jana@example.cz", "company_yn": true, "company": "Pekárna s.r.o."},
        "payment": {"name": "Dobírka", "type": "cashOnDelivery"},
        "shipment": {"name": "Zásilkovna", "type": "zasilkovna", "affiliate_id": "1234", "affiliate_name": "Praha 4"},
        "products": [{"code": "MUG-1", "title": "Hrnek", "quantity": 2, "price_with_vat": "399.90"}],
        "metas": [{"key": "checked", "type": "input", "value": "no"}]
    })
}

const COD: &str = r#"
fn limit() { 5000 }

fn on_order_created(order) {
    if order.payment.is_cash_on_delivery && order.total > limit() {
        set_status(order, "Ke kontrole");
        add_history(order, "shopflow", `dobírka ${order.total} ${order.currency} nad limit`);
        print(`held ${order.number}`);
    }
}
"#;

#[test]
fn a_cod_order_over_the_limit_is_held_with_exact_decimals() {
    let rules = compile(COD).unwrap();
    assert_eq!(rules.hooks().iter().copied().collect::<Vec<_>>(), [Hook::OrderCreated]);
    let run = rules.run(&created("2026000001"), HookInput::Order(order(cod_order("5000.01"))));
    assert_eq!(run.error, None);
    assert_eq!(
        run.actions,
        vec![
            Action::SetStatus {
                order: "2026000001".into(),
                status: StatusRef::Name("Ke kontrole".into()),
                notify: Notify::NONE
            },
            Action::AddHistory {
                order: "2026000001".into(),
                name: "shopflow".into(),
                value: "dobírka 5000.01 CZK nad limit".into()
            },
        ]
    );
    assert_eq!(run.logs, ["held 2026000001"]);
    assert!(run.ops_used > 0 && run.ops_used < 200, "{}", run.ops_used);

    // Exactly at the limit: nothing to do, which is a normal result.
    let run = rules.run(&created("2026000001"), HookInput::Order(order(cod_order("5000.00"))));
    assert_eq!((run.actions.len(), run.error), (0, None));
}

/// A number written with a point is an exact decimal, like the amounts it is compared with
/// and computed from (Rhai is built with `no_float` and `decimal`: a binary float would not
/// compare with an amount at all, and `0.1 + 0.2` would not be `0.3`).
#[test]
fn numbers_with_a_point_are_exact_decimals_like_the_amounts() {
    let rules = compile(
        r#"
fn on_order_created(order) {
    if order.total > 5000.5 {
        add_history(order, "shopflow", `${order.total * 1.21} ${0.1 + 0.2} ${type_of(2.5)}`);
    }
}
"#,
    )
    .unwrap();
    let run = rules.run(&created("2026000001"), HookInput::Order(order(cod_order("5000.51"))));
    assert_eq!(run.error, None);
    let [Action::AddHistory { value, .. }] = run.actions.as_slice() else {
        panic!("one history note expected: {:?}", run.actions);
    };
    assert_eq!(value, "6050.6171 0.3 decimal");

    let run = rules.run(&created("2026000001"), HookInput::Order(order(cod_order("5000.50"))));
    assert_eq!((run.actions.len(), run.error), (0, None));
}

#[test]
fn views_read_every_part_of_an_order() {
    let src = r#"
fn on_order_created(order) {
    let c = order.customer;
    add_history(order, "who", `${c.email} ${c.is_company} ${c.company} ${c.is_guest}`);
    add_history(order, "ship", `${order.shipment.type} ${order.shipment.is_pickup_point} ${order.shipment.pickup_point_name}`);
    add_history(order, "goods", `${order.product_codes()} ${order.products[0].quantity * order.products[0].price}`);
    add_history(order, "meta", `${order.has_meta("checked")} ${order.meta("checked")} ${order.has_meta("nope")} ${order.metas.checked}`);
    add_history(order, "paid", `${order.paid} '${order.tracking_code}' ${type_of(order.status_id)}`);
}
"#;
    let rules = compile(src).unwrap();
    let run = rules.run(&created("2026000001"), HookInput::Order(order(cod_order("10"))));
    assert_eq!(run.error, None, "{:?}", run.error);
    let values: Vec<String> = run
        .actions
        .iter()
        .map(|a| match a {
            Action::AddHistory { value, .. } => value.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            "jana@example.cz true Pekárna s.r.o. true",
            "zasilkovna true Praha 4",
            "[\"MUG-1\"] 799.80",
            "true no false no",
            "false '' i64",
        ]
    );
}

#[test]
fn orders_are_read_only() {
    let rules = compile("fn on_order_created(order) { order.status = \"x\"; }").unwrap();
    let run = rules.run(&created("1"), HookInput::Order(order(cod_order("1"))));
    let e = run.error.unwrap();
    assert_eq!((e.kind, e.line), (ErrorKind::Runtime, Some(1)), "{e}");
}

#[test]
fn an_update_sees_the_change_and_notify_is_opt_in() {
    let src = r#"
fn on_order_updated(order, change) {
    if change.status_changed && change.status == "Odeslaná" {
        set_tracking(order, "DR123", #{ notify: true });
        set_status(order, 4, #{ email: true });
    }
}
"#;
    let rules = compile(src).unwrap();
    let event = RuleEvent {
        hook: Hook::OrderUpdated,
        subject: Subject::Order("7".into()),
        change: Some(StatusChange {
            previous_status: Some("Přijatá".into()),
            status: Some("Odeslaná".into()),
            ..StatusChange::default()
        }),
    };
    let run = rules.run(&event, HookInput::Order(order(json!({"order_number": "7"}))));
    assert_eq!(run.error, None);
    assert_eq!(run.actions[0].notify(), Notify::CUSTOMER);
    assert_eq!(run.actions[1].notify(), Notify::EMAIL_ONLY);
}

#[test]
fn invalid_arguments_fail_at_their_line_and_column_with_no_actions() {
    let src = "fn on_order_created(order) {\n    set_status(order, \"Vyřizuje se\");\n    add_history(order, \"\", \"x\");\n}\n";
    let rules = compile(src).unwrap();
    let run = rules.run(&created("1"), HookInput::Order(order(cod_order("1"))));
    let e = run.error.unwrap();
    assert_eq!(e.kind, ErrorKind::InvalidAction);
    assert_eq!((e.line, e.column), (Some(3), Some(5)), "{e}");
    assert!(e.message.contains("add_history") && e.message.contains("name"), "{e}");
    assert!(run.actions.is_empty(), "a failed run asks for nothing");

    let bad_option = "fn on_order_created(order) {\n  set_status(order, 1, #{ notfy: true });\n}";
    let e = compile(bad_option)
        .unwrap()
        .run(&created("1"), HookInput::Order(order(cod_order("1"))))
        .error
        .unwrap();
    assert_eq!((e.kind, e.line), (ErrorKind::InvalidAction, Some(2)));
    assert!(e.message.contains("unknown option \"notfy\""), "{e}");

    let bad_date = "fn on_order_created(order) { mark_paid(order, \"yesterday\"); }";
    let e = compile(bad_date)
        .unwrap()
        .run(&created("1"), HookInput::Order(order(cod_order("1"))))
        .error
        .unwrap();
    assert_eq!(e.kind, ErrorKind::InvalidAction);
}

#[test]
fn a_throw_is_a_runtime_error_where_it_was_thrown() {
    let src = "fn helper(o) {\n  throw \"no\";\n}\nfn on_order_paid(order) {\n  helper(order);\n}";
    let rules = compile(src).unwrap();
    let ev = RuleEvent { hook: Hook::OrderPaid, subject: Subject::Order("1".into()), change: None };
    let e = rules.run(&ev, HookInput::Order(order(cod_order("1")))).error.unwrap();
    assert_eq!((e.kind, e.line, e.message.as_str()), (ErrorKind::Runtime, Some(2), "no"));
}

#[test]
fn the_check_reports_every_mistake_at_its_place() {
    let src = "fn on_order_shipped(order) { }\nfn on_order_updated(order) { }\nfn on_order_created(order) {\n    set_stauts(order, 1);\n    order.number.len();\n}\nlet x = 1;\n";
    let errors = compile(src).unwrap_err();
    let found: Vec<(ErrorKind, Option<usize>)> = errors.iter().map(|e| (e.kind, e.line)).collect();
    assert!(found.contains(&(ErrorKind::UnknownHook, Some(1))), "{errors:#?}");
    assert!(found.contains(&(ErrorKind::UnknownHook, Some(2))), "{errors:#?}");
    assert!(found.contains(&(ErrorKind::UnknownFunction, Some(4))), "{errors:#?}");
    assert!(found.contains(&(ErrorKind::Syntax, Some(7))), "{errors:#?}");
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let unknown = errors.iter().find(|e| e.kind == ErrorKind::UnknownFunction).unwrap();
    assert_eq!(unknown.message, "no function named set_stauts (did you mean set_status?)");
    assert_eq!(unknown.column, Some(5));
}

#[test]
fn syntax_errors_have_a_place() {
    let e = compile("fn on_order_created(order) {\n  if order.paid {\n}\n").unwrap_err();
    assert_eq!(e[0].kind, ErrorKind::Syntax);
    assert!(e[0].line.is_some());
}

#[test]
fn the_language_itself_is_not_reported_as_unknown() {
    let src = r#"
fn codes(order) { order.product_codes().filter(|c| c.starts_with("MUG")).map(|c| c.to_upper()) }
fn on_order_created(order) {
    let list = codes(order);
    let s = `${list.len()} ${"MUG-1" in order.product_codes()} ${type_of(order)}`;
    for i in 0..2 { s += i.to_string(); }
    let m = #{ a: 1 };
    if "a" in m && is_def_fn("codes", 1) { debug(s); }
    switch order.currency { "CZK" => print("koruny"), _ => () }
    let f = Fn("codes");
    print(f.call(order).len());
}
"#;
    let rules = compile(src).unwrap();
    let run = rules.run(&created("1"), HookInput::Order(order(cod_order("1"))));
    assert_eq!(run.error, None, "{:?}", run.error);
    assert_eq!(run.logs, ["[debug, line 8] \"1 true Order01\"", "koruny", "1"]);
}

#[test]
fn deleted_orders_get_a_reference() {
    let rules = compile("fn on_order_deleted(r) { print(r.number); }").unwrap();
    let ev =
        RuleEvent { hook: Hook::OrderDeleted, subject: Subject::Order("9".into()), change: None };
    assert_eq!(rules.run(&ev, HookInput::OrderRef("9".into())).logs, ["9"]);
}

#[test]
fn customers_have_their_own_view_and_actions() {
    let src = r#"
fn on_customer_created(c) {
    if !c.active { set_customer_meta(c, "review", "inactive at signup"); }
    if c.is_company { set_customer_note(c, `firma ${c.company}`); }
}
"#;
    let rules = compile(src).unwrap();
    let c: shopflow_core::upgates::customer::Customer = serde_json::from_value(json!({
        "customer_id": 5, "type": "company", "company": {"name": "ACME"},
        "login": {"email": "a@b.cz", "active_yn": false}
    }))
    .unwrap();
    let ev = RuleEvent { hook: Hook::CustomerCreated, subject: Subject::Customer(5), change: None };
    let c = shopflow_core::upgates::neutral::customer(&std::sync::Arc::new(c));
    let run = rules.run(&ev, HookInput::Customer(std::sync::Arc::new(c)));
    assert_eq!(run.error, None, "{:?}", run.error);
    assert_eq!(
        run.actions,
        vec![
            Action::SetCustomerMeta {
                customer: 5,
                key: "review".into(),
                value: "inactive at signup".into()
            },
            Action::SetCustomerNote { customer: 5, text: "firma ACME".into() },
        ]
    );
}

#[test]
fn an_action_the_platform_cannot_make_is_a_check_error_naming_it() {
    use shopflow_core::automation::platform::Capabilities;
    let no_notes = Capabilities {
        platform: "imagined",
        unsupported: &[("set_internal_note", "use add_history instead")],
        items_per_write: 1,
        max_in_flight: 1,
    };
    let src = "fn on_order_created(order) {\n    set_internal_note(order, \"x\");\n}\n";
    let errors = shopflow_rules::RuleSet::compile_for(
        src,
        shopflow_rules::Limits::default(),
        common::clock(),
        &no_notes,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind.code(), "unsupported_action");
    assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(5)));
    assert_eq!(
        errors[0].message,
        "set_internal_note is not available on imagined: use add_history instead"
    );
    assert!(compile(src).is_ok(), "Upgates has internal notes");
}

#[test]
fn orders_can_be_canceled_marked_sent_or_delivered_and_tracked_by_a_named_carrier() {
    let src = r#"
fn on_order_created(order) {
    if order.canceled || order.sent || order.delivered { return; }
    set_tracking(order, "RR1", "Česká pošta");
    set_tracking(order, "RR2", "PPL", #{ notify: true });
    mark_sent(order, #{ email: true });
    mark_delivered(order);
    cancel(order);
}
"#;
    let rules = shopflow_rules::RuleSet::compile_for(
        src,
        shopflow_rules::Limits::default(),
        common::clock(),
        &shopflow_core::retailys::CAPABILITIES,
    )
    .unwrap();
    let run = rules.run(&created("7"), HookInput::Order(order(json!({"order_number": "7"}))));
    assert_eq!(run.error, None);
    let o = || "7".to_owned();
    assert_eq!(
        run.actions,
        vec![
            Action::SetTracking {
                order: o(),
                code: "RR1".into(),
                carrier: Some("Česká pošta".into()),
                notify: Notify::NONE
            },
            Action::SetTracking {
                order: o(),
                code: "RR2".into(),
                carrier: Some("PPL".into()),
                notify: Notify::CUSTOMER
            },
            Action::MarkSent { order: o(), notify: Notify::EMAIL_ONLY },
            Action::MarkDelivered { order: o() },
            Action::Cancel { order: o(), notify: Notify::NONE },
        ]
    );
    let mut sent = (*order(json!({"order_number": "7"}))).clone();
    sent.sent = true;
    let run = rules.run(&created("7"), HookInput::Order(std::sync::Arc::new(sent)));
    assert_eq!((run.actions.len(), run.error), (0, None), "order.sent reads the flag");
}

#[test]
fn upgates_cannot_mark_delivered_and_says_what_instead() {
    let src = "fn on_order_paid(order) {\n    mark_sent(order);\n    mark_delivered(order);\n}\n";
    let errors = compile(src).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].kind.code(), errors[0].line), ("unsupported_action", Some(3)));
    assert_eq!(
        errors[0].message,
        "mark_delivered is not available on upgates: Upgates has no delivered flag or status \
         type; use set_status with your shop's delivered status"
    );
}
