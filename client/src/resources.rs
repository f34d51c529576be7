//! The endpoints, grouped as the npm package's `Client` groups them: orders, order
//! statuses, customers and webhooks.

use futures_util::Stream;
use shopflow_core::batch::{Batch, MAX_ITEMS_PER_REQUEST, chunk};
use shopflow_core::exchange::write::{Chunk, Reconcile};
use shopflow_core::http::RequestSpec;
use shopflow_core::pagination::Progress;
use shopflow_core::upgates::api::OrderStatusQuery;
use shopflow_core::upgates::customer::{
    CustomerAccountWrite, CustomerList, CustomerListQuery, CustomersWriteRequest,
};
use shopflow_core::upgates::message::ItemOutcome;
use shopflow_core::upgates::order::results::OrdersDeleteResponse;
use shopflow_core::upgates::order::{
    HistoryAddRequest, HistoryAddResponse, NewOrder, Notify, ORDERS_PER_PAGE, Order,
    OrderCreateRequest, OrderDeleteQuery, OrderHistory, OrderList, OrderListQuery, OrderUpdate,
    OrderUpdateRequest,
};
use shopflow_core::upgates::order_status::{OrderStatus, OrderStatusList};
use shopflow_core::upgates::webhook::{
    Webhook, WebhookCreate, WebhookDeleteResponse, WebhookEventList, WebhookList, WebhookResponse,
};
use shopflow_core::upgates::wire::{
    customers_created, customers_updated, orders_created, orders_updated,
};
use shopflow_core::upgates::{ApiError, BuildError, UpgatesApi};
use shopflow_core::validation::Problems;

use crate::pages::pages;
use crate::{Client, Error};

/// Splits `request` into chunks of 100, each built (and so validated) by `build`.
fn chunks<B: Batch>(
    client: &Client,
    request: &B,
    build: impl Fn(&UpgatesApi, &B) -> Result<RequestSpec, BuildError>,
    key: impl Fn(&B::Item) -> Option<String>,
) -> Vec<(usize, Result<Chunk, Problems>)> {
    let api = client.driver().api();
    chunk(request, MAX_ITEMS_PER_REQUEST)
        .into_iter()
        .map(|c| {
            let keys = c.request.items().iter().map(&key).collect();
            let built = build(&api, &c.request).map_err(BuildError::into_problems);
            (c.offset, built.map(|spec| Chunk { offset: c.offset, spec, keys }))
        })
        .collect()
}

async fn write<B: Batch>(
    client: &Client,
    request: B,
    list_key: &str,
    build: impl Fn(&UpgatesApi, &B) -> Result<RequestSpec, BuildError>,
    key: impl Fn(&B::Item) -> Option<String>,
    reconcile: Reconcile<ItemOutcome, ApiError>,
) -> Result<Vec<ItemOutcome>, Error> {
    let n = request.items().len();
    if n == 0 {
        // The builder says what an empty write lacks.
        build(&client.driver().api(), &request)?;
        return Ok(Vec::new());
    }
    let parts = chunks(client, &request, build, key);
    client.driver().write(n, list_key, parts, reconcile).await
}

/// Orders.
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a Client,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Orders { client }
    }

    /// One page of `GET /orders` with filters.
    ///
    /// # Errors
    /// [`Error`] when the query is invalid or the call fails.
    pub async fn list(&self, query: &OrderListQuery) -> Result<OrderList, Error> {
        self.client.get(|api| api.list_orders(query)).await
    }

    /// Every order the query selects, page by page, each once even if pages shift while
    /// reading; `on_progress` hears of each page.
    pub fn stream(
        &self,
        query: OrderListQuery,
        on_progress: impl FnMut(Progress) + Send + 'a,
    ) -> impl Stream<Item = Result<Order, Error>> + 'a {
        let orders = *self;
        let fetch = move |q: OrderListQuery| async move {
            let page = orders.list(&q).await?.into_page();
            let next = q.next(&page);
            Ok((page, next))
        };
        let key = |o: &Order| Some(o.order_number.clone());
        pages(query, fetch, key, ORDERS_PER_PAGE, on_progress)
    }

    /// The orders with these numbers, 100 per request.
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn by_numbers(&self, numbers: &[String]) -> Result<Vec<Order>, Error> {
        let mut out = Vec::with_capacity(numbers.len());
        for part in numbers.chunks(MAX_ITEMS_PER_REQUEST) {
            let q = OrderListQuery::by_numbers(part.iter().cloned());
            out.extend(self.list(&q).await?.orders);
        }
        Ok(out)
    }

    /// One order, or `None` when the shop has none with this number.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn get(&self, order_number: &str) -> Result<Option<Order>, Error> {
        match self.client.get::<OrderList>(|api| api.get_order(order_number)).await {
            Ok(list) => Ok(list.orders.into_iter().next()),
            Err(e) if e.code() == "NOT_FOUND" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates orders in chunks of 100; `notify` says whether the shop e-mails or texts
    /// the customers. A create whose answer was lost is looked up, never sent twice.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), [`Error::WriteFailed`], [`Error::ItemsFailed`].
    pub async fn create(
        &self,
        orders: Vec<NewOrder>,
        notify: Notify,
    ) -> Result<Vec<ItemOutcome>, Error> {
        let req = OrderCreateRequest::new(notify, orders);
        write(
            self.client,
            req,
            "orders",
            |api, r| api.create_orders(r),
            |o| o.external_order_number.clone(),
            orders_created,
        )
        .await
    }

    /// Changes orders in chunks of 100; `notify` says whether the shop e-mails or texts the
    /// customers.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), [`Error::WriteFailed`], [`Error::ItemsFailed`].
    pub async fn update(
        &self,
        orders: Vec<OrderUpdate>,
        notify: Notify,
    ) -> Result<Vec<ItemOutcome>, Error> {
        self.update_request(OrderUpdateRequest::new(notify, orders)).await
    }

    /// Sends a prepared `PUT /orders` request (chunked when over 100).
    ///
    /// # Errors
    /// As [`Orders::update`].
    pub async fn update_request(&self, req: OrderUpdateRequest) -> Result<Vec<ItemOutcome>, Error> {
        write(
            self.client,
            req,
            "orders",
            |api, r| api.update_orders(r),
            |o| o.order_number.clone(),
            orders_updated,
        )
        .await
    }

    /// Deletes orders by number, 100 per request.
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn delete(&self, numbers: &[String]) -> Result<OrdersDeleteResponse, Error> {
        let mut all = OrdersDeleteResponse::default();
        for part in numbers.chunks(MAX_ITEMS_PER_REQUEST) {
            let q = OrderDeleteQuery::numbers(part.iter().cloned());
            let r: OrdersDeleteResponse = self.client.get(|api| api.delete_orders(&q)).await?;
            all.orders.extend(r.orders);
        }
        Ok(all)
    }

    /// The order's history.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn history(&self, order_number: &str) -> Result<OrderHistory, Error> {
        self.client.get(|api| api.order_history(order_number)).await
    }

    /// Adds one history record (never resent after an unknown outcome: it would be added
    /// twice).
    ///
    /// # Errors
    /// [`Error`] when the call fails; [`Error::ItemsFailed`] when the shop refused it.
    pub async fn add_history(
        &self,
        order_number: &str,
        request: &HistoryAddRequest,
    ) -> Result<HistoryAddResponse, Error> {
        let r: HistoryAddResponse =
            self.client.get(|api| api.add_order_history(order_number, request)).await?;
        if r.succeeded() {
            return Ok(r);
        }
        Err(Error::ItemsFailed(vec![ItemOutcome {
            index: 0,
            key: Some(order_number.to_owned()),
            ok: false,
            messages: r.messages.clone(),
            error: None,
        }]))
    }

    /// The order's PDF document.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn pdf(&self, order_number: &str) -> Result<Vec<u8>, Error> {
        self.client.bytes(|api| api.order_pdf(order_number)).await
    }
}

/// Order statuses.
#[derive(Debug, Clone, Copy)]
pub struct OrderStatuses<'a> {
    client: &'a Client,
}

impl<'a> OrderStatuses<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        OrderStatuses { client }
    }

    /// Every order status of the shop.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn list(&self) -> Result<Vec<OrderStatus>, Error> {
        let list: OrderStatusList = self
            .client
            .get(|api| Ok(api.list_order_statuses(&OrderStatusQuery::default())))
            .await?;
        Ok(list.order_statuses)
    }
}

/// Customers.
#[derive(Debug, Clone, Copy)]
pub struct Customers<'a> {
    client: &'a Client,
}

impl<'a> Customers<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Customers { client }
    }

    /// One page of `GET /customers` with filters.
    ///
    /// # Errors
    /// [`Error`] when the query is invalid or the call fails.
    pub async fn list(&self, query: &CustomerListQuery) -> Result<CustomerList, Error> {
        self.client.get(|api| api.list_customers(query)).await
    }

    /// The customers with these ids, 100 per request.
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn by_ids(
        &self,
        ids: &[u64],
    ) -> Result<Vec<shopflow_core::upgates::customer::Customer>, Error> {
        let mut out = Vec::new();
        for part in ids.chunks(MAX_ITEMS_PER_REQUEST) {
            let q = CustomerListQuery::by_ids(part.iter().copied());
            out.extend(self.list(&q).await?.customers);
        }
        Ok(out)
    }

    /// Creates customer accounts in chunks of 100.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), [`Error::WriteFailed`], [`Error::ItemsFailed`].
    pub async fn create(
        &self,
        customers: Vec<CustomerAccountWrite>,
    ) -> Result<Vec<ItemOutcome>, Error> {
        self.write(CustomersWriteRequest::create(customers), customers_created).await
    }

    /// Changes customer accounts (by login e-mail) in chunks of 100.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), [`Error::WriteFailed`], [`Error::ItemsFailed`].
    pub async fn update(
        &self,
        customers: Vec<CustomerAccountWrite>,
    ) -> Result<Vec<ItemOutcome>, Error> {
        self.update_request(CustomersWriteRequest::update(customers)).await
    }

    /// Sends a prepared customers write request.
    ///
    /// # Errors
    /// As [`Customers::update`].
    pub async fn update_request(
        &self,
        req: CustomersWriteRequest,
    ) -> Result<Vec<ItemOutcome>, Error> {
        self.write(req, customers_updated).await
    }

    async fn write(
        &self,
        req: CustomersWriteRequest,
        reconcile: Reconcile<ItemOutcome, ApiError>,
    ) -> Result<Vec<ItemOutcome>, Error> {
        write(
            self.client,
            req,
            "customers",
            |api, r| api.write_customers(r),
            |c| c.login.as_ref().and_then(|l| l.email.clone()),
            reconcile,
        )
        .await
    }
}

/// Webhooks.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    client: &'a Client,
}

impl<'a> Webhooks<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Webhooks { client }
    }

    /// Every registered webhook.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn list(&self) -> Result<Vec<Webhook>, Error> {
        let list: WebhookList = self.client.get(|api| Ok(api.list_webhooks(None))).await?;
        Ok(list.webhooks)
    }

    /// Registers a webhook.
    ///
    /// # Errors
    /// [`Error`] when it is invalid or the call fails.
    pub async fn create(&self, webhook: &WebhookCreate) -> Result<Option<Webhook>, Error> {
        let r: WebhookResponse = self.client.get(|api| api.create_webhook(webhook)).await?;
        Ok(r.webhook)
    }

    /// Deletes webhooks by id.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn delete(&self, ids: &[u64]) -> Result<WebhookDeleteResponse, Error> {
        self.client.get(|api| api.delete_webhooks(ids)).await
    }

    /// The events webhooks can be registered for.
    ///
    /// # Errors
    /// [`Error`] when the call fails.
    pub async fn events(&self) -> Result<WebhookEventList, Error> {
        self.client.get(|api| Ok(api.webhook_events())).await
    }
}
