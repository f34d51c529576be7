//! `/api/v2/orders` and its sub-resources, over HTTP, checked against the spec.

mod common;

use common::*;
use serde_json::{Value, json};
use shopflow_core::upgates::kinds::{self, ParseKind};
use shopflow_core::upgates::order::{
    Order, OrderHistory, OrderList, OrdersCreateResponse, OrdersUpdateResponse,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_gives_numbers_and_reports_each_item() {
    let sb = sandbox().await;
    let orders = json!([new_order("jana@example.cz", "EXT-1"), {"external_order_number": "EXT-2", "language_id": "xx", "customer": {"email": "not-an-email"}, "products": []}, new_order("petr@example.cz", "EXT-3")]);
    let r = sb
        .http
        .post(
            "/api/v2/orders",
            &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": orders}),
        )
        .await;
    assert_eq!(r.status, 200, "per-item failures are inside a 200");
    let resp: OrdersCreateResponse = serde_json::from_slice(&r.body).unwrap();
    let ok: Vec<bool> = resp.orders.iter().map(|o| o.created_yn == Some(true)).collect();
    assert_eq!(ok, vec![true, false, true]);
    let failed = &resp.orders[1];
    assert!(failed.order_number.is_none());
    let problems: Vec<&str> =
        failed.messages.iter().map(|m| m.property.as_deref().unwrap_or("")).collect();
    assert_eq!(problems, vec!["language_id", "email", "products"]);
    assert!(failed.messages.iter().all(|m| m.is_error()));

    let number = resp.orders[0].order_number.clone().unwrap();
    let detail = sb.http.get(&format!("/api/v2/orders/{number}")).await;
    let list: OrderList = serde_json::from_slice(&detail.body).unwrap();
    let o = &list.orders[0];
    assert_eq!(o.external_order_number.as_deref(), Some("EXT-1"));
    assert_eq!(o.status_id, Some(1));
    assert_eq!(o.status.as_deref(), Some("Přijatá"));
    assert_eq!(o.currency_id.as_deref(), Some("CZK"));
    assert_eq!(o.origin.as_ref().map(ToString::to_string).as_deref(), Some("api"));
    assert_eq!(o.variable_symbol, o.case_number, "generated from the case number");
    assert!(o.creation_time.is_some() && o.last_update_time.is_some());
    // 2 × 168.6 + 129 + 39 = 505.2, rounded to whole crowns.
    assert_eq!(o.order_total_before_round.unwrap().to_string(), "505.2");
    assert_eq!(o.order_total.unwrap().to_string(), "505");
    assert_eq!(o.products[0].product_id, Some(1600), "matched to the catalogue by code");
    assert!(o.products[0].uuid.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_matched_by_email() {
    let sb = sandbox().await;
    let c = sb.http.post("/api/v2/customers", &json!({"customers": [{"type": "customer", "language": "cs", "firstname": "Jana", "login": {"email": "Jana@Example.cz"}}]})).await;
    assert_eq!(c.json()["customers"][0]["inserted_yn"], true);
    let numbers = {
        let r = sb.http.post("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [new_order("jana@example.cz", "E1"), new_order("guest@example.cz", "E2")]})).await;
        r.json()["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["order_number"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let list: OrderList = serde_json::from_slice(
        &sb.http.get(&format!("/api/v2/orders?order_numbers={}", numbers.join("%3B"))).await.body,
    )
    .unwrap();
    assert!(list.orders[0].customer.customer_id.is_some());
    assert!(list.orders[0].customer.code.is_some());
    assert!(list.orders[1].customer.customer_id.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_by_100_and_filter() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 250).await;
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let r = sb.http.get(&format!("/api/v2/orders?page={page}")).await;
        let p = serde_json::from_slice::<OrderList>(&r.body).unwrap().into_page();
        assert_eq!((p.number_of_pages, p.number_of_items), (3, 250));
        assert_eq!(p.current_page_items, Some(p.items.len() as u32));
        seen.extend(p.items.into_iter().map(|o| o.order_number));
        match p.current_page >= p.number_of_pages {
            true => break,
            false => page += 1,
        }
    }
    assert_eq!(seen, numbers);
    let beyond: OrderList =
        serde_json::from_slice(&sb.http.get("/api/v2/orders?page=9").await.body).unwrap();
    assert!(beyond.orders.is_empty());

    let picked = format!("{};{};{}", numbers[5], numbers[200], numbers[5]);
    let r =
        sb.http.get(&format!("/api/v2/orders?order_numbers={}", picked.replace(';', "%3B"))).await;
    let picked: Vec<String> = serde_json::from_slice::<OrderList>(&r.body)
        .unwrap()
        .orders
        .into_iter()
        .map(|o| o.order_number)
        .collect();
    assert_eq!(picked, vec![numbers[5].clone(), numbers[200].clone()]);

    let by_ext: OrderList = serde_json::from_slice(
        &sb.http.get("/api/v2/orders?external_order_number=EXT-42").await.body,
    )
    .unwrap();
    assert_eq!(by_ext.orders.len(), 1);
    let by_email: OrderList =
        serde_json::from_slice(&sb.http.get("/api/v2/orders?email=C3@EXAMPLE.CZ").await.body)
            .unwrap();
    assert_eq!(by_email.number_of_items, Some(36), "every 7th order of 250 from i=3");
    let unpaid: OrderList = serde_json::from_slice(
        &sb.http.get("/api/v2/orders?paid_yn=0&status_ids=1%3B4").await.body,
    )
    .unwrap();
    assert_eq!(unpaid.number_of_items, Some(250));
    let paid: OrderList =
        serde_json::from_slice(&sb.http.get("/api/v2/orders?paid_yn=1").await.body).unwrap();
    assert_eq!(paid.number_of_items, Some(0));
    let desc: OrderList = serde_json::from_slice(
        &sb.http.get("/api/v2/orders?order_by=creation_time&order_dir=desc").await.body,
    )
    .unwrap();
    assert_eq!(desc.orders[0].order_number, numbers[249]);
    let bad = sb.http.get("/api/v2/orders?page=two").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_change_status_record_history_and_say_who_was_notified() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 3).await;
    let update = json!({
        "send_emails_yn": true, "send_sms_yn": false,
        "orders": [
            {"order_number": numbers[0], "status": "odeslaná", "tracking_code": "DR1C"},
            {"order_number": numbers[1], "status_id": 999},
            {"order_number": "0000000000", "tracking_code": "x"},
            {"order_number": numbers[2], "paid_date": "2026-01-05", "metas": [{"key": "delivery_note", "value": "Zvonit"}, {"key": "no_such_field", "value": "x"}]}
        ]
    });
    let r = sb.http.put("/api/v2/orders", &update).await;
    assert_eq!(r.status, 200);
    let resp: OrdersUpdateResponse = serde_json::from_slice(&r.body).unwrap();
    let ok: Vec<Option<bool>> = resp.orders.iter().map(|o| o.updated_yn).collect();
    assert_eq!(ok, vec![Some(true), Some(false), Some(false), Some(true)]);
    assert!(resp.orders[1].messages[0].message.contains("999"));
    assert_eq!(
        resp.orders[3].messages[0].level.as_ref().map(ToString::to_string).as_deref(),
        Some("warning"),
        "unknown custom field: warning, skipped"
    );

    let o: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    assert_eq!((o.status_id, o.status.as_deref()), (Some(3), Some("Odeslaná")));
    assert!(o.resolved_yn, "Sent marks orders resolved");
    assert_eq!(o.tracking_code.as_deref(), Some("DR1C"));
    let h: OrderHistory = serde_json::from_slice(
        &sb.http.get(&format!("/api/v2/orders/{}/history", numbers[0])).await.body,
    )
    .unwrap();
    let change = h
        .history
        .iter()
        .find(|e| e.event.as_deref() == Some("Změna stavu"))
        .expect("a status change is in the history");
    assert!(
        change
            .changes
            .iter()
            .any(|c| c.name.as_deref() == Some("status") && c.after.as_deref() == Some("Odeslaná"))
    );

    let paid: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[2])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    assert_eq!(paid.paid_date.unwrap().to_string(), "2026-01-05");
    assert_eq!(paid.meta("delivery_note").and_then(|m| m.value.as_deref()), Some("Zvonit"));
    assert!(paid.meta("no_such_field").is_none());

    // The e-mail for the status change was "sent" (send_emails_yn true), the SMS was not.
    let n = sb.http.get("/__sandbox/notifications").await.json();
    let sent: Vec<(&str, &str)> = n["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["order_number"].as_str().unwrap(), x["channel"].as_str().unwrap()))
        .collect();
    assert_eq!(sent, vec![(numbers[0].as_str(), "email")]);
    let writes = sb.http.get("/__sandbox/writes").await.json();
    let last = writes["writes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            last["endpoint"].as_str(),
            last["send_emails_yn"].as_bool(),
            last["send_sms_yn"].as_bool()
        ),
        (Some("PUT /api/v2/orders"), Some(true), Some(false))
    );

    // Clearing the payment date, and a write that leaves the flags out: the API default
    // (send) applies and the write record shows they were not given.
    let r = sb
        .http
        .put(
            "/api/v2/orders",
            &json!({"orders": [{"order_number": numbers[2], "paid_date": "", "status_id": 9}]}),
        )
        .await;
    assert_eq!(r.json()["orders"][0]["updated_yn"], true);
    let unpaid: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[2])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    assert!(unpaid.paid_date.is_none());
    let writes = sb.http.get("/__sandbox/writes").await.json();
    let last = writes["writes"].as_array().unwrap().last().unwrap().clone();
    assert!(last["send_emails_yn"].is_null());
    let n = sb.http.get("/__sandbox/notifications").await.json();
    assert_eq!(
        n["notifications"].as_array().unwrap().len(),
        3,
        "e-mail and SMS for the default-notify write"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_lines_change_by_uuid_and_totals_follow() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 1).await;
    let o: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    let uuid = o.products[0].uuid.clone().unwrap();
    let r = sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": numbers[0], "products": [{"uuid": uuid, "quantity": 3, "price_per_unit": 168.6}, {"title": "Otvírák", "price_per_unit": 50, "vat": 21}]}]})).await;
    assert_eq!(r.json()["orders"][0]["updated_yn"], true);
    let o: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    assert_eq!(o.products.len(), 2);
    assert_eq!(o.products[0].price.unwrap().to_string(), "505.8");
    assert_eq!(o.order_total_before_round.unwrap().to_string(), "723.8");
    let r = sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": numbers[0], "products": [{"uuid": "nope", "price_per_unit": 1}]}]})).await;
    assert_eq!(r.json()["orders"][0]["updated_yn"], false);
    let r = sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "delete_missing_products_yn": true, "orders": [{"order_number": numbers[0], "products": [{"uuid": uuid, "quantity": 1, "price_per_unit": 168.6}]}]})).await;
    assert_eq!(r.json()["orders"][0]["updated_yn"], true);
    let o: Order = serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.body,
    )
    .unwrap()
    .orders
    .remove(0);
    assert_eq!(o.products.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_pdf_history_and_method_override() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 3).await;

    let pdf = sb.http.get(&format!("/api/v2/orders/{}/pdf", numbers[0])).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-1.4") && pdf.body.ends_with(b"%%EOF\n"));

    let note = sb.http.post(&format!("/api/v2/orders/{}/history", numbers[0]), &json!({"data": [{"name": format!("<b>shopflow</b>{}", "x".repeat(60)), "value": "ok"}]})).await;
    assert_eq!(note.json(), json!({"updated": true, "messages": []}));
    let h: OrderHistory = serde_json::from_slice(
        &sb.http.get(&format!("/api/v2/orders/{}/history", numbers[0])).await.body,
    )
    .unwrap();
    let added = h.history.last().unwrap();
    assert_eq!(
        added.data[0].name.as_ref().unwrap().chars().count(),
        50,
        "HTML stripped, cut to 50 like the API"
    );
    assert!(!added.data[0].name.as_ref().unwrap().contains('<'));
    assert_eq!(
        sb.http
            .post("/api/v2/orders/0000/history", &json!({"data": [{"name": "a", "value": "b"}]}))
            .await
            .status,
        404
    );

    let del = sb
        .http
        .delete(&format!("/api/v2/orders?order_numbers={}%3B{}%3B0000", numbers[0], numbers[1]))
        .await;
    let d = del.json();
    let results: Vec<(Value, Value)> = d["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["order_number"].clone(), o["deleted_yn"].clone()))
        .collect();
    assert_eq!(
        results,
        vec![
            (json!(numbers[0]), json!(true)),
            (json!(numbers[1]), json!(true)),
            (json!("0000"), json!(false))
        ]
    );
    assert_eq!(sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.status, 404);

    // POST with X-HTTP-Method-Override: DELETE is a DELETE.
    let r = sb
        .http
        .try_send(
            "POST",
            &format!("/api/v2/orders?order_number={}", numbers[2]),
            None,
            &[("X-HTTP-Method-Override", "DELETE")],
        )
        .await
        .unwrap();
    assert_eq!(r.json()["orders"][0]["deleted_yn"], true);
    let stats = sb.http.stats().await;
    assert_eq!(stats["requests_by_endpoint"]["DELETE /api/v2/orders"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_400_and_unknown_paths_404() {
    let sb = sandbox().await;
    let r = sb
        .http
        .try_send("POST", "/api/v2/orders", None, &[("Content-Type", "application/json")])
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    let r = sb.http.send("POST", "/api/v2/orders", Some(&json!([{"order_number": "1"}]))).await;
    assert_eq!(r.status, 400, "the body must be an object");
    let r = sb
        .http
        .send(
            "PUT",
            "/api/v2/orders",
            Some(&json!({"orders": [{"order_number": "1", "paid_date": "2024-02-30"}]})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("orders[0].paid_date"));
    assert_eq!(sb.http.get("/api/v2/nothing-here").await.status, 404);
    assert_eq!(sb.http.send("PATCH", "/api/v2/orders", None).await.status, 405);
    // Every answer (errors too) reads with the core.
    for r in [
        sb.http.get("/api/v2/nothing-here").await,
        sb.http.send("POST", "/api/v2/orders", Some(&json!([]))).await,
    ] {
        let e = shopflow_core::upgates::response::error_for(&r.view(), chrono::Utc::now()).unwrap();
        assert!(!e.to_string().is_empty());
    }
    let _ = kinds::parse(ParseKind::OrderList, b"{}", None).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_listed_in_refuse_writes_of_gets_422_for_history_until_removed() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 2).await;
    sb.http.config(json!({"faults": {"refuse_writes_of": [numbers[0]]}})).await;
    let note = json!({"data": [{"name": "shopflow", "value": "x"}]});
    let path = |n: &str| format!("/api/v2/orders/{n}/history");
    let refused = sb.http.post(&path(&numbers[0]), &note).await;
    assert_eq!(refused.status, 422);
    assert!(refused.json().to_string().contains("does not take history records"));
    assert_eq!(sb.http.post(&path(&numbers[1]), &note).await.status, 200, "others are taken");
    sb.http.config(json!({"faults": {"refuse_writes_of": []}})).await;
    assert_eq!(sb.http.post(&path(&numbers[0]), &note).await.status, 200);
    let h: OrderHistory =
        serde_json::from_slice(&sb.http.get(&path(&numbers[0])).await.body).unwrap();
    let ours = h.history.iter().filter(|e| e.data.iter().any(|d| d.value.as_deref() == Some("x")));
    assert_eq!(ours.count(), 1, "the refused record was not kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_naming_an_order_in_refuse_reads_of_gets_400() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 2).await;
    sb.http.config(json!({"faults": {"refuse_reads_of": [numbers[0]]}})).await;
    let both = format!("/api/v2/orders?order_numbers={}%3B{}", numbers[0], numbers[1]);
    let refused = sb.http.get(&both).await;
    assert_eq!(refused.status, 400);
    assert!(refused.json().to_string().contains("cannot be listed"));
    let other = sb.http.get(&format!("/api/v2/orders?order_numbers={}", numbers[1])).await;
    assert_eq!(other.status, 200, "a list without it is answered");
}
