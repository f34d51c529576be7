//! One builder per Retailys endpoint (spec §2, §2.12, §4.1): a checked [`RequestSpec`] with
//! the `token` header (redacted in `Debug`), JSON headers where there is a body, and whether a
//! retry may resend it. Bodies are validated first, so an invalid request never costs a call.
//!
//! Resend safety: reads, PUTs, PATCHes and DELETEs have the same effect twice; a POST
//! (create an order, add an item, a tracking number, a history record, an event callback) is
//! never resent after an unknown outcome: Retailys has no key to look it up by.

use serde::Serialize;

use crate::http::{BuildError, HeaderValue, Method, RequestSpec, ResendSafety};
use crate::retailys::auth::Token;
use crate::retailys::base_url::BaseUrl;
use crate::retailys::query::{OrderListQuery, PER_PAGE};
use crate::validation::{At, Problems, Validate};

/// A Retailys instance's API: where it is and the app's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetailysApi {
    base: BaseUrl,
    token: Token,
}

/// A state flag of an order (`PATCH /System/Orders/{id}/<flag>`, no body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFlag {
    /// Finished.
    Done,
    /// Canceled.
    Cancel,
    /// Sent (handed to the carrier).
    Sent,
    /// Delivered.
    Delivered,
}

impl OrderFlag {
    fn path(self) -> &'static str {
        match self {
            OrderFlag::Done => "done",
            OrderFlag::Cancel => "cancel",
            OrderFlag::Sent => "sent",
            OrderFlag::Delivered => "delivered",
        }
    }
}

/// A page of a paged lookup list: `page` (1 is the first) and `per_page` (`range`).
fn paging(page: u32, per_page: u32, range: (u32, u32)) -> Vec<(String, String)> {
    let per_page = per_page.clamp(range.0, range.1);
    vec![
        ("page".to_owned(), page.max(1).to_string()),
        ("per_page".to_owned(), per_page.to_string()),
    ]
}

/// An id that goes into a path: positive.
fn id(field: &str, value: i64) -> Result<i64, BuildError> {
    if value > 0 {
        return Ok(value);
    }
    let p = At::root().field(field).problem("a positive id", value.to_string());
    Err(BuildError::Invalid(Problems(vec![p])))
}

impl RetailysApi {
    /// The API at `base`, calling with `token`.
    #[must_use]
    pub fn new(base: BaseUrl, token: Token) -> Self {
        RetailysApi { base, token }
    }

    /// The base URL requests go to.
    #[must_use]
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    fn spec(
        &self,
        method: Method,
        path: String,
        query: Vec<(String, String)>,
        body: Option<String>,
        resend: ResendSafety,
    ) -> RequestSpec {
        let mut headers = vec![
            ("token".to_owned(), self.token.header()),
            ("Accept".to_owned(), HeaderValue::Plain("application/json".to_owned())),
        ];
        if body.is_some() {
            headers.push((
                "Content-Type".to_owned(),
                HeaderValue::Plain("application/json".to_owned()),
            ));
        }
        let items = usize::from(body.is_some());
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
        self.spec(Method::Get, path, query, None, ResendSafety::Idempotent)
    }

    /// A request with a validated JSON body.
    fn with_body<B: Serialize + Validate>(
        &self,
        method: Method,
        path: String,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        body.validate()?;
        let json = serde_json::to_string(body).map_err(|e| BuildError::Encode(e.to_string()))?;
        let resend =
            if method == Method::Post { ResendSafety::Never } else { ResendSafety::Idempotent };
        Ok(self.spec(method, path, Vec::new(), Some(json), resend))
    }

    /// `GET /System/Orders` with filters (`per_page` 10 to 250).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for filters that cannot be sent.
    pub fn list_orders(&self, query: &OrderListQuery) -> Result<RequestSpec, BuildError> {
        query.validate()?;
        Ok(self.get("/System/Orders".to_owned(), query.to_query()))
    }

    /// `GET /System/Orders/{id}`, references expanded into full models when `expanded`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an id that is not positive.
    pub fn get_order(&self, order_id: i64, expanded: bool) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}", id("order_id", order_id)?);
        Ok(self.get(path, vec![("expanded".to_owned(), expanded.to_string())]))
    }

    /// `GET /System/Orders/Statuses` (one page; an instance has few).
    #[must_use]
    pub fn order_statuses(&self, page: u32) -> RequestSpec {
        self.get("/System/Orders/Statuses".to_owned(), paging(page, PER_PAGE.1, PER_PAGE))
    }

    /// `POST /System/Orders` (one order per request).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem of the body.
    pub fn create_order<B: Serialize + Validate>(
        &self,
        order: &B,
    ) -> Result<RequestSpec, BuildError> {
        self.with_body(Method::Post, "/System/Orders".to_owned(), order)
    }

    /// `PUT /System/Orders` (the id is in the body; the delivery address only).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem of the body.
    pub fn update_order<B: Serialize + Validate>(
        &self,
        order: &B,
    ) -> Result<RequestSpec, BuildError> {
        self.with_body(Method::Put, "/System/Orders".to_owned(), order)
    }

    /// `POST /System/Orders/{id}/item` (the body is unverified: see the item model).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn add_item<B: Serialize + Validate>(
        &self,
        order_id: i64,
        item: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/item", id("order_id", order_id)?);
        self.with_body(Method::Post, path, item)
    }

    /// `PUT /System/Orders/{id}/item` (the item id travels in the body).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn update_item<B: Serialize + Validate>(
        &self,
        order_id: i64,
        item: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/item", id("order_id", order_id)?);
        self.with_body(Method::Put, path, item)
    }

    /// `DELETE /System/Orders/{id}/item/{item_id}`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an id that is not positive.
    pub fn delete_item(&self, order_id: i64, item_id: i64) -> Result<RequestSpec, BuildError> {
        let path = format!(
            "/System/Orders/{}/item/{}",
            id("order_id", order_id)?,
            id("item_id", item_id)?
        );
        Ok(self.spec(Method::Delete, path, Vec::new(), None, ResendSafety::Idempotent))
    }

    /// `PATCH /System/Orders/{id}/status` with `{status_id}`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn set_status<B: Serialize + Validate>(
        &self,
        order_id: i64,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/status", id("order_id", order_id)?);
        self.with_body(Method::Patch, path, body)
    }

    /// `PATCH /System/Orders/{id}/paid` with the payment result.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn set_paid<B: Serialize + Validate>(
        &self,
        order_id: i64,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/paid", id("order_id", order_id)?);
        self.with_body(Method::Patch, path, body)
    }

    /// `PATCH /System/Orders/{id}/done|cancel|sent|delivered`, no body.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an id that is not positive.
    pub fn set_flag(&self, order_id: i64, flag: OrderFlag) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/{}", id("order_id", order_id)?, flag.path());
        Ok(self.spec(Method::Patch, path, Vec::new(), None, ResendSafety::Idempotent))
    }

    /// `POST /System/Orders/{id}/tracking` (`{shipper_id, tracking_number}`).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn add_tracking<B: Serialize + Validate>(
        &self,
        order_id: i64,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/tracking", id("order_id", order_id)?);
        self.with_body(Method::Post, path, body)
    }

    /// `POST /System/Orders/{id}/history`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for a bad id or body.
    pub fn add_history<B: Serialize + Validate>(
        &self,
        order_id: i64,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Orders/{}/history", id("order_id", order_id)?);
        self.with_body(Method::Post, path, body)
    }

    /// `GET /System/Me`: the app's user (a connection test).
    #[must_use]
    pub fn me(&self) -> RequestSpec {
        self.get("/System/Me".to_owned(), Vec::new())
    }

    /// `GET /System/Lists/Shippers` (for `shipper_id` of a tracking number).
    #[must_use]
    pub fn shippers(&self, page: u32) -> RequestSpec {
        self.get("/System/Lists/Shippers".to_owned(), paging(page, PER_PAGE.1, PER_PAGE))
    }

    /// `GET /System/Events`, optionally only the callbacks at `path`.
    #[must_use]
    pub fn list_events(&self, page: u32, path: Option<&str>) -> RequestSpec {
        let mut q = paging(page, 250, (1, 250));
        if let Some(p) = path {
            q.push(("path".to_owned(), p.to_owned()));
        }
        self.get("/System/Events".to_owned(), q)
    }

    /// `GET /System/Events/{id}`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an id that is not positive.
    pub fn get_event(&self, event_id: i64) -> Result<RequestSpec, BuildError> {
        Ok(self.get(format!("/System/Events/{}", id("event_id", event_id)?), Vec::new()))
    }

    /// `POST /System/Events`: subscribe a callback.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem of the body.
    pub fn create_event<B: Serialize + Validate>(
        &self,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        self.with_body(Method::Post, "/System/Events".to_owned(), body)
    }

    /// `PUT /System/Events` (the id is in the body).
    ///
    /// # Errors
    /// [`BuildError::Invalid`] listing every problem of the body.
    pub fn update_event<B: Serialize + Validate>(
        &self,
        body: &B,
    ) -> Result<RequestSpec, BuildError> {
        self.with_body(Method::Put, "/System/Events".to_owned(), body)
    }

    /// `DELETE /System/Events/{id}`.
    ///
    /// # Errors
    /// [`BuildError::Invalid`] for an id that is not positive.
    pub fn delete_event(&self, event_id: i64) -> Result<RequestSpec, BuildError> {
        let path = format!("/System/Events/{}", id("event_id", event_id)?);
        Ok(self.spec(Method::Delete, path, Vec::new(), None, ResendSafety::Idempotent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base_url::AllowLocal;

    fn api() -> RetailysApi {
        RetailysApi::new(
            BaseUrl::parse("https://api.retailys.com/v1", AllowLocal::No).unwrap(),
            Token::new("tok-9"),
        )
    }

    #[derive(Serialize)]
    struct Status {
        status_id: i64,
    }

    impl Validate for Status {
        fn collect_problems(&self, out: &mut Vec<crate::validation::Problem>) {
            if self.status_id <= 0 {
                out.push(
                    At::root()
                        .field("status_id")
                        .problem("a status id", self.status_id.to_string()),
                );
            }
        }
    }

    #[test]
    fn the_token_header_and_paths() {
        let spec = api().get_order(7, false).unwrap();
        assert_eq!(spec.url(), "https://api.retailys.com/v1/System/Orders/7?expanded=false");
        assert_eq!(spec.header("token"), Some("tok-9"));
        assert!(!format!("{spec:?}").contains("tok-9"));
        let done = api().set_flag(7, OrderFlag::Delivered).unwrap();
        assert_eq!(
            (done.method, done.path.as_str(), done.body.is_none()),
            (Method::Patch, "/System/Orders/7/delivered", true)
        );
        assert!(done.header("content-type").is_none(), "no body, no content type");
    }

    #[test]
    fn bodies_are_checked_and_posts_never_resent() {
        let ok = api().set_status(7, &Status { status_id: 3 }).unwrap();
        assert_eq!(ok.body.as_deref(), Some(r#"{"status_id":3}"#));
        assert_eq!(ok.resend, ResendSafety::Idempotent);
        assert!(matches!(
            api().set_status(7, &Status { status_id: 0 }),
            Err(BuildError::Invalid(_))
        ));
        assert!(matches!(api().get_order(0, false), Err(BuildError::Invalid(_))));
        let post = api().add_history(7, &Status { status_id: 1 }).unwrap();
        assert_eq!(post.resend, ResendSafety::Never);
    }

    #[test]
    fn lists_page_within_their_ranges() {
        let q = OrderListQuery { per_page: Some(300), ..OrderListQuery::default() };
        assert!(api().list_orders(&q).is_err());
        assert_eq!(
            api().shippers(0).query,
            [("page".to_owned(), "1".to_owned()), ("per_page".to_owned(), "250".to_owned())]
        );
        let ev = api().list_events(2, Some("/hooks/retailys"));
        assert_eq!(
            ev.url(),
            "https://api.retailys.com/v1/System/Events?page=2&per_page=250&path=%2Fhooks%2Fretailys"
        );
    }
}
