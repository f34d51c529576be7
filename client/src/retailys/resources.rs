//! The Retailys endpoints, grouped: orders, statuses, shippers and event callbacks. Every
//! request comes from its builder in [`RetailysApi`]; lists are read through the pager the
//! Upgates client uses.

use futures_util::{Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use shopflow_core::http::{Method, RequestSpec};
use shopflow_core::pagination::{Page, Progress};
use shopflow_core::retailys::api::{OrderFlag, RetailysApi};
use shopflow_core::retailys::events::{EventModel, EventPostRequest, EventPutRequest, EventsModel};
use shopflow_core::retailys::expandable::Identified;
use shopflow_core::retailys::lookups::{ShipperModel, ShippersModel};
use shopflow_core::retailys::order::{IdModel, OrderModel, OrdersModel};
use shopflow_core::retailys::plan::RetailysCall;
use shopflow_core::retailys::query::{OrderListQuery, PER_PAGE};
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderPaidPatchRequest, OrderPostRequest, OrderStatusPatchRequest,
    TrackingPostRequest,
};
use shopflow_core::retailys::status::{OrderStatusModel, OrderStatusesModel};

use super::{Error, RetailysClient};
use crate::pages::pages;

/// Every item of a lookup list, page by page, at the most a page holds (250).
async fn every_page<M, T>(
    client: &RetailysClient,
    request: impl Fn(&RetailysApi, u32) -> RequestSpec,
    into_page: fn(M) -> Page<T>,
) -> Result<Vec<T>, Error>
where
    M: DeserializeOwned + Default,
    T: Identified,
{
    let request = &request;
    let fetch = move |n: u32| async move {
        let page = into_page(client.list(|api| Ok(request(api, n))).await?);
        let next = page.next_page();
        Ok((page, next))
    };
    pages(1, fetch, T::id, PER_PAGE.1, |_| {}).try_collect().await
}

/// What a planned call answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CallAnswer {
    /// The order after the change (a status, a payment, a flag).
    Order(Box<OrderModel>),
    /// The new record's id (a tracking number, a history record).
    Created(IdModel),
}

/// Orders.
#[derive(Debug, Clone, Copy)]
pub struct Orders<'a> {
    client: &'a RetailysClient,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(client: &'a RetailysClient) -> Self {
        Orders { client }
    }

    /// One page of `GET /System/Orders` with filters (nothing matched: no orders).
    ///
    /// # Errors
    /// [`Error`] when the query is invalid or the call fails.
    pub async fn list(&self, query: &OrderListQuery) -> Result<OrdersModel, Error> {
        self.client.list(|api| api.list_orders(query)).await
    }

    /// Every order the query selects, page by page from its `page` on, each once; 250 a
    /// page unless the query says otherwise. `on_progress` hears of each page.
    pub fn stream(
        &self,
        query: OrderListQuery,
        on_progress: impl FnMut(Progress) + Send + 'a,
    ) -> impl Stream<Item = Result<OrderModel, Error>> + 'a {
        let mut first = query;
        // The API's default is 10 a page: reading everything, fewer requests is better.
        let per_page = *first.per_page.get_or_insert(PER_PAGE.1);
        let orders = *self;
        let fetch = move |q: OrderListQuery| async move {
            let page = orders.list(&q).await?.into_page();
            let next = page.next_page().map(|n| q.with_page(n));
            Ok((page, next))
        };
        pages(first, fetch, OrderModel::id, per_page, on_progress)
    }

    /// One order, its references expanded (customer, channel, shipping, payment).
    ///
    /// # Errors
    /// [`Error`] when the call fails (`NOT_FOUND` for an unknown id).
    pub async fn get(&self, order_id: i64) -> Result<OrderModel, Error> {
        self.client.get(|api| api.get_order(order_id, true)).await
    }

    /// Creates an order (its header; lines are added after). Never resent after an unknown
    /// outcome: Retailys has no key to find out whether it was created.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn create(&self, order: &OrderPostRequest) -> Result<IdModel, Error> {
        self.client.get(|api| api.create_order(order)).await
    }

    /// Sets the order's status (one of [`Statuses::list`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn set_status(
        &self,
        order_id: i64,
        status: &OrderStatusPatchRequest,
    ) -> Result<OrderModel, Error> {
        self.client.get(|api| api.set_status(order_id, status)).await
    }

    /// Records the payment result.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn set_paid(
        &self,
        order_id: i64,
        paid: &OrderPaidPatchRequest,
    ) -> Result<OrderModel, Error> {
        self.client.get(|api| api.set_paid(order_id, paid)).await
    }

    /// Sets a state flag: done, canceled, sent or delivered.
    ///
    /// # Errors
    /// [`Error`] when the call fails (`UNPROCESSABLE` when the order's state does not
    /// allow it).
    pub async fn set_flag(&self, order_id: i64, flag: OrderFlag) -> Result<OrderModel, Error> {
        self.client.get(|api| api.set_flag(order_id, flag)).await
    }

    /// Adds a tracking number (never resent after an unknown outcome: it would be added
    /// twice).
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn add_tracking(
        &self,
        order_id: i64,
        tracking: &TrackingPostRequest,
    ) -> Result<IdModel, Error> {
        self.client.get(|api| api.add_tracking(order_id, tracking)).await
    }

    /// Adds a history record (never resent after an unknown outcome).
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn add_history(
        &self,
        order_id: i64,
        record: &HistoryPostRequest,
    ) -> Result<IdModel, Error> {
        self.client.get(|api| api.add_history(order_id, record)).await
    }

    /// Sends one call a rules plan made (`retailys::plan`). A POST (a tracking number, a
    /// history record) answers the new record's id, a PATCH the order after the change.
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn call(&self, order_id: i64, call: &RetailysCall) -> Result<CallAnswer, Error> {
        let spec = call.spec(&self.client.driver.api(), order_id)?;
        if spec.method == Method::Post {
            Ok(CallAnswer::Created(self.client.send(spec).await?))
        } else {
            Ok(CallAnswer::Order(Box::new(self.client.send(spec).await?)))
        }
    }
}

/// Order statuses.
#[derive(Debug, Clone, Copy)]
pub struct Statuses<'a> {
    client: &'a RetailysClient,
}

impl<'a> Statuses<'a> {
    pub(crate) fn new(client: &'a RetailysClient) -> Self {
        Statuses { client }
    }

    /// Every order status of the instance.
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn list(&self) -> Result<Vec<OrderStatusModel>, Error> {
        every_page(self.client, RetailysApi::order_statuses, OrderStatusesModel::into_page).await
    }
}

/// Carriers.
#[derive(Debug, Clone, Copy)]
pub struct Shippers<'a> {
    client: &'a RetailysClient,
}

impl<'a> Shippers<'a> {
    pub(crate) fn new(client: &'a RetailysClient) -> Self {
        Shippers { client }
    }

    /// Every carrier.
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn list(&self) -> Result<Vec<ShipperModel>, Error> {
        every_page(self.client, RetailysApi::shippers, ShippersModel::into_page).await
    }
}

/// Event callbacks.
#[derive(Debug, Clone, Copy)]
pub struct Events<'a> {
    client: &'a RetailysClient,
}

impl<'a> Events<'a> {
    pub(crate) fn new(client: &'a RetailysClient) -> Self {
        Events { client }
    }

    /// Every subscription, or only those calling `path` (an app finds its own this way).
    ///
    /// # Errors
    /// [`Error`] when a call fails.
    pub async fn list(&self, path: Option<&str>) -> Result<Vec<EventModel>, Error> {
        let request = |api: &RetailysApi, n| api.list_events(n, path);
        every_page(self.client, request, EventsModel::into_page).await
    }

    /// One subscription.
    ///
    /// # Errors
    /// [`Error`] when the call fails (`NOT_FOUND` for an unknown id).
    pub async fn get(&self, event_id: i64) -> Result<EventModel, Error> {
        self.client.get(|api| api.get_event(event_id)).await
    }

    /// Subscribes a callback; the answer holds the subscription's id. Never resent after an
    /// unknown outcome (it would subscribe twice).
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn subscribe(&self, event: &EventPostRequest) -> Result<IdModel, Error> {
        self.client.get(|api| api.create_event(event)).await
    }

    /// Changes a subscription ([`EventModel::to_put_request`] gives one to edit).
    ///
    /// # Errors
    /// [`Error::Invalid`] (nothing sent), else when the call fails.
    pub async fn update(&self, event: &EventPutRequest) -> Result<IdModel, Error> {
        self.client.get(|api| api.update_event(event)).await
    }

    /// Deletes a subscription.
    ///
    /// # Errors
    /// [`Error`] when the call fails (`NOT_FOUND` for an unknown id).
    pub async fn delete(&self, event_id: i64) -> Result<IdModel, Error> {
        self.client.get(|api| api.delete_event(event_id)).await
    }
}
