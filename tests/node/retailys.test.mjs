// The npm package's RetailysClient and retailysCallbackHandler against the Retailys sandbox
// (`shopflow sandbox --platform retailys`), over real HTTP: every method's round trip, the
// checks made before sending, a refused token, 429 waited out, and event callbacks delivered
// by the sandbox's subscriptions to a handler served by Node's http.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';

import { TOKEN, eventually, startRetailysSandbox } from './retailys-sandbox.mjs';

const require = createRequire(import.meta.url);
const {
  RetailysClient,
  RateLimitedError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
  generateSecret,
  retailysCallbackHandler,
  toNodeListener,
} = require('../../wasm/pkg/node/index.cjs');

let sb;
const client = (options = {}) => new RetailysClient({ baseUrl: sb.baseUrl, token: TOKEN, allowLocal: true, ...options });

before(async () => {
  sb = await startRetailysSandbox();
});
after(async () => {
  await sb.stop();
});

/** A reset sandbox with `count` generated orders; resolves to their ids. */
async function fresh(count = 0) {
  await sb.control('reset', {});
  if (count === 0) return [];
  return (await sb.control('orders/generate', { count, seed: 7 })).ids;
}

describe('RetailysClient round trips', () => {
  test('lists one page, then every page once with progress', async () => {
    const ids = await fresh(35);
    await sb.control('stats/reset', {});
    const c = client();
    const page = await c.orders.list({ per_page: 10 });
    assert.equal(page.items.length, 10);
    assert.deepEqual([page.currentPage, page.numberOfPages, page.numberOfItems, page.nextPage], [1, 4, 35, 2]);
    const progress = [];
    const seen = [];
    for await (const o of c.orders.all({ per_page: 10 }, { onProgress: (p) => progress.push([p.page, p.pages, p.itemsSoFar]) })) seen.push(o.id);
    assert.deepEqual(seen.sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
    assert.deepEqual(progress, [[1, 4, 10], [2, 4, 20], [3, 4, 30], [4, 4, 35]]);
    assert.equal((await sb.stats()).requests_by_endpoint['GET /v1/System/Orders'], 5);
    assert.equal(c.requestsSent, 5);
    const none = await c.orders.list({ tracking: 'NO-SUCH-PARCEL', done: false });
    assert.deepEqual([none.items.length, none.nextPage], [0, null]);
  });

  test('gets one order as references or expanded, and null for an unknown id', async () => {
    const [id] = await fresh(1);
    const c = client();
    const plain = await c.orders.get(id);
    assert.equal(plain.id, id);
    assert.ok(plain.channel.api_link, 'a reference');
    const full = await c.orders.get(id, { expanded: true });
    assert.equal(typeof full.channel.name, 'string');
    assert.equal(typeof full.money, 'number');
    assert.equal(await c.orders.get(999999), null);
  });

  test('creates an order, sets its status, payment, flags, a parcel and a history record', async () => {
    const [paidLater] = await fresh(2);
    const c = client();
    const { id } = await c.orders.create({ channel: 1, email: 'node@example.cz', name: 'Node Test', order_currency_code: 'CZK' });
    assert.ok(id > paidLater);

    const changed = await c.orders.setStatus(id, 2);
    assert.equal(changed.id, id);
    assert.equal((await sb.control(`orders/${id}`)).status_id, 2);

    const order = await c.orders.get(paidLater);
    const paid = await c.orders.markPaid(paidLater, { amount: order.money, paymentId: 'TX-1' });
    assert.equal(paid.paid, order.money);
    assert.ok(paid.date_paid, 'success dates the payment');
    assert.equal(paid.external_payment_id, 'TX-1');

    await assert.rejects(c.orders.setFlag(id, 'delivered'), (e) => e instanceof UnprocessableError && e.status === 422);
    assert.equal((await c.orders.setFlag(id, 'sent')).sent, true);
    assert.equal((await c.orders.setFlag(id, 'delivered')).delivered, true);
    assert.equal((await c.orders.setFlag(id, 'done')).done, true);
    assert.equal((await c.orders.setFlag(paidLater, 'cancel')).canceled, true);

    const parcel = await c.orders.addTracking(id, { shipperId: 2, trackingNumber: 'DR123C' });
    assert.ok(parcel.id > 0);
    const tracked = await c.orders.get(id);
    assert.deepEqual(tracked.trackings.map((t) => [t.shipper_id, t.tracking_number]), [[2, 'DR123C']]);
    assert.match(tracked.trackings[0].tracking_url, /ppl\.cz.*DR123C/);

    const note = await c.orders.addHistory(id, { name: 'checked by shopflow', status: 'ok' });
    assert.ok(note.id > 0);
    const { history } = await sb.control(`orders/${id}`);
    const last = history.at(-1);
    assert.deepEqual([last.id, last.kind, last.name, last.status], [note.id, 'apps', 'checked by shopflow', 'ok']);
  });

  test('statuses, shippers and the app user', async () => {
    await fresh();
    const c = client();
    const statuses = await c.statuses.list();
    assert.equal(statuses.length, 6);
    assert.equal(statuses.find((s) => s.complete_order).name, 'Vyřízená');
    const shippers = await c.shippers.list();
    assert.deepEqual(shippers.map((s) => s.name), ['Česká pošta', 'PPL', 'Zásilkovna', 'DPD']);
    const me = await c.me();
    assert.ok(me.id > 0);
  });

  test('invalid calls are refused with their place, and nothing is sent', async () => {
    await fresh();
    const c = client();
    const place = (path) => (e) => e instanceof ValidationError && e.path === path;
    await assert.rejects(c.orders.setFlag(1, 'lost'), place('flag'));
    await assert.rejects(c.orders.list({ per_page: 5 }), place('per_page'));
    await assert.rejects(c.orders.list({ statusId: 3 }), place('statusId'));
    await assert.rejects(c.orders.list({ done: 'maybe' }), place('done'));
    await assert.rejects(c.orders.markPaid(1, { amount: -1 }), place('paid'));
    await assert.rejects(c.orders.addTracking(1, { trackingNumber: 'X' }), place('shipper_id'));
    await assert.rejects(c.orders.addHistory(1, { status: 'no text' }), place('record.name'));
    await assert.rejects(c.orders.setStatus(0, 2), place('order_id'));
    await assert.rejects(c.events.subscribe({ event: 'order-new', publicUrl: 'http://127.0.0.1/x', secret: 'short' }), (e) => place('secret')(e) && !e.message.includes('short'));
    assert.equal(c.requestsSent, 0);
  });

  test('options are checked with their names; the token never shows', () => {
    const named = (path) => (e) => e instanceof ValidationError && e.path === path;
    assert.throws(() => client({ retries: 0 }), named('retries'));
    assert.throws(() => client({ concurrency: 9 }), named('concurrency'));
    assert.throws(() => client({ timeoutMs: 1.5 }), named('timeoutMs'));
    assert.throws(() => client({ timeout: '5s' }), named('timeout'));
    assert.throws(() => client({ timeot: 5000 }), (e) => named('timeot')(e) && /did you mean `timeout`\?/.test(e.message));
    assert.equal(client({ timeout: 5000, baseUrl: sb.baseUrl }).baseUrl, sb.baseUrl);
    assert.equal(new RetailysClient({ token: 't', baseUrl: undefined, allowLocal: undefined }).baseUrl, 'https://api.retailys.com/v1');
    assert.throws(() => client({ allowLocal: false }), named('baseUrl'));
    assert.throws(() => new RetailysClient({ baseUrl: sb.baseUrl, allowLocal: true }), (e) => e instanceof ValidationError && /token/.test(e.message));
    assert.throws(() => client({ fetch: 'no' }), TypeError);
    const c = client();
    assert.equal(new RetailysClient({ token: 't' }).baseUrl, 'https://api.retailys.com/v1');
    for (const shown of [inspect(c, { depth: 5, showHidden: true }), String(c), JSON.stringify(c)]) assert.ok(!shown.includes(TOKEN), shown);
  });

  test('a wrong token is sent once; nothing more until resetCredentials', async () => {
    await fresh();
    await sb.control('stats/reset', {});
    const c = client({ token: 'wrong-token-0000' });
    await assert.rejects(c.orders.list(), (e) => e instanceof UnauthorizedError && e.status === 401 && !e.message.includes('wrong-token'));
    await assert.rejects(c.statuses.list(), UnauthorizedError);
    await assert.rejects(c.orders.get(1), UnauthorizedError);
    assert.equal(c.requestsSent, 1);
    assert.equal((await sb.stats()).requests_total, 1);
    c.resetCredentials();
    await assert.rejects(c.orders.list(), UnauthorizedError);
    assert.equal(c.requestsSent, 2);
    assert.equal((await sb.stats()).requests_total, 2);
  });

  test('429 is waited out as Retry-After says, or thrown when asked', async () => {
    const ids = await fresh(6);
    await sb.config({ rate_limit: { per_second: 2 } });
    try {
      const statuses = [];
      const counting = (request) => fetch(request).then((r) => (statuses.push(r.status), r));
      const c = client({ fetch: counting, retries: 10 });
      const t0 = Date.now();
      const orders = await Promise.all(ids.map((id) => c.orders.get(id)));
      assert.deepEqual(orders.map((o) => o.id), ids);
      assert.ok(statuses.includes(429), `statuses: ${statuses}`);
      assert.ok(Date.now() - t0 >= 900, 'waited for the next second');
      assert.equal(statuses.filter((s) => s === 200).length, 6);
      assert.equal(c.requestsSent, statuses.length);

      const impatient = client({ onRateLimit: 'throw' });
      const tries = await Promise.allSettled(ids.map((id) => impatient.orders.get(id)));
      const limited = tries.filter((t) => t.status === 'rejected').map((t) => t.reason);
      assert.ok(limited.length > 0 && limited.every((e) => e instanceof RateLimitedError && e.retryAfter instanceof Date), inspect(tries));
    } finally {
      await sb.config({ rate_limit: { per_second: 100 } });
    }
  });
});

/** Serves a Fetch-API handler with Node's http through the package's adapter. */
function serve(handler) {
  const server = createServer(toNodeListener(handler));
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

describe('retailysCallbackHandler', () => {
  const secret = generateSecret();

  test('subscribed events reach the handler over HTTP; each is answered once onEvent resolved', async () => {
    await fresh();
    const journal = [];
    const server = await serve(
      retailysCallbackHandler({
        secret,
        // Journal first (slowly): the answer must wait for it.
        onEvent: async (event) => {
          await new Promise((r) => setTimeout(r, 30));
          journal.push(event);
        },
      }),
    );
    try {
      const publicUrl = `http://127.0.0.1:${server.address().port}/hooks`;
      const c = client();
      const created = await c.events.subscribe({ event: 'order-new', publicUrl, secret });
      const changed = await c.events.subscribe({ event: 'order-change-status', publicUrl, secret });
      const subscriptions = await c.events.list();
      assert.deepEqual(subscriptions.map((s) => s.id).sort(), [created.id, changed.id].sort());
      assert.equal(subscriptions.find((s) => s.id === created.id).path, `${publicUrl}/retailys/order-new/${secret}`);

      const { ids } = await sb.control('orders/generate', { count: 3, seed: 3 });
      await c.orders.setStatus(ids[0], 4);
      await eventually(() => journal.length === 4);
      const made = journal.filter((e) => e.event === 'order-new');
      assert.deepEqual(made.map((e) => [e.trigger, e.order_id]).sort(), ids.map((id) => ['created', id]).sort());
      assert.deepEqual(journal.find((e) => e.event === 'order-change-status'), { event: 'order-change-status', trigger: 'updated', order_id: ids[0], status_id: 4 });

      const { deliveries } = await sb.control('deliveries');
      assert.equal(deliveries.length, 4);
      assert.ok(deliveries.every((d) => d.ok && d.status === 200), JSON.stringify(deliveries));
      assert.ok(deliveries.every((d) => d.ms >= 25), 'answered only after onEvent resolved');

      await c.events.delete(changed.id);
      assert.deepEqual((await c.events.list()).map((s) => s.id), [created.id]);
      assert.equal((await c.events.list({ path: 'http://elsewhere.example/none' })).length, 0);
    } finally {
      server.close();
    }
  });

  test('refusals say why and never repeat the secret', async () => {
    let failing = false;
    const handle = retailysCallbackHandler({
      secret,
      maxBytes: 256,
      onEvent: () => {
        if (failing) throw new Error('journal down');
      },
    });
    const at = (event, s = secret) => `http://127.0.0.1/hooks/retailys/${event}/${s}`;
    const call = async (url, init) => {
      const res = await handle(new Request(url, init));
      const text = await res.text();
      assert.ok(!text.includes(secret), text);
      return [res.status, JSON.parse(text)];
    };
    const flipped = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0');
    assert.deepEqual((await call(at('order-new', flipped) + '?order=1'))[0], 401);
    assert.deepEqual(await call(`${at('order-new')}/extra?order=1`), [401, { error: 'the callback path does not carry the secret' }]);
    const [unknown, why] = await call(at('user-registred') + '?order=1');
    assert.deepEqual([unknown, /no known event/.test(why.error)], [404, true]);
    assert.equal((await call(at('order-new')))[0], 400);
    assert.equal((await call(at('order-new') + '?order=abc'))[0], 400);
    assert.equal((await call(at('order-new'), { method: 'DELETE' }))[0], 405);
    assert.equal((await call(at('order-new'), { method: 'POST', body: 'x'.repeat(1000) }))[0], 413);

    assert.deepEqual(await call(at('order-new') + '?order=12'), [200, { accepted: true, event: 'order-new', order_id: 12 }]);
    const form = { method: 'POST', body: 'order=13&status=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    assert.equal((await call(at('order-change-status'), form))[1].order_id, 13);
    assert.equal((await call(at('order-change-status'), { method: 'PUT', body: '{"order": 14, "status": "3"}' }))[1].order_id, 14);
    failing = true;
    assert.equal((await call(at('order-new') + '?order=15'))[0], 500);
    assert.throws(() => retailysCallbackHandler({ onEvent() {} }), (e) => e instanceof ValidationError && e.path === 'secret');
  });
});
