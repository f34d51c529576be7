//! One builder per endpoint: a typed request in, a checked [`RequestSpec`] out.
//!
//! Every builder validates first, so an invalid request never becomes a spec (and never
//! costs an API call). Each spec carries Basic auth (redacted in `Debug`), JSON headers,
//! the body, how many items it carries, and whether a retry may resend it.

use std::collections::HashSet;

use serde::Serialize;

use crate::batch::Batch;
use crate::http::{HeaderValue, Method, RequestSpec, ResendSafety, encode_component};
use crate::upgates::auth::Credentials;
use crate::upgates::base_url::BaseUrl;
use crate::upgates::customer::{
    CustomerDeleteQuery, CustomerListQuery, CustomerWriteMode, CustomersWriteRequest,
};
use crate::upgates::legacy::LegacyUpdateRequest;
use crate::upgates::order::{
    HistoryAddRequest, OrderCreateRequest, OrderDeleteQuery, OrderListQuery, OrderUpdateRequest,
};
use crate::upgates::order_status::{OrderStatusType, OrderStatusWrite};
use crate::upgates::query::QueryWriter;
use crate::upgates::webhook::{WebhookCreate, WebhookUpdate};
use crate::validation::{At, NOTHING, Problem, Problems, Validate, quoted};

pub use crate::http::BuildError;

/// Filters of `GET /order-statuses`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderStatusQuery {
    /// One status.
    pub id: Option<u64>,
    /// Statuses of one system type.
    pub status_type: Option<OrderStatusType>,
}

/// A shop's API: where it is and how to log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgatesApi {
    base: BaseUrl,
    credentials: Credentials,
}

fn body<T: Serialize>(value: &T) -> Result<String, BuildError> {
    serde_json::to_string(value).map_err(|e| BuildError::Encode(e.to_string()))
}

/// Checks a value that goes into a URL path segment.
fn path_key(field: &str, value: &str) -> Result<String, BuildError> {
    if value.trim().is_empty() {
        let p = At::root().field(field).problem(format!("a non-empty {field}"), quoted(value));
        return Err(BuildError::Invalid(Problems(vec![p])));
    }
    Ok(encode_component(value))
}

impl UpgatesApi {
    /// The API of the shop at `base`, logging in with `credentials`.
    #[must_use]
    pub fn new(base: BaseUrl, credentials: Credentials) -> Self {
        UpgatesApi { base, credentials }
    }

    /// The base URL requests go to.
    #[must_use]
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// Moves to a new base URL (after a 301 named one).
    pub fn relocate(&mut self, base: BaseUrl) {
        self.base = base;
    }

    fn spec(
        &self,
        method: Method,
        path: String,
        query: Vec<(String, String)>,
        body: Option<String>,
        resend: ResendSafety,
        items: usize,
    ) -> RequestSpec {
        let mut headers = vec![
            ("Authorization".to_owned(), self.credentials.authorization()),
            ("Accept".to_owned(), HeaderValue::Plain("application/json".to_owned())),
        ];
        if body.is_some() {
            headers.push((
                "Content-Type".to_owned(),
                HeaderValue::Plain("application/json".to_owned()),
            ));
        }
        RequestSpec {
            method,
            base_url: self.base.as_str().to_owned(),
            path,
            query,
            headers,
            body,
            resend,
            items,
        }
    }

    fn get(&self, path: String, query: Vec<(String, String)>) -> RequestSpec {
        self.spec(Method::Get, path, query, None, ResendSafety::Idempotent, 0)
    }

    /// `GET /orders[/{order_number}]` with filters.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for filters that cannot be sent (a `;` inside a value, page 0).
    pub fn list_orders(&self, query: &OrderListQuery) -> Result<RequestSpec, BuildError> {
        query.validate()?;
        let path = match &query.order_number {
            Some(n) => format!("/orders/{}", path_key("order_number", n)?),
            None => "/orders".to_owned(),
        };
        Ok(self.get(path, query.to_query()))
    }

    /// `GET /orders/{order_number}`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an empty order number.
    pub fn get_order(&self, order_number: &str) -> Result<RequestSpec, BuildError> {
        Ok(self.get(format!("/orders/{}", path_key("order_number", order_number)?), Vec::new()))
    }

    /// `GET /orders?external_order_number=…`: finds an order a create may have made.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an empty number.
    pub fn find_by_external_number(
        &self,
        external_order_number: &str,
    ) -> Result<RequestSpec, BuildError> {
        path_key("external_order_number", external_order_number)?;
        Ok(self.get(
            "/orders".to_owned(),
            vec![("external_order_number".to_owned(), external_order_number.to_owned())],
        ))
    }

    /// `POST /orders` (at most 100 orders; chunk larger batches first).
    ///
    /// The spec may be resent after an unknown outcome only by looking the orders up by
    /// external order number first, and only when every order has one.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn create_orders(&self, req: &OrderCreateRequest) -> Result<RequestSpec, BuildError> {
        req.validate()?;
        let keys = req.external_order_numbers();
        let resend = if keys.len() == req.orders.len() {
            ResendSafety::LookupFirst(keys)
        } else {
            ResendSafety::Never
        };
        Ok(self.spec(
            Method::Post,
            "/orders".to_owned(),
            Vec::new(),
            Some(body(req)?),
            resend,
            req.items().len(),
        ))
    }

    /// `PUT /orders` (at most 100 orders).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn update_orders(&self, req: &OrderUpdateRequest) -> Result<RequestSpec, BuildError> {
        req.validate()?;
        Ok(self.spec(
            Method::Put,
            "/orders".to_owned(),
            Vec::new(),
            Some(body(req)?),
            req.resend_safety(),
            req.items().len(),
        ))
    }

    /// `DELETE /orders?order_number=…&order_numbers=…`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] when no order is named.
    pub fn delete_orders(&self, query: &OrderDeleteQuery) -> Result<RequestSpec, BuildError> {
        query.validate()?;
        Ok(self.spec(
            Method::Delete,
            "/orders".to_owned(),
            query.to_query(),
            None,
            ResendSafety::Idempotent,
            query.all_numbers().len(),
        ))
    }

    /// `GET /orders/{order_number}/pdf` (the answer is `application/pdf`).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an empty order number.
    pub fn order_pdf(&self, order_number: &str) -> Result<RequestSpec, BuildError> {
        let mut spec = self
            .get(format!("/orders/{}/pdf", path_key("order_number", order_number)?), Vec::new());
        if let Some((_, v)) = spec.headers.iter_mut().find(|(k, _)| k == "Accept") {
            *v = HeaderValue::Plain("application/pdf".to_owned());
        }
        Ok(spec)
    }

    /// `POST /orders/{order_number}/history`: one record per request, never resent blindly
    /// (it would be written twice).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an empty order number or over-long text.
    pub fn add_order_history(
        &self,
        order_number: &str,
        req: &HistoryAddRequest,
    ) -> Result<RequestSpec, BuildError> {
        req.validate()?;
        let path = format!("/orders/{}/history", path_key("order_number", order_number)?);
        Ok(self.spec(Method::Post, path, Vec::new(), Some(body(req)?), ResendSafety::Never, 1))
    }

    /// `GET /orders/{order_number}/history`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an empty order number.
    pub fn order_history(&self, order_number: &str) -> Result<RequestSpec, BuildError> {
        Ok(self.get(
            format!("/orders/{}/history", path_key("order_number", order_number)?),
            Vec::new(),
        ))
    }

    /// `GET /order-statuses[/{id}][?type=…]`.
    #[must_use]
    pub fn list_order_statuses(&self, query: &OrderStatusQuery) -> RequestSpec {
        let path = query
            .id
            .map_or_else(|| "/order-statuses".to_owned(), |id| format!("/order-statuses/{id}"));
        self.get(path, QueryWriter::new().opt("type", query.status_type.as_ref()).finish())
    }

    /// `GET /orders/states`, the endpoint `/order-statuses` replaced (removed 1.1.2025).
    #[must_use]
    pub fn legacy_order_states(&self) -> RequestSpec {
        self.get("/orders/states".to_owned(), Vec::new())
    }

    /// `POST /order-statuses` (`id` must be absent) or `PUT /order-statuses` (`id` set).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn write_order_status(&self, status: &OrderStatusWrite) -> Result<RequestSpec, BuildError> {
        status.validate()?;
        let (method, resend) = if status.id.is_some() {
            (Method::Put, ResendSafety::Idempotent)
        } else {
            (Method::Post, ResendSafety::Never)
        };
        Ok(self.spec(
            method,
            "/order-statuses".to_owned(),
            Vec::new(),
            Some(body(status)?),
            resend,
            1,
        ))
    }

    /// `DELETE /order-statuses/{id}`.
    #[must_use]
    pub fn delete_order_status(&self, id: u64) -> RequestSpec {
        self.spec(
            Method::Delete,
            format!("/order-statuses/{id}"),
            Vec::new(),
            None,
            ResendSafety::Idempotent,
            1,
        )
    }

    /// `GET /customers` with filters.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for page 0.
    pub fn list_customers(&self, query: &CustomerListQuery) -> Result<RequestSpec, BuildError> {
        query.validate()?;
        Ok(self.get("/customers".to_owned(), query.to_query()))
    }

    /// `POST /customers` or `PUT /customers`, per the request's mode (at most 100).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn write_customers(&self, req: &CustomersWriteRequest) -> Result<RequestSpec, BuildError> {
        req.validate()?;
        let (method, resend) = match req.mode {
            CustomerWriteMode::Create => (Method::Post, ResendSafety::Never),
            CustomerWriteMode::Update => (Method::Put, ResendSafety::Idempotent),
        };
        Ok(self.spec(
            method,
            "/customers".to_owned(),
            Vec::new(),
            Some(body(req)?),
            resend,
            req.items().len(),
        ))
    }

    /// `DELETE /customers?id|ids|email`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] when no customer is named.
    pub fn delete_customers(&self, query: &CustomerDeleteQuery) -> Result<RequestSpec, BuildError> {
        query.validate()?;
        Ok(self.spec(
            Method::Delete,
            "/customers".to_owned(),
            query.to_query(),
            None,
            ResendSafety::Idempotent,
            1,
        ))
    }

    /// `GET /webhooks[/{id}]`.
    #[must_use]
    pub fn list_webhooks(&self, id: Option<u64>) -> RequestSpec {
        self.get(
            id.map_or_else(|| "/webhooks".to_owned(), |id| format!("/webhooks/{id}")),
            Vec::new(),
        )
    }

    /// `POST /webhooks` (never resent blindly: it would register twice).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn create_webhook(&self, webhook: &WebhookCreate) -> Result<RequestSpec, BuildError> {
        webhook.validate()?;
        Ok(self.spec(
            Method::Post,
            "/webhooks".to_owned(),
            Vec::new(),
            Some(body(webhook)?),
            ResendSafety::Never,
            1,
        ))
    }

    /// `PUT /webhooks`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn update_webhook(&self, webhook: &WebhookUpdate) -> Result<RequestSpec, BuildError> {
        webhook.validate()?;
        Ok(self.spec(
            Method::Put,
            "/webhooks".to_owned(),
            Vec::new(),
            Some(body(webhook)?),
            ResendSafety::Idempotent,
            1,
        ))
    }

    /// `DELETE /webhooks?ids=a;b`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] when no id is given.
    pub fn delete_webhooks(&self, ids: &[u64]) -> Result<RequestSpec, BuildError> {
        if ids.is_empty() {
            let p: Problem = At::root().field("ids").problem("at least one webhook id", NOTHING);
            return Err(BuildError::Invalid(Problems(vec![p])));
        }
        let query = QueryWriter::new().list("ids", ids).finish();
        Ok(self.spec(
            Method::Delete,
            "/webhooks".to_owned(),
            query,
            None,
            ResendSafety::Idempotent,
            ids.len(),
        ))
    }

    /// `GET /webhooks/events`.
    #[must_use]
    pub fn webhook_events(&self) -> RequestSpec {
        self.get("/webhooks/events".to_owned(), Vec::new())
    }

    /// `GET /status` (always allowed).
    #[must_use]
    pub fn api_status(&self) -> RequestSpec {
        self.get("/status".to_owned(), Vec::new())
    }

    /// `POST /api/orders/state/update` on the shop's origin: the legacy API, which takes
    /// the key in the body instead of Basic auth.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem.
    pub fn legacy_update(&self, req: &LegacyUpdateRequest) -> Result<RequestSpec, BuildError> {
        req.validate()?;
        Ok(RequestSpec {
            method: Method::Post,
            base_url: self.base.origin().to_owned(),
            path: "/api/orders/state/update".to_owned(),
            query: Vec::new(),
            headers: vec![(
                "Content-Type".to_owned(),
                HeaderValue::Plain("application/json".to_owned()),
            )],
            body: Some(body(req)?),
            resend: ResendSafety::Idempotent,
            items: req.orders.len(),
        })
    }
}

impl OrderCreateRequest {
    /// The request without the orders that the lookup after an unknown outcome found
    /// (`existing` holds the external numbers of orders that exist).
    #[must_use]
    pub fn without_existing(&self, existing: &HashSet<&str>) -> OrderCreateRequest {
        let remaining = self
            .orders
            .iter()
            .filter(|o| o.external_order_number.as_deref().is_none_or(|e| !existing.contains(e)))
            .cloned()
            .collect();
        self.with_items(remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::Decimal;
    use crate::upgates::base_url::AllowLocal;
    use crate::upgates::order::{CustomerWrite, NewOrder, Notify, OrderUpdate, ProductWrite};

    fn api() -> UpgatesApi {
        UpgatesApi::new(
            BaseUrl::parse("https://beershop.admin.s24.upgates.com/api/v2", AllowLocal::No)
                .unwrap(),
            Credentials::new("shopflow", "k3y"),
        )
    }

    fn new_order(ext: Option<&str>) -> NewOrder {
        let mut o = NewOrder::new(
            "cs",
            CustomerWrite::with_email("a@b.cz"),
            vec![ProductWrite::new(
                "Mug",
                Decimal::from(1_i64),
                Decimal::from(100_i64),
                Decimal::from(21_i64),
            )],
        );
        o.external_order_number = ext.map(str::to_owned);
        o
    }

    #[test]
    fn list_orders_builds_url_auth_and_encoding() {
        let q = OrderListQuery::by_numbers(["2024 1", "2024;2"]);
        assert!(matches!(api().list_orders(&q), Err(BuildError::Invalid(_))));
        let spec =
            api().list_orders(&OrderListQuery::by_numbers(["A1", "A 2"]).with_page(2)).unwrap();
        assert_eq!(
            spec.url(),
            "https://beershop.admin.s24.upgates.com/api/v2/orders?order_numbers=A1%3BA%202&page=2"
        );
        assert_eq!(spec.header("Authorization"), Some("Basic c2hvcGZsb3c6azN5"));
        assert!(!format!("{spec:?}").contains("c2hvcGZsb3c6azN5"));
        assert_eq!(spec.method, Method::Get);
        let one = api().get_order("2024/1").unwrap();
        assert_eq!(one.path, "/orders/2024%2F1");
    }

    #[test]
    fn creates_are_resendable_only_by_lookup() {
        let all = OrderCreateRequest::new(
            Notify::NONE,
            vec![new_order(Some("E1")), new_order(Some("E2"))],
        );
        assert_eq!(
            api().create_orders(&all).unwrap().resend,
            ResendSafety::LookupFirst(vec!["E1".into(), "E2".into()])
        );
        let some =
            OrderCreateRequest::new(Notify::NONE, vec![new_order(Some("E1")), new_order(None)]);
        assert_eq!(api().create_orders(&some).unwrap().resend, ResendSafety::Never);
        let existing: HashSet<&str> = ["E1"].into_iter().collect();
        assert_eq!(all.without_existing(&existing).orders.len(), 1);
    }

    #[test]
    fn invalid_requests_never_become_specs() {
        let bad = OrderCreateRequest::new(Notify::NONE, vec![NewOrder::default()]);
        let Err(BuildError::Invalid(p)) = api().create_orders(&bad) else { panic!() };
        assert!(p.0.len() >= 3);
        assert!(api().update_orders(&OrderUpdateRequest::new(Notify::NONE, vec![])).is_err());
        assert!(api().delete_webhooks(&[]).is_err());
    }

    #[test]
    fn writes_carry_json_headers_and_item_counts() {
        let mut u = OrderUpdate::new("1");
        u.status_id = Some(3);
        let spec = api().update_orders(&OrderUpdateRequest::new(Notify::NONE, vec![u])).unwrap();
        assert_eq!(spec.header("content-type"), Some("application/json"));
        assert_eq!(spec.items, 1);
        assert!(spec.body.as_deref().unwrap().contains("\"send_emails_yn\":false"));
    }

    #[test]
    fn legacy_goes_to_the_origin_with_the_key_in_the_body() {
        let legacy: LegacyUpdateRequest =
            serde_json::from_str(r#"{"apiKey":"K","orders":[{"order_number":"1","status":"x"}]}"#)
                .unwrap();
        let spec = api().legacy_update(&legacy).unwrap();
        assert_eq!(spec.url(), "https://beershop.admin.s24.upgates.com/api/orders/state/update");
        assert!(spec.header("Authorization").is_none());
    }
}
