//! The shared fixtures, read through the public API: every quirk of real data lands in the
//! typed model the way the spec says it should.

use std::collections::HashSet;

use shopflow_core::upgates::customer::CustomerList;
use shopflow_core::upgates::kinds::{self, ParseKind, ValidateKind};
use shopflow_core::upgates::legacy::{LegacyUpdateRequest, LegacyUpdateResponse};
use shopflow_core::upgates::message::{ItemResult, reconcile};
use shopflow_core::upgates::order::{
    LineType, OrderCreateRequest, OrderHistory, OrderList, OrderOrigin, OrderUpdateRequest,
    OrdersCreateResponse, OrdersDeleteResponse, OrdersUpdateResponse, PaidDate, PaymentType,
    ShipmentType,
};
use shopflow_core::upgates::order_status::{OrderStatusList, OrderStatusType};
use shopflow_core::upgates::php_datetime::DateOrPhp;
use shopflow_core::upgates::webhook::{EventSource, WebhookEvent, parse_webhook};
use shopflow_core::validation::Validate;
use shopflow_core::{Decimal, json};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../fixtures/upgates/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn order_list_keeps_exact_money_and_reads_every_spelling() {
    let page = json::from_slice::<OrderList>(&fixture("order-list.json")).unwrap().into_page();
    assert_eq!((page.current_page, page.number_of_pages, page.items.len()), (1, 1, 3));
    let [a, b, c] = &page.items[..] else { panic!("three orders") };

    // Money: integers, fractions and numeric strings, exact.
    assert_eq!(a.order_total, Some(dec("1293")));
    assert_eq!(a.order_total_before_round, Some(dec("1292.7")));
    assert_eq!(b.order_total, Some(dec("520.661")));
    assert_eq!(a.products[1].price_per_unit, Some(dec("168.6")));
    assert_eq!(a.products[0].price_without_vat, Some(dec("297.025")));
    assert_eq!(c.products[0].quantity, Some(dec("1.5")));

    // Booleans as true/false, 1/0 and "1"/"0".
    assert!(a.prices_with_vat_yn && b.prices_with_vat_yn && !c.prices_with_vat_yn);
    assert!(!b.resolved_yn && c.resolved_yn && b.oss_yn);
    assert_eq!(c.statistics_yn, Some(true));
    assert_eq!(b.statistics_yn, None);
    assert!(a.products[0].adult_yn && !a.products[1].adult_yn && !a.products[2].adult_yn);

    // Ids as numbers or strings, "" as null.
    assert_eq!(b.order_id, Some(48214));
    assert_eq!(a.products[1].option_set_id, Some(77));
    assert_eq!(b.customer.customer_id, None);
    assert_eq!(b.customer.phone.as_deref(), Some("421905123456"));
    assert_eq!(b.customer.zip_invoice.as_deref(), Some("4001"));
    assert_eq!(a.customer.state_invoice.as_deref(), Some(""));

    // Dates: RFC 3339, non-padded, offset-less, and "" for unpaid.
    assert_eq!(a.paid_date.unwrap().to_string(), "2024-02-29T15:02:11+01:00");
    assert_eq!(b.last_update_time.unwrap().to_string(), "2024-03-01");
    assert_eq!(b.creation_time.unwrap().to_string(), "2024-03-01T09:15:00");
    assert!(b.paid_date.is_none() && !b.is_paid() && a.is_paid());

    // agreements[].valid_to as PHP DateTime, null and a string; `{}` as no agreements.
    let agreements = &a.customer.agreements;
    assert!(
        matches!(&agreements[0].valid_to, Some(DateOrPhp::Php(p)) if p.timezone.as_deref() == Some("Europe/Prague"))
    );
    assert!(agreements[1].valid_to.is_none());
    assert!(matches!(agreements[2].valid_to, Some(DateOrPhp::Date(_))));
    assert_eq!(agreements[2].status, Some(true));
    assert!(b.customer.agreements.is_empty());

    // metas[].values keyed by language, and a number value.
    assert_eq!(a.meta("delivery_note").and_then(|m| m.value_for("cs")), Some("Zvonit 2x"));
    assert_eq!(a.meta("gift_wrap").and_then(|m| m.value.as_deref()), Some("1"));
    assert_eq!(c.metas[0].value.as_deref(), Some("3"));

    // Open enums: unknown values kept, both spellings of the till origin.
    assert_eq!(
        c.shipment.as_ref().unwrap().shipment_type,
        Some(ShipmentType::Other("wedo".into()))
    );
    assert_eq!(b.origin, Some(OrderOrigin::CashRegister));
    assert_eq!(a.payment.as_ref().unwrap().payment_type, Some(PaymentType::CashOnDelivery));
    assert_eq!(c.payment.as_ref().unwrap().payment_type, Some(PaymentType::Command));
    assert_eq!(a.products[2].line_type, Some(LineType::Gift));
    assert_eq!(b.products[1].parent_uuid.as_deref(), Some("b0c3e6f1-0001-4000-8000-000000000001"));

    // Empty objects in PHP shapes read as none; real ones are kept.
    assert!(a.quantity_discount.is_none() && a.loyalty_points.is_none());
    assert_eq!(b.quantity_discount.as_ref().unwrap().amount, Some(dec("50")));
    assert_eq!(b.loyalty_points.as_ref().unwrap().one_point_for, Some(dec("0.1")));
    assert!(c.attachments.is_empty());
    assert_eq!(a.product_codes(), vec!["BEER-IPA-05", "GLASS-TULIP"]);
}

#[test]
fn normalized_output_reads_back_to_the_same_model() {
    for (kind, path) in [
        (ParseKind::OrderList, "order-list.json"),
        (ParseKind::CustomerList, "customer-list.json"),
        (ParseKind::OrderCreateRequest, "order-create-request.json"),
        (ParseKind::OrderUpdateRequest, "order-update-request.json"),
        (ParseKind::OrderHistoryList, "order-history.json"),
        (ParseKind::OrderStatusList, "order-statuses.json"),
        (ParseKind::OrderStatusList, "order-states-legacy.json"),
        (ParseKind::OrderUpdateResponse, "orders-update-response.json"),
        (ParseKind::LegacyUpdateResponse, "legacy-update-response-errors.json"),
    ] {
        let once = kinds::parse(kind, &fixture(path), None).unwrap();
        let text = serde_json::to_vec(&once).unwrap();
        let twice = kinds::parse(kind, &text, None).unwrap();
        assert_eq!(once, twice, "{path}");
    }
    let list = json::from_slice::<OrderList>(&fixture("order-list.json")).unwrap();
    let again: OrderList = json::from_slice(&serde_json::to_vec(&list).unwrap()).unwrap();
    assert_eq!(list, again);
    let text = String::from_utf8(serde_json::to_vec(&list).unwrap()).unwrap();
    assert!(text.contains("\"order_total\":520.661") && text.contains("\"price_per_unit\":168.6"));
}

#[test]
fn paging_edge_cases() {
    let empty =
        json::from_slice::<OrderList>(&fixture("order-list-empty.json")).unwrap().into_page();
    assert!(empty.is_last() && empty.next_page().is_none());
    let middle =
        json::from_slice::<OrderList>(&fixture("order-list-page-2-of-3.json")).unwrap().into_page();
    assert_eq!((middle.current_page_items, middle.next_page()), (None, Some(3)));
    assert_eq!(middle.items[0].order_total, Some(dec("99.9")));
}

#[test]
fn requests_in_postman_spelling_read_and_validate() {
    let create: OrderCreateRequest =
        json::from_slice(&fixture("order-create-request.json")).unwrap();
    assert!(!create.send_emails_yn && !create.send_sms_yn);
    let o = &create.orders[0];
    assert_eq!(o.paid_date.unwrap().to_string(), "2025-01-01");
    assert_eq!(o.customer.as_ref().unwrap().postal_yn, Some(true));
    assert_eq!(o.products[0].price_per_unit, Some(dec("430")));
    assert!(create.validate().is_ok());
    let out = serde_json::to_value(&create).unwrap();
    assert_eq!(out["send_emails_yn"], false);
    assert_eq!(out["orders"][0]["prices_with_vat_yn"], true);
    assert_eq!(out["orders"][0]["products"][0]["price_per_unit"], 430);

    let update: OrderUpdateRequest =
        json::from_slice(&fixture("order-update-request.json")).unwrap();
    assert!(update.validate().is_ok());
    assert_eq!(update.orders[2].paid_date, Some(PaidDate::Unpaid));
    assert_eq!(update.orders[1].resolved_yn, Some(true));
}

#[test]
fn invalid_requests_list_every_problem_with_record_and_path() {
    let problems = kinds::validate(
        ValidateKind::OrderCreateRequest,
        &fixture("invalid/order-create-request-problems.json"),
    )
    .unwrap();
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "orders[0].variable_symbol",
            "orders[0].customer.email",
            "orders[0].customer.postal_yn",
            "orders[0].products[0].vat",
            "orders[0].shipment.price",
            "orders[0].shipment.vat",
            "orders[1].language_id",
            "orders[1].customer",
            "orders[1].products",
            "orders[1].external_order_number",
        ]
    );
    assert_eq!(problems[1].found, "\"jana@@example.cz\"");
    assert_eq!(problems[6].record, Some(1));
    let bad_date = kinds::validate(
        ValidateKind::OrderUpdateRequest,
        &fixture("invalid/order-update-request-bad-date.json"),
    )
    .unwrap_err();
    assert_eq!(bad_date.path, "orders[0].paid_date");
}

#[test]
fn per_item_failures_are_never_hidden() {
    let created: OrdersCreateResponse =
        json::from_slice(&fixture("orders-create-response.json")).unwrap();
    let ok: Vec<bool> = created.orders.iter().map(ItemResult::succeeded).collect();
    assert_eq!(ok, vec![true, false, false]);

    let updated: OrdersUpdateResponse =
        json::from_slice(&fixture("orders-update-response.json")).unwrap();
    let sent: Vec<Option<String>> =
        ["2024000123", "2024000124", "9999999999", "2024000126", "2024000127"]
            .iter()
            .map(|s| Some((*s).to_owned()))
            .collect();
    let outcomes = reconcile(&sent, &updated.orders, 200);
    let failed: Vec<usize> = outcomes.iter().filter(|o| !o.ok).map(|o| o.index).collect();
    assert_eq!(failed, vec![201, 202, 204], "the missing fifth result is a failure too");

    let deleted: OrdersDeleteResponse =
        json::from_slice(&fixture("orders-delete-response.json")).unwrap();
    assert!(deleted.orders[0].succeeded() && !deleted.orders[1].succeeded());
}

#[test]
fn history_statuses_and_customers() {
    let history: OrderHistory = json::from_slice(&fixture("order-history.json")).unwrap();
    assert_eq!(history.history[1].changes[0].after.as_deref(), Some("Vyřizuje se"));
    assert_eq!(
        history.history[2].data[0].value.as_deref(),
        Some("Rule paid-to-processing applied")
    );

    let statuses: OrderStatusList = json::from_slice(&fixture("order-statuses.json")).unwrap();
    let types: Vec<&OrderStatusType> =
        statuses.order_statuses.iter().filter_map(|s| s.status_type.as_ref()).collect();
    assert_eq!(types[1], &OrderStatusType::Canceled);
    assert_eq!(types[5], &OrderStatusType::Other("MysteryType".into()));
    assert!(statuses.order_statuses[1].mark_resolved_yn);
    let legacy: OrderStatusList = json::from_slice(&fixture("order-states-legacy.json")).unwrap();
    assert_eq!(legacy.order_statuses[1].status_type, Some(OrderStatusType::Custom));
    assert_eq!(legacy.order_statuses[0].name_in("cz"), Some("Přijatá"));

    let customers =
        json::from_slice::<CustomerList>(&fixture("customer-list.json")).unwrap().into_page();
    let (jana, firm) = (&customers.items[0], &customers.items[1]);
    let groups: Vec<(u64, Option<&str>)> =
        jana.groups.iter().map(|g| (g.id, g.name.as_deref())).collect();
    assert_eq!(groups, vec![(3, Some("VIP")), (7, Some("Pivní klub"))]);
    assert!(firm.groups.is_empty() && firm.communication.is_none() && firm.metas.is_empty());
    assert!(firm.is_company() && !jana.is_company());
    assert_eq!(firm.email(), Some("firma@example.sk"));
    assert!(!firm.login.as_ref().unwrap().active_yn);
}

#[test]
fn webhooks_for_every_documented_event() {
    let cases = [
        ("webhooks/orders-create.json", "Orders.create", 2),
        ("webhooks/orders-update.json", "Orders.update", 1),
        ("webhooks/orders-delete.json", "Orders.delete", 1),
        ("webhooks/orders-create-old.json", "Orders.create", 1),
        ("webhooks/customers-create.json", "Customers.create", 2),
        ("webhooks/customers-update.json", "Customers.update", 1),
        ("webhooks/customers-delete.json", "Customers.delete", 1),
        ("webhooks/products-update.json", "Products.update", 1),
        ("webhooks/products-delete.json", "Products.delete", 2),
        ("webhooks/invoices-create.json", "Invoices.create", 2),
    ];
    for (path, event, n) in cases {
        let body = fixture(path);
        let inferred = parse_webhook(&body, None).unwrap();
        assert_eq!(
            (inferred.event.to_string(), inferred.event_source, inferred.records.len()),
            (event.to_owned(), EventSource::Inferred, n),
            "{path}"
        );
        let configured: WebhookEvent = event.parse().unwrap();
        let batch = parse_webhook(&body, Some(&configured)).unwrap();
        assert_eq!(batch.event_source, EventSource::Configured);
    }
    let old = parse_webhook(&fixture("webhooks/orders-create-old.json"), None).unwrap();
    assert_eq!(old.order_numbers(), vec!["2024000130"]);
}

#[test]
fn legacy_request_and_responses() {
    let legacy: LegacyUpdateRequest =
        json::from_slice(&fixture("legacy-update-request.json")).unwrap();
    let v2 = legacy.to_v2().unwrap();
    let orders = &v2[0].request.orders;
    assert_eq!(orders[0].metas[0].value.as_deref(), Some("poznámka"));
    assert!(orders[0].metas[0].values.is_empty(), "value wins over values");
    assert_eq!(orders[1].paid_date, Some(PaidDate::Unpaid));
    assert_eq!(orders[2].metas[0].values.len(), 2);
    let text = serde_json::to_string(&v2[0].request).unwrap();
    assert!(!text.contains("0123456789"), "the legacy key never reaches a v2 body");

    let ok: LegacyUpdateResponse =
        json::from_slice(&fixture("legacy-update-response-success.json")).unwrap();
    let errors: LegacyUpdateResponse =
        json::from_slice(&fixture("legacy-update-response-errors.json")).unwrap();
    assert!(ok.succeeded() && !errors.succeeded());
}

#[test]
fn every_fixture_parses_as_its_kind() {
    let mut seen = HashSet::new();
    for (kind, path) in [
        ("order-list", "order-list.json"),
        ("order-list", "order-list-empty.json"),
        ("order-detail", "order-detail.json"),
        ("order-delete-query", "order-delete-query.json"),
        ("order-list-query", "order-list-query.json"),
        ("order-create-response", "orders-create-response.json"),
        ("order-history-create-request", "order-history-request.json"),
        ("customer-create-request", "customer-create-request.json"),
        ("legacy-update-request", "legacy-update-request.json"),
        ("legacy-update-response", "legacy-update-response-success.json"),
        ("webhook-list", "webhook-list.json"),
        ("webhook-event-list", "webhook-events.json"),
        ("api-status", "api-status.json"),
    ] {
        let k: ParseKind = kind.parse().unwrap();
        kinds::parse(k, &fixture(path), None).unwrap_or_else(|e| panic!("{path}: {e}"));
        seen.insert(kind);
    }
    assert!(seen.len() >= 12);
}
