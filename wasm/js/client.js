// The Upgates client: the public surface over the core's exchange. The wasm `ClientCore` runs
// the one client loop every shopflow client runs (budget, slots in flight, retries, 401/403
// stopping the client, 429, relocation, lost creates, chunked writes) and sends with `fetch`
// through gloo-net; this file only shapes calls and answers for JavaScript.

import { core } from './binding.js';
import { ItemsFailedError, ShopflowError } from './errors.js';
import { iteratePages } from './pages.js';

const silent = Object.freeze({ emails: false, sms: false });

export class Client {
  #core;
  #notify;

  /**
   * @param {object} options See the README and index.d.ts: baseUrl, login, apiKey, concurrency,
   *   fetch, onRateLimit ('wait' | 'throw'), maxWait (ms), onRelocate, allowLocal, retries,
   *   timeout (ms), notify ({ emails, sms }, default: neither).
   */
  constructor(options = {}) {
    const { fetch, onRelocate, notify = silent, ...settings } = options;
    if (fetch !== undefined && typeof fetch !== 'function') throw new TypeError('options.fetch must be a function');
    if (onRelocate !== undefined && typeof onRelocate !== 'function') throw new TypeError('options.onRelocate must be a function');
    // The key stays inside the wasm module's memory from here on.
    this.#core = core.client(settings, fetch, onRelocate);
    this.#notify = { emails: Boolean(notify.emails), sms: Boolean(notify.sms) };
    this.orders = new Orders(this);
    this.orderStatuses = new OrderStatuses(this);
    this.customers = new Customers(this);
    this.webhooks = new Webhooks(this);
  }

  /** The API base URL in use (it changes when the shop moves). */
  get baseUrl() {
    return this.#core.baseUrl;
  }

  /** The request budget as the shop last reported it (X-Rate-Limit-*), adjusted since. */
  get budget() {
    return core.budget(this.#core);
  }

  /** Requests left in the budget, if the shop has said. */
  get remaining() {
    return this.budget.total_remaining ?? undefined;
  }

  /** Requests this client has sent (every attempt counts against the shop's budget). */
  get requestsSent() {
    return this.#core.requestsSent;
  }

  /**
   * Allows sending again after the shop refused the login or key (401/403). Until then the
   * client sends nothing: five refused logins in an hour lock the shop's API user.
   */
  resetCredentials() {
    this.#core.resetCredentials();
  }

  /** `GET /status`: which endpoints this API user may use. */
  status() {
    return this.call('apiStatus', {}, 'api-status');
  }

  /** What a write says about notifying customers: the call's choice, else the client's. */
  notifyFlags(notify) {
    const n = notify ?? this.#notify;
    return { send_emails_yn: Boolean(n.emails), send_sms_yn: Boolean(n.sms) };
  }

  /** One logical request. Returns the parsed answer of `kind`, or the body bytes when `kind` is null. */
  call(op, args, kind) {
    return core.call(this.#core, op, args, kind ? `parse:${kind}` : '');
  }

  /** One page of a list: `{ items, …, nextPage, progress }`. */
  page(op, args, kind) {
    return core.call(this.#core, op, args, `page:${kind}`);
  }

  /**
   * A write of `items` in chunks of 100: every chunk is checked before any is sent, and every
   * item's outcome comes back in the caller's order. Throws ItemsFailedError (with all
   * outcomes) when the shop refused some items, or the error of the cause (with `results`)
   * when a request failed as a whole.
   */
  write(op, listKey, items, shared) {
    if (!Array.isArray(items)) throw new TypeError(`${listKey} must be an array`);
    return core.write(this.#core, op, listKey, shared, items);
  }
}

class Orders {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** One page of `GET /orders`: `{ items, currentPage, numberOfPages, …, nextPage, progress }` (what `parse('order-list', body)` gives). */
  list(filter = {}) {
    return this.#c.page('listOrders', filter, 'order-list');
  }

  /** Every order the filter selects, page by page (`for await`). */
  iterate(filter = {}, { onProgress } = {}) {
    return iteratePages((f) => this.list(f), filter, 'order_number', onProgress);
  }

  /** The orders with these numbers, 100 per request. */
  async byNumbers(numbers) {
    const out = [];
    for (let i = 0; i < numbers.length; i += core.maxItems()) {
      const page = await this.list({ order_numbers: numbers.slice(i, i + core.maxItems()) });
      out.push(...page.items);
    }
    return out;
  }

  /** One order, or null when there is none. */
  async get(orderNumber) {
    try {
      const detail = await this.#c.call('getOrder', { orderNumber }, 'order-detail');
      return detail.orders[0] ?? null;
    } catch (e) {
      if (e instanceof ShopflowError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /** Creates orders (chunked). Customers are not notified unless `notify` says so. */
  create(orders, { notify } = {}) {
    return this.#c.write('createOrders', 'orders', orders, this.#c.notifyFlags(notify));
  }

  /** Changes orders (chunked). Customers are not notified unless `notify` says so. */
  update(orders, { notify, deleteMissingProducts = false } = {}) {
    const shared = { ...this.#c.notifyFlags(notify), delete_missing_products_yn: deleteMissingProducts };
    return this.#c.write('updateOrders', 'orders', orders, shared);
  }

  /** Deletes orders by number (100 per request). */
  async delete(orderNumbers) {
    const results = [];
    for (let i = 0; i < orderNumbers.length; i += core.maxItems()) {
      const chunk = orderNumbers.slice(i, i + core.maxItems());
      const body = await this.#c.call('deleteOrders', { order_numbers: chunk }, null);
      results.push(...core.reconcile('order-delete-response', chunk, body, i));
    }
    if (results.some((r) => !r.ok)) throw new ItemsFailedError(results);
    return results;
  }

  /** The order's PDF document (bytes). */
  pdf(orderNumber) {
    return this.#c.call('orderPdf', { orderNumber }, null);
  }

  /** The order's history. */
  history(orderNumber) {
    return this.#c.call('orderHistory', { orderNumber }, 'order-history-list');
  }

  /**
   * Adds one history record (`name` ≤ 50 and `value` ≤ 500 characters), or, given an array
   * of `{ name, value }` pairs, one record holding them all (one request).
   */
  async addHistory(orderNumber, name, value) {
    const data = Array.isArray(name) ? name : [{ name, value }];
    const r = await this.#c.call('addOrderHistory', { orderNumber, data }, 'order-history-create-response');
    const failed = r.updated === false || (r.messages ?? []).some((m) => m.level === 'error' || m.level === 'fatal_error');
    if (failed) throw new ItemsFailedError([{ index: 0, key: orderNumber, ok: false, messages: r.messages ?? [] }]);
    return r;
  }
}

class OrderStatuses {
  #c;
  constructor(client) {
    this.#c = client;
  }
  async list({ type } = {}) {
    return (await this.#c.call('listOrderStatuses', { type }, 'order-status-list')).order_statuses;
  }
  async get(id) {
    return (await this.#c.call('listOrderStatuses', { id }, 'order-status-list')).order_statuses[0] ?? null;
  }
  async #write(status, kind) {
    const r = (await this.#c.call('writeOrderStatus', status, kind)).order_status;
    const ok = (r?.created_yn ?? r?.updated_yn) !== false && !(r?.messages ?? []).some((m) => m.level === 'error');
    if (!ok) throw new ItemsFailedError([{ index: 0, key: String(status.id ?? ''), ok: false, messages: r?.messages ?? [] }]);
    return r;
  }
  create(status) {
    return this.#write({ ...status, id: undefined }, 'order-status-create-response');
  }
  update(status) {
    return this.#write(status, 'order-status-update-response');
  }
  async delete(id) {
    return (await this.#c.call('deleteOrderStatus', { id }, 'order-status-delete-response')).order_status;
  }
}

class Customers {
  #c;
  constructor(client) {
    this.#c = client;
  }
  list(filter = {}) {
    return this.#c.page('listCustomers', filter, 'customer-list');
  }
  iterate(filter = {}, { onProgress } = {}) {
    return iteratePages((f) => this.list(f), filter, 'customer_id', onProgress);
  }
  async get(customerId) {
    return (await this.list({ customer_id: customerId })).items[0] ?? null;
  }
  create(customers) {
    return this.#c.write('createCustomers', 'customers', customers, {});
  }
  update(customers) {
    return this.#c.write('updateCustomers', 'customers', customers, {});
  }
  async delete(query) {
    return this.#c.call('deleteCustomers', query, 'customer-delete-response');
  }
}

class Webhooks {
  #c;
  constructor(client) {
    this.#c = client;
  }
  async list() {
    return (await this.#c.call('listWebhooks', {}, 'webhook-list')).webhooks;
  }
  async get(id) {
    return (await this.#c.call('listWebhooks', { id }, 'webhook-list')).webhooks[0] ?? null;
  }
  async create({ name, url, event, active_yn = true }) {
    return (await this.#c.call('createWebhook', { name, url, event, active_yn }, 'webhook-create-response')).webhook;
  }
  async update(change) {
    return (await this.#c.call('updateWebhook', change, 'webhook-update-response')).webhook;
  }
  async delete(ids) {
    return (await this.#c.call('deleteWebhooks', { ids: [].concat(ids) }, 'webhook-delete-response')).webhooks;
  }
  async events() {
    return (await this.#c.call('webhookEvents', {}, 'webhook-event-list')).events;
  }
}
