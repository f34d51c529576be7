// The `shopflow/webhooks` entry (its own small module): the same cases as webhooks.test.mjs,
// and the same batches and errors as the `shopflow` entry's parseWebhook and as the typed
// reading (`parse('webhook-batch', …)`) for the fixtures, quirky bodies and generated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';
import { handlerAnswersAsDocumented, serve } from './receiver.mjs';

const require = createRequire(import.meta.url);
const hooks = require('../../wasm/pkg/webhooks/node/index.cjs');
const main = require('../../wasm/pkg/node/index.cjs');
const { generateSecret, parseWebhook, verifyWebhook, webhookHandler, webhookUrl, ValidationError, ShopflowError } = hooks;

const secret = generateSecret();
const body = JSON.stringify({
  project_name: 'nodeshop',
  orders: [{ order_number: '2026000001', creation_time: '2026-01-02T10:00:00+01:00', status_id: 1, status: 'Přijatá' }],
});

test('the entry exports the receiver, also as an ES module', async () => {
  const esm = await import('../../wasm/pkg/webhooks/node/index.mjs');
  for (const name of ['webhookUrl', 'verifyWebhook', 'parseWebhook', 'webhookHandler', 'generateSecret', 'batchSize', 'MAX_WEBHOOK_BYTES', 'ShopflowError', 'ValidationError']) {
    assert.ok(name in hooks, name);
    assert.ok(name in esm, name);
  }
  assert.equal(hooks.MAX_WEBHOOK_BYTES, main.MAX_WEBHOOK_BYTES);
});

test('urls carry the event and secret; verification is exact', () => {
  assert.equal(secret.length, 64);
  const url = webhookUrl('https://hooks.example.com/upgates/', secret, 'Orders.create');
  assert.equal(url, `https://hooks.example.com/upgates/Orders.create?shopflow_secret=${secret}`);
  assert.ok(verifyWebhook(url, secret));
  const flipped = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0');
  assert.ok(!verifyWebhook(url.replace(secret, flipped), secret));
  assert.ok(!verifyWebhook('https://hooks.example.com/upgates/Orders.create', secret));
  assert.throws(() => webhookUrl('https://h/x', 'short', 'Orders.create'), ValidationError);
  assert.throws(() => webhookUrl('https://h/x', secret, 'Orders.explode'), ValidationError);
});

test('one secret rule for webhookUrl, verifyWebhook and webhookHandler; never echoed', () => {
  const refusedAtSecret = (e) => e instanceof ValidationError && e.path === 'secret';
  const url = webhookUrl('https://hooks.example.com/upgates', secret, 'Orders.create');
  for (const bad of ['short', 'a+b/c=d&e?f#g h1234', 'žluťoučký-kůň-úpěl-ďábelské', '', undefined]) {
    const what = JSON.stringify(bad);
    assert.throws(() => webhookUrl('https://h/x', bad, 'Orders.create'), ValidationError, what);
    assert.throws(() => verifyWebhook(url, bad), refusedAtSecret, what);
    assert.throws(() => webhookHandler({ secret: bad, onBatch() {} }), (e) => refusedAtSecret(e) && (!bad || !e.message.includes(bad)), what);
    // The same error as the main entry's, and recognised as its class.
    let ours;
    let theirs;
    try { verifyWebhook(url, bad); } catch (e) { ours = e; }
    try { main.verifyWebhook(url, bad); } catch (e) { theirs = e; }
    assert.equal(ours.message, theirs.message, what);
    assert.deepEqual(ours.problems, theirs.problems, what);
    assert.ok(ours instanceof main.ValidationError && theirs instanceof ValidationError);
  }
  const unreserved = 'A-z.0_9~abcdefgh';
  assert.ok(verifyWebhook(webhookUrl('https://h/x', unreserved, 'Orders.create'), unreserved));
  assert.equal(typeof webhookHandler({ secret: unreserved, onBatch() {} }), 'function');
});

test('parseWebhook: configured, inferred, and refused with a path', () => {
  assert.equal(parseWebhook(body, { event: 'Orders.create' }).event_source, 'configured');
  const inferred = parseWebhook(new TextEncoder().encode(body));
  assert.deepEqual([inferred.event, inferred.event_source, inferred.orders[0].status_id], ['Orders.create', 'inferred', 1]);
  assert.throws(
    () => parseWebhook('{"orders":[{"order_number":"1"},{"creation_time":"2026-01-01"}]}', { event: 'Orders.create' }),
    (e) => e instanceof ValidationError && e.path === 'orders[1]',
  );
  for (const number of ['', '  ', null]) {
    assert.throws(
      () => parseWebhook(JSON.stringify({ orders: [{ order_number: '1' }, { order_number: number }] }), { event: 'Orders.create' }),
      (e) => e instanceof ValidationError && e.path === 'orders[1]' && /empty string/.test(e.message),
      JSON.stringify(number),
    );
  }
  assert.throws(() => parseWebhook('{}', { event: 'Orders' }), ValidationError);
  assert.throws(() => parseWebhook(42), TypeError);
});

/** Both entries on one body: the same batch, or the same error. */
function same(text, event) {
  const run = (f) => {
    try {
      return { ok: f.parseWebhook(text, { event }) };
    } catch (e) {
      assert.ok(e instanceof ShopflowError, `${e}`);
      return { err: { name: e.name, code: e.code, message: e.message, path: e.path, line: e.line, column: e.column } };
    }
  };
  const ours = run(hooks);
  const theirs = run(main);
  assert.deepStrictEqual(ours, theirs, `body ${text} event ${event}`);
  // Both entries apply their module's normalizations to JSON.parse's result; the typed
  // reading (serde, the client module's `parse`) gives the same batch or error. It infers
  // the event; core/tests/webhook_edits.rs holds the two equal for configured events too.
  if (event === undefined) {
    const typed = run({ parseWebhook: (t) => main.parse('webhook-batch', t) });
    assert.deepStrictEqual(ours, typed, `typed: body ${text}`);
  }
  // Bytes and ArrayBuffers read as the string does.
  const bytes = new TextEncoder().encode(text);
  assert.deepStrictEqual(run({ parseWebhook: (_, o) => hooks.parseWebhook(bytes.buffer, o) }), ours);
}

const EVENTS = [undefined, 'Orders.create', 'Customers.update', 'Products.delete', 'Invoices.create', 'Categories.update'];
const fixtures = new URL('../../fixtures/upgates/', import.meta.url);

test('the same batches and errors as the shopflow entry: fixtures and quirks', () => {
  const bodies = readdirSync(new URL('webhooks/', fixtures)).map((f) => readFileSync(new URL(`webhooks/${f}`, fixtures), 'utf8'));
  bodies.push(readFileSync(new URL('invalid/webhook-orders-missing-number.json', fixtures), 'utf8'));
  bodies.push(
    '{"project_name":7,"orders":[{"order_number":12,"status_id":"4","x":1,"creation_time":"2025-03-01 14:24:49"},["2",null,"2024-1-2"]]}',
    '{"orders":[{"order_number":"1","status_id":"4","status":null,"__proto__":{"a":1}}]}',
    '{"customers":[{"customer_id":"7","active_yn":"1","blocked_yn":0,"email":5,"creation_time":"0000-00-00 00:00:00"}]}',
    '{"products":[],"variants":[{"variant_id":"5","deletion_time":"2024-03-01"}]}',
    '{"products":{},"variants":""}',
    '{"invoices":[{"invoice_number":"","type":""},{"invoice_number":5,"type":"creditNote"}]}',
    '{"categories":[{"id":1}],"project_name":"x","__proto__":[1],"z":{"a":[1,2,{"b":null}]},"orders":5}',
    '{"orders": "nope"}',
    '{"orders":[{"order_number":"1","order_number":"2"}]}',
    '{"orders":[{"order_number":"1", "status_id": 1.5}]}',
    '{"orders":[{"order_number":"1", "status_id": 1e400}]}',
    '{"orders":[{"order_number":"1"}],}',
    '{"orders":[{"order_number":"\\ud83d"}]}',
    '[]',
    '',
  );
  for (const text of bodies) for (const event of EVENTS) same(text, event);
});

test('the same batches and errors as the shopflow entry: generated bodies', () => {
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = (xs) => xs[rand(xs.length)];
  const values = ['null', 'true', '0', '1', '4', '-1', '1.5', '4.0', '"4"', '" 7 "', '""', '"abc"', '"1"', '"true"', '"2024-02-29T14:24:49+01:00"', '"2025-03-01 14:24:49"', '"2025-1-1"', '"0000-00-00"', '"creditNote"', '[]', '{}', '12345678901234567890'];
  const fields = ['order_number', 'creation_time', 'last_update_time', 'deletion_time', 'status_id', 'status', 'customer_id', 'email', 'code', 'active_yn', 'product_id', 'variant_id', 'invoice_number', 'type', 'extra'];
  const keys = ['project_name', 'orders', 'customers', 'products', 'variants', 'invoices', 'categories'];
  const record = () => `{${Array.from({ length: rand(6) }, () => {
    const f = pick(fields);
    const v = (f === 'order_number' || f === 'invoice_number') && rand(3) ? '"2024000123"' : f === 'customer_id' && rand(3) ? '7' : pick(values);
    return `"${f}":${v}`;
  }).join(',')}}`;
  for (let i = 0; i < 3000; i++) {
    const parts = Array.from({ length: 1 + rand(3) }, () => {
      const k = pick(keys);
      const v = k === 'project_name' ? pick(values) : rand(8) ? `[${Array.from({ length: rand(4) }, record).join(',')}]` : pick(values);
      return `"${k}":${v}`;
    });
    let text = `{${parts.join(',')}}`;
    if (rand(5) === 0) {
      const at = rand(text.length);
      text = text.slice(0, at) + pick([',', '}', ']', '"', ':', 'x', '']) + text.slice(at + 1);
    }
    same(text, pick(EVENTS));
  }
});

test('the handler answers 405, 401, 413, 400, 500 and 200 as documented', () =>
  handlerAnswersAsDocumented({ webhookHandler, webhookUrl }, secret, body));

test('the sandbox delivers storefront orders to a handler of this entry', async () => {
  const sb = await startSandbox();
  const queue = [];
  const server = await serve(webhookHandler({ secret, onBatch: (b) => void queue.push(b) }));
  try {
    await sb.config({ webhooks: { coalesce_ms: 50 } });
    const base = `http://127.0.0.1:${server.address().port}/hooks`;
    const client = new main.Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
    await client.webhooks.create({ name: 'orders', url: webhookUrl(base, secret, 'Orders.create'), event: 'Orders.create' });
    await sb.control('orders/generate', { count: 12, seed: 8 });
    for (let i = 0; i < 100 && queue.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(queue.length, 1, 'one coalesced call');
    assert.equal(queue[0].orders.length, 12);
    assert.equal(queue[0].event, 'Orders.create');
  } finally {
    server.close();
    await sb.stop();
  }
});
