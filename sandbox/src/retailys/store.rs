//! The instance's data and every change the API makes to it, with the rules of the module
//! docs. Orders are kept as the core's `OrderModel` with every reference full; the handlers
//! shrink them for `expanded=false`. The status, which `OrderModel` cannot carry, and the
//! history, which no endpoint reads, are kept beside it.

use std::collections::BTreeMap;

use chrono::{FixedOffset, Offset, Utc};
use rust_decimal::Decimal as Dec;
use serde::Serialize;
use shopflow_core::retailys::events::EventModel;
use shopflow_core::retailys::expandable::{Expandable, Identified};
use shopflow_core::retailys::order::{OrderItem, OrderModel, UserModel};
use shopflow_core::retailys::query::OrderListQuery;
use shopflow_core::retailys::requests::{OrderItemRequest, OrderPostRequest, OrderPutRequest};
use shopflow_core::{ApiDate, Decimal};

use super::catalog;

/// Why a change was refused: 404, 400 or 422.
#[derive(Debug)]
pub enum Refusal {
    /// No such order, line or subscription.
    NotFound(String),
    /// The request names something that does not exist.
    Invalid(String),
    /// Not allowed in the order's current state.
    Conflict(String),
}

/// What happened that subscriptions may want to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    /// An order was created.
    OrderNew,
    /// An order's status was set.
    StatusChanged,
}

/// One event for the callbacks, with its macro values.
#[derive(Debug, Clone, Copy)]
pub struct Fired {
    /// What happened.
    pub what: Happened,
    /// `%orderId%`.
    pub order_id: i64,
    /// `%channelId%`.
    pub channel_id: i64,
    /// `%statusId%`.
    pub status_id: i64,
}

/// A record of `POST …/history`.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Record id (the `IdModel` answer).
    pub id: i64,
    /// `type`.
    pub kind: Option<String>,
    /// `record.name`.
    pub name: Option<String>,
    /// `record.status`.
    pub status: Option<String>,
    /// When it was written.
    pub at: String,
}

/// An order and what the API cannot show of it.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The order, every reference full.
    pub model: OrderModel,
    /// Its status.
    pub status_id: i64,
    /// Its history records.
    pub history: Vec<HistoryEntry>,
}

/// The state flags `PATCH …/{flag}` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `done`.
    Done,
    /// `cancel`.
    Cancel,
    /// `sent`.
    Sent,
    /// `delivered`.
    Delivered,
}

/// The instance's data.
#[derive(Debug)]
pub struct Store {
    pub(super) orders: BTreeMap<i64, Stored>,
    pub(super) customers: Vec<UserModel>,
    pub(super) events: BTreeMap<i64, EventModel>,
    pub(super) next_record: i64,
    pub(super) next_event: i64,
    pub(super) generated: i64,
}

/// Now, written in Prague winter time like the rest of the data.
pub fn now() -> ApiDate {
    ApiDate::from_utc(Utc::now(), prague())
}

/// +01:00 (the sandbox does not model summer time).
pub fn prague() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap_or_else(|| Utc.fix())
}

impl Store {
    /// A fresh instance: the seeded customers, no orders, no subscriptions.
    pub fn new() -> Self {
        Store {
            orders: BTreeMap::new(),
            customers: catalog::people(),
            events: BTreeMap::new(),
            next_record: 1,
            next_event: 1,
            generated: 0,
        }
    }

    /// A fresh id for lines, parcels and history records.
    pub(super) fn record_id(&mut self) -> i64 {
        let id = self.next_record;
        self.next_record += 1;
        id
    }

    /// The orders the filters select, by id.
    pub fn matching(&self, q: &OrderListQuery) -> Vec<&Stored> {
        let at = |d: &ApiDate| d.to_utc(prague());
        self.orders
            .values()
            .filter(|s| {
                let o = &s.model;
                let is =
                    |want: Option<i64>, have: Option<i64>| want.is_none_or(|w| have == Some(w));
                let flag = |want: Option<bool>, have: Option<bool>| {
                    want.is_none_or(|w| have.unwrap_or(false) == w)
                };
                let date = o.date_order.as_ref().map(at);
                is(q.channel_id, o.channel.as_ref().and_then(Expandable::id))
                    && is(q.company_id, o.company.as_ref().and_then(Expandable::id))
                    && is(q.customer_id, o.customer.as_ref().and_then(Expandable::id))
                    && is(q.status_id, Some(s.status_id))
                    && flag(q.done, o.done)
                    && flag(q.canceled, o.canceled)
                    && q.from.as_ref().is_none_or(|f| date.is_some_and(|d| d >= at(f)))
                    && q.to.as_ref().is_none_or(|t| date.is_some_and(|d| d <= at(t)))
                    && q.tracking.as_deref().is_none_or(|t| o.tracking_numbers().contains(&t))
            })
            .collect()
    }

    /// One order.
    pub fn order(&self, id: i64) -> Result<&Stored, Refusal> {
        self.orders.get(&id).ok_or_else(|| not_found(id))
    }

    pub(super) fn order_mut(&mut self, id: i64) -> Result<&mut Stored, Refusal> {
        self.orders.get_mut(&id).ok_or_else(|| not_found(id))
    }

    /// The customer with this e-mail, created when there is none.
    pub(super) fn customer_for(
        &mut self,
        email: &str,
        name: Option<String>,
        channel: i64,
    ) -> UserModel {
        let found = self
            .customers
            .iter()
            .find(|c| c.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(email)));
        if let Some(c) = found {
            return c.clone();
        }
        let id = self.customers.iter().filter_map(|c| c.id).max().unwrap_or(0) + 1;
        let c = catalog::customer(id, email, name, channel);
        self.customers.push(c.clone());
        c
    }

    /// Adds a fully built order and says so.
    pub(super) fn insert(&mut self, mut model: OrderModel, status_id: i64) -> Fired {
        let id = self.orders.keys().next_back().copied().unwrap_or(1000) + 1;
        model.id = Some(id);
        model.hash = Some(format!("{:016x}", (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        model.order_url = Some(format!("https://sandbox.retailys.invalid/order/{id}"));
        let channel_id = model.channel.as_ref().and_then(Expandable::id).unwrap_or(1);
        self.orders.insert(id, Stored { model, status_id, history: Vec::new() });
        Fired { what: Happened::OrderNew, order_id: id, channel_id, status_id }
    }

    /// `POST /System/Orders`: a header without lines.
    pub fn create(&mut self, r: &OrderPostRequest) -> Result<Fired, Refusal> {
        let channel_id = r.channel.unwrap_or(0);
        let channel = catalog::channel(channel_id)
            .ok_or_else(|| Refusal::Invalid(format!("channel: no sales channel {channel_id}")))?;
        let currency = r.order_currency_code.clone().unwrap_or_else(|| "CZK".to_owned());
        let mut o = OrderModel::default();
        let email = r.email.clone().unwrap_or_default();
        if !email.is_empty() {
            let c = self.customer_for(&email, r.name.clone(), channel_id);
            o.customer = Some(Expandable::Full(c));
        }
        o.channel = Some(Expandable::Full(channel));
        o.company = Some(Expandable::Full(catalog::company()));
        o.date_order = Some(r.date_order.unwrap_or_else(now));
        (o.email, o.name, o.street, o.city) =
            (r.email.clone(), r.name.clone(), r.street.clone(), r.city.clone());
        (o.zip, o.state_code, o.phone) = (r.zip.clone(), r.state_code.clone(), r.phone.clone());
        (o.delivery_name, o.delivery_street, o.delivery_city) =
            (r.delivery_name.clone(), r.delivery_street.clone(), r.delivery_city.clone());
        (o.delivery_zip, o.delivery_state_code) =
            (r.delivery_zip.clone(), r.delivery_state_code.clone());
        (o.delivery_phone, o.delivery_email) = (r.delivery_phone.clone(), r.delivery_email.clone());
        o.ip = r.ip.clone();
        o.main_currency_code = Some("CZK".to_owned());
        let rate = if currency == "EUR" { catalog::EUR_RATE } else { 1 };
        o.currency_rate = Some(Decimal::from(rate));
        o.order_currency_code = Some(currency);
        (o.paid, o.money) = (Some(Decimal::ZERO), Some(Decimal::ZERO));
        (o.sent, o.delivered, o.done, o.canceled) =
            (Some(false), Some(false), Some(false), Some(false));
        Ok(self.insert(o, catalog::NEW_STATUS))
    }

    /// `PUT /System/Orders`: the delivery address; keys left out are kept.
    pub fn update_delivery(&mut self, r: &OrderPutRequest) -> Result<i64, Refusal> {
        let id = r.id.unwrap_or(0);
        let o = &mut self.order_mut(id)?.model;
        let keep = |new: &Option<String>, old: &mut Option<String>| {
            if new.is_some() {
                old.clone_from(new);
            }
        };
        keep(&r.delivery_name, &mut o.delivery_name);
        keep(&r.delivery_street, &mut o.delivery_street);
        keep(&r.delivery_city, &mut o.delivery_city);
        keep(&r.delivery_zip, &mut o.delivery_zip);
        keep(&r.delivery_state_code, &mut o.delivery_state_code);
        keep(&r.delivery_phone, &mut o.delivery_phone);
        keep(&r.delivery_email, &mut o.delivery_email);
        Ok(id)
    }

    /// `POST …/item`.
    pub fn add_item(&mut self, order_id: i64, r: &OrderItemRequest) -> Result<i64, Refusal> {
        let currency = editable(self.order(order_id)?)?;
        let (name, unit) = match r.article {
            Some(a) => {
                let (name, czk) = catalog::article(a)
                    .ok_or_else(|| Refusal::Invalid(format!("article: no article {a}")))?;
                (r.name.clone().unwrap_or(name), catalog::convert(czk, &currency))
            }
            None => {
                let name = r.name.clone().filter(|n| !n.trim().is_empty()).ok_or_else(|| {
                    Refusal::Invalid("name: a line without an article needs a name".to_owned())
                })?;
                (name, Dec::ZERO)
            }
        };
        let unit = r.price.map_or(unit, Decimal::inner);
        let id = self.record_id();
        let mut line = OrderItem::default();
        line.id = Some(id);
        line.article = r.article.map(|a| Expandable::Full(catalog::article_model(a)));
        line.name = Some(name);
        let count = r.count.unwrap_or(1);
        (line.count, line.ordered, line.waiting_count) = (Some(count), Some(count), Some(0));
        line.note.clone_from(&r.note);
        line.price = Some(catalog::price(unit, &currency));
        line.price_original = line.price.clone();
        let o = self.order_mut(order_id)?;
        o.model.items.push(line);
        recompute(&mut o.model);
        Ok(id)
    }

    /// `PUT …/item`: the line named by `id` in the body.
    pub fn update_item(&mut self, order_id: i64, r: &OrderItemRequest) -> Result<i64, Refusal> {
        let currency = editable(self.order(order_id)?)?;
        let item_id = r.id.unwrap_or(0);
        let o = self.order_mut(order_id)?;
        let line =
            o.model.items.iter_mut().find(|l| l.id == Some(item_id)).ok_or_else(|| {
                Refusal::NotFound(format!("Order {order_id} has no line {item_id}."))
            })?;
        if let Some(n) = &r.name {
            line.name = Some(n.clone());
        }
        if let Some(c) = r.count {
            line.count = Some(c);
        }
        if let Some(n) = &r.note {
            line.note = Some(n.clone());
        }
        if let Some(p) = r.price {
            line.price = Some(catalog::price(p.inner(), &currency));
        }
        recompute(&mut o.model);
        Ok(item_id)
    }

    /// `DELETE …/item/{item}`.
    pub fn delete_item(&mut self, order_id: i64, item_id: i64) -> Result<i64, Refusal> {
        editable(self.order(order_id)?)?;
        let o = self.order_mut(order_id)?;
        let before = o.model.items.len();
        o.model.items.retain(|l| l.id != Some(item_id));
        if o.model.items.len() == before {
            return Err(Refusal::NotFound(format!("Order {order_id} has no line {item_id}.")));
        }
        recompute(&mut o.model);
        Ok(item_id)
    }
}

fn not_found(id: i64) -> Refusal {
    Refusal::NotFound(format!("No order with id {id}."))
}

/// The order's currency, when its lines may still change.
fn editable(s: &Stored) -> Result<String, Refusal> {
    let o = &s.model;
    if o.done == Some(true) || o.canceled == Some(true) {
        return Err(Refusal::Conflict(
            "The order is done or canceled; its lines are final.".into(),
        ));
    }
    Ok(o.order_currency_code.clone().unwrap_or_else(|| "CZK".to_owned()))
}

/// `money` from the lines, the shipping and the payment.
pub(super) fn recompute(o: &mut OrderModel) {
    let price = |d: Option<Decimal>| d.map_or(Dec::ZERO, Decimal::inner);
    let lines: Dec = o
        .items
        .iter()
        .map(|l| {
            let unit = price(l.price.as_ref().and_then(|p| p.final_price));
            unit * Dec::from(l.count.unwrap_or(0))
        })
        .sum();
    let ship = price(o.shipping.as_ref().and_then(|s| s.full()).and_then(|s| s.price));
    let pay = price(o.payment.as_ref().and_then(|p| p.full()).and_then(|p| p.price));
    o.money = Some(Decimal::from(lines + ship + pay));
}

impl Identified for Stored {
    fn id(&self) -> Option<i64> {
        self.model.id
    }
}
