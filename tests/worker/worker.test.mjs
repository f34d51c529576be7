// workerd runs a Worker bundled from the packed package (as wrangler bundles: the `workerd`
// export condition, the .wasm as a static module); the sandbox delivers storefront orders to
// it, and the Worker changes them in the sandbox over real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

import { installPackage, root } from '../package/install.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';

const require = (await import('node:module')).createRequire(import.meta.url);
const { Client, generateSecret, webhookUrl } = require('../../wasm/pkg/node/index.cjs');

const secret = generateSecret();
let pkg;
let sb;
let workerd;

/** The Worker bundled like wrangler does it, with the .wasm as its own module. */
async function bundle(dir) {
  copyFileSync(join(root, 'tests/worker/worker.mjs'), join(dir, 'worker.mjs'));
  await build({
    entryPoints: [join(dir, 'worker.mjs')],
    outfile: join(dir, 'dist/worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [{ name: 'wasm-modules', setup: (b) => b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: a.path, external: true })) }],
    logLevel: 'warning',
  });
  copyFileSync(join(dir, 'node_modules/shopflow/web/shopflow_wasm_bg.wasm'), join(dir, 'dist/shopflow_wasm_bg.wasm'));
}

/** A workerd config: the Worker, its bindings, and an outbound that may reach 127.0.0.1. */
function config(bindings) {
  const text = Object.entries(bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(String(value))})`)
    .join(',\n      ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker),
               (name = "net", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ] );
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"),
              (name = "shopflow_wasm_bg.wasm", wasm = embed "shopflow_wasm_bg.wasm") ],
  bindings = [
      ${text} ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "net" );
`;
}

/** Starts workerd; resolves with its origin once the socket listens (port from --control-fd). */
function startWorkerd(dir) {
  const bin = join(root, 'node_modules/.bin/workerd');
  const child = spawn(bin, ['serve', 'config.capnp', '--control-fd=3', '--verbose'], { cwd: join(dir, 'dist'), stdio: ['ignore', 'inherit', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => {
    log += d;
    process.stderr.write(d);
  });
  const listening = new Promise((ok, fail) => {
    createInterface({ input: child.stdio[3] }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.event === 'listen' && msg.socket === 'http') ok(`http://127.0.0.1:${msg.port}`);
    });
    child.once('exit', (code) => fail(new Error(`workerd exited with ${code}: ${log}`)));
  });
  return { child, listening, log: () => log };
}

before(async () => {
  pkg = installPackage('module');
  await bundle(pkg.dir);
  sb = await startSandbox();
});

after(async () => {
  if (workerd && workerd.child.exitCode === null) {
    const exited = new Promise((done) => workerd.child.once('exit', done));
    process.kill(workerd.child.pid, 'SIGTERM');
    await exited;
  }
  await sb?.stop();
  pkg?.remove();
});

test('a Worker receives the sandbox webhook and updates the orders without notifying customers', async () => {
  const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
  const statuses = await client.orderStatuses.list();
  const sent = statuses.find((s) => s.type === 'Sent');
  assert.ok(sent, 'the sandbox has a Sent status');

  writeFileSync(
    join(pkg.dir, 'dist/config.capnp'),
    config({ SHOP_URL: sb.baseUrl, SHOP_LOGIN: LOGIN, SHOP_KEY: KEY, WEBHOOK_SECRET: secret, NEXT_STATUS_ID: sent.id }),
  );
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
