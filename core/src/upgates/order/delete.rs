//! `DELETE /orders?order_number=…&order_numbers=a;b`.

use serde::{Deserialize, Serialize};

use crate::lenient::optional as opt;
use crate::upgates::query::{QueryError, QueryReader, QueryWriter, check_list_values, multi};
use crate::validation::{At, NOTHING, Problem, Validate};

/// Which orders to delete; at least one number must be given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct OrderDeleteQuery {
    /// One order.
    #[serde(default, deserialize_with = "opt", skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// Several orders.
    #[serde(default, deserialize_with = "multi", skip_serializing_if = "Vec::is_empty")]
    pub order_numbers: Vec<String>,
}

impl OrderDeleteQuery {
    /// Delete these orders.
    #[must_use]
    pub fn numbers<S: Into<String>>(numbers: impl IntoIterator<Item = S>) -> Self {
        OrderDeleteQuery {
            order_number: None,
            order_numbers: numbers.into_iter().map(Into::into).collect(),
        }
    }

    /// The query parameters.
    #[must_use]
    pub fn to_query(&self) -> Vec<(String, String)> {
        QueryWriter::new()
            .opt("order_number", self.order_number.as_ref())
            .list("order_numbers", &self.order_numbers)
            .finish()
    }

    /// Reads the query back (the sandbox's side).
    ///
    /// # Errors
    /// Never for well-formed pairs; kept fallible like the other readers.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, QueryError> {
        let q = QueryReader::new(pairs);
        Ok(OrderDeleteQuery {
            order_number: q.text("order_number").filter(|s| !s.is_empty()),
            order_numbers: q.list("order_numbers", "order numbers joined with ;")?,
        })
    }

    /// Every order number named, in order.
    #[must_use]
    pub fn all_numbers(&self) -> Vec<&str> {
        self.order_number.iter().chain(&self.order_numbers).map(String::as_str).collect()
    }
}

impl Validate for OrderDeleteQuery {
    fn collect_problems(&self, out: &mut Vec<Problem>) {
        let root = At::root();
        if self.order_number.is_none() && self.order_numbers.is_empty() {
            out.push(
                root.field("order_numbers")
                    .problem("at least one order number (order_number or order_numbers)", NOTHING),
            );
        }
        check_list_values(&root.field("order_numbers"), &self.order_numbers, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_problems() {
        let q = OrderDeleteQuery::numbers(["1", "2"]);
        assert_eq!(q.to_query(), vec![("order_numbers".to_owned(), "1;2".to_owned())]);
        assert_eq!(OrderDeleteQuery::from_query(&q.to_query()).unwrap(), q);
        assert!(OrderDeleteQuery::default().validate().is_err());
    }
}
