// workerd runs a Worker bundled from the packed package (as wrangler bundles: the `workerd`
// export condition, the .wasm as a static module); the sandbox delivers storefront orders to
// it, and the Worker changes them in the sandbox over real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { installPackage } from '../package/install.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';
import { bundle, startWorkerd, writeConfig } from './workerd.mjs';

const require = (await import('node:module')).createRequire(import.meta.url);
const { Client, generateSecret, webhookUrl } = require('../../wasm/pkg/node/index.cjs');

const secret = generateSecret();
let pkg;
let sb;
let workerd;

before(async () => {
  pkg = installPackage('module');
  await bundle(pkg.dir, 'worker.mjs');
  sb = await startSandbox();
});

after(async () => {
  await workerd?.stop();
  await sb?.stop();
  pkg?.remove();
});

test('a Worker receives the sandbox webhook and updates the orders without notifying customers', async () => {
  const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
  const statuses = await client.orderStatuses.list();
  const sent = statuses.find((s) => s.type === 'Sent');
  assert.ok(sent, 'the sandbox has a Sent status');

  writeConfig(pkg.dir, { SHOP_URL: sb.baseUrl, SHOP_LOGIN: LOGIN, SHOP_KEY: KEY, WEBHOOK_SECRET: secret, NEXT_STATUS_ID: sent.id });
  workerd = startWorkerd(pkg.dir);
  const origin = await workerd.listening;

  // A wrong secret is refused by the Worker itself.
  const refused = await fetch(webhookUrl(`${origin}/hooks`, 'f'.repeat(64), 'Orders.create'), { method: 'POST', body: '{"orders":[]}' });
  assert.equal(refused.status, 401);

  await sb.config({ webhooks: { coalesce_ms: 50 } });
  await client.webhooks.create({ name: 'worker', url: webhookUrl(`${origin}/hooks`, secret, 'Orders.create'), event: 'Orders.create' });
  await sb.control('orders/generate', { count: 5, seed: 99 });

  let done = [];
  for (let i = 0; i < 100; i++) {
    const orders = [];
    for await (const o of client.orders.iterate({})) orders.push(o);
    done = orders.filter((o) => o.internal_note === 'seen by the worker (Orders.create)');
    if (done.length === 5) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(done.length, 5, `the Worker marked 5 orders; deliveries: ${JSON.stringify((await sb.control("deliveries")).deliveries)}; workerd said:\n${workerd.log()}`);
  assert.ok(done.every((o) => o.status_id === sent.id), 'each got the new status');
  const { deliveries } = await sb.control('deliveries');
  assert.ok(deliveries.some((d) => d.outcome === 'delivered'), JSON.stringify(deliveries));
  // The Worker's write said, explicitly, not to notify; and the shop notified no one.
  const { writes } = await sb.control('writes');
  const put = writes.filter((w) => w.endpoint === 'PUT /api/v2/orders');
  assert.deepEqual(put.map((w) => [w.send_emails_yn, w.send_sms_yn, w.items]), [[false, false, 5]]);
  const { notifications } = await sb.control('notifications');
  assert.deepEqual(notifications.filter((n) => n.cause.startsWith('PUT')), []);
});
