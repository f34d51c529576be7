// The Retailys client: the public surface over the core's exchange. The wasm `RetailysCore`
// runs the same client loop as the Upgates `Client` (attempts, 429 waited out per
// Retry-After, a refused token stopping the client, slots in flight) and builds and checks
// every request with the core's Retailys builders; this file only shapes calls and answers.
// Retailys takes one order per write, so there are no batches here.

import { core } from './binding.js';
import { NotFoundError } from './errors.js';
import { allPages, iteratePages } from './pages.js';

export class RetailysClient {
  #core;

  /**
   * @param {object} options See the README and index.d.ts: token, baseUrl (default
   *   https://api.retailys.com/v1), allowLocal, retries, onRateLimit ('wait' | 'throw'),
   *   maxWait (ms), concurrency, timeout (ms; timeoutMs is its older name), fetch.
   */
  constructor(options = {}) {
    const { fetch, ...settings } = options;
    if (fetch !== undefined && typeof fetch !== 'function') throw new TypeError('options.fetch must be a function');
    // The token stays inside the wasm module's memory from here on.
    this.#core = core.retailys(settings, fetch);
    this.orders = new Orders(this);
    this.statuses = new Statuses(this);
    this.shippers = new Shippers(this);
    this.events = new Events(this);
  }

  /** The API base URL in use. */
  get baseUrl() {
    return this.#core.baseUrl;
  }

  /** Requests this client has sent (every attempt, a refused one too). */
  get requestsSent() {
    return this.#core.requestsSent;
  }

  /**
   * Allows sending again after the instance refused the token (401) or a right (403). Until
   * then the client sends nothing more and every call throws the refusal's error.
   */
  resetCredentials() {
    this.#core.resetCredentials();
  }

  /** `GET /System/Me`: the app's user (a connection test). */
  me() {
    return this.call('me', {}, 'me');
  }

  /** One request: operation `op` with `args`, its answer read as `kind`. */
  call(op, args, kind) {
    return core.call(this.#core, op, args, kind);
  }
}

/** `{ id, body }`: the order a write is about, and its body. */
const on = (id, body) => ({ id, body });

class Orders {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** One page of `GET /System/Orders`: `{ items, currentPage, numberOfPages, …, nextPage, progress }`. */
  list(query = {}) {
    return this.#c.call('listOrders', query, 'orders');
  }

  /** Every order the query selects, page by page (`for await`), each once. */
  all(query = {}, { onProgress } = {}) {
    return iteratePages((q) => this.list(q), query, 'id', onProgress);
  }

  /** One order (`expanded`: full customer, channel, shipping and payment), or null. */
  async get(id, { expanded = false } = {}) {
    try {
      return await this.#c.call('getOrder', { id, expanded }, 'order');
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  /** Creates one order (`OrderPostRequest`); resolves to `{ id }`. */
  create(order) {
    return this.#c.call('createOrder', order, 'id');
  }

  /** Sets a status (from `statuses.list()`); resolves to the changed order. */
  setStatus(id, statusId) {
    return this.#c.call('setStatus', on(id, { status_id: statusId }), 'order');
  }

  /** Records a payment: `amount` paid (the order's `money` for all of it), gateway details optional. */
  markPaid(id, { amount, paymentId, status = 'success', url } = {}) {
    return this.#c.call('markPaid', on(id, { paid: amount, payment_id: paymentId, status, url }), 'order');
  }

  /** Sets a state flag: 'done', 'cancel', 'sent' or 'delivered'; resolves to the changed order. */
  setFlag(id, flag) {
    return this.#c.call('setFlag', { id, flag }, 'order');
  }

  /** Adds a parcel (`shipperId` from `shippers.list()`); resolves to `{ id }`. */
  addTracking(id, { shipperId, trackingNumber } = {}) {
    return this.#c.call('addTracking', on(id, { shipper_id: shipperId, tracking_number: trackingNumber }), 'id');
  }

  /** Adds a history record (`type` 'apps' unless given); resolves to `{ id }`. */
  addHistory(id, { name, status, type = 'apps' } = {}) {
    return this.#c.call('addHistory', on(id, { type, record: { name, status } }), 'id');
  }
}

class Statuses {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** Every order status of the instance. */
  list() {
    return allPages((q) => this.#c.call('statuses', q, 'statuses'), {}, 'id');
  }
}

class Shippers {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** Every carrier (the `shipperId` of a tracking number). */
  list() {
    return allPages((q) => this.#c.call('shippers', q, 'shippers'), {}, 'id');
  }
}

class Events {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** Every event subscription, or only those calling `path`. */
  list({ path } = {}) {
    return allPages((q) => this.#c.call('listEvents', q, 'events'), { path }, 'id');
  }

  /**
   * Subscribes to an event. Given `{ event, publicUrl, secret, condition? }`, Retailys calls
   * `{publicUrl}/retailys/{event}/{secret}` with the order id (and the status id for a
   * status change), which `retailysCallbackHandler` reads. Given a request with a `path`
   * (`{ event, path, method, parameters, condition }`), that request is sent as it is.
   * Resolves to `{ id }`.
   */
  subscribe(subscription) {
    const raw = typeof subscription === 'object' && subscription !== null && 'path' in subscription;
    return this.#c.call(raw ? 'createEvent' : 'subscribe', subscription, 'id');
  }

  /** Deletes a subscription; resolves to `{ id }`. */
  delete(id) {
    return this.#c.call('deleteEvent', { id }, 'id');
  }
}
