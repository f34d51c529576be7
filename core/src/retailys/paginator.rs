//! `PaginatorModel`, the paging block of every Retailys list, and its conversion to [`Page`].
//!
//! Lists come as `{ "paginator": {page, per_page, pages, total}, "<items>": [...] }` (§1.6).
//! The envelopes themselves live next to their item models; they all turn into the crate's
//! [`Page`] through [`PaginatorModel::page_of`], so the paging loop is the one Upgates uses.

use serde::{Deserialize, Serialize};

use crate::lenient::optional as opt;
use crate::pagination::Page;

/// The paging block of a list answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PaginatorModel {
    /// This page's number (1 is the first).
    #[serde(default, deserialize_with = "opt")]
    pub page: Option<i64>,
    /// Items per page.
    #[serde(default, deserialize_with = "opt")]
    pub per_page: Option<i64>,
    /// How many pages there are.
    #[serde(default, deserialize_with = "opt")]
    pub pages: Option<i64>,
    /// How many items there are.
    #[serde(default, deserialize_with = "opt")]
    pub total: Option<i64>,
}

impl PaginatorModel {
    /// A paginator with every field set.
    #[must_use]
    pub fn new(page: i64, per_page: i64, pages: i64, total: i64) -> Self {
        PaginatorModel {
            page: Some(page),
            per_page: Some(per_page),
            pages: Some(pages),
            total: Some(total),
        }
    }

    /// The page holding `items`.
    ///
    /// Negative or oversized counts read as missing, and [`Page::from_parts`] fills them in.
    /// A page number of 0 reads as 1: the API documents 1 as the default, and a client that
    /// asked for `page=0` (as one public consumer does) got the first page. An empty page is
    /// the last one whatever `pages` says (§1.6: stop on an empty array), so a server that
    /// overstates `pages` cannot keep a loop asking forever.
    #[must_use]
    pub fn page_of<T>(&self, items: Vec<T>) -> Page<T> {
        let current = self.page.and_then(|p| u32::try_from(p).ok()).map(|p| p.max(1));
        let pages = if items.is_empty() {
            Some(current.unwrap_or(1))
        } else {
            self.pages.and_then(|p| u32::try_from(p).ok())
        };
        let on_page = u32::try_from(items.len()).ok();
        let total = self.total.and_then(|t| u64::try_from(t).ok());
        Page::from_parts(items, current, on_page, pages, total)
    }
}

/// The page of a list answer whose paginator may be missing.
#[must_use]
pub fn page_of<T>(paginator: Option<&PaginatorModel>, items: Vec<T>) -> Page<T> {
    paginator.copied().unwrap_or_default().page_of(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_until_the_last() {
        let p = PaginatorModel::new(1, 10, 3, 25).page_of(vec![0u8; 10]);
        assert_eq!((p.current_page, p.number_of_pages, p.number_of_items), (1, 3, 25));
        assert_eq!(p.next_page(), Some(2));
        assert_eq!(PaginatorModel::new(3, 10, 3, 25).page_of(vec![0u8; 5]).next_page(), None);
    }

    #[test]
    fn an_empty_page_is_the_last_and_zero_is_the_first() {
        let p = PaginatorModel::new(2, 10, 9, 90).page_of(Vec::<u8>::new());
        assert_eq!(p.next_page(), None);
        let zero = PaginatorModel::new(0, 10, 2, 12).page_of(vec![0u8; 10]);
        assert_eq!((zero.current_page, zero.next_page()), (1, Some(2)));
    }

    #[test]
    fn missing_and_nonsense_counts_are_filled_in() {
        let p = page_of(None, vec![1u8, 2]);
        assert_eq!((p.current_page, p.number_of_pages, p.number_of_items), (1, 1, 2));
        let neg = PaginatorModel::new(-1, -1, -5, -3).page_of(vec![1u8]);
        assert_eq!((neg.current_page, neg.number_of_pages, neg.number_of_items), (1, 1, 1));
        let read: PaginatorModel =
            serde_json::from_str(r#"{"page": "2", "per_page": 10.0, "pages": "", "total": null}"#)
                .unwrap();
        assert_eq!(
            read,
            PaginatorModel { page: Some(2), per_page: Some(10), ..Default::default() }
        );
    }
}
