// The webhook check of two builds of the webhook module, timed in one process, for
// docs/benchmarks.md (issue 16): the package's `shopflow/webhooks` module against another
// build's wasm-bindgen glue (another opt-level, say), both over the 5000-record body of
// budgets.mjs, `webhookEditsOfText` only (no `JSON.parse`, no applying). Calls take turns;
// prints each build's median and the other's time as a multiple of the package's.
//
// Run `node wasm/bench/check-ab.mjs OTHER/shopflow_webhooks.js [--pkg DIR]`, where OTHER holds
// `wasm-bindgen --target nodejs` output of the other build (after wasm/modules.sh's
// optimize_module, as the package's).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { pkg, webhookBody } from './inputs.mjs';
import { timeTogether } from './timing.mjs';

const other = process.argv[2];
if (!other || other === '--pkg') throw new Error('name the other build: node wasm/bench/check-ab.mjs OTHER/shopflow_webhooks.js');
const require = createRequire(import.meta.url);
const ours = require(`${pkg}webhooks/node/shopflow_webhooks.js`);
const theirs = require(resolve(other));
const body = webhookBody();
const t = timeTogether(
  {
    ours: () => ours.webhookEditsOfText(body, 'Orders.update'),
    theirs: () => theirs.webhookEditsOfText(body, 'Orders.update'),
  },
  100,
);
console.log(`package ${t.ours.toFixed(2)} ms, other ${t.theirs.toFixed(2)} ms: ${(t.theirs / t.ours).toFixed(2)}x`);
