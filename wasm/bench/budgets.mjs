// Measures the npm package against its budgets (issue 4), for docs/benchmarks.md:
//   1. gzipped .wasm size (gzip -9);
//   2. import + instantiate + first parse in a fresh Node process (median of 25 processes);
//   3. a 5000-record Orders.update webhook through parseWebhook, against JSON.parse on the same
//      body and against JSON.parse plus an equivalent zod schema;
//   4. the same three for the `shopflow/webhooks` entry (issue 16: ≤ 40 KB, ≤ 2x JSON.parse,
//      faster than zod), whose cold start is `require` plus one parseWebhook;
//   5. an order-list page of 100 orders (the fixture's three, in turn, with their own
//      numbers) through `parse('order-list', …)`, against JSON.parse (issue 16: ≤ 2.5x).
// Run with scripts/bench-npm (it builds the package first). Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const pkg = fileURLToPath(new URL('../pkg/', import.meta.url));
const require = createRequire(import.meta.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Size.
const wasm = readFileSync(`${pkg}web/shopflow_wasm_bg.wasm`);
const gz = gzipSync(wasm, { level: 9 }).length;
const hooksWasm = readFileSync(`${pkg}webhooks/web/shopflow_webhooks_bg.wasm`);
const hooksGz = gzipSync(hooksWasm, { level: 9 }).length;

// 2. Cold start, each in its own process so nothing is cached.
const cold = `
const t0 = performance.now();
const { parse } = require(${JSON.stringify(`${pkg}node/index.cjs`)});
const t1 = performance.now();
const list = parse('order-list', '{"current_page":1,"number_of_pages":1,"number_of_items":1,"orders":[{"order_number":"2024000123","order_total":"99.90","paid_yn":"1","creation_time":"2024-02-29T14:24:49+01:00"}]}');
const t2 = performance.now();
if (list.items.length !== 1) throw new Error('parse failed');
console.log(JSON.stringify([t1 - t0, t2 - t0]));`;
const starts = Array.from({ length: 25 }, () => JSON.parse(execFileSync(process.execPath, ['-e', cold], { encoding: 'utf8' })));
const loadMs = median(starts.map((s) => s[0]));
const firstParseMs = median(starts.map((s) => s[1]));
const hooksCold = `
const t0 = performance.now();
const { parseWebhook } = require(${JSON.stringify(`${pkg}webhooks/node/index.cjs`)});
const t1 = performance.now();
const batch = parseWebhook('{"project_name":"beershop","orders":[{"order_number":"2024000123","creation_time":"2024-02-29T14:24:49+01:00","status_id":"1","status":"Přijatá"}]}');
const t2 = performance.now();
if (batch.orders[0].status_id !== 1) throw new Error('parseWebhook failed');
console.log(JSON.stringify([t1 - t0, t2 - t0]));`;
const hooksStarts = Array.from({ length: 25 }, () => JSON.parse(execFileSync(process.execPath, ['-e', hooksCold], { encoding: 'utf8' })));
const hooksLoadMs = median(hooksStarts.map((s) => s[0]));
const hooksFirstMs = median(hooksStarts.map((s) => s[1]));

// 3. The 5000-record webhook.
const { parseWebhook } = require(`${pkg}node/index.cjs`);
const hooks = require(`${pkg}webhooks/node/index.cjs`);
const body = JSON.stringify({
  project_name: 'beershop',
  orders: Array.from({ length: 5000 }, (_, i) => ({
    order_number: `2024${String(i).padStart(6, '0')}`,
    last_update_time: '2024-02-29T15:02:11+01:00',
    // Real bodies mix numbers and numeric strings; half of these are strings.
    status_id: i % 2 ? 4 : '4',
    status: 'Vyřizuje se',
  })),
});
const bytes = new TextEncoder().encode(body);

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

function time(fn, runs = 40) {
  for (let i = 0; i < 5; i++) fn();
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const check = parseWebhook(body, { event: 'Orders.update' });
if (check.orders.length !== 5000 || check.orders[0].status_id !== 4) throw new Error('webhook parse is wrong');
const hooksCheck = hooks.parseWebhook(body, { event: 'Orders.update' });
if (JSON.stringify(hooksCheck) !== JSON.stringify(check)) throw new Error('the entries differ');
const zodCheck = zodWebhook.parse(JSON.parse(body));
if (zodCheck.orders[0].status_id !== 4) throw new Error('zod schema is wrong');

// 5. A page of 100 orders as the API answers GET /orders.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/upgates/order-list.json', import.meta.url), 'utf8'));
const page = JSON.stringify({
  ...fixture,
  current_page_items: 100,
  number_of_items: 100,
  orders: Array.from({ length: 100 }, (_, i) => ({
    ...fixture.orders[i % fixture.orders.length],
    order_number: `2024${String(i).padStart(6, '0')}`,
  })),
});
const { parse: parseModel } = require(`${pkg}node/index.cjs`);
if (parseModel('order-list', page).items.length !== 100) throw new Error('page parse is wrong');
const pageJsonMs = time(() => JSON.parse(page), 200);
const pageMs = time(() => parseModel('order-list', page), 200);

const jsonMs = time(() => JSON.parse(body));
const wasmMs = time(() => parseWebhook(body, { event: 'Orders.update' }));
const wasmBytesMs = time(() => parseWebhook(bytes, { event: 'Orders.update' }));
const zodMs = time(() => zodWebhook.parse(JSON.parse(body)));
const hooksMs = time(() => hooks.parseWebhook(body, { event: 'Orders.update' }));
const hooksBytesMs = time(() => hooks.parseWebhook(bytes, { event: 'Orders.update' }));

const f = (x) => x.toFixed(2);
console.log(`| measure | result | budget |
|---|---|---|
| gzipped .wasm (gzip -9) | ${(gz / 1000).toFixed(1)} KB (${(wasm.length / 1000).toFixed(0)} KB raw) | ≤ 120 KB |
| \`require\` + instantiate, fresh Node process (median of 25) | ${f(loadMs)} ms | |
| … + first parse of an order list | ${f(firstParseMs)} ms | ≤ 10 ms |
| 5000-record webhook (${(body.length / 1e6).toFixed(2)} MB): \`JSON.parse\` | ${f(jsonMs)} ms | |
| … \`parseWebhook\` (string body) | ${f(wasmMs)} ms (${f(wasmMs / jsonMs)}x JSON.parse) | ≤ 2x JSON.parse |
| … \`parseWebhook\` (bytes, as the handler passes them) | ${f(wasmBytesMs)} ms (${f(wasmBytesMs / jsonMs)}x) | |
| … \`JSON.parse\` + equivalent zod 4 schema | ${f(zodMs)} ms (${f(zodMs / wasmMs)}x parseWebhook) | slower than parseWebhook |
| order-list page, 100 orders (${(page.length / 1e3).toFixed(0)} KB): \`JSON.parse\` | ${f(pageJsonMs)} ms | |
| … \`parse('order-list', …)\` | ${f(pageMs)} ms (${f(pageMs / pageJsonMs)}x JSON.parse) | ≤ 2.5x JSON.parse |

| \`shopflow/webhooks\` | result | budget |
|---|---|---|
| gzipped .wasm (gzip -9) | ${(hooksGz / 1000).toFixed(1)} KB (${(hooksWasm.length / 1000).toFixed(0)} KB raw) | ≤ 40 KB |
| \`require\` + instantiate, fresh Node process (median of 25) | ${f(hooksLoadMs)} ms | |
| … + first parseWebhook of a one-order body | ${f(hooksFirstMs)} ms | |
| 5000-record webhook: \`JSON.parse\` | ${f(jsonMs)} ms | |
| … \`parseWebhook\` (string body) | ${f(hooksMs)} ms (${f(hooksMs / jsonMs)}x JSON.parse) | ≤ 2x JSON.parse |
| … \`parseWebhook\` (bytes, as the handler passes them) | ${f(hooksBytesMs)} ms (${f(hooksBytesMs / jsonMs)}x) | |
| … \`JSON.parse\` + equivalent zod 4 schema | ${f(zodMs)} ms (${f(zodMs / hooksMs)}x parseWebhook) | slower than parseWebhook |`);
