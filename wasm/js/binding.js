// The bridge to the WebAssembly core: JSON text in, `{ok}` or `{err}` out; errors become
// ShopflowError subclasses. Each entry point (node, web, worker) hands its initialized wasm
// module to `useWasm` before anything runs.

import { toError } from './errors.js';

let wasm;

/** Installs the initialized wasm exports (called once by the entry point). */
export function useWasm(exports) {
  wasm = exports;
}

function unwrap(text) {
  const r = JSON.parse(text);
  if (r.err) throw toError(r.err);
  return r.ok;
}

const encoder = new TextEncoder();

/** Bytes of a body given as string, Uint8Array or ArrayBuffer. */
export function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'string') return encoder.encode(body);
  throw new TypeError('a body must be a string, Uint8Array or ArrayBuffer');
}

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
  parseWebhook: (body, event) => unwrap(wasm.parseWebhook(bytesOf(body), event ?? '')),
  validate: (kind, value) => unwrap(wasm.validate(kind, encoder.encode(JSON.stringify(value)))),
  reconcile: (kind, keys, body, offset) => unwrap(wasm.reconcile(kind, JSON.stringify(keys), bytesOf(body), offset)),
  legacyToV2: (body) => unwrap(wasm.legacyToV2(bytesOf(body))),
  webhookUrl: (base, secret, event) => unwrap(wasm.webhookUrl(base, secret, event)),
  verifyWebhook: (url, secret) => wasm.verifyWebhook(url, secret),
  /** Throws ValidationError (at `field`) unless `secret` follows the one receiver-secret rule. */
  checkSecret: (field, secret) => unwrap(wasm.checkSecret(field, typeof secret === 'string' ? secret : undefined)),
  readRetailysCallback: (path, query, body, secret) => unwrap(wasm.readRetailysCallback(path, query, bytesOf(body), secret)),
  webhookEventFromUrl: (url) => wasm.webhookEventFromUrl(url) || undefined,
  maxItems: () => wasm.maxItemsPerRequest(),
  concurrencyLimit: () => wasm.concurrencyLimit(),
};
