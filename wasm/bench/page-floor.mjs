// The least the 100-order page could cost by the webhook entry's route, for docs/benchmarks.md
// (issue 16: a page at most 2.5x `JSON.parse`). That route: JavaScript `JSON.parse`s the page,
// the module checks the text and answers only the normalizations, and JavaScript applies them
// and gives every order the model's shape (its fields in order, absent ones as `null`, as
// `parse('order-list', …)` answers today). This script times lower bounds of each step on
// the same page as budgets.mjs:
//   - `JSON.parse` of the page;
//   - the module's check, at the speed the webhook module checks a webhook body (its export
//     `webhookEditsOfText`, the string encoded into the module included): a page has more
//     to check per byte (decimals, dates, nested records), so this is the least it can take;
//   - shaping in JavaScript with no value checked or changed: each order rebuilt with the
//     keys of the package's own answer for it (precomputed, as tables would be), key by key
//     or from a copy of a template object holding them all; or, laxer, the absent keys only
//     added to `JSON.parse`'s objects (not the model's key order).
// The sum, against `JSON.parse`, is the least the route could reach (with the faster rebuild).
//
// Run `node wasm/bench/page-floor.mjs [--pkg DIR]` on a built package (wasm/build.sh).
// Prints a Markdown table.
import { createRequire } from 'node:module';

import { orderPage, pkg, webhookBody } from './inputs.mjs';
import { timeTogether } from './timing.mjs';

const require = createRequire(import.meta.url);
const { parse } = require(`${pkg}node/index.cjs`);
const hooksModule = require(`${pkg}webhooks/node/shopflow_webhooks.js`);

const page = orderPage();
const body = webhookBody();
const answer = parse('order-list', page).items;

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The keys of a record of the package's answer, in order, each with the plan of the record
 * (or of the list's records) under it, or `null` for a value. */
function planOf(record) {
  return Object.entries(record).map(([key, v]) => {
    const inner = Array.isArray(v) ? v.find(isRecord) : v;
    return [key, isRecord(inner) ? planOf(inner) : null];
  });
}
const plans = answer.map(planOf);

/** `src` rebuilt with the plan's keys in its order: the input's value, or `null`. (A value the
 * model turns into a record, as a date given as text, is taken as it is.) */
function rebuild(plan, src) {
  const out = {};
  for (const [key, inner] of plan) {
    const v = src[key];
    if (v === undefined || v === null) out[key] = null;
    else if (inner === null || typeof v !== 'object') out[key] = v;
    else out[key] = Array.isArray(v) ? v.map((x) => rebuild(inner, x)) : rebuild(inner, v);
  }
  return out;
}
/** The plan as a template object (every key `null`, in order) and the plans under its keys:
 * copying the template gives a record its keys in one step. */
function templateOf(plan) {
  return {
    empty: Object.fromEntries(plan.map(([key]) => [key, null])),
    inner: new Map(plan.filter(([, p]) => p !== null).map(([key, p]) => [key, templateOf(p)])),
  };
}
const templates = plans.map(templateOf);
/** `src` rebuilt from a copy of the template, then the input's values set over it. */
function fromTemplate({ empty, inner }, src) {
  const out = { ...empty };
  for (const key in src) {
    if (!Object.hasOwn(out, key)) continue;
    const v = src[key];
    const t = v !== null && typeof v === 'object' ? inner.get(key) : undefined;
    if (t === undefined) out[key] = v;
    else out[key] = Array.isArray(v) ? v.map((x) => fromTemplate(t, x)) : fromTemplate(t, v);
  }
  return out;
}
/** The plan's absent keys added to `src` as `null`. */
function fill(plan, src) {
  for (const [key, inner] of plan) {
    const v = src[key];
    if (v === undefined || v === null) src[key] = null;
    else if (inner !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (const x of v) fill(inner, x);
      else fill(inner, v);
    }
  }
  return src;
}

const t = timeTogether(
  {
    json: () => JSON.parse(page),
    rebuilt: () => JSON.parse(page).orders.map((o, i) => rebuild(plans[i], o)),
    templated: () => JSON.parse(page).orders.map((o, i) => fromTemplate(templates[i], o)),
    filled: () => JSON.parse(page).orders.map((o, i) => fill(plans[i], o)),
    ours: () => parse('order-list', page),
    hookCheck: () => hooksModule.webhookEditsOfText(body, 'Orders.update'),
  },
  200,
);
/** How many values the answer changes and how many absent keys it fills in: the
 * normalizations the lower bound leaves out (`changed`) and the keys shaping adds. */
function differences(answer, input, count = { changed: 0, filled: 0 }) {
  for (const [key, a] of Object.entries(answer)) {
    const b = input?.[key];
    if (isRecord(a) && isRecord(b)) differences(a, b, count);
    else if (Array.isArray(a) && Array.isArray(b) && a.some(isRecord)) a.forEach((x, i) => differences(x, b[i], count));
    else if (b === undefined) count.filled++;
    else if (JSON.stringify(a) !== JSON.stringify(b)) count.changed++;
  }
  return count;
}
const { changed, filled } = differences({ orders: answer }, { orders: JSON.parse(page).orders });
const rebuilt = Math.min(t.rebuilt, t.templated);
const pageBytes = Buffer.byteLength(page);
const check = (t.hookCheck * pageBytes) / Buffer.byteLength(body);
const f = (x) => x.toFixed(2);
const x = (ms) => `${f(ms / t.json)}x`;
console.log(`Node ${process.versions.node}, medians of 200 calls taking turns.

| step (the ${(pageBytes / 1e3).toFixed(0)} KB page) | ms | against \`JSON.parse\` |
|---|---|---|
| \`JSON.parse\` of the page | ${f(t.json)} | 1.00x |
| the module's check, at the webhook module's speed (${f(Buffer.byteLength(body) / 1e3 / t.hookCheck)} MB/s on the webhook body) | ${f(check)} | ${x(check)} |
| shaping: every order rebuilt key by key in the model's order | ${f(t.rebuilt - t.json)} | ${x(t.rebuilt - t.json)} |
| … or from a copy of a template with the model's keys | ${f(t.templated - t.json)} | ${x(t.templated - t.json)} |
| … or only the absent keys added | ${f(t.filled - t.json)} | ${x(t.filled - t.json)} |
| **the least the route could take** (parse, check, the faster rebuild) | ${f(rebuilt + check)} | **${x(rebuilt + check)}** |
| … with absent keys only added | ${f(t.filled + check)} | ${x(t.filled + check)} |
| today's \`parse('order-list', …)\` | ${f(t.ours)} | ${x(t.ours)} |

Left out of the lower bound: the ${changed} values the answer normalizes (decimals and ids given as
text, dates, booleans); shaping fills in ${filled} absent keys.`);
