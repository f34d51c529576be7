//! Filters of `GET /orders` and the list response.
//!
//! [`OrderListQuery`] carries every documented filter; it writes itself as query pairs for
//! the client and reads itself back from query pairs for the sandbox. [`OrderList`] is one
//! page of the answer.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::lenient::{list, optional as opt};
use crate::pagination::Page;
use crate::upgates::order::enums::{OrderBy, OrderDir, PaymentType, ShipmentType};
use crate::upgates::order::object::Order;
use crate::upgates::query::{QueryError, QueryReader, QueryWriter, check_list_values, multi};
use crate::validation::{At, Problem, Validate, quoted};

/// Orders per page; fixed by the server.
pub const ORDERS_PER_PAGE: u32 = 100;

/// Filters for listing orders. Every field is optional; an empty query lists page 1 of all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderListQuery {
    /// One order, by number (goes in the path: `/orders/{order_number}`).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// Several orders, by number (`order_numbers=a;b`).
    #[serde(default, deserialize_with = "multi", skip_serializing_if = "Vec::is_empty")]
    pub order_numbers: Vec<String>,
    /// Created at or after.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time_from: Option<ApiDate>,
    /// Created at or before (inclusive).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time_to: Option<ApiDate>,
    /// Changed at or after.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time_from: Option<ApiDate>,
    /// Only paid (`true`) or only unpaid (`false`) orders.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub paid_yn: Option<bool>,
    /// Status name; `Some("")` lists orders that have no status.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Status id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<u64>,
    /// Several status ids.
    #[serde(default, deserialize_with = "multi", skip_serializing_if = "Vec::is_empty")]
    pub status_ids: Vec<u64>,
    /// Language mutation the order was made on.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Customer e-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Customer phone in MSISDN form (`420777123456`).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// External order number.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub external_order_number: Option<String>,
    /// Payment type.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    /// Shipment type.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub shipment_type: Option<ShipmentType>,
    /// Page, 1-based; the server answers page 1 when absent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Sort column.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_by: Option<OrderBy>,
    /// Sort direction.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_dir: Option<OrderDir>,
}

impl OrderListQuery {
    /// Orders with these numbers (read at most 100 per request: one page).
    #[must_use]
    pub fn by_numbers<S: Into<String>>(numbers: impl IntoIterator<Item = S>) -> Self {
        OrderListQuery {
            order_numbers: numbers.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The same filters for another page.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        OrderListQuery { page: Some(page), ..self.clone() }
    }

    /// The query for the page after `page`, or `None` when `page` was the last.
    #[must_use]
    pub fn next<T>(&self, page: &Page<T>) -> Option<Self> {
        page.next_page().map(|n| self.with_page(n))
    }

    /// The query parameters (everything but `order_number`, which goes in the path).
    #[must_use]
    pub fn to_query(&self) -> Vec<(String, String)> {
        QueryWriter::new()
            .list("order_numbers", &self.order_numbers)
            .opt("creation_time_from", self.creation_time_from.as_ref())
            .opt("creation_time_to", self.creation_time_to.as_ref())
            .opt("last_update_time_from", self.last_update_time_from.as_ref())
            .flag("paid_yn", self.paid_yn)
            .opt("status", self.status.as_ref())
            .opt("status_id", self.status_id.as_ref())
            .list("status_ids", &self.status_ids)
            .opt("language", self.language.as_ref())
            .opt("email", self.email.as_ref())
            .opt("phone", self.phone.as_ref())
            .opt("external_order_number", self.external_order_number.as_ref())
            .opt("payment_type", self.payment_type.as_ref())
            .opt("shipment_type", self.shipment_type.as_ref())
            .opt("page", self.page.as_ref())
            .opt("order_by", self.order_by.as_ref())
            .opt("order_dir", self.order_dir.as_ref())
            .finish()
    }

    /// Reads filters from decoded query pairs and the path's order number (the sandbox's side).
    ///
    /// # Errors
    /// The first parameter that does not hold what it should.
    pub fn from_query(
        order_number: Option<&str>,
        pairs: &[(String, String)],
    ) -> Result<Self, QueryError> {
        let q = QueryReader::new(pairs);
        const DATE: &str = "a date like 2024-02-29 or 2024-02-29T14:24:49+01:00";
        Ok(OrderListQuery {
            order_number: order_number
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .or_else(|| q.text("order_number")),
            order_numbers: q.list("order_numbers", "order numbers joined with ;")?,
            creation_time_from: q.parsed("creation_time_from", DATE)?,
            creation_time_to: q.parsed("creation_time_to", DATE)?,
            last_update_time_from: q.parsed("last_update_time_from", DATE)?,
            paid_yn: q.flag("paid_yn")?,
            status: q.text("status"),
            status_id: q.parsed("status_id", "a status id")?,
            status_ids: q.list("status_ids", "status ids joined with ;")?,
            language: q.text("language").filter(|s| !s.is_empty()),
            email: q.text("email").filter(|s| !s.is_empty()),
            phone: q.text("phone").filter(|s| !s.is_empty()),
            external_order_number: q.text("external_order_number").filter(|s| !s.is_empty()),
            payment_type: q
                .text("payment_type")
                .filter(|s| !s.is_empty())
                .map(|s| PaymentType::from(s.as_str())),
            shipment_type: q
                .text("shipment_type")
                .filter(|s| !s.is_empty())
                .map(|s| ShipmentType::from(s.as_str())),
            page: q.parsed("page", "a page number (1, 2, …)")?,
            order_by: q
                .text("order_by")
                .filter(|s| !s.is_empty())
                .map(|s| OrderBy::from(s.as_str())),
            order_dir: q
                .text("order_dir")
                .filter(|s| !s.is_empty())
                .map(|s| OrderDir::from(s.as_str())),
        })
    }
}

impl Validate for OrderListQuery {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        check_list_values(&root.field("order_numbers"), &self.order_numbers, out);
        if self.page == Some(0) {
            out.push(root.field("page").problem("a page number from 1", "0"));
        }
        if let Some(n) = &self.order_number
            && (n.trim().is_empty() || n.contains('/'))
        {
            out.push(root.field("order_number").problem("an order number without `/`", quoted(n)));
        }
        if let Some(v) = self.order_by.as_ref().filter(|v| !v.is_known()) {
            out.push(
                root.field("order_by")
                    .problem("creation_time or last_update_time", quoted(v.as_str())),
            );
        }
        if let Some(v) = self.order_dir.as_ref().filter(|v| !v.is_known()) {
            out.push(root.field("order_dir").problem("asc or desc", quoted(v.as_str())));
        }
    }
}

/// One page of `GET /orders`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderList {
    /// This page's number.
    #[serde(default, deserialize_with = "opt")]
    pub current_page: Option<u32>,
    /// Orders on this page (sometimes missing).
    #[serde(default, deserialize_with = "opt")]
    pub current_page_items: Option<u32>,
    /// Pages in total.
    #[serde(default, deserialize_with = "opt")]
    pub number_of_pages: Option<u32>,
    /// Orders in total.
    #[serde(default, deserialize_with = "opt")]
    pub number_of_items: Option<u64>,
    /// The orders.
    #[serde(default, deserialize_with = "list")]
    pub orders: Vec<Order>,
}

impl OrderList {
    /// The page; paging fields the server left out are filled in by [`Page::from_parts`].
    #[must_use]
    pub fn into_page(self) -> Page<Order> {
        Page::from_parts(
            self.orders,
            self.current_page,
            self.current_page_items,
            self.number_of_pages,
            self.number_of_items,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_round_trips_through_the_query_string() {
        let q = OrderListQuery {
            order_number: None,
            order_numbers: vec!["2024001".into(), "2024002".into()],
            creation_time_from: Some("2024-01-01".parse().unwrap()),
            creation_time_to: Some("2024-12-31T23:59:59+01:00".parse().unwrap()),
            last_update_time_from: Some("2024-06-01".parse().unwrap()),
            paid_yn: Some(false),
            status: Some(String::new()),
            status_id: Some(4),
            status_ids: vec![1, 4],
            language: Some("cs".into()),
            email: Some("jan@example.cz".into()),
            phone: Some("420777123456".into()),
            external_order_number: Some("EXT-1".into()),
            payment_type: Some(PaymentType::CashOnDelivery),
            shipment_type: Some(ShipmentType::Other("wedo".into())),
            page: Some(2),
            order_by: Some(OrderBy::LastUpdateTime),
            order_dir: Some(OrderDir::Desc),
        };
        let pairs = q.to_query();
        assert!(pairs.contains(&("order_numbers".into(), "2024001;2024002".into())));
        assert!(pairs.contains(&("paid_yn".into(), "0".into())));
        assert_eq!(OrderListQuery::from_query(None, &pairs).unwrap(), q);
    }

    #[test]
    fn next_page_follows_the_page_counts() {
        let q = OrderListQuery::default();
        let list: OrderList = serde_json::from_str(
            r#"{"current_page":1,"number_of_pages":3,"number_of_items":250,"orders":[]}"#,
        )
        .unwrap();
        assert_eq!(q.next(&list.into_page()).unwrap().page, Some(2));
        let empty: OrderList = serde_json::from_str(r#"{"current_page":1,"current_page_items":0,"number_of_pages":0,"number_of_items":0,"orders":[]}"#).unwrap();
        assert!(q.next(&empty.into_page()).is_none());
        let bare: OrderList = serde_json::from_str(r#"{"orders":[{"order_number":"1"}]}"#).unwrap();
        let page = bare.into_page();
        assert!(page.is_last());
        assert_eq!(page.number_of_items, 1);
    }

    #[test]
    fn query_problems() {
        let q = OrderListQuery {
            order_numbers: vec!["a;b".into()],
            page: Some(0),
            ..Default::default()
        };
        let problems = q.validate().unwrap_err();
        assert_eq!(problems.0.len(), 2);
        assert_eq!(problems.0[0].path, "order_numbers[0]");
    }
}
