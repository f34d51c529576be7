// workerd runs a Worker bundled from the packed package that receives Retailys event
// callbacks: the Retailys sandbox's subscriptions call it, and it records each event in the
// order's history over real HTTP before answering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { installPackage } from '../package/install.mjs';
import { TOKEN, eventually, startRetailysSandbox } from '../node/retailys-sandbox.mjs';
import { bundle, startWorkerd, writeConfig } from './workerd.mjs';

const require = (await import('node:module')).createRequire(import.meta.url);
const { RetailysClient, generateSecret } = require('../../wasm/pkg/node/index.cjs');

const secret = generateSecret();
let pkg;
let sb;
let workerd;

before(async () => {
  pkg = installPackage('module');
  await bundle(pkg.dir, 'retailys-worker.mjs');
  sb = await startRetailysSandbox();
});

after(async () => {
  await workerd?.stop();
  await sb?.stop();
  pkg?.remove();
});

test('a Worker receives Retailys callbacks and journals each in the order before answering', async () => {
  writeConfig(pkg.dir, { RETAILYS_URL: sb.baseUrl, RETAILYS_TOKEN: TOKEN, CALLBACK_SECRET: secret });
  workerd = startWorkerd(pkg.dir);
  const origin = await workerd.listening;

  // A wrong secret is refused by the Worker itself, without repeating it.
  const guess = 'f'.repeat(64);
  const refused = await fetch(`${origin}/hooks/retailys/order-new/${guess}?order=1`);
  assert.equal(refused.status, 401);
  assert.ok(!(await refused.text()).includes(guess));

  const client = new RetailysClient({ baseUrl: sb.baseUrl, token: TOKEN, allowLocal: true });
  await client.events.subscribe({ event: 'order-new', publicUrl: `${origin}/hooks`, secret });
  await client.events.subscribe({ event: 'order-change-status', publicUrl: `${origin}/hooks`, secret });
  const { ids } = await sb.control('orders/generate', { count: 2, seed: 11 });
  await client.orders.setStatus(ids[1], 3);

  // The two callbacks of one order may arrive in either order.
  const history = async (id) => (await sb.control(`orders/${id}`)).history.map((h) => [h.name, h.status]).sort();
  const done = await eventually(async () => (await sb.control('deliveries')).deliveries.length === 3, 10_000);
  const { deliveries } = await sb.control('deliveries');
  assert.ok(done && deliveries.every((d) => d.ok && d.status === 200), `deliveries: ${JSON.stringify(deliveries)}; workerd said:\n${workerd.log()}`);
  // Each 200 came after the history record was written.
  assert.deepEqual(await history(ids[0]), [['seen by the worker (order-new)', 'created']]);
  assert.deepEqual(await history(ids[1]), [
    ['seen by the worker (order-change-status)', 'updated'],
    ['seen by the worker (order-new)', 'created'],
  ]);
});
