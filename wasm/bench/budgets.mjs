// Measures the npm package against its budgets (issues 4 and 16), for docs/benchmarks.md, each
// measure side by side with `JSON.parse` and with `JSON.parse` plus an equivalent zod 4 schema:
//   1. the three modules' size, gzip -9 (`shopflow`, `shopflow/webhooks`, `shopflow/rules`);
//   2. cold start: `require` + instantiate, then the first parse, in a fresh Node process
//      (median of 25 processes): the `shopflow` entry with a one-order list, the webhook entry
//      with a one-order body; against a fresh process importing zod and the schema and
//      parsing the same list (both entries are also timed through `import()`, as zod is);
//   3. a 5000-record Orders.update webhook through parseWebhook (both entries), against
//      `JSON.parse` of the same body and `JSON.parse` plus the webhook's zod schema; given as
//      bytes (as the handler reads a request), against the same after a `TextDecoder`, which
//      anyone holding bytes pays (about as much as `JSON.parse` itself for this body);
//   4. an order-list page of 100 orders (the fixture's three, in turn, with their own numbers)
//      through `parse('order-list', …)`, against `JSON.parse` and `JSON.parse` plus the order
//      list's zod schema (`zod-order.mjs`).
// Every timing is taken in --runs separate rounds (default 3) and printed as the median of
// the rounds with their range; a round's figure is itself a median (of 25 processes, or of
// 40 to 200 calls after a warm-up, the calls compared taking turns). Before timing, the zod
// schemas' results are checked against the package's, so the comparison is between equal
// work.
//
// Run with scripts/bench-npm (it builds the package first), or `node wasm/bench/budgets.mjs
// [--runs N] [--pkg DIR]` on a built package. Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

import { option, orderPage, pkg, webhookBody } from './inputs.mjs';
import { median, timeTogether } from './timing.mjs';
import { zodOrderList } from './zod-order.mjs';

const RUNS = Number(option('--runs') ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs takes a whole number of rounds, found ${option('--runs')}`);
const require = createRequire(import.meta.url);

// 1. Size.
const sizeOf = (path) => {
  const wasm = readFileSync(`${pkg}${path}`);
  return { gz: gzipSync(wasm, { level: 9 }).length, raw: wasm.length };
};
const sizes = {
  client: sizeOf('web/shopflow_wasm_bg.wasm'),
  webhooks: sizeOf('webhooks/web/shopflow_webhooks_bg.wasm'),
  rules: sizeOf('rules/web/shopflow_rules_bg.wasm'),
};

// 2. Cold start: each start in its own process, so nothing is cached. A script prints
// [ms to load, ms to load and parse once]; `load` and `first` are JavaScript that load the
// code and parse once (the one-order inputs below); `first` leaves in `r` one normalized
// value, which must be what `expect` says (99.9 from "99.90", 1 from "1").
const ONE_ORDER_LIST =
  '{"current_page":1,"number_of_pages":1,"number_of_items":1,"orders":[{"order_number":"2024000123","order_total":"99.90","paid_yn":"1","creation_time":"2024-02-29T14:24:49+01:00"}]}';
const ONE_ORDER_HOOK =
  '{"project_name":"beershop","orders":[{"order_number":"2024000123","creation_time":"2024-02-29T14:24:49+01:00","status_id":"1","status":"Přijatá"}]}';
const q = JSON.stringify;
const starts = {
  client: {
    load: `const { parse } = require(${q(`${pkg}node/index.cjs`)});`,
    first: `const r = parse('order-list', ${q(ONE_ORDER_LIST)}).items[0].order_total;`,
    expect: 99.9,
  },
  clientImport: {
    load: `const { parse } = await import(${q(`${pkg}node/index.mjs`)});`,
    first: `const r = parse('order-list', ${q(ONE_ORDER_LIST)}).items[0].order_total;`,
    expect: 99.9,
  },
  zod: {
    load: `const { zodOrderList } = await import(${q(new URL('./zod-order.mjs', import.meta.url).href)});`,
    first: `const r = zodOrderList.parse(JSON.parse(${q(ONE_ORDER_LIST)})).orders[0].order_total;`,
    expect: 99.9,
  },
  hooks: {
    load: `const { parseWebhook } = require(${q(`${pkg}webhooks/node/index.cjs`)});`,
    first: `const r = parseWebhook(${q(ONE_ORDER_HOOK)}).orders[0].status_id;`,
    expect: 1,
  },
  hooksImport: {
    load: `const { parseWebhook } = await import(${q(`${pkg}webhooks/node/index.mjs`)});`,
    first: `const r = parseWebhook(${q(ONE_ORDER_HOOK)}).orders[0].status_id;`,
    expect: 1,
  },
};

/** `{load, first}`: ms to load, and to load and parse once, each the median of `n` fresh
 * processes. */
function coldStart({ load, first, expect }, n = 25) {
  const script = `import { createRequire } from 'node:module';
const require = createRequire(${q(pkg)});
const t0 = performance.now();
${load}
const t1 = performance.now();
${first}
const t2 = performance.now();
if (r !== ${expect}) throw new Error('the first parse answered ' + r);
console.log(JSON.stringify([t1 - t0, t2 - t0]));`;
  // A module (for `await import`) read from stdin.
  const runs = Array.from({ length: n }, () =>
    JSON.parse(execFileSync(process.execPath, ['--input-type=module'], { input: script, encoding: 'utf8' })),
  );
  return { load: median(runs.map((s) => s[0])), first: median(runs.map((s) => s[1])) };
}

// 3. The 5000-record webhook.
const { parseWebhook, parse } = require(`${pkg}node/index.cjs`);
const hooks = require(`${pkg}webhooks/node/index.cjs`);
const body = webhookBody();
const bytes = new TextEncoder().encode(body);
const decoder = new TextDecoder();

// What parseWebhook checks and normalizes, as zod: required order number (string or number),
// ISO dates with offset, ids as numbers or numeric strings, optional fields null or absent.
const date = z.iso.datetime({ offset: true }).nullish();
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).nullish();
const zodWebhook = z.object({
  project_name: z.string().nullish(),
  orders: z.array(
    z.object({
      order_number: z.union([z.string().min(1), z.number().transform(String)]),
      creation_time: date,
      last_update_time: date,
      deletion_time: date,
      status_id: id,
      status: z.string().nullish(),
    }),
  ),
});

const check = parseWebhook(body, { event: 'Orders.update' });
if (check.orders.length !== 5000 || check.orders[0].status_id !== 4) throw new Error('webhook parse is wrong');
if (!isDeepStrictEqual(hooks.parseWebhook(body, { event: 'Orders.update' }), check)) throw new Error('the entries differ');
if (!isDeepStrictEqual(zodWebhook.parse(JSON.parse(body)).orders, check.orders)) throw new Error('the webhook zod schema does not answer what parseWebhook does');

// 4. A page of 100 orders as the API answers GET /orders.
const page = orderPage();
const ours = parse('order-list', page).items;
if (ours.length !== 100) throw new Error('page parse is wrong');
if (!isDeepStrictEqual(zodOrderList.parse(JSON.parse(page)).orders, ours)) {
  throw new Error('the order list zod schema does not answer what parse does');
}

/** One round of every timing, in ms. */
function round() {
  // `clientLoad`, `clientFirst`, … for each start.
  const cold = Object.entries(starts).flatMap(([name, start]) => {
    const { load, first } = coldStart(start);
    return [[`${name}Load`, load], [`${name}First`, first]];
  });
  return {
    ...Object.fromEntries(cold),
    ...timeTogether(
      {
        pageJson: () => JSON.parse(page),
        page: () => parse('order-list', page),
        pageZod: () => zodOrderList.parse(JSON.parse(page)),
      },
      200,
    ),
    ...timeTogether({
      json: () => JSON.parse(body),
      hook: () => parseWebhook(body, { event: 'Orders.update' }),
      hookBytes: () => parseWebhook(bytes, { event: 'Orders.update' }),
      hookZod: () => zodWebhook.parse(JSON.parse(body)),
      jsonBytes: () => JSON.parse(decoder.decode(bytes)),
      hookZodBytes: () => zodWebhook.parse(JSON.parse(decoder.decode(bytes))),
      hooks: () => hooks.parseWebhook(body, { event: 'Orders.update' }),
      hooksBytes: () => hooks.parseWebhook(bytes, { event: 'Orders.update' }),
    }),
  };
}

const rounds = Array.from({ length: RUNS }, round);
const f = (x) => x.toFixed(2);
/** Figures over the rounds: the median with `unit`, and the range when there are several. */
const summary = (xs, unit) => {
  const range = RUNS > 1 ? ` (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : '';
  return `${f(median(xs))}${unit}${range}`;
};
const ms = (key) => summary(rounds.map((r) => r[key]), ' ms');
/** The ratio `key / base` over the rounds (each round's own ratio). */
const ratio = (key, base) => summary(rounds.map((r) => r[key] / r[base]), 'x');
const kb = ({ gz, raw }) => `${(gz / 1000).toFixed(1)} KB (${(raw / 1000).toFixed(0)} KB raw)`;

console.log(`Median of ${RUNS} rounds, with the range; Node ${process.versions.node}.

| measure | ours | \`JSON.parse\` | \`JSON.parse\` + zod 4 | budget |
|---|---|---|---|---|
| \`shopflow\` module, gzip -9 | ${kb(sizes.client)} | — | — | ≤ 120 KB |
| \`shopflow/webhooks\` module, gzip -9 | ${kb(sizes.webhooks)} | — | — | ≤ 40 KB |
| \`shopflow/rules\` module, gzip -9 | ${kb(sizes.rules)} | — | — | ≤ 450 KB |
| \`shopflow\` cold: \`require\` + instantiate (median of 25 processes) | ${ms('clientLoad')} | — | — | |
| … + first parse of a one-order list | ${ms('clientFirst')} | — | — | ≤ 10 ms |
| the same through \`import()\`: load | ${ms('clientImportLoad')} | — | zod + schema: ${ms('zodLoad')} | |
| … + first parse | ${ms('clientImportFirst')} | — | ${ms('zodFirst')} | |
| \`shopflow/webhooks\` cold: \`require\` + instantiate | ${ms('hooksLoad')} | — | — | |
| … + first \`parseWebhook\` of a one-order body | ${ms('hooksFirst')} | — | — | ≤ 10 ms |
| the same through \`import()\` | ${ms('hooksImportLoad')}, first ${ms('hooksImportFirst')} | — | — | |
| 100-order page (${(Buffer.byteLength(page) / 1e3).toFixed(0)} KB), \`parse('order-list', …)\` | ${ms('page')}, ${ratio('page', 'pageJson')} | ${ms('pageJson')} | ${ms('pageZod')}, ${ratio('pageZod', 'pageJson')} | ≤ 2.5x \`JSON.parse\` |
| 5000-record webhook (${(Buffer.byteLength(body) / 1e6).toFixed(2)} MB), \`shopflow/webhooks\` \`parseWebhook\` (string) | ${ms('hooks')}, ${ratio('hooks', 'json')} | ${ms('json')} | ${ms('hookZod')}, ${ratio('hookZod', 'json')} | ≤ 2x \`JSON.parse\`, faster than zod |
| … \`shopflow\` \`parseWebhook\` (string) | ${ms('hook')}, ${ratio('hook', 'json')} | | | |
| the same body as bytes (as the handler reads it), \`shopflow/webhooks\`; beside it \`TextDecoder\` first | ${ms('hooksBytes')}, ${ratio('hooksBytes', 'jsonBytes')} (${ratio('hooksBytes', 'json')} the text's \`JSON.parse\`) | ${ms('jsonBytes')} | ${ms('hookZodBytes')}, ${ratio('hookZodBytes', 'jsonBytes')} | |
| … \`shopflow\` \`parseWebhook\` (bytes) | ${ms('hookBytes')}, ${ratio('hookBytes', 'jsonBytes')} (${ratio('hookBytes', 'json')} the text's) | | | |

zod against ours, per round: the page ${ratio('pageZod', 'page')}, the webhook ${ratio('hookZod', 'hooks')} (\`shopflow/webhooks\`) and ${ratio('hookZod', 'hook')} (\`shopflow\`), the bytes ${ratio('hookZodBytes', 'hooksBytes')} (\`shopflow/webhooks\`); above 1 means zod is slower.`);
