// Webhook helpers: URLs and secrets, the Fetch-API handler, and a real delivery from the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';
import { handlerAnswersAsDocumented, serve } from './receiver.mjs';

const require = createRequire(import.meta.url);
const { Client, generateSecret, parseWebhook, verifyWebhook, webhookHandler, webhookUrl, ValidationError } = require('../../wasm/pkg/node/index.cjs');

const secret = generateSecret();
const body = JSON.stringify({
  project_name: 'nodeshop',
  orders: [{ order_number: '2026000001', creation_time: '2026-01-02T10:00:00+01:00', status_id: 1, status: 'Přijatá' }],
});

test('urls carry the event and secret; verification is exact', () => {
  assert.equal(secret.length, 64);
  const url = webhookUrl('https://hooks.example.com/upgates/', secret, 'Orders.create');
  assert.equal(url, `https://hooks.example.com/upgates/Orders.create?shopflow_secret=${secret}`);
  assert.ok(verifyWebhook(url, secret));
  // Change one character (to one it is not) so the check is never accidentally equal.
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
  }
  // What the rule allows, all three accept.
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
  // An empty order number names no order: refused as null is, at its record.
  for (const number of ['', '  ', null]) {
    assert.throws(
      () => parseWebhook(JSON.stringify({ orders: [{ order_number: '1' }, { order_number: number }] }), { event: 'Orders.create' }),
      (e) => e instanceof ValidationError && e.path === 'orders[1]' && /empty string/.test(e.message),
      JSON.stringify(number),
    );
  }
});

test('the handler answers 405, 401, 413, 400, 500 and 200 as documented', () =>
  handlerAnswersAsDocumented({ webhookHandler, webhookUrl }, secret, body));

test('the sandbox delivers storefront orders to a handler, which enqueues them', async () => {
  const sb = await startSandbox();
  const queue = [];
  const server = await serve(webhookHandler({ secret, onBatch: (b) => void queue.push(b) }));
  try {
    await sb.config({ webhooks: { coalesce_ms: 50 } });
    const base = `http://127.0.0.1:${server.address().port}/hooks`;
    const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
    await client.webhooks.create({ name: 'orders', url: webhookUrl(base, secret, 'Orders.create'), event: 'Orders.create' });
    await sb.control('orders/generate', { count: 12, seed: 8 });
    for (let i = 0; i < 100 && queue.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(queue.length, 1, 'one coalesced call');
    assert.equal(queue[0].orders.length, 12);
    assert.equal(queue[0].event, 'Orders.create');
    const { deliveries } = await sb.control('deliveries');
    assert.equal(deliveries[0].outcome, 'delivered');
    assert.ok(!JSON.stringify(deliveries).includes(secret), 'the secret stays out of the delivery log');
    // The enqueued numbers are read back in one request.
    const orders = await client.orders.byNumbers(queue[0].orders.map((o) => o.order_number));
    assert.equal(orders.length, 12);
  } finally {
    server.close();
    await sb.stop();
  }
});
