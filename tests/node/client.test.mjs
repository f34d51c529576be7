// The npm package's client against a running sandbox, over real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const shopflow = require('../../wasm/pkg/node/index.cjs');
const { Client, ItemsFailedError, RateLimitedError, ServerError, UnauthorizedError, ValidationError } = shopflow;

function newOrder(i, extra = {}) {
  return {
    external_order_number: `NODE-${i}`,
    language_id: 'cs',
    customer: { email: `buyer${i % 9}@example.cz`, firstname_invoice: 'Test' },
    products: [{ code: 'GLASS-TULIP', title: 'Pohár Tulipán', quantity: 1, price_per_unit: 168.6, vat: 21 }],
    ...extra,
  };
}

let sb;
const client = (options = {}) => new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true, ...options });

before(async () => {
  sb = await startSandbox();
});
after(async () => {
  await sb.stop();
});

async function fresh() {
  await sb.control('reset', {});
}

describe('reading', () => {
  test('iterates 260 orders over three pages with progress, each once', async () => {
    await fresh();
    await sb.control('orders/generate', { count: 260, seed: 5 });
    await sb.control('stats/reset', {});
    const progress = [];
    const numbers = [];
    for await (const order of client().orders.iterate({}, { onProgress: (p) => progress.push(p) })) numbers.push(order.order_number);
    assert.equal(numbers.length, 260);
    assert.equal(new Set(numbers).size, 260);
    assert.deepEqual(progress.map((p) => [p.page, p.pages, p.itemsSoFar]), [[1, 3, 100], [2, 3, 200], [3, 3, 260]]);
    assert.equal((await sb.stats()).requests_by_endpoint['GET /api/v2/orders'], 3);
  });

  test('lists with filters, gets one, reads history and the PDF', async () => {
    await fresh();
    await sb.control('orders/generate', { count: 30, seed: 2 });
    const c = client();
    const page = await c.orders.list({ paid_yn: true });
    assert.ok(page.items.length > 0 && page.items.every((o) => o.paid_date !== null));
    assert.equal(page.nextPage, null);
    const one = await c.orders.get(page.items[0].order_number);
    assert.equal(one.order_number, page.items[0].order_number);
    assert.equal(typeof one.order_total, 'number');
    assert.equal(await c.orders.get('0000000000'), null);
    const pdf = await c.orders.pdf(one.order_number);
    assert.equal(new TextDecoder().decode(pdf.slice(0, 8)), '%PDF-1.4');
    await c.orders.addHistory(one.order_number, 'shopflow', 'note from the node tests');
    const history = await c.orders.history(one.order_number);
    assert.equal(history.history.at(-1).data[0].value, 'note from the node tests');
    const byNumbers = await c.orders.byNumbers(page.items.slice(0, 3).map((o) => o.order_number));
    assert.equal(byNumbers.length, 3);
  });

  test('statuses, customers, webhooks, events and status', async () => {
    await fresh();
    const c = client();
    const statuses = await c.orderStatuses.list();
    assert.equal(statuses.find((s) => s.id === 1).type, 'Received');
    assert.equal((await c.orderStatuses.list({ type: 'Sent' })).length, 1);
    const made = await c.orderStatuses.create({ descriptions: [{ language_id: 'cs', name: 'Čeká na platbu' }] });
    assert.equal((await c.orderStatuses.get(made.id)).type, 'Custom');
    await c.customers.create([{ type: 'customer', language: 'cs', login: { email: 'node@example.cz' } }]);
    const page = await c.customers.list({ email: 'node@example.cz' });
    assert.equal(page.items[0].login.email, 'node@example.cz');
    const hook = await c.webhooks.create({ name: 'n', url: 'http://127.0.0.1:9/x', event: 'Orders.create' });
    assert.equal((await c.webhooks.list()).length, 1);
    assert.deepEqual((await c.webhooks.delete(hook.id)).map((d) => d.deleted), [true]);
    assert.ok((await c.webhooks.events()).some((e) => e.name === 'Orders.update'));
    assert.ok((await c.status()).services.length > 0);
  });
});

describe('writing', () => {
  test('250 orders go in three chunks and every item comes back', async () => {
    await fresh();
    const c = client();
    const created = await c.orders.create(Array.from({ length: 250 }, (_, i) => newOrder(i)));
    assert.equal(created.length, 250);
    assert.ok(created.every((r, i) => r.ok && r.index === i && r.key === `NODE-${i}`));
    const stats = await sb.stats();
    assert.equal(stats.requests_by_endpoint['POST /api/v2/orders'], 3, 'chunks of 100: no 413');
    const numbers = (await c.orders.list({ external_order_number: 'NODE-249' })).items.map((o) => o.order_number);
    assert.equal(numbers.length, 1);
    const all = [];
    for await (const o of c.orders.iterate()) all.push(o.order_number);
    const updated = await c.orders.update(all.map((n) => ({ order_number: n, status_id: 9 })));
    assert.equal(updated.length, 250);
    assert.equal((await sb.stats()).requests_by_endpoint['PUT /api/v2/orders'], 3);
  });

  test('writes say not to notify customers unless asked', async () => {
    await fresh();
    const c = client();
    const [{ key }] = await c.orders.create([newOrder(1)]);
    const order = (await c.orders.list({ external_order_number: key })).items[0];
    await c.orders.update([{ order_number: order.order_number, status_id: 3 }]);
    await c.orders.update([{ order_number: order.order_number, status_id: 9 }], { notify: { emails: true } });
    const { writes } = await sb.control('writes');
    assert.deepEqual(writes.map((w) => [w.endpoint, w.send_emails_yn, w.send_sms_yn]), [
      ['POST /api/v2/orders', false, false],
      ['PUT /api/v2/orders', false, false],
      ['PUT /api/v2/orders', true, false],
    ]);
    const { notifications } = await sb.control('notifications');
    assert.deepEqual(notifications.map((n) => n.channel), ['email'], 'one e-mail, for the write that asked');
  });

  test('per-item failures are surfaced with every outcome', async () => {
    await fresh();
    const c = client();
    await c.orders.create([newOrder(1), newOrder(2)]);
    const [a, b] = (await c.orders.list()).items.map((o) => o.order_number);
    await assert.rejects(
      c.orders.update([{ order_number: a, status_id: 3 }, { order_number: '0000000000', status_id: 3 }, { order_number: b, tracking_code: 'X' }]),
      (e) => {
        assert.ok(e instanceof ItemsFailedError);
        assert.equal(e.code, 'ITEMS_FAILED');
        assert.deepEqual(e.results.map((r) => r.ok), [true, false, true]);
        assert.equal(e.failures[0].key, '0000000000');
        assert.match(e.failures[0].messages[0].message, /does not exist/);
        return true;
      },
    );
  });

  test('invalid batches are refused before anything is sent, with record and path', async () => {
    await fresh();
    await sb.control('stats/reset', {});
    const orders = Array.from({ length: 150 }, (_, i) => newOrder(i));
    orders[120].customer.email = 'not-an-email';
    delete orders[3].language_id;
    await assert.rejects(client().orders.create(orders), (e) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.problems.map((p) => [p.record, p.path]), [[3, 'orders[3].language_id'], [120, 'orders[120].customer.email']]);
      assert.equal(e.record, 3);
      return true;
    });
    assert.equal((await sb.stats()).requests_total, 0, 'nothing was sent');
  });
});

describe('policy', () => {
  test('401 is never retried', async () => {
    await fresh();
    await sb.control('stats/reset', {});
    const bad = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: 'wrong-key', allowLocal: true });
    await assert.rejects(bad.orders.list(), (e) => e instanceof UnauthorizedError && e.status === 401 && !e.message.includes('wrong-key'));
    assert.equal((await sb.stats()).requests_total, 1);
    await sb.control('reset', {});
  });

  test('5xx on reads is retried with backoff; unsafe writes are not resent', async () => {
    await fresh();
    await sb.control('orders/generate', { count: 5, seed: 1 });
    await sb.config({ faults: { seed: 11, error_rate: 0.5, error_status: 503 } });
    await sb.control('stats/reset', {});
    const c = client({ retries: 8 });
    for (let i = 0; i < 6; i++) await c.orders.list();
    const sent = (await sb.stats()).requests_total;
    assert.ok(sent > 6, `some of ${sent} requests failed and were retried`);
    await sb.config({ faults: { error_rate: 1.0 } });
    await sb.control('stats/reset', {});
    const number = 'NOT-NEEDED';
    await assert.rejects(c.orders.addHistory(number, 'a', 'b'), (e) => e instanceof ServerError && /not resent/.test(e.message));
    assert.equal((await sb.stats()).requests_total, 1, 'a history note is never sent twice');
    await sb.config({ faults: { error_rate: 0.0 } });
  });

  test('a create whose answer was lost is looked up, not sent again', async () => {
    await fresh();
    await sb.control('stats/reset', {});
    let lost = false;
    // The network drops the first create's answer after the shop has done it.
    const flaky = async (request) => {
      const post = request.method === 'POST' && request.url.endsWith('/orders');
      const res = await fetch(request);
      if (!lost && post) {
        lost = true;
        await res.arrayBuffer();
        throw new TypeError('fetch failed (simulated: connection reset after the request was processed)');
      }
      return res;
    };
    const results = await client({ fetch: flaky }).orders.create([newOrder(1), newOrder(2)]);
    assert.deepEqual(results.map((r) => [r.ok, r.key]), [[true, 'NODE-1'], [true, 'NODE-2']]);
    const stats = await sb.stats();
    assert.equal(stats.requests_by_endpoint['POST /api/v2/orders'], 1, 'not resent');
    assert.equal(stats.requests_by_endpoint['GET /api/v2/orders'], 2, 'one lookup per external number');
    assert.equal((await client().orders.list()).numberOfItems, 2, 'no duplicates');
  });

  test('429 with Retry-After: wait within maxWait, or throw', async () => {
    await fresh();
    await sb.config({ rate_limit: { enabled: true, hour: 2, day: 0 } });
    const c = client({ maxWait: 1000 });
    await c.orders.list();
    assert.equal(c.remaining, 1);
    await c.orders.list();
    // The budget is spent until the next clock hour: more than maxWait.
    await assert.rejects(c.orders.list(), (e) => e instanceof RateLimitedError && e.retryAfter instanceof Date && e.retryAfter > new Date());
    // A fresh client learns it from the 429 itself (Retry-After, a GMT date).
    await assert.rejects(client({ onRateLimit: 'throw' }).orders.list(), (e) => {
      assert.ok(e instanceof RateLimitedError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfter.getUTCMinutes(), 0, 'the next clock hour');
      return true;
    });
    await sb.config({ rate_limit: { enabled: false } });
  });

  test('429 from the concurrency cap is waited out', async () => {
    await fresh();
    await sb.control('orders/generate', { count: 3, seed: 1 });
    await sb.config({ concurrency: 1, faults: { slow_rate: 1.0, slow_ms: 200 } });
    await sb.control('stats/reset', {});
    const c = client({ concurrency: 3 });
    const pages = await Promise.all([c.orders.list(), c.orders.list(), c.orders.list()]);
    assert.ok(pages.every((p) => p.items.length === 3));
    assert.ok((await sb.stats()).requests_total > 3, 'some were answered 429 and retried');
    await sb.config({ concurrency: 3, faults: { slow_rate: 0.0 } });
  });

  test('options are checked when the client is made: every problem at once, by name', () => {
    const paths = (e) => e.problems.map((p) => p.path);
    assert.throws(
      () => client({ timeout: '5s', concurrency: 0, retries: -1, apikey: KEY }),
      (e) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(paths(e), ['retries', 'concurrency', 'timeout', 'apikey']);
        assert.match(e.message, /found "5s"/);
        assert.match(e.message, /did you mean `apiKey`\?/);
        return true;
      },
    );
    // Unset environment variables: the options are named, not a parser's path; the key is never shown.
    assert.throws(
      () => new Client({ baseUrl: undefined, login: undefined, apiKey: KEY }),
      (e) => e instanceof ValidationError && paths(e).join() === 'baseUrl,login' && /undefined/.test(e.message) && !e.message.includes(KEY),
    );
    // The sandbox's loopback address is refused unless allowLocal, and the refusal says so.
    assert.throws(() => client({ allowLocal: undefined }), (e) => e instanceof ValidationError && e.path === 'baseUrl' && /allowLocal: true/.test(e.message));
    assert.throws(() => client({ allowLocal: 'yes' }), (e) => e instanceof ValidationError && e.path === 'allowLocal');
    assert.throws(() => client({ onRateLimit: 'later' }), (e) => e instanceof ValidationError && e.path === 'onRateLimit');
    assert.equal(client({ timeout: 5000, retries: 1, concurrency: 1 }).baseUrl, sb.baseUrl);
  });

  test('301 moves the client to the api_url and tells the app', async () => {
    await fresh();
    const target = await startSandbox();
    try {
      await target.control('orders/generate', { count: 4, seed: 4 });
      await sb.config({ relocate_to: target.baseUrl });
      const moved = [];
      const c = client({ onRelocate: (url) => moved.push(url) });
      const page = await c.orders.list();
      assert.equal(page.numberOfItems, 4, 'answered by the new address');
      assert.deepEqual(moved, [target.baseUrl]);
      assert.equal(c.baseUrl, target.baseUrl);
      await sb.config({ relocate_to: null });
    } finally {
      await target.stop();
    }
  });
});
