// History records applyActions added before, kept in the caller's idempotency store, so that
// a redelivered webhook's actions add no record twice: what the rules service keeps in its
// journal's `noted` set, keyed the same way (an order's record is its name and value, from
// whichever delivery or action it came).
//
// The store is anything with `get(key)` (the value, or null/undefined when absent) and
// `put(key, value)`, each returning a value or a promise: a Workers KV namespace as it is, a
// Node `Map` wrapped as `{ get: (k) => map.get(k), put: (k, v) => void map.set(k, v) }`.

const encoder = new TextEncoder();

/** Throws unless `store` has the two methods this file calls. */
export function checkStore(store) {
  if (store === undefined) return;
  if (typeof store?.get !== 'function' || typeof store?.put !== 'function') {
    throw new TypeError('options.idempotencyStore must have get(key) and put(key, value): a Workers KV namespace, or a Map wrapped as { get: (k) => map.get(k), put: (k, v) => void map.set(k, v) }');
  }
}

/**
 * The store's key of the history record `(name, value)` of `order`: the order in clear (to
 * find an order's keys), the record as a SHA-256 digest (a name and value can be 550
 * characters; a KV key may have 512 bytes).
 */
export async function noteKey(order, name, value) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify([order, name, value])));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `shopflow:history:${order}:${hex}`;
}

/**
 * The `add_history` actions' records that `store` says were added before, as `data.history`
 * holds records (`{ [order]: [{ name, value }] }`), and the indexes of those actions. Throws
 * when the store cannot be read: then nothing has been sent.
 */
export async function storedNotes(store, actions) {
  const history = {};
  const indexes = new Set();
  if (!store) return { history, indexes };
  await Promise.all(
    actions.map(async (a, i) => {
      if (a?.action !== 'add_history') return;
      let found;
      try {
        found = await store.get(await noteKey(a.order, a.name, a.value));
      } catch (e) {
        throw new Error(`the idempotency store could not be read (${e?.message ?? e}); nothing was sent`, { cause: e });
      }
      if (found == null) return;
      indexes.add(i);
      (history[a.order] ??= []).push({ name: a.name, value: a.value });
    }),
  );
  return { history, indexes };
}

/**
 * Records that the `add_history` actions `added` are in the shop (the value: when). Returns
 * why not, when the store refused (the records are in the shop; a redelivery would add them
 * again).
 */
export async function putNotes(store, added) {
  if (!store) return null;
  try {
    const at = new Date().toISOString();
    for (const a of added) await store.put(await noteKey(a.order, a.name, a.value), at);
    return null;
  } catch (e) {
    return `added to the shop, but the idempotency store did not keep it (${e?.message ?? e}): a redelivery would add it again`;
  }
}
