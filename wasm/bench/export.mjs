// A paged export of 1000 orders through the npm package's Client, against `shopflow sandbox`
// on loopback (10 pages of 100): the JavaScript side of the Rust client's `cargo bench -p
// shopflow-client` figure in docs/benchmarks.md. Prints the median of 20 runs.
// Usage: node wasm/bench/export.mjs  (needs wasm/pkg and target/debug/shopflow)
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from '../../tests/node/sandbox.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('../pkg/node/index.cjs');

const sb = await startSandbox(['--seed-orders', '1000']);
try {
  const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
  const once = async () => {
    const t0 = performance.now();
    let n = 0;
    for await (const _ of client.orders.iterate()) n += 1;
    if (n !== 1000) throw new Error(`exported ${n} orders, expected 1000`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) await once(); // warm up
  const times = [];
  for (let i = 0; i < 20; i++) times.push(await once());
  times.sort((a, b) => a - b);
  console.log(`export 1000 orders (10 pages), npm package in Node ${process.version}: median ${times[10].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)})`);
} finally {
  await sb.stop();
}
