// Rule evaluations per second in Node through the package (`shopflow/rules`), for
// docs/benchmarks.md: rhai-host/engine/benches/ten_rules.rhai (the native benchmark's file: every hook
// defined, ten rules on each new order) over realistic orders. An evaluation is one hook call
// on one order, as natively; an Orders.create webhook calls `on_order_created` for every
// order and `on_order_paid` for those paid at checkout.
//
// Orders: by default 1000 from the sandbox's storefront generator (seed 7: companies, pickup
// points, cash on delivery, paid and unpaid, Czech and Slovak); `--orders fixtures` takes the
// native benchmark's own (the API fixture list and the example rules' orders).
//
// Two ways of running, each the median of 7 rounds after a warm-up round, everything the
// package does included (reading the webhook and the orders' JSON, the hooks, planning the
// requests, writing the report):
//   a webhook of 1 order per run:    as a receiver handles single deliveries;
//   a webhook of 100 orders per run: batches, with their orders.
// Also: compiling the file (warm, and the first compile in a fresh process), loading the rules
// module (fresh process, median of 15), its size.
//
// Needs the built package (wasm/build.sh; `--pkg DIR` measures another build of it) and
// target/debug/shopflow (the sandbox). Run: node wasm/bench/rules.mjs. Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { KEY, LOGIN, startSandbox } from '../../tests/node/sandbox.mjs';
import { option, pkg } from './inputs.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const { Client } = require(`${pkg}node/index.cjs`);
const { RuleEngine } = require(`${pkg}rules/node/index.cjs`);

const COUNT = 1000;
const SEED = 7;
const ROUNDS = 7;
const source = readFileSync(`${root}rhai-host/engine/benches/ten_rules.rhai`, 'utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The native benchmark's orders: the API fixture list and the example rules' data. */
function fixtureOrders() {
  const read = (path) => JSON.parse(readFileSync(`${root}${path}`, 'utf8')).orders;
  const cases = ['cod_over_limit/over_limit', 'pickup_point/zasilkovna', 'company_note/company', 'paid_to_processing/paid_at_checkout'];
  return [...read('fixtures/upgates/order-list.json'), ...cases.flatMap((c) => read(`examples/rules/${c}/data.json`))];
}

/** The generated orders, as `GET /orders` lists them (through the package's client). */
async function generatedOrders() {
  const sb = await startSandbox();
  try {
    await sb.control('orders/generate', { count: COUNT, seed: SEED });
    const shop = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
    const orders = [];
    for await (const o of shop.orders.iterate()) orders.push(o);
    return orders;
  } finally {
    await sb.stop();
  }
}

/** Hook calls that ran a rule in a run's report. */
const evaluations = (run, hooks) => run.events.filter((e) => hooks.includes(e.hook)).length;

/** Evaluations per second of `round` (which returns how many it made): median of ROUNDS. */
function measure(round) {
  round();
  const rates = [];
  let n = 0;
  for (let i = 0; i < ROUNDS; i += 1) {
    const t0 = performance.now();
    n = round();
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  return { rate: median(rates), n };
}

const fixtures = option('--orders') === 'fixtures';
const orders = fixtures ? fixtureOrders() : await generatedOrders();
const compileMs = median(
  Array.from({ length: 15 }, () => {
    const t0 = performance.now();
    RuleEngine.compile(source).free();
    return performance.now() - t0;
  }),
);
const engine = RuleEngine.compile(source);
const hooks = engine.hooks;
const event = (batch) => ({ orders: batch.map((o) => ({ order_number: o.order_number })) });
const options = { eventName: 'Orders.create', today: '2026-05-01' };

// Inputs as the receiver would hold them: the webhook body and the fetched orders as JSON text.
const singles = orders.map((o) => [JSON.stringify(event([o])), JSON.stringify({ orders: [o] })]);
const batches = [];
for (let i = 0; i < orders.length; i += 100) {
  const part = orders.slice(i, i + 100);
  batches.push([JSON.stringify(event(part)), JSON.stringify({ orders: part })]);
}

// A round is at least 1000 orders' worth, so a small order set is timed over enough work.
const reps = Math.ceil(1000 / orders.length);
const round = (inputs) => () => {
  let n = 0;
  for (let r = 0; r < reps; r += 1) for (const [e, d] of inputs) n += evaluations(engine.run(e, d, options), hooks);
  return n;
};
const perOrder = measure(round(singles));
const perBatch = measure(round(batches));

const sample = engine.run(batches[0][0], batches[0][1], options);
const failed = sample.events.filter((e) => e.outcome === 'failed');
if (failed.length) throw new Error(`the rules failed: ${JSON.stringify(failed[0].error)}`);
const ran = sample.events.filter((e) => hooks.includes(e.hook));
const opsPerCall = sample.opsUsed / ran.length;
const actionsPerCall = sample.actions.length / ran.length;

const load = `const t0 = performance.now(); require(${JSON.stringify(`${pkg}rules/node/index.cjs`)}); console.log(performance.now() - t0);`;
const fresh = (script) => median(Array.from({ length: 15 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))));
const loadMs = fresh(load);
// A receiver's first compile: what is made on first use is paid here, once per process (the
// engine's shared standard package, and V8 compiling each wasm function the first time it
// runs, which is most of it).
const firstCompile = `const { RuleEngine } = require(${JSON.stringify(`${pkg}rules/node/index.cjs`)});
const source = require('node:fs').readFileSync(${JSON.stringify(`${root}rhai-host/engine/benches/ten_rules.rhai`)}, 'utf8');
const t0 = performance.now(); RuleEngine.compile(source).free(); console.log(performance.now() - t0);`;
const firstCompileMs = fresh(firstCompile);
const gz = gzipSync(readFileSync(`${pkg}rules/web/shopflow_rules_bg.wasm`), { level: 9 }).length;

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const which = fixtures ? `the native benchmark's ${orders.length} orders` : `${orders.length} generated orders (seed ${SEED})`;
console.log(`Node ${process.version}, ${which}, ${perOrder.n} evaluations per round ` +
  `(${fmt(opsPerCall)} operations and ${actionsPerCall.toFixed(2)} actions per call), median of ${ROUNDS} rounds.\n`);
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| evaluations/s, a webhook of 1 order per run | ${fmt(perOrder.rate)} |`);
console.log(`| evaluations/s, a webhook of 100 orders per run | ${fmt(perBatch.rate)} |`);
console.log(`| compile ten_rules.rhai | ${compileMs.toFixed(2)} ms |`);
console.log(`| require('shopflow/rules') in a fresh process | ${loadMs.toFixed(1)} ms |`);
console.log(`| first compile of ten_rules.rhai in a fresh process | ${firstCompileMs.toFixed(1)} ms |`);
console.log(`| rules module, gzip -9 | ${fmt(gz)} bytes |`);
