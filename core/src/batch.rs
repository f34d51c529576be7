//! Splitting writes into requests the API accepts.
//!
//! POST and PUT take at most 100 items; one more and the API answers 413 and processes
//! nothing. [`chunk`] splits a batch into requests of at most [`MAX_ITEMS_PER_REQUEST`],
//! each remembering where it starts so per-item results map back to the caller's records.

use crate::validation::{At, Problem};

/// The most items one POST or PUT may carry.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;

/// A write request made of a list of items and settings shared by all of them.
pub trait Batch: Sized {
    /// One item (an order, a customer).
    type Item: Clone;

    /// The items.
    fn items(&self) -> &[Self::Item];

    /// The same request (same shared settings) carrying other items.
    #[must_use]
    fn with_items(&self, items: Vec<Self::Item>) -> Self;
}

/// One request's worth of a larger batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<B> {
    /// Index in the original batch of this chunk's first item.
    pub offset: usize,
    /// The request to send.
    pub request: B,
}

/// Splits `batch` into requests of at most `size` items (clamped to 1..=100), in order.
/// An empty batch gives no chunks.
#[must_use]
pub fn chunk<B: Batch>(batch: &B, size: usize) -> Vec<Chunk<B>> {
    let size = size.clamp(1, MAX_ITEMS_PER_REQUEST);
    batch
        .items()
        .chunks(size)
        .enumerate()
        .map(|(i, items)| Chunk { offset: i * size, request: batch.with_items(items.to_vec()) })
        .collect()
}

/// Reports a batch that is empty or larger than one request may be.
pub fn check_size(list: &At, len: usize, what: &str, out: &mut Vec<Problem>) {
    if len == 0 {
        out.push(list.problem(format!("at least one {what}"), "an empty list"));
    } else if len > MAX_ITEMS_PER_REQUEST {
        out.push(list.problem(
            format!(
                "at most {MAX_ITEMS_PER_REQUEST} {what}s per request (the API answers 413 and processes nothing; split it with the chunking helper)"
            ),
            format!("{len} {what}s"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Req {
        flag: bool,
        items: Vec<u32>,
    }

    impl Batch for Req {
        type Item = u32;
        fn items(&self) -> &[u32] {
            &self.items
        }
        fn with_items(&self, items: Vec<u32>) -> Self {
            Req { flag: self.flag, items }
        }
    }

    #[test]
    fn chunks_keep_order_offsets_and_shared_settings() {
        let req = Req { flag: true, items: (0..250).collect() };
        let chunks = chunk(&req, 100);
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks.iter().map(|c| c.offset).collect::<Vec<_>>(), vec![0, 100, 200]);
        assert_eq!(chunks[2].request.items.len(), 50);
        assert!(chunks.iter().all(|c| c.request.flag));
        let rejoined: Vec<u32> = chunks.into_iter().flat_map(|c| c.request.items).collect();
        assert_eq!(rejoined, req.items);
    }

    #[test]
    fn size_is_clamped_to_the_api_limit() {
        let req = Req { flag: false, items: (0..250).collect() };
        assert_eq!(chunk(&req, 1000).len(), 3);
        assert_eq!(chunk(&req, 0).len(), 250);
        assert!(chunk(&Req { flag: false, items: vec![] }, 100).is_empty());
    }

    #[test]
    fn size_problems() {
        let mut out = Vec::new();
        check_size(&At::root().field("orders"), 101, "order", &mut out);
        check_size(&At::root().field("orders"), 0, "order", &mut out);
        check_size(&At::root().field("orders"), 100, "order", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].found, "101 orders");
    }
}
