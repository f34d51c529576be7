//! Reading a list page by page: the one loop behind every `stream` and every list read whole,
//! for both platforms. Each item comes once, even if pages shift while they are read (an
//! order placed meanwhile pushes the next page's first order onto this one's end).

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::hash::Hash;

use futures_util::Stream;
use shopflow_core::pagination::{Page, Progress};

/// Where a paged read stands.
struct Reading<Q, T, K, F, P> {
    next: Option<Q>,
    ready: VecDeque<T>,
    seen: HashSet<K>,
    fetch: F,
    tell: P,
}

/// Every item of a list, from the page `first` asks for on: `fetch` reads one page and names
/// the query of the next (`None` after the last), `key` identifies an item (one without a key
/// is never taken for a repeat), and `on_progress` hears of each page of `page_size` items.
/// The stream ends after the first error.
pub(crate) fn pages<'a, Q, T, K, E, F, Fut>(
    first: Q,
    fetch: F,
    key: fn(&T) -> Option<K>,
    page_size: u32,
    on_progress: impl FnMut(Progress) + 'a,
) -> impl Stream<Item = Result<T, E>> + 'a
where
    Q: 'a,
    T: 'a,
    K: Eq + Hash + 'a,
    E: 'a,
    F: FnMut(Q) -> Fut + 'a,
    Fut: Future<Output = Result<(Page<T>, Option<Q>), E>> + 'a,
{
    let start = Reading {
        next: Some(first),
        ready: VecDeque::new(),
        seen: HashSet::new(),
        fetch,
        tell: on_progress,
    };
    futures_util::stream::unfold(start, move |mut r| async move {
        loop {
            if let Some(item) = r.ready.pop_front() {
                return Some((Ok(item), r));
            }
            let query = r.next.take()?;
            match (r.fetch)(query).await {
                Ok((page, next)) => {
                    (r.tell)(page.progress(page_size));
                    r.next = next;
                    let seen = &mut r.seen;
                    let fresh =
                        page.items.into_iter().filter(|t| key(t).is_none_or(|k| seen.insert(k)));
                    r.ready.extend(fresh);
                }
                Err(e) => return Some((Err(e), r)),
            }
        }
    })
}
