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
const encoder = new TextEncoder();

/** The body as bytes (for the module) and as text (for JSON.parse). */
function both(body) {
  if (typeof body === 'string') return [encoder.encode(body), body];
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  if (!(bytes instanceof Uint8Array)) throw new TypeError('a body must be a string, Uint8Array or ArrayBuffer');
  return [bytes, decoder.decode(bytes)];
}

/** What receiver.js needs, from this module. */
export const core = {
  parseWebhook(body, event) {
    const [bytes, text] = both(body);
    return applyEdits(text, unwrap(wasm.webhookEdits(bytes, event ?? '')));
  },
  webhookUrl: (base, secret, event) => unwrap(wasm.webhookUrl(base, secret, event)),
  verifyWebhook: (url, secret) => wasm.verifyWebhook(url, secret),
  checkSecret: (field, secret) => unwrap(wasm.checkSecret(field, typeof secret === 'string' ? secret : undefined)),
  webhookEventFromUrl: (url) => wasm.webhookEventFromUrl(url) || undefined,
};
