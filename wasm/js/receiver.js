// Receiving Upgates webhooks in serverless functions: the URL to register, checking it, reading
// the body, and a Fetch-API handler (Workers, Vercel, Node 18+) that acknowledges fast.
// Written once over a `core` (the module's exports the receiver needs), for both entries that
// export it: `shopflow` (the client's module) and `shopflow/webhooks` (a small module of its
// own, webhooks/binding.js).

import { ShopflowError } from './errors.js';

/** The largest body the handler reads by default (5000 records is about 1 MB). */
export const MAX_WEBHOOK_BYTES = 10 * 1024 * 1024;

/**
 * The receiver's functions over `core`: `webhookUrl`, `checkSecret`, `verifyWebhook`,
 * `webhookEventFromUrl` and `parseWebhook(body, event)` as the entry's binding provides them.
 */
export function receiver(core) {
  /** The URL to register for `event`: `{base}/{event}?shopflow_secret={secret}`. */
  function webhookUrl(base, secret, event) {
    return core.webhookUrl(String(base), String(secret), String(event));
  }

  /**
   * Whether a call's URL carries the secret (constant-time comparison). A secret that
   * `webhookUrl` would refuse (missing, short, URL-special characters) throws ValidationError:
   * it could never match, and a receiver that silently answers 401 forever hides the mistake.
   */
  function verifyWebhook(url, secret) {
    core.checkSecret('secret', secret);
    return core.verifyWebhook(String(url), secret);
  }

  /** A webhook body (string, Uint8Array or ArrayBuffer) as a typed batch. */
  function parseWebhook(body, { event } = {}) {
    return core.parseWebhook(body, event);
  }

  return { webhookUrl, verifyWebhook, parseWebhook, webhookHandler: (options) => webhookHandler(core, options) };
}

/** A random secret for a webhook URL: 32 bytes as hex. */
export function generateSecret() {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How many records a batch holds. */
export function batchSize(batch) {
  return ['orders', 'customers', 'products', 'variants', 'invoices'].reduce((n, k) => n + (Array.isArray(batch[k]) ? batch[k].length : 0), 0);
}

/** A JSON error answer `{ error }` (also the Retailys callback handler's). */
export function reply(status, message, headers = {}) {
  return new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** The body, or null when it is longer than `max` bytes (reading stops there). */
export async function readLimited(request, max) {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * A Fetch-API handler (`Request -> Promise<Response>`) for one webhook URL (`receiver`'s
 * `webhookHandler(options)`).
 *
 * Upgates waits 1 second for an answer, so `onBatch` should enqueue the batch (a queue, a
 * database row, a Durable Object) and return, not process it: the handler answers 200 as soon
 * as `onBatch` resolves, and 500 if it throws (Upgates then sends the batch again).
 * Bad secrets get 401, wrong methods 405, oversized bodies 413, unreadable bodies 400.
 * `event` is the event this URL was registered for; without it, it is read from the URL's
 * last path segment (as `webhookUrl` builds it), and failing that inferred from the body.
 */
function webhookHandler(core, { secret, event, onBatch, maxBytes = MAX_WEBHOOK_BYTES }) {
  core.checkSecret('secret', secret);
  if (typeof onBatch !== 'function') throw new TypeError('webhookHandler needs onBatch');
  return async (request) => {
    if (request.method !== 'POST') return reply(405, 'webhooks are sent with POST', { allow: 'POST' });
    if (!core.verifyWebhook(request.url, secret)) return reply(401, 'wrong or missing webhook secret');
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > maxBytes) return reply(413, `the body has ${declared} bytes; at most ${maxBytes} are accepted`);
    const body = await readLimited(request, maxBytes);
    if (body === null) return reply(413, `the body is larger than ${maxBytes} bytes`);
    let batch;
    try {
      batch = core.parseWebhook(body, event ?? core.webhookEventFromUrl(request.url));
    } catch (e) {
      if (e instanceof ShopflowError) return reply(400, `not a webhook body: ${e.message}`);
      throw e;
    }
    try {
      await onBatch(batch, request);
    } catch {
      return reply(500, 'the batch was not accepted; Upgates will send it again');
    }
    return new Response(JSON.stringify({ accepted: batchSize(batch), event: batch.event }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}
