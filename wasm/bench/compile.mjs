// How long V8 takes to compile each of the package's modules (`new WebAssembly.Module`, the
// step of a cold start that grows with the module), for docs/benchmarks.md (issue 16: cold
// starts). With V8's lazy compilation this mostly decodes and validates; functions compile
// on their first call, so a cold start costs at least this. Each figure is the median of 11
// fresh Node processes; the slope between the smallest and the largest module (ms per MB of
// raw module) estimates what a module of another size would take.
//
// Run `node wasm/bench/compile.mjs [--pkg DIR]` on a built package. Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

import { pkg } from './inputs.mjs';
import { median } from './timing.mjs';

const modules = {
  'shopflow/webhooks': 'webhooks/node/shopflow_webhooks_bg.wasm',
  shopflow: 'node/shopflow_wasm_bg.wasm',
  'shopflow/rules': 'rules/node/shopflow_rules_bg.wasm',
};
const script = `const bytes = require('node:fs').readFileSync(process.argv[1]);
const t = performance.now();
new WebAssembly.Module(bytes);
console.log(performance.now() - t);`;

const rows = Object.entries(modules).map(([entry, file]) => {
  const path = `${pkg}${file}`;
  const runs = Array.from({ length: 11 }, () => Number(execFileSync(process.execPath, ['-e', script, path], { encoding: 'utf8' })));
  return { entry, bytes: statSync(path).size, ms: median(runs) };
});
const [small, client, large] = rows;
/** ms per MB of raw module between two modules. */
const slope = (a, b) => ((b.ms - a.ms) / ((b.bytes - a.bytes) / 1e6)).toFixed(1);
console.log(`Node ${process.versions.node}, median of 11 fresh processes each.

| module | raw | \`new WebAssembly.Module\` |
|---|---|---|
${rows.map((r) => `| \`${r.entry}\` | ${(r.bytes / 1e3).toFixed(0)} KB | ${r.ms.toFixed(2)} ms |`).join('\n')}

Between \`${small.entry}\` and \`${client.entry}\`: ${slope(small, client)} ms per MB; to \`${large.entry}\`: ${slope(small, large)} ms per MB.`);
