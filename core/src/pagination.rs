//! Pages of a list and the decision whether to ask for the next one.
//!
//! List endpoints return one fixed-size page (`current_page`, `number_of_pages`, …) and
//! nothing about "next". [`Page`] holds one page and answers which page to request next;
//! it stops at `current_page >= number_of_pages`, on zero pages, and when the server
//! omits `current_page_items`.

use serde::Serialize;

/// One page of a list. (Written in camelCase: it is the npm package's shape, not the API's.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number, 1-based.
    pub current_page: u32,
    /// How many items this page holds, when the server says.
    pub current_page_items: Option<u32>,
    /// How many pages the list has (0 for an empty list).
    pub number_of_pages: u32,
    /// How many items the list has.
    pub number_of_items: u64,
}

impl<T> Page<T> {
    /// A page from the paging fields as a list response gave them, filling in what the
    /// server left out: a missing page number is 1, a missing page count makes this page
    /// the last, a missing total is the items on this page.
    #[must_use]
    pub fn from_parts(
        items: Vec<T>,
        current_page: Option<u32>,
        current_page_items: Option<u32>,
        number_of_pages: Option<u32>,
        number_of_items: Option<u64>,
    ) -> Self {
        let current_page = current_page.unwrap_or(1);
        Page {
            current_page,
            current_page_items,
            number_of_pages: number_of_pages.unwrap_or(current_page),
            number_of_items: number_of_items.unwrap_or(items.len() as u64),
            items,
        }
    }

    /// Whether there is no page after this one.
    #[must_use]
    pub fn is_last(&self) -> bool {
        self.current_page >= self.number_of_pages
    }

    /// The number of the next page, or `None` after the last.
    #[must_use]
    pub fn next_page(&self) -> Option<u32> {
        if self.is_last() { None } else { self.current_page.checked_add(1) }
    }

    /// Progress for a callback: this page, of how many, and items seen up to this page
    /// assuming every earlier page was full (`page_size` items).
    #[must_use]
    pub fn progress(&self, page_size: u32) -> Progress {
        let before = u64::from(self.current_page.saturating_sub(1)) * u64::from(page_size);
        Progress {
            page: self.current_page,
            pages: self.number_of_pages,
            items_so_far: before + self.items.len() as u64,
            items_total: self.number_of_items,
        }
    }
}

/// Where a paged read has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// The page just read.
    pub page: u32,
    /// How many pages there are.
    pub pages: u32,
    /// Items read so far.
    pub items_so_far: u64,
    /// Items in the whole list.
    pub items_total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(current: u32, pages: u32, n: usize) -> Page<u8> {
        Page {
            items: vec![0; n],
            current_page: current,
            current_page_items: None,
            number_of_pages: pages,
            number_of_items: 250,
        }
    }

    #[test]
    fn walks_until_the_last_page() {
        assert_eq!(page(1, 3, 100).next_page(), Some(2));
        assert_eq!(page(2, 3, 100).next_page(), Some(3));
        assert_eq!(page(3, 3, 50).next_page(), None);
    }

    #[test]
    fn zero_pages_and_overshoot_stop() {
        assert_eq!(page(1, 0, 0).next_page(), None);
        assert_eq!(page(5, 3, 0).next_page(), None);
        assert_eq!(page(u32::MAX, u32::MAX, 0).next_page(), None);
    }

    #[test]
    fn progress_counts_items() {
        let p = page(3, 3, 50).progress(100);
        assert_eq!((p.page, p.pages, p.items_so_far, p.items_total), (3, 3, 250, 250));
    }
}
