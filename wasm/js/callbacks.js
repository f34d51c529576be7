// Receiving Retailys event callbacks in serverless functions and Node: a Fetch-API handler
// for the callback path `{publicUrl}/retailys/{event}/{secret}` that `client.events.subscribe`
// registers. The core reads the call (the secret compared in constant time, the event from
// the path, the ids from the query, a form or JSON); this file answers HTTP.

import { core } from './binding.js';
import { ShopflowError } from './errors.js';
import { readLimited, reply } from './webhooks.js';

/** The largest callback body read by default: a callback carries ids only. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

const METHODS = ['GET', 'POST', 'PUT'];

/** The callback read from a request, or the Response refusing it. */
async function readCallback(request, secret, maxBytes) {
  if (!METHODS.includes(request.method)) return { refused: reply(405, 'callbacks are sent with GET, POST or PUT', { allow: METHODS.join(', ') }) };
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return { refused: reply(413, `the body has ${declared} bytes; at most ${maxBytes} are accepted`) };
  const body = await readLimited(request, maxBytes);
  if (body === null) return { refused: reply(413, `the body is larger than ${maxBytes} bytes`) };
  const url = new URL(request.url);
  try {
    return { event: core.readRetailysCallback(url.pathname, url.search.slice(1), body, secret) };
  } catch (e) {
    // The core's reasons never contain the secret.
    if (e instanceof ShopflowError && e.status) return { refused: reply(e.status, e.message) };
    throw e;
  }
}

/**
 * A Fetch-API handler (`Request -> Promise<Response>`) for Retailys event callbacks.
 *
 * It answers 2xx only once `onEvent(event, request)` has resolved, so the event can be
 * journaled (a queue, a database row) before Retailys hears that it arrived; if `onEvent`
 * throws, 500. A wrong secret gets 401, an event shopflow does not subscribe to 404, a call
 * without an order id 400, other methods than GET, POST and PUT 405, oversized bodies 413;
 * every refusal says why, and none repeats the secret. `event` is
 * `{ event, trigger: 'created' | 'updated', order_id, status_id }`.
 */
export function retailysCallbackHandler({ secret, onEvent, maxBytes = MAX_CALLBACK_BYTES } = {}) {
  core.checkSecret('secret', secret);
  if (typeof onEvent !== 'function') throw new TypeError('retailysCallbackHandler needs onEvent');
  return async (request) => {
    const { event, refused } = await readCallback(request, secret, maxBytes);
    if (refused) return refused;
    try {
      await onEvent(event, request);
    } catch {
      return reply(500, 'the event was not accepted');
    }
    return new Response(JSON.stringify({ accepted: true, event: event.event, order_id: event.order_id }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}
