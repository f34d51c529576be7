// The Upgates client: a short loop over the core's decisions. The core builds and checks each
// request, reads each answer, and says what to do next (accept, wait and retry, follow a
// relocation, look a create up before resending, or stop); this file only sends with `fetch`,
// waits with timers and keeps at most `concurrency` requests in flight.

import { core } from './binding.js';
import { ItemsFailedError, RateLimitedError, RelocatedError, ShopflowError, ValidationError, toError } from './errors.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What fetch said when no answer came: its error, and the system error under it (ECONNREFUSED, …). */
function fetchFailure(e) {
  const under = e?.cause?.code ?? e?.cause?.message;
  return `${e?.name ?? 'Error'}: ${e?.message ?? e}${under ? ` (${under})` : ''}`;
}

/** At most `n` holders at once; the rest wait in order. */
class Slots {
  constructor(n) {
    this.free = n;
    this.waiting = [];
  }
  async take() {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise((resolve) => this.waiting.push(resolve));
  }
  give() {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** Moves problems of a chunk to the batch's numbering (`orders[3]` → `orders[103]`). */
function shift(problems, offset, listKey) {
  return problems.map((p) => ({
    ...p,
    record: p.record == null ? p.record : p.record + offset,
    path: p.path.replace(new RegExp(`^${listKey}\\[(\\d+)\\]`), (_, i) => `${listKey}[${Number(i) + offset}]`),
  }));
}

const silent = Object.freeze({ emails: false, sms: false });

export class Client {
  #config;
  #fetch;
  #slots;
  #policy;
  #onRelocate;
  #onRateLimit;
  #maxWait;
  #timeout;
  #notify;
  #concurrency;

  /**
   * @param {object} options See the README and index.d.ts: baseUrl, login, apiKey, concurrency,
   *   fetch, onRateLimit ('wait' | 'throw'), maxWait (ms), onRelocate, allowLocal, retries,
   *   timeout (ms), notify ({ emails, sms }, default: neither).
   */
  constructor(options = {}) {
    const {
      baseUrl,
      login,
      apiKey,
      concurrency = core.concurrencyLimit(),
      fetch = globalThis.fetch,
      onRateLimit = 'wait',
      maxWait = 60_000,
      onRelocate,
      allowLocal = false,
      retries = 4,
      timeout = 30_000,
      notify = silent,
    } = options;
    if (typeof fetch !== 'function') throw new TypeError('no fetch available: pass options.fetch');
    if (onRateLimit !== 'wait' && onRateLimit !== 'throw') throw new TypeError("onRateLimit must be 'wait' or 'throw'");
    this.#config = { baseUrl, login, apiKey, allowLocal: Boolean(allowLocal) };
    // Checks the base URL now (only Upgates shops, loopback only with allowLocal).
    core.request(this.#config, 'apiStatus', {});
    // Called unbound: Workers throw "Illegal invocation" when fetch's `this` is not the global.
    this.#fetch = (url, init) => fetch.call(globalThis, url, init);
    this.#concurrency = Math.max(1, concurrency);
    this.#slots = new Slots(this.#concurrency);
    this.#onRelocate = onRelocate;
    this.#onRateLimit = onRateLimit;
    this.#maxWait = maxWait;
    this.#timeout = timeout;
    this.#notify = { emails: Boolean(notify.emails), sms: Boolean(notify.sms) };
    this.#policy = { maxAttempts: Math.max(1, retries), onRateLimit, maxWaitMs: maxWait };
    /** The request budget as the shop last reported it (X-Rate-Limit-*), adjusted since. */
    this.budget = {};
    this.orders = new Orders(this);
    this.orderStatuses = new OrderStatuses(this);
    this.customers = new Customers(this);
    this.webhooks = new Webhooks(this);
  }

  /** The API base URL in use (it changes when the shop moves). */
  get baseUrl() {
    return this.#config.baseUrl;
  }

  /** Requests left in the budget, if the shop has said. */
  get remaining() {
    return this.budget.total_remaining ?? undefined;
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

  /**
   * One logical request, retried as the core decides. Returns the parsed answer of `kind`,
   * or the body bytes when `kind` is null.
   */
  async call(op, args, kind) {
    let spec = core.request(this.#config, op, args);
    const sent = args.orders;
    let found = [];
    for (let attempt = 1; ; attempt += 1) {
      await this.#admit();
      const res = await this.#send(spec);
      const next = core.decide(this.#policy, attempt, spec, res.status, res.headers, res.body, Date.now(), Math.random());
      if (next.budget) this.budget = next.budget;
      switch (next.action) {
        case 'accept': {
          const body = found.length ? mergeFound(sent, found, res.body) : res.body;
          return kind ? core.parse(kind, body) : body;
        }
        case 'retry':
          await sleep(next.afterMs);
          break;
        case 'relocate':
          spec = await this.#relocate(next.apiUrl, op, args);
          break;
        case 'lookup': {
          // A create may have happened: find its orders before sending again.
          await sleep(next.afterMs);
          const existing = await this.#lookup(next.keys);
          found = found.concat(existing);
          const done = new Set(existing.map((o) => o.external_order_number));
          args = { ...args, orders: args.orders.filter((o) => !done.has(o.external_order_number)) };
          if (args.orders.length === 0) {
            const merged = mergeFound(sent, found, null);
            return kind ? core.parse(kind, merged) : merged;
          }
          spec = core.request(this.#config, op, args);
          break;
        }
        default: {
          const error = toError(next.error);
          if (res.failure) {
            error.cause = res.failure;
            error.message += ` [${fetchFailure(res.failure)}]`;
          }
          throw error;
        }
      }
    }
  }

  async #lookup(keys) {
    const existing = [];
    for (const key of keys) {
      const page = await this.call('findByExternalNumber', { externalOrderNumber: key }, 'order-list');
      const order = page.orders.find((o) => o.external_order_number === key);
      if (order) existing.push(order);
    }
    return existing;
  }

  async #admit() {
    const waitUntil = core.budgetAdmit(this.budget, Date.now());
    if (waitUntil != null) {
      const wait = waitUntil - Date.now();
      if (this.#onRateLimit === 'throw' || wait > this.#maxWait) {
        throw new RateLimitedError({
          code: 'RATE_LIMITED',
          message: `the request budget is spent until ${new Date(waitUntil).toISOString()}`,
          retryAfter: waitUntil,
        });
      }
      await sleep(wait);
    }
    this.budget = core.budgetRecord(this.budget, Date.now());
  }

  async #send(spec) {
    await this.#slots.take();
    try {
      // Upgates answers 301 without a Location header, so fetch hands it to us as it is.
      const res = await this.#fetch(spec.url, {
        method: spec.method,
        headers: spec.headers,
        body: spec.body ?? undefined,
        signal: AbortSignal.timeout(this.#timeout),
      });
      const body = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, headers: [...res.headers.entries()], body };
    } catch (failure) {
      // No answer; what fetch said goes on the NetworkError (as `cause` and in the message).
      return { status: 0, headers: [], body: new Uint8Array(), failure };
    } finally {
      this.#slots.give();
    }
  }

  async #relocate(apiUrl, op, args) {
    const moved = { ...this.#config, baseUrl: apiUrl };
    let spec;
    try {
      spec = core.request(moved, op, args);
    } catch (e) {
      throw new RelocatedError({ code: 'RELOCATED', status: 301, apiUrl, message: `the shop moved, but not to a shop's API address: ${e.message}` });
    }
    this.#config = moved;
    if (this.#onRelocate) await this.#onRelocate(apiUrl);
    return spec;
  }

  /**
   * A write of `items` in chunks of 100: every chunk is checked before any is sent, chunks go
   * `concurrency` at a time, and every item's outcome comes back in the caller's order.
   * Throws ItemsFailedError (with all outcomes) when any item failed.
   */
  async write(op, kind, listKey, items, shared, keyOf) {
    if (!Array.isArray(items)) throw new TypeError(`${listKey} must be an array`);
    const max = core.maxItems();
    const chunks = [];
    for (let i = 0; i < items.length; i += max) chunks.push({ offset: i, items: items.slice(i, i + max) });
    const problems = [];
    for (const c of chunks) {
      try {
        core.request(this.#config, op, { ...shared, [listKey]: c.items });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        problems.push(...shift(e.problems, c.offset, listKey));
      }
    }
    if (chunks.length === 0) {
      core.request(this.#config, op, { ...shared, [listKey]: [] });
    }
    if (problems.length) {
      const n = problems.length;
      throw new ValidationError({
        code: 'VALIDATION',
        message: `${n} problem${n === 1 ? '' : 's'}; nothing was sent:\n${problems.map((p) => `  - ${describe(p)}`).join('\n')}`,
        problems,
      });
    }
    const results = new Array(items.length);
    let fatal;
    let nextChunk = 0;
    const worker = async () => {
      while (!fatal && nextChunk < chunks.length) {
        const c = chunks[nextChunk++];
        try {
          const body = await this.call(op, { ...shared, [listKey]: c.items }, null);
          for (const o of core.reconcile(kind, c.items.map(keyOf), body, c.offset)) results[o.index] = o;
        } catch (e) {
          // Credentials and privileges fail every chunk alike: stop, rather than burn the
          // budget (or lock the account) repeating it.
          if (e instanceof ShopflowError && ['UNAUTHORIZED', 'FORBIDDEN', 'RELOCATED'].includes(e.code)) fatal = e;
          c.items.forEach((item, i) => {
            results[c.offset + i] = {
              index: c.offset + i,
              key: keyOf(item),
              ok: false,
              messages: [{ object: null, property: null, message: e.message, level: 'error' }],
              error: e.code,
            };
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, chunks.length) }, worker));
    if (fatal) {
      fatal.results = results;
      throw fatal;
    }
    if (results.some((r) => !r.ok)) throw new ItemsFailedError(results);
    return results;
  }
}

function describe(p) {
  const where = p.record != null ? `record ${p.record}${p.record_key ? ` (${p.record_key})` : ''}, ` : '';
  return `${where}${p.path}: expected ${p.expected}, found ${p.found}`;
}

/**
 * A create answer for the orders first `sent`, in their order: those a lookup `found` (made
 * by an attempt whose answer was lost) marked created, the rest from the last answer `body`.
 */
function mergeFound(sent, found, body) {
  const answered = body ? core.parse('orders-create-response', body).orders : [];
  const byExt = new Map(found.map((o) => [o.external_order_number, o]));
  let next = 0;
  const orders = sent.map((o) => {
    const made = byExt.get(o.external_order_number);
    if (!made) return answered[next++];
    return {
      external_order_number: o.external_order_number,
      order_number: made.order_number,
      order_url: null,
      created_yn: true,
      messages: [{ object: null, property: null, level: 'info', message: 'created by an earlier attempt whose answer was lost; found by its external order number' }],
    };
  });
  return new TextEncoder().encode(JSON.stringify({ orders }));
}

/** Iterates a paged list, yielding each item once even if pages shift while reading. */
async function* iteratePages(list, filter, key, onProgress) {
  const seen = new Set();
  let page = filter.page ?? 1;
  for (;;) {
    const p = await list({ ...filter, page });
    if (onProgress) onProgress(p.progress);
    for (const item of p.items) {
      const k = item[key];
      if (seen.has(k)) continue;
      seen.add(k);
      yield item;
    }
    if (p.nextPage == null) return;
    page = p.nextPage;
  }
}

class Orders {
  #c;
  constructor(client) {
    this.#c = client;
  }

  /** One page of `GET /orders`: `{ items, current_page, number_of_pages, …, nextPage, progress }`. */
  async list(filter = {}) {
    return core.page('order-list', await this.#c.call('listOrders', filter, null));
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
    return this.#c.write('createOrders', 'orders-create-response', 'orders', orders, this.#c.notifyFlags(notify), (o) => o.external_order_number ?? null);
  }

  /** Changes orders (chunked). Customers are not notified unless `notify` says so. */
  update(orders, { notify, deleteMissingProducts = false } = {}) {
    const shared = { ...this.#c.notifyFlags(notify), delete_missing_products_yn: deleteMissingProducts };
    return this.#c.write('updateOrders', 'orders-update-response', 'orders', orders, shared, (o) => o.order_number ?? null);
  }

  /** Deletes orders by number (100 per request). */
  async delete(orderNumbers) {
    const results = [];
    for (let i = 0; i < orderNumbers.length; i += core.maxItems()) {
      const chunk = orderNumbers.slice(i, i + core.maxItems());
      const body = await this.#c.call('deleteOrders', { order_numbers: chunk }, null);
      results.push(...core.reconcile('orders-delete-response', chunk, body, i));
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
    return this.#c.call('orderHistory', { orderNumber }, 'order-history');
  }

  /**
   * Adds one history record (`name` ≤ 50 and `value` ≤ 500 characters), or, given an array
   * of `{ name, value }` pairs, one record holding them all (one request).
   */
  async addHistory(orderNumber, name, value) {
    const data = Array.isArray(name) ? name : [{ name, value }];
    const r = await this.#c.call('addOrderHistory', { orderNumber, data }, 'order-history-response');
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
    return (await this.#c.call('listOrderStatuses', { type }, 'order-statuses')).order_statuses;
  }
  async get(id) {
    return (await this.#c.call('listOrderStatuses', { id }, 'order-statuses')).order_statuses[0] ?? null;
  }
  async #write(status) {
    const r = (await this.#c.call('writeOrderStatus', status, 'order-status-response')).order_status;
    const ok = (r?.created_yn ?? r?.updated_yn) !== false && !(r?.messages ?? []).some((m) => m.level === 'error');
    if (!ok) throw new ItemsFailedError([{ index: 0, key: String(status.id ?? ''), ok: false, messages: r?.messages ?? [] }]);
    return r;
  }
  create(status) {
    return this.#write({ ...status, id: undefined });
  }
  update(status) {
    return this.#write(status);
  }
  async delete(id) {
    return (await this.#c.call('deleteOrderStatus', { id }, 'order-status-response')).order_status;
  }
}

class Customers {
  #c;
  constructor(client) {
    this.#c = client;
  }
  async list(filter = {}) {
    return core.page('customer-list', await this.#c.call('listCustomers', filter, null));
  }
  iterate(filter = {}, { onProgress } = {}) {
    return iteratePages((f) => this.list(f), filter, 'customer_id', onProgress);
  }
  async get(customerId) {
    return (await this.list({ customer_id: customerId })).items[0] ?? null;
  }
  create(customers) {
    return this.#c.write('createCustomers', 'customers-create-response', 'customers', customers, {}, (c) => c.login?.email ?? null);
  }
  update(customers) {
    return this.#c.write('updateCustomers', 'customers-update-response', 'customers', customers, {}, (c) => c.login?.email ?? null);
  }
  async delete(query) {
    return this.#c.call('deleteCustomers', query, 'customers-delete-response');
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
    return (await this.#c.call('createWebhook', { name, url, event, active_yn }, 'webhook-response')).webhook;
  }
  async update(change) {
    return (await this.#c.call('updateWebhook', change, 'webhook-response')).webhook;
  }
  async delete(ids) {
    return (await this.#c.call('deleteWebhooks', { ids: [].concat(ids) }, 'webhook-delete-response')).webhooks;
  }
  async events() {
    return (await this.#c.call('webhookEvents', {}, 'webhook-events')).events;
  }
}
