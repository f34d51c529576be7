// The parity suite, npm face: every scenario of tests/parity/scenarios.json against two
// sandboxes over HTTP, checking outcomes and the sandbox's request counters, read the same
// way as the Rust face (client/tests/parity.rs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('../../wasm/pkg/node/index.cjs');

const file = JSON.parse(readFileSync(new URL('../parity/scenarios.json', import.meta.url), 'utf8'));

let sb;
let other;

function client(options) {
  return new Client({
    baseUrl: sb.baseUrl,
    login: LOGIN,
    apiKey: options.key ?? KEY,
    allowLocal: true,
    retries: options.retries,
    onRateLimit: options.onRateLimit,
  });
}

function newOrder(i) {
  return {
    external_order_number: `PARITY-${i}`,
    language_id: 'cs',
    customer: { email: `buyer${i}@example.cz` },
    products: [{ title: 'Pohár', quantity: 1, price_per_unit: 168, vat: 21 }],
  };
}

async function run(c, call, count) {
  switch (call) {
    case 'orders.list':
      return (await c.orders.list({})).items.length;
    case 'orders.create':
      return (await c.orders.create(Array.from({ length: count }, (_, i) => newOrder(i)))).length;
    case 'orders.update':
      return (await c.orders.update(Array.from({ length: count }, (_, i) => ({ order_number: `${1000 + i}`, status_id: 3 })))).length;
    case 'orders.addHistory':
      await c.orders.addHistory('1000', 'shopflow', 'parity');
      return 1;
    default:
      throw new Error(`unknown call ${call}`);
  }
}

/** What a step came to: `{ ok, items, baseUrl }` or `{ error, status, retryAfter, message }`. */
async function step(c, call, count) {
  try {
    const items = await run(c, call, count);
    return { ok: true, items, baseUrl: c.baseUrl };
  } catch (e) {
    return { error: e.code, status: e.status ?? null, retryAfter: e.retryAfter instanceof Date, message: e.message };
  }
}

/** The differences between a step's outcome and what the scenario expects of it. */
function check(at, got, want) {
  const wrong = [];
  for (const [k, v] of Object.entries(want)) {
    if (k === 'message') {
      if (!String(got.message ?? '').includes(v)) wrong.push(`${at}: message does not contain ${JSON.stringify(v)} in ${JSON.stringify(got)}`);
    } else {
      const expected = k === 'baseUrl' && v === '$other' ? other.baseUrl : v;
      if (got[k] !== expected) wrong.push(`${at}: ${k} is ${JSON.stringify(got[k])}, expected ${JSON.stringify(expected)} in ${JSON.stringify(got)}`);
    }
  }
  return wrong;
}

/** The differences between a sandbox's request counters and the expected ones. */
function checkCounts(at, stats, want = {}) {
  const wrong = [];
  for (const [k, v] of Object.entries(want)) {
    const got = (k === 'total' ? stats.requests_total : stats.requests_by_endpoint?.[k]) ?? 0;
    if (got !== v) wrong.push(`${at}: requests ${k} ${got}, expected ${v} in ${JSON.stringify(stats)}`);
  }
  return wrong;
}

describe('parity scenarios (tests/parity/scenarios.json)', () => {
  before(async () => {
    sb = await startSandbox();
    other = await startSandbox();
  });
  after(async () => {
    await Promise.all([sb?.stop(), other?.stop()]);
  });

  for (const s of file.scenarios) {
    test(s.name, async () => {
      for (const shop of [sb, other]) await shop.control('reset', {});
      if (s.seed_orders != null) await sb.control('orders/generate', { count: s.seed_orders, seed: 3 });
      if (s.other_orders != null) await other.control('orders/generate', { count: s.other_orders, seed: 4 });
      if (s.setup != null) await sb.config(JSON.parse(JSON.stringify(s.setup).replaceAll('$other', other.baseUrl)));
      for (const shop of [sb, other]) await shop.control('stats/reset', {});
      const clients = Object.fromEntries(Object.entries(s.clients).map(([k, v]) => [k, client(v)]));
      // Every step runs and every difference is reported, not only the first.
      const wrong = [];
      for (const [i, st] of s.steps.entries()) {
        const got = await step(clients[st.client], st.call, st.count ?? 1);
        wrong.push(...check(`step ${i + 1} (${st.client} ${st.call})`, got, st.expect));
      }
      wrong.push(...checkCounts('sandbox', await sb.stats(), s.counts));
      wrong.push(...checkCounts('other sandbox', await other.stats(), s.other_counts));
      assert.deepEqual(wrong, [], `${s.name}:\n${wrong.join('\n')}`);
    });
  }
});
