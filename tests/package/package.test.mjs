// The packed package, installed into a fresh project, used the ways the README shows:
// `import` (ESM), `require` (CommonJS), and TypeScript under `tsc --noEmit --strict`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { installPackage, root } from './install.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';

let pkg;
let sb;

before(async () => {
  pkg = installPackage('module');
  cpSync(join(root, 'tests/package/examples'), pkg.dir, { recursive: true });
  sb = await startSandbox();
  await sb.control('orders/generate', { count: 150, seed: 21 });
});

after(async () => {
  await sb?.stop();
  pkg?.remove();
});

/** Runs an example with node in the fresh project; its last stdout line is JSON. */
function runExample(file) {
  const out = execFileSync(process.execPath, [file], {
    cwd: pkg.dir,
    encoding: 'utf8',
    env: { ...process.env, SHOP_URL: sb.baseUrl, SHOP_LOGIN: LOGIN, SHOP_KEY: KEY },
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

test('the tarball holds the package and nothing else', () => {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'node_modules/shopflow/package.json'), 'utf8'));
  assert.equal(manifest.name, 'shopflow');
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'no runtime dependencies');
  const listing = execFileSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(listing, [
    'package/README.md',
    'package/index.d.ts',
    'package/models.d.ts',
    'package/node/index.cjs',
    'package/node/index.mjs',
    'package/node/package.json',
    'package/node/shopflow_wasm.js',
    'package/node/shopflow_wasm_bg.wasm',
    'package/package.json',
    'package/retailys.d.ts',
    'package/rules.d.ts',
    'package/rules/node/index.cjs',
    'package/rules/node/index.mjs',
    'package/rules/node/package.json',
    'package/rules/node/shopflow_rules.js',
    'package/rules/node/shopflow_rules_bg.wasm',
    'package/rules/web/index.js',
    'package/rules/web/shopflow_rules.js',
    'package/rules/web/shopflow_rules_bg.wasm',
    'package/rules/web/worker.js',
    'package/web/index.js',
    'package/web/shopflow_wasm.js',
    'package/web/shopflow_wasm_bg.wasm',
    'package/web/worker.js',
    'package/webhooks.d.ts',
    'package/webhooks/node/index.cjs',
    'package/webhooks/node/index.mjs',
    'package/webhooks/node/package.json',
    'package/webhooks/node/shopflow_webhooks.js',
    'package/webhooks/node/shopflow_webhooks_bg.wasm',
    'package/webhooks/web/index.js',
    'package/webhooks/web/shopflow_webhooks.js',
    'package/webhooks/web/shopflow_webhooks_bg.wasm',
    'package/webhooks/web/worker.js',
  ]);
});

test('ESM: the README example pages, writes, and surfaces a failed item', async () => {
  const expected = [];
  const { Client } = await import(join(root, 'wasm/pkg/node/index.mjs'));
  const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
  for await (const o of client.orders.iterate({ paid_yn: true })) expected.push(o.order_number);
  assert.ok(expected.length > 0, 'the sandbox has paid orders');
  const out = runExample('readme.mjs');
  assert.equal(out.paid, expected.length);
  assert.deepEqual(out.updated, [true]);
  assert.equal(out.failure, 'ITEMS_FAILED');
  assert.equal(out.tracking, 'DR123C');
  assert.equal(out.pages.at(-1), `${out.pages.length}/${out.pages.length}`);
});

test('CommonJS: require works synchronously, and local shops need consent', () => {
  assert.deepEqual(runExample('require.cjs'), { verified: true, orders: 1, refused: 'VALIDATION', status: 'object' });
});

test('shopflow/rules from ESM: compile errors at their place, a dry run, actions applied', () => {
  const out = runExample('rules.mjs');
  assert.deepEqual(out.error, ['unknown_function', 2, 3]);
  assert.deepEqual(out.hooks, ['on_order_created']);
  assert.equal(out.actions, 100, 'the first page of the 150 orders');
  assert.ok(out.applied > 0 && out.applied <= out.actions, `${out.applied} of ${out.actions}`);
  // The dry run's plan is what was sent: the orders not yet in the status, in one PUT.
  assert.equal(out.sent, out.requests);
  assert.equal(out.sent, 1);
});

test('shopflow/rules from CommonJS: require is synchronous; its errors match the main entry classes', () => {
  assert.deepEqual(runExample('rules.cjs'), { hooks: ['on_order_paid'], actions: ['mark_resolved'], refused: 'VALIDATION' });
});

test('import and require of an entry give the same exports, from one instance', () => {
  const script = `import { createRequire } from 'node:module';
    const require = createRequire(process.cwd() + '/');
    const out = [];
    for (const entry of ['shopflow', 'shopflow/webhooks', 'shopflow/rules']) {
      const esm = await import(entry);
      const cjs = require(entry);
      const names = Object.keys(esm).sort();
      out.push([entry, names.join() === Object.keys(cjs).sort().join(), names.every((n) => esm[n] === cjs[n]), names.length]);
    }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg.dir, encoding: 'utf8' }));
  for (const [entry, sameNames, sameValues, count] of out) {
    assert.ok(sameNames && sameValues && count > 0, `${entry}: names equal ${sameNames}, values identical ${sameValues}, ${count} exports`);
  }
});

test('the client entry does not load the rules module; the rules entry does', () => {
  const loaded = (entries) => {
    const script = `${entries.map((e) => `require('${e}');`).join(' ')} console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('shopflow_rules')).length));`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: pkg.dir, encoding: 'utf8' }));
  };
  assert.equal(loaded(['shopflow']), 0);
  assert.equal(loaded(['shopflow', 'shopflow/rules']), 1);
});

test('shopflow/webhooks loads its own small module only, from CommonJS and ESM', () => {
  const body = JSON.stringify(JSON.stringify({ orders: [{ order_number: '1', creation_time: '2024-01-01', status_id: '4' }] }));
  const cjs = `const h = require('shopflow/webhooks'); const b = h.parseWebhook(${body});
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify([b.event, b.orders[0].status_id, loaded.some((k) => k.includes('shopflow_wasm')), loaded.some((k) => k.includes('shopflow_webhooks'))]));`;
  assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', cjs], { cwd: pkg.dir, encoding: 'utf8' })), ['Orders.create', 4, false, true]);
  const esm = `import { parseWebhook, ValidationError } from 'shopflow/webhooks'; import * as main from 'shopflow';
    let refused; try { parseWebhook('{}', { event: 'Orders' }); } catch (e) { refused = e instanceof main.ValidationError && e instanceof ValidationError; }
    console.log(JSON.stringify([parseWebhook(${body}).entity, refused]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: pkg.dir, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), ['orders', true]);
});

test('TypeScript: the README usage compiles under --strict, and misuse does not', () => {
  const tsc = join(root, 'node_modules/.bin/tsc');
  try {
    execFileSync(tsc, ['-p', 'tsconfig.json'], { cwd: pkg.dir, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc --strict failed:\n${e.stdout}${e.stderr}`);
  }
});
