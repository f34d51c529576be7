//! Order statuses, customers, `/status` and the legacy order-state API, over HTTP.

mod common;

use common::*;
use serde_json::json;
use shopflow_core::upgates::customer::CustomerList;
use shopflow_core::upgates::legacy::LegacyUpdateResponse;
use shopflow_core::upgates::order::OrderList;
use shopflow_core::upgates::order_status::{
    OrderStatusList, OrderStatusType, OrderStatusWriteResponse,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_statuses_crud_and_the_retired_shape() {
    let sb = sandbox().await;
    let list: OrderStatusList =
        serde_json::from_slice(&sb.http.get("/api/v2/order-statuses").await.body).unwrap();
    assert_eq!(
        list.order_statuses.iter().find(|s| s.id == Some(1)).unwrap().status_type,
        Some(OrderStatusType::Received)
    );
    assert_eq!(
        list.order_statuses.iter().find(|s| s.id == Some(2)).unwrap().name_in("cs"),
        Some("Storno")
    );
    let sent: OrderStatusList =
        serde_json::from_slice(&sb.http.get("/api/v2/order-statuses?type=Sent").await.body)
            .unwrap();
    assert_eq!(sent.order_statuses.len(), 1);

    let created: OrderStatusWriteResponse = serde_json::from_slice(
        &sb.http.post("/api/v2/order-statuses", &json!({"color": "#123456", "descriptions": [{"language_id": "cs", "name": "Čeká na sklad"}], "mark_paid_yn": "0"})).await.body,
    )
    .unwrap();
    let result = created.order_status.unwrap();
    assert_eq!(result.created_yn, Some(true));
    let id = result.id.unwrap();
    let one: OrderStatusList =
        serde_json::from_slice(&sb.http.get(&format!("/api/v2/order-statuses/{id}")).await.body)
            .unwrap();
    assert_eq!(
        one.order_statuses[0].status_type,
        Some(OrderStatusType::Custom),
        "new statuses are always Custom"
    );
    let upd = sb.http.put("/api/v2/order-statuses", &json!({"id": id, "descriptions": [{"language_id": "cs", "name": "Čeká na dodavatele"}]})).await.json();
    assert_eq!(upd["order_status"]["updated_yn"], true);
    // The new name works in order updates, in any case.
    let numbers = create_orders(&sb.http, 1).await;
    let r = sb.http.put("/api/v2/orders", &json!({"send_emails_yn": false, "send_sms_yn": false, "orders": [{"order_number": numbers[0], "status": "čeká na DODAVATELE"}]})).await.json();
    assert_eq!(r["orders"][0]["updated_yn"], true);
    let filtered: OrderList =
        serde_json::from_slice(&sb.http.get(&format!("/api/v2/orders?status_id={id}")).await.body)
            .unwrap();
    assert_eq!(filtered.orders.len(), 1);

    let legacy: OrderStatusList =
        serde_json::from_slice(&sb.http.get("/api/v2/orders/states").await.body).unwrap();
    let custom = legacy.order_statuses.iter().find(|s| s.id == Some(id)).unwrap();
    assert_eq!(
        custom.status_type,
        Some(OrderStatusType::Custom),
        "null type in the old shape reads as Custom"
    );
    let raw = sb.http.get("/api/v2/orders/states").await.json();
    assert!(raw["states"].as_array().unwrap().iter().any(|s| s["type"].is_null()));

    assert_eq!(
        sb.http.delete("/api/v2/order-statuses/1").await.json()["order_status"]["deleted_yn"],
        false,
        "system statuses stay"
    );
    assert_eq!(
        sb.http.delete(&format!("/api/v2/order-statuses/{id}")).await.json()["order_status"]["deleted_yn"],
        true
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_list_create_update_delete() {
    let sb = sandbox().await;
    let created = sb
        .http
        .post(
            "/api/v2/customers",
            &json!({"customers": [
                {"type": "company", "language": "sk", "firstname": "Peter", "company": {"name": "Horváth s.r.o.", "company_number": "12345678"}, "login": {"email": "firma@example.sk", "password": "pw"}, "groups": [{"id": 3}]},
                {"type": "customer", "language": "cs", "login": {"email": "firma@example.sk"}},
                {"type": "nonsense", "language": "cs", "login": {"email": "x@example.cz"}}
            ]}),
        )
        .await
        .json();
    let ok: Vec<bool> =
        created["customers"].as_array().unwrap().iter().map(|c| c["inserted_yn"] == true).collect();
    assert_eq!(ok, vec![true, false, false], "duplicate e-mail and bad type are refused per item");
    let list: CustomerList =
        serde_json::from_slice(&sb.http.get("/api/v2/customers?email=FIRMA@example.sk").await.body)
            .unwrap();
    let c = &list.customers[0];
    assert!(c.is_company());
    assert_eq!(c.turnover_currency.as_deref(), Some("EUR"));
    assert!(!serde_json::to_string(c).unwrap().contains("\"pw\""), "passwords are never returned");
    let upd = sb.http.put("/api/v2/customers", &json!({"customers": [{"login": {"email": "firma@example.sk", "blocked_yn": true}, "note": "VIP"}, {"login": {"email": "nobody@example.cz"}}]})).await.json();
    assert_eq!(upd["customers"][0]["updated_yn"], true);
    assert_eq!(upd["customers"][1]["updated_yn"], false);
    let blocked: CustomerList =
        serde_json::from_slice(&sb.http.get("/api/v2/customers?blocked_yn=1").await.body).unwrap();
    assert_eq!(blocked.customers.len(), 1);
    assert_eq!(blocked.customers[0].note.as_deref(), Some("VIP"));
    let id = blocked.customers[0].customer_id;
    let del = sb.http.delete(&format!("/api/v2/customers?ids={id}")).await.json();
    assert_eq!(del["customers"][0]["deleted_yn"], true);
    let gone: CustomerList =
        serde_json::from_slice(&sb.http.get("/api/v2/customers").await.body).unwrap();
    assert_eq!(gone.number_of_items, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_lists_privileges() {
    let sb = sandbox().await;
    let s: shopflow_core::upgates::api_status::ApiStatus =
        serde_json::from_slice(&sb.http.get("/api/v2/status").await.body).unwrap();
    assert_eq!(s.privilege("orders").map(ToString::to_string).as_deref(), Some("all"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_order_state_api() {
    let sb = sandbox().await;
    let numbers = create_orders(&sb.http, 2).await;
    let send = |body: serde_json::Value| {
        let http = sb.http.clone();
        async move { http.post("/api/orders/state/update", &body).await }
    };
    let bad_key = send(
        json!({"apiKey": "nope", "orders": [{"order_number": numbers[0], "status": "Odeslaná"}]}),
    )
    .await;
    assert_eq!(bad_key.status, 401);
    let ok = send(json!({"apiKey": KEY, "sendEmails": false, "orders": [{"order_number": numbers[0], "status": "Odeslaná", "paid_date": "2017-06-05", "resolved_yn": "1", "tracking_code": "00112233"}]})).await;
    let resp: LegacyUpdateResponse = serde_json::from_slice(&ok.body).unwrap();
    assert!(resp.succeeded());
    assert_eq!(ok.json(), json!({"success": true}));
    let o = &serde_json::from_slice::<OrderList>(
        &sb.http.get(&format!("/api/v2/orders/{}", numbers[0])).await.body,
    )
    .unwrap()
    .orders[0];
    assert_eq!(
        (o.status.as_deref(), o.tracking_code.as_deref()),
        (Some("Odeslaná"), Some("00112233"))
    );
    assert_eq!(o.paid_date.unwrap().to_string(), "2017-06-05");
    let failed = send(json!({"apiKey": KEY, "orders": [{"order_number": "000025"}, {"order_number": numbers[1], "status": "Neexistuje"}, {"order_number": numbers[1], "metas": [{"key": "invoice_note"}]}]})).await;
    let resp: LegacyUpdateResponse = serde_json::from_slice(&failed.body).unwrap();
    assert!(!resp.succeeded());
    let messages = failed.json();
    let texts: Vec<(&str, bool)> = messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["message"].as_str().unwrap(), m["error"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("Order with this number doesn't exists.", true),
            ("Order status 'Neexistuje' not defined.", true),
            ("Meta with key 'invoice_note' has no option 'value' or 'values'.", false),
        ]
    );
    let stats = sb.http.stats().await;
    assert_eq!(stats["requests_by_endpoint"]["POST /api/orders/state/update"], 3);
}
