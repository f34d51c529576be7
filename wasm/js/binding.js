// The bridge to the WebAssembly core: JSON text in, `{ok}` or `{err}` out; errors become
// ShopflowError subclasses. Each entry point (node, web, worker) hands its initialized wasm
// module to `useWasm` before anything runs.

import { bytesOf } from './body.js';
import { unwrap } from './errors.js';
import { webhooksCore } from './webhooks/core.js';

let wasm;

/** Installs the initialized wasm exports (called once by the entry point). */
export function useWasm(exports) {
  wasm = exports;
}

const encoder = new TextEncoder();

/** Runs `make`, turning the envelope text it may throw into the error of its code. */
function constructing(make) {
  try {
    return make();
  } catch (e) {
    if (typeof e === 'string') unwrap(e);
    throw e;
  }
}

export const core = {
  // The receiver's exports (webhookUrl, verifyWebhook, checkSecret, parseWebhook, …): this
  // module links the webhook entry's crate, and both entries read a body the same way.
  ...webhooksCore(() => wasm),
  /** The exchange of one client (the core's loop, sending with fetch through gloo-net). */
  client: (options, fetch, onRelocate) => constructing(() => new wasm.ClientCore(options, fetch, onRelocate)),
  /** The exchange of one Retailys client (the same loop, with the Retailys wire). */
  retailys: (options, fetch) => constructing(() => new wasm.RetailysCore(options, fetch)),
  /** Operation `op` of either client; `read` says how its answer is read. */
  call: async (client, op, args, read) => {
    const r = await client.call(op, JSON.stringify(args ?? {}), read);
    return typeof r === 'string' ? unwrap(r) : r;
  },
  write: async (client, op, listKey, shared, items) => unwrap(await client.write(op, listKey, JSON.stringify(shared), JSON.stringify(items))),
  budget: (client) => unwrap(client.budget()),
  parse: (kind, body) => unwrap(wasm.parse(kind, bytesOf(body))),
  page: (kind, body) => unwrap(wasm.page(kind, bytesOf(body))),
  validate: (kind, value) => unwrap(wasm.validate(kind, encoder.encode(JSON.stringify(value)))),
  reconcile: (kind, keys, body, offset) => unwrap(wasm.reconcile(kind, JSON.stringify(keys), bytesOf(body), offset)),
  legacyToV2: (body) => unwrap(wasm.legacyToV2(bytesOf(body))),
  readRetailysCallback: (path, query, body, secret) => unwrap(wasm.readRetailysCallback(path, query, bytesOf(body), secret)),
  maxItems: () => wasm.maxItemsPerRequest(),
  concurrencyLimit: () => wasm.concurrencyLimit(),
};
