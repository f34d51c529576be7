// Paged lists as async iterators, for both clients: each page asked for in turn (the core's
// page reader says which comes next), each item yielded once even if pages shift while reading.

/** Iterates a paged list; `list(filter)` gives one page, `key` names an item's identity. */
export async function* iteratePages(list, filter, key, onProgress) {
  const seen = new Set();
  let page = filter.page ?? 1;
  for (;;) {
    const p = await list({ ...filter, page });
    if (onProgress) onProgress(p.progress);
    for (const item of p.items) {
      const k = item[key];
      if (seen.has(k)) continue;
      seen.add(k);
      yield item;
    }
    if (p.nextPage == null) return;
    page = p.nextPage;
  }
}

/** Every item of a paged list, in an array. */
export async function allPages(list, filter, key) {
  const out = [];
  for await (const item of iteratePages(list, filter, key)) out.push(item);
  return out;
}
