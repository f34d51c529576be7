// The batch from a body and its edits: JSON.parse of the body (V8 builds the objects), then
// the few changes the wasm module found (`webhookEdits`). The same step as the core's
// `WebhookEdits::apply_to`, whose tests prove it equals `parseWebhook`'s typed batch.

const ENVELOPE_KEYS = new Set(['project_name', 'orders', 'customers', 'products', 'variants', 'invoices']);
// The lists as the module numbers them.
const LIST_ORDER = ['orders', 'customers', 'products', 'variants', 'invoices'];
const LISTS = { orders: ['orders'], customers: ['customers'], products: ['products', 'variants'], invoices: ['invoices'] };

/** An own, enumerable property, even one named `__proto__` (as JSON.parse makes them). */
function put(object, key, value) {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** The batch: `text` is the body as JSON text, `e` the module's answer for it. */
export function applyEdits(text, e) {
  const doc = JSON.parse(text);
  const batch = {
    event: e.event,
    event_source: e.event_source,
    project_name: e.keep_project_name ? doc.project_name : e.project_name,
    entity: e.entity,
  };
  const lists = LISTS[e.entity];
  if (!lists) {
    const records = {};
    for (const key of Object.keys(doc)) if (!ENVELOPE_KEYS.has(key)) put(records, key, doc[key]);
    batch.records = records;
    return batch;
  }
  for (const key of lists) batch[key] = Array.isArray(doc[key]) ? doc[key] : [];
  // Four slots per edit: op (list * 4 + kind: 0 set, 1 remove, 2 replace), index, field (a
  // place in e.fields for a set, the name for a remove), value (see webhookEdits in
  // wasm/webhooks/src/lib.rs).
  const { edits, fields } = e;
  for (let i = 0; i < edits.length; i += 4) {
    const op = edits[i];
    const records = batch[LIST_ORDER[op >> 2]];
    const index = edits[i + 1];
    const kind = op & 3;
    if (kind === 0) records[index][fields[edits[i + 2]]] = edits[i + 3];
    else if (kind === 1) delete records[index][edits[i + 2]];
    else records[index] = edits[i + 3];
  }
  if (lists.length > 1 && batch.variants.length === 0) delete batch.variants;
  return batch;
}
