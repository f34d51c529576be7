//! The filters of `GET /System/Orders` (spec §2.1), written as query pairs and read back
//! (the sandbox reads what the client writes).

use crate::date::ApiDate;
use crate::validation::{At, Problem, Validate, quoted};

/// The smallest and largest `per_page` Retailys accepts for orders.
pub const PER_PAGE: (u32, u32) = (10, 250);

/// Filters of the order list. Unset filters are left out of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderListQuery {
    /// Sales channel.
    pub channel_id: Option<i64>,
    /// The seller's own company.
    pub company_id: Option<i64>,
    /// The customer (a `/System/People` user id).
    pub customer_id: Option<i64>,
    /// Finished orders only (`true`) or unfinished only (`false`).
    pub done: Option<bool>,
    /// Canceled orders only, or not canceled.
    pub canceled: Option<bool>,
    /// In this status.
    pub status_id: Option<i64>,
    /// Ordered from.
    pub from: Option<ApiDate>,
    /// Ordered until.
    pub to: Option<ApiDate>,
    /// With this parcel number.
    pub tracking: Option<String>,
    /// The page (1 is the first).
    pub page: Option<u32>,
    /// Orders per page (10 to 250).
    pub per_page: Option<u32>,
    /// Full models instead of references for customer, channel, shipping and payment.
    pub expanded: Option<bool>,
}

impl OrderListQuery {
    /// The same filters on page `page`.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        OrderListQuery { page: Some(page), ..self.clone() }
    }

    /// The query pairs, in a fixed order; booleans as `true`/`false`, dates in RFC 3339.
    #[must_use]
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                q.push((k.to_owned(), v));
            }
        };
        put("channel_id", self.channel_id.map(|v| v.to_string()));
        put("company_id", self.company_id.map(|v| v.to_string()));
        put("customer_id", self.customer_id.map(|v| v.to_string()));
        put("done", self.done.map(|v| v.to_string()));
        put("canceled", self.canceled.map(|v| v.to_string()));
        put("status_id", self.status_id.map(|v| v.to_string()));
        put("from", self.from.map(|v| v.to_string()));
        put("to", self.to.map(|v| v.to_string()));
        put("tracking", self.tracking.clone());
        put("page", self.page.map(|v| v.to_string()));
        put("per_page", self.per_page.map(|v| v.to_string()));
        put("expanded", self.expanded.map(|v| v.to_string()));
        q
    }

    /// Reads query pairs back; unknown keys are ignored, and a value that does not read is
    /// a problem naming the key.
    ///
    /// # Errors
    /// Every value that does not read.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, Vec<Problem>> {
        let mut q = OrderListQuery::default();
        let mut problems = Vec::new();
        for (k, v) in pairs {
            let at = At::root().field(k);
            let bad = |what: &str| at.problem(what.to_owned(), quoted(v));
            let int = || v.parse::<i64>().map_err(|_| bad("a whole number"));
            let boolean = || match v.as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(bad("true or false")),
            };
            let small = || v.parse::<u32>().map_err(|_| bad("a page number"));
            let date = || v.parse::<ApiDate>().map_err(|_| bad("an RFC 3339 date-time"));
            let read = match k.as_str() {
                "channel_id" => int().map(|n| q.channel_id = Some(n)),
                "company_id" => int().map(|n| q.company_id = Some(n)),
                "customer_id" => int().map(|n| q.customer_id = Some(n)),
                "status_id" => int().map(|n| q.status_id = Some(n)),
                "done" => boolean().map(|b| q.done = Some(b)),
                "canceled" => boolean().map(|b| q.canceled = Some(b)),
                "expanded" => boolean().map(|b| q.expanded = Some(b)),
                "from" => date().map(|d| q.from = Some(d)),
                "to" => date().map(|d| q.to = Some(d)),
                "tracking" => {
                    q.tracking = Some(v.clone());
                    Ok(())
                }
                "page" => small().map(|n| q.page = Some(n)),
                "per_page" => small().map(|n| q.per_page = Some(n)),
                _ => Ok(()),
            };
            if let Err(p) = read {
                problems.push(p);
            }
        }
        if problems.is_empty() { Ok(q) } else { Err(problems) }
    }
}

impl Validate for OrderListQuery {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let (min, max) = PER_PAGE;
        if let Some(n) = self.per_page
            && !(min..=max).contains(&n)
        {
            out.push(
                At::root().field("per_page").problem(format!("{min} to {max}"), n.to_string()),
            );
        }
        if self.page == Some(0) {
            out.push(At::root().field("page").problem("1 or more (1 is the first page)", "0"));
        }
        if self.tracking.as_deref().is_some_and(|t| t.trim().is_empty()) {
            out.push(At::root().field("tracking").problem("a parcel number", "an empty text"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_the_same_filters() {
        let q = OrderListQuery {
            status_id: Some(3),
            done: Some(false),
            from: Some("2019-12-01T08:15:30+01:00".parse().unwrap()),
            per_page: Some(250),
            ..OrderListQuery::default()
        };
        let pairs = q.to_query();
        assert_eq!(pairs[0], ("done".to_owned(), "false".to_owned()));
        assert!(pairs.iter().any(|(k, v)| k == "from" && v == "2019-12-01T08:15:30+01:00"));
        assert_eq!(OrderListQuery::from_query(&pairs).unwrap(), q);
    }

    #[test]
    fn per_page_and_page_are_checked() {
        let q = OrderListQuery { per_page: Some(5), page: Some(0), ..OrderListQuery::default() };
        let p = q.validate().unwrap_err();
        assert_eq!(p.0.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["per_page", "page"]);
        let bad = OrderListQuery::from_query(&[("done".into(), "maybe".into())]).unwrap_err();
        assert_eq!(bad[0].path, "done");
    }
}
