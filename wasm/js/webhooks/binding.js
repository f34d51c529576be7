// The bridge to the webhook module (shopflow-wasm-webhooks): `{ok}` or `{err}` text out,
// errors as the package's classes. Each entry point hands its initialized module to
// `useWebhooksWasm` first.

import { toError } from '../errors.js';
import { applyEdits } from './apply.js';

let wasm;

/** Installs the initialized module's exports (called once by the entry point). */
export function useWebhooksWasm(exports) {
  wasm = exports;
}

function unwrap(text) {
  const r = JSON.parse(text);
  if (r.err) throw toError(r.err);
  return r.ok;
}

const decoder = new TextDecoder();

/** What receiver.js needs, from this module. */
export const core = {
  parseWebhook(body, event) {
    // A string goes into the module's memory as UTF-8 directly (`encodeInto` in the glue);
    // bytes are checked as they are and decoded once for JSON.parse.
    if (typeof body === 'string') return applyEdits(body, unwrap(wasm.webhookEditsOfText(body, event ?? '')));
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    if (!(bytes instanceof Uint8Array)) throw new TypeError('a body must be a string, Uint8Array or ArrayBuffer');
    return applyEdits(decoder.decode(bytes), unwrap(wasm.webhookEdits(bytes, event ?? '')));
  },
  webhookUrl: (base, secret, event) => unwrap(wasm.webhookUrl(base, secret, event)),
  verifyWebhook: (url, secret) => wasm.verifyWebhook(url, secret),
  checkSecret: (field, secret) => unwrap(wasm.checkSecret(field, typeof secret === 'string' ? secret : undefined)),
  webhookEventFromUrl: (url) => wasm.webhookEventFromUrl(url) || undefined,
};
