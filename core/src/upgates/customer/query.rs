//! Filters of `GET /customers` and the list response.

use serde::{Deserialize, Serialize};

use crate::date::ApiDate;
use crate::lenient::{list, optional as opt};
use crate::pagination::Page;
use crate::upgates::customer::object::{Customer, NewsletterAccept};
use crate::upgates::query::{QueryError, QueryReader, QueryWriter, multi};
use crate::validation::{At, Problem, Validate};

/// Customers per page; fixed by the server.
pub const CUSTOMERS_PER_PAGE: u32 = 100;

/// Filters for listing customers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerListQuery {
    /// Created at or after.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub creation_time_from: Option<ApiDate>,
    /// Changed at or after.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub last_update_time_from: Option<ApiDate>,
    /// Customer code.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// One customer, by id.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<u64>,
    /// Several customers, by id.
    #[serde(default, deserialize_with = "multi", skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<u64>,
    /// Active or inactive accounts.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub active_yn: Option<bool>,
    /// Blocked or unblocked accounts.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub blocked_yn: Option<bool>,
    /// Language.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Pricelist.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub pricelist: Option<String>,
    /// E-mail.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Company name.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Company number (IČO; the blueprint swaps the two descriptions).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_number: Option<String>,
    /// VAT number (DIČ).
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub company_vat_number: Option<String>,
    /// Page, 1-based.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Newsletter consent.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub newsletter_accept: Option<NewsletterAccept>,
}

impl CustomerListQuery {
    /// Customers with these ids.
    #[must_use]
    pub fn by_ids(ids: impl IntoIterator<Item = u64>) -> Self {
        CustomerListQuery { ids: ids.into_iter().collect(), ..Self::default() }
    }

    /// The same filters for another page.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        CustomerListQuery { page: Some(page), ..self.clone() }
    }

    /// The query for the page after `page`, or `None` after the last.
    #[must_use]
    pub fn next<T>(&self, page: &Page<T>) -> Option<Self> {
        page.next_page().map(|n| self.with_page(n))
    }

    /// The query parameters.
    #[must_use]
    pub fn to_query(&self) -> Vec<(String, String)> {
        QueryWriter::new()
            .opt("creation_time_from", self.creation_time_from.as_ref())
            .opt("last_update_time_from", self.last_update_time_from.as_ref())
            .opt("code", self.code.as_ref())
            .opt("customer_id", self.customer_id.as_ref())
            .list("ids", &self.ids)
            .flag("active_yn", self.active_yn)
            .flag("blocked_yn", self.blocked_yn)
            .opt("language", self.language.as_ref())
            .opt("pricelist", self.pricelist.as_ref())
            .opt("email", self.email.as_ref())
            .opt("phone", self.phone.as_ref())
            .opt("company_name", self.company_name.as_ref())
            .opt("company_number", self.company_number.as_ref())
            .opt("company_vat_number", self.company_vat_number.as_ref())
            .opt("page", self.page.as_ref())
            .opt("newsletter_accept", self.newsletter_accept.as_ref())
            .finish()
    }

    /// Reads filters from decoded query pairs (the sandbox's side).
    ///
    /// # Errors
    /// The first parameter that does not hold what it should.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, QueryError> {
        let q = QueryReader::new(pairs);
        let text = |k: &str| q.text(k).filter(|s| !s.is_empty());
        const DATE: &str = "a date like 2024-02-29 or 2024-02-29T14:24:49+01:00";
        Ok(CustomerListQuery {
            creation_time_from: q.parsed("creation_time_from", DATE)?,
            last_update_time_from: q.parsed("last_update_time_from", DATE)?,
            code: text("code"),
            customer_id: q.parsed("customer_id", "a customer id")?,
            ids: q.list("ids", "customer ids joined with ;")?,
            active_yn: q.flag("active_yn")?,
            blocked_yn: q.flag("blocked_yn")?,
            language: text("language"),
            pricelist: text("pricelist"),
            email: text("email"),
            phone: text("phone"),
            company_name: text("company_name"),
            company_number: text("company_number"),
            company_vat_number: text("company_vat_number"),
            page: q.parsed("page", "a page number (1, 2, …)")?,
            newsletter_accept: text("newsletter_accept")
                .map(|s| NewsletterAccept::from(s.as_str())),
        })
    }
}

impl Validate for CustomerListQuery {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        if self.page == Some(0) {
            out.push(At::root().field("page").problem("a page number from 1", "0"));
        }
    }
}

/// One page of `GET /customers`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct CustomerList {
    /// This page's number.
    #[serde(default, deserialize_with = "opt")]
    pub current_page: Option<u32>,
    /// Customers on this page.
    #[serde(default, deserialize_with = "opt")]
    pub current_page_items: Option<u32>,
    /// Pages in total.
    #[serde(default, deserialize_with = "opt")]
    pub number_of_pages: Option<u32>,
    /// Customers in total.
    #[serde(default, deserialize_with = "opt")]
    pub number_of_items: Option<u64>,
    /// The customers.
    #[serde(default, deserialize_with = "list")]
    pub customers: Vec<Customer>,
}

impl CustomerList {
    /// The page; paging fields the server left out are filled in by [`Page::from_parts`].
    #[must_use]
    pub fn into_page(self) -> Page<Customer> {
        Page::from_parts(
            self.customers,
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
    fn filters_round_trip() {
        let q = CustomerListQuery {
            ids: vec![3, 7],
            active_yn: Some(false),
            email: Some("a@b.cz".into()),
            newsletter_accept: Some(NewsletterAccept::Yes),
            page: Some(2),
            ..Default::default()
        };
        assert_eq!(CustomerListQuery::from_query(&q.to_query()).unwrap(), q);
    }
}
