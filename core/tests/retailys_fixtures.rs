//! The Retailys fixtures, read through the public API: every tolerance the spec asks for
//! lands in the typed model, and invalid requests list every problem with its path.

use shopflow_core::retailys::events::{
    CallbackMethod, CallbackParams, EventModel, EventName, EventParameter, EventPostRequest,
    EventPutRequest, EventsModel, MacroVariable,
};
use shopflow_core::retailys::expandable::Expandable;
use shopflow_core::retailys::lookups::{MeModel, PaymentsProvidersModel, ShippersModel};
use shopflow_core::retailys::order::{
    ArticleState, ChannelType, ErrorModel, IdModel, OrderModel, OrdersModel,
};
use shopflow_core::retailys::requests::{
    HistoryPostRequest, HistoryType, OrderItemRequest, OrderPaidPatchRequest, OrderPostRequest,
    OrderPutRequest, OrderStatusPatchRequest, PaymentResult, TrackingPostRequest,
};
use shopflow_core::retailys::status::OrderStatusesModel;
use shopflow_core::validation::{Problem, Validate};
use shopflow_core::{Decimal, json};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../fixtures/retailys/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn read<T: serde::de::DeserializeOwned>(path: &str) -> T {
    json::from_slice(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn paths(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.path.as_str()).collect()
}

fn problems_of<T: Validate + serde::de::DeserializeOwned>(path: &str) -> Vec<Problem> {
    read::<T>(path).validate().unwrap_err().0
}

#[test]
fn order_list_reads_expanded_and_referenced_orders() {
    let page = read::<OrdersModel>("order-list.json").into_page();
    assert_eq!((page.current_page, page.number_of_pages, page.number_of_items), (1, 3, 22));
    assert_eq!(page.next_page(), Some(2));
    let [a, b] = &page.items[..] else { panic!("two orders") };

    // Expanded: the full models, with ids through the same accessor as references.
    let customer = a.customer.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(customer.surname.as_deref(), Some("Nováková"));
    assert_eq!(
        customer.channel.as_ref().and_then(|c| c.channel.as_ref()).and_then(|c| c.id),
        Some(1)
    );
    let channel = a.channel.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(channel.channel_type, Some(ChannelType::Eshop));
    assert!(channel.domain.as_ref().is_some_and(Expandable::is_ref));
    assert_eq!(channel.default_store.as_ref().and_then(Expandable::id), Some(3));
    let company = a.company.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(company.company_vats[0].vat_payer, Some(true));
    let shipping = a.shipping.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(shipping.shipper.as_ref().and_then(Expandable::id), Some(3));
    assert_eq!(shipping.payments.len(), 2);
    assert_eq!(shipping.price, Some(dec("99.9")));
    assert_eq!(a.payment.as_ref().and_then(Expandable::id), Some(8));

    // References.
    for e in
        [b.customer.as_ref().map(Expandable::is_ref), b.shipping.as_ref().map(Expandable::is_ref)]
    {
        assert_eq!(e, Some(true));
    }
    assert_eq!(b.customer.as_ref().and_then(Expandable::id), Some(882));
    assert_eq!(
        b.shipping.as_ref().and_then(Expandable::api_link),
        Some("/System/Channels/Shippings/6")
    );
    assert_eq!(b.items[0].article.as_ref().and_then(Expandable::id), Some(7003));

    // Money exact from floats and strings.
    assert_eq!((a.money, a.paid), (Some(dec("1250.5")), Some(dec("1250.5"))));
    assert_eq!((b.money, b.currency_rate), (Some(dec("49.90")), Some(dec("25.125"))));
    assert_eq!(a.items[0].price.as_ref().and_then(|p| p.vat_value), Some(dec("43.39")));
    assert_eq!(b.items[0].price.as_ref().and_then(|p| p.final_price), Some(dec("49.9")));
    assert!(a.items[1].price_original.is_none());
    assert!(a.is_paid() && !b.is_paid());

    // Dates with an offset and with Z and a fraction.
    assert_eq!(a.date_order.unwrap().to_string(), "2024-02-29T14:24:49+01:00");
    assert_eq!(a.date_paid.unwrap().to_string(), "2024-02-29T15:02:11.123+00:00");

    // The article: typed where it matters, raw beyond.
    let article = a.items[0].article.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(article.ident("ean"), Some("8590000000017"));
    assert_eq!(article.state, Some(ArticleState::New));
    assert_eq!(article.parent.as_ref().and_then(Expandable::id), Some(7000));
    assert_eq!(article.multidata.len(), 1);
    assert_eq!(a.tracking_numbers(), vec!["40012345678"]);
}

#[test]
fn single_order_matches_the_list_entry() {
    let one: OrderModel = read("order.json");
    let list: OrdersModel = read("order-list.json");
    assert_eq!(Some(&one), list.orders.first());
}

#[test]
fn quirks_normalize() {
    let o: OrderModel = read("order-quirks.json");
    assert_eq!(o.id, Some(10460));
    assert_eq!(o.customer.as_ref().and_then(Expandable::id), Some(883));
    assert!(o.company.is_none() && o.channel.is_none(), "\"\" and [] are no reference");
    assert_eq!(o.date_order.unwrap().to_string(), "2024-03-02T08:00:00");
    assert!(o.date_maturity.is_none() && o.date_paid.is_none(), "\"\" and a zero date");
    assert_eq!(o.email.as_deref(), Some(""), "text keeps what was typed");
    assert_eq!(o.zip.as_deref(), Some("60200"));
    assert_eq!((o.currency_rate, o.paid), (None, None));
    assert_eq!((o.money, o.weight), (Some(dec("1250")), Some(dec("0.5"))));
    assert!(o.items.is_empty() && o.trackings.is_empty(), "{{}} and null are no list");
    let flags = (o.sent, o.delivered, o.done, o.canceled);
    assert_eq!(flags, (Some(true), Some(false), Some(false), None));
    let shipping = o.shipping.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!((shipping.id, shipping.time_from), (Some(6), Some(1)));
    assert!(shipping.shipper.as_ref().is_some_and(Expandable::is_ref));
    assert_eq!(shipping.payments.len(), 1, "a single payments object reads as a list of one");
    let payment = o.payment.as_ref().and_then(Expandable::full).unwrap();
    assert_eq!(payment.provider.as_ref().and_then(Expandable::id), Some(2), "a bare id");
}

#[test]
fn bad_money_names_its_path() {
    let e =
        json::from_slice::<OrdersModel>(&fixture("invalid/order-list-bad-money.json")).unwrap_err();
    assert_eq!(e.path, "orders[0].money");
    assert!(e.message.contains("decimal"), "{}", e.message);
}

#[test]
fn statuses_lookups_and_small_answers() {
    let statuses: OrderStatusesModel = read("order-statuses.json");
    assert!(statuses.get(4).is_some_and(|s| s.completes()));
    assert!(statuses.get(9).is_some_and(|s| s.cancels() && s.sort == Some(3)));
    assert!(statuses.by_name("čeká na zboží").is_some_and(|s| !s.completes()));
    assert_eq!(statuses.into_page().number_of_items, 4);

    let me: MeModel = read("me.json");
    assert_eq!((me.id, me.app_id), (Some(5021), Some(77)));
    let shippers: ShippersModel = read("shippers.json");
    assert_eq!(shippers.by_name("zásilkovna").and_then(|s| s.id), Some(5));
    let providers: PaymentsProvidersModel = read("payments-providers.json");
    assert_eq!(providers.payments_providers[1].id, Some(4));
    let error: ErrorModel = read("error.json");
    assert_eq!(error.text(), "Order not found: Order with id 99999 does not exist");
    assert_eq!(read::<IdModel>("id.json"), IdModel::new(10461));
}

#[test]
fn events_keep_both_key_sets_and_unknown_values() {
    let list: EventsModel = read("events-list.json");
    let [a, b, c] = &list.events[..] else { panic!("three events") };
    assert_eq!(a.event, Some(EventName::OrderNew));
    assert_eq!(
        a.parameters(),
        vec![
            EventParameter::new("order", "%orderId%"),
            EventParameter::new("channel", "%channelId%")
        ]
    );
    assert_eq!((b.id, b.method.clone()), (Some(32), Some(CallbackMethod::Get)));
    assert_eq!(c.method, Some(CallbackMethod::Other("PATCH".into())));
    assert_eq!(c.event, Some(EventName::NewArticle));

    let single: EventModel = read("event.json");
    assert_eq!(&single, a);
    let put = single.to_put_request();
    assert!(put.validate().is_ok(), "{:?}", put.validate());
    let body = serde_json::to_value(&put).unwrap();
    assert_eq!(body["id"], 31);
    assert_eq!(body["parameters"][0]["variable"], "%orderId%");
    assert!(body.get("params").is_none());
    let back: EventPutRequest = serde_json::from_value(body).unwrap();
    assert_eq!(back, put);

    assert_eq!(EventName::OrderNew.twin(), Some(EventName::NewOrder));
    assert!(EventName::OrderChangeStatus.twin().is_none());
    assert!(EventName::OrderChangeStatus.parameter_macros().contains(&MacroVariable::StatusId));
}

#[test]
fn valid_requests_pass() {
    let post: OrderPostRequest = read("order-post-request.json");
    assert!(post.validate().is_ok(), "{:?}", post.validate());
    assert_eq!(serde_json::to_value(&post).unwrap()["date_order"], "2019-12-01T08:15:30+01:00");
    let put: OrderPutRequest = read("order-put-request.json");
    assert!(put.validate().is_ok());
    let text = serde_json::to_string(&put).unwrap();
    assert!(!text.contains("null") && !text.contains("delivery_name"), "only the changes: {text}");
    let item: OrderItemRequest = read("order-item-request.json");
    assert!(item.put_problems().is_empty());
    assert_eq!(item.extra.get("store_id"), Some(&serde_json::json!(3)));
    assert_eq!(serde_json::to_value(&item).unwrap()["store_id"], 3, "extra keys are sent");
    let status: OrderStatusPatchRequest = read("order-status-patch-request.json");
    assert_eq!(status, OrderStatusPatchRequest::new(4));
    let paid: OrderPaidPatchRequest = read("order-paid-patch-request.json");
    assert!(paid.validate().is_ok());
    assert_eq!(paid.status, Some(PaymentResult::Success));
    assert_eq!(serde_json::to_value(&paid).unwrap()["paid"], 1250);
    let tracking: TrackingPostRequest = read("tracking-post-request.json");
    assert_eq!(tracking, TrackingPostRequest::new(3, "40012345678"));
    let history: HistoryPostRequest = read("history-post-request.json");
    assert!(history.validate().is_ok());
    assert_eq!(history.history_type, Some(HistoryType::Apps));
    let note = HistoryPostRequest::note("Zaplaceno přes GoPay (TX-1)", Some("paid".into()));
    assert_eq!(note, history);
    let event: EventPostRequest = read("event-post-request.json");
    assert!(event.validate().is_ok(), "{:?}", event.validate());
}

#[test]
fn invalid_requests_list_every_problem_with_paths() {
    let post = problems_of::<OrderPostRequest>("invalid/order-post-request-problems.json");
    assert_eq!(
        paths(&post),
        vec![
            "channel",
            "email",
            "state_code",
            "delivery_state_code",
            "delivery_email",
            "ip",
            "date_order",
            "order_currency_code"
        ]
    );
    assert_eq!(post[0].found, "0");
    assert_eq!(post[1].found, "\"jana@@example.cz\"");
    assert_eq!(post[2].expected, "a 2-letter country code like CZ");
    assert_eq!(
        post[7].to_string(),
        "order_currency_code: expected a 3-letter currency code like CZK, found \"Kč\""
    );

    let put = problems_of::<OrderPutRequest>("invalid/order-put-request-problems.json");
    assert_eq!(paths(&put), vec!["id", "delivery_state_code", "delivery_email"]);
    assert_eq!(put[0].found, "nothing");
    let no_change = serde_json::from_str::<OrderPutRequest>(r#"{"id": 5}"#).unwrap();
    assert_eq!(paths(&no_change.validate().unwrap_err().0), vec!["."]);

    let paid =
        problems_of::<OrderPaidPatchRequest>("invalid/order-paid-patch-request-problems.json");
    assert_eq!(paths(&paid), vec!["paid", "status", "url"]);
    let tracking =
        problems_of::<TrackingPostRequest>("invalid/tracking-post-request-problems.json");
    assert_eq!(paths(&tracking), vec!["shipper_id", "tracking_number"]);
    assert_eq!(tracking[0].found, "-3");
    let history = problems_of::<HistoryPostRequest>("invalid/history-post-request-problems.json");
    assert_eq!(paths(&history), vec!["type", "record.name"]);
    let event = problems_of::<EventPostRequest>("invalid/event-post-request-problems.json");
    assert_eq!(
        paths(&event),
        vec!["path", "method", "parameters[1].name", "parameters[1].variable", "condition"]
    );
    assert_eq!(event[3].found, "\"%statusId%\"", "order-new has no %statusId%");

    let empty_item = OrderItemRequest::default();
    assert_eq!(paths(&empty_item.put_problems()), vec!["id"]);
    let mut dup = OrderItemRequest::default();
    dup.count = Some(0);
    dup.extra.insert("name".into(), serde_json::json!("x"));
    assert_eq!(paths(&dup.validate().unwrap_err().0), vec!["count", "name"]);
}

#[test]
fn callbacks_read_from_query_form_and_json() {
    let bindings = [
        EventParameter::new("order", "%orderId%"),
        EventParameter::new("status", "%statusId%"),
        EventParameter::new("who", "%login%"),
        EventParameter::new("secret", "literal"),
    ];
    let query = CallbackParams::from_query("order=12345&status=4&who=jan+nov%C3%A1k&secret=x");
    let values = query.resolve(&bindings);
    assert_eq!((values.order_id, values.status_id), (Some(12345), Some(4)));
    assert_eq!(values.login.as_deref(), Some("jan novák"));
    let body = CallbackParams::from_json(
        r#"{"order": 12345, "status": "4", "who": "jan novák"}"#.as_bytes(),
    )
    .unwrap();
    assert_eq!(body.resolve(&bindings), values);
    let mut merged = CallbackParams::from_query("order=1");
    merged.merge(CallbackParams::from_json(br#"{"order": 2}"#).unwrap());
    assert_eq!(merged.get("order"), Some("2"));
    assert!(CallbackParams::from_json(b"[1]").is_err());
    assert_eq!(CallbackParams::from_query("order=abc").resolve(&bindings).order_id, None);
}
