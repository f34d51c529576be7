// Bundles the JavaScript shell (wasm/js) into the package, once per runtime and entry:
// CommonJS for Node, ES modules for browsers and Workers; `shopflow` from js/,
// `shopflow/rules` from js/rules/ into pkg/rules/ and `shopflow/webhooks` from js/webhooks/
// into pkg/webhooks/. The wasm-bindgen glue and the .wasm stay
// separate files next to each bundle.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';

const here = new URL('.', import.meta.url).pathname;

// `#wasm`, `#rules-wasm` and `#webhooks-wasm` are the wasm-bindgen glue next to the bundle; `.wasm` imports
// stay imports.
const glue = {
  name: 'glue',
  setup(b) {
    b.onResolve({ filter: /^#wasm$/ }, () => ({ path: './shopflow_wasm.js', external: true }));
    b.onResolve({ filter: /^#rules-wasm$/ }, () => ({ path: './shopflow_rules.js', external: true }));
    b.onResolve({ filter: /^#webhooks-wasm$/ }, () => ({ path: './shopflow_webhooks.js', external: true }));
    b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: a.path, external: true }));
  },
};

const common = { bundle: true, plugins: [glue], target: 'es2022', legalComments: 'none', logLevel: 'warning' };

for (const [src, out] of [
  ['js', 'pkg'],
  ['js/rules', 'pkg/rules'],
  ['js/webhooks', 'pkg/webhooks'],
]) {
  await build({ ...common, entryPoints: [`${here}${src}/node.js`], outfile: `${here}${out}/node/index.cjs`, format: 'cjs', platform: 'node' });
  await build({ ...common, entryPoints: [`${here}${src}/web.js`], outfile: `${here}${out}/web/index.js`, format: 'esm', platform: 'browser' });
  await build({ ...common, entryPoints: [`${here}${src}/worker.js`], outfile: `${here}${out}/web/worker.js`, format: 'esm', platform: 'neutral' });
  await writeFile(`${here}${out}/node/index.mjs`, await nodeModule(`${here}${src}/node.js`));
}

/** Node's `import` of an entry: the same CommonJS build, loaded by `require` (so one instance
 * whichever way the package is loaded) and its exports named one by one. Not `export * from
 * './index.cjs'`: Node then lexes and translates the CommonJS bundle, which made a cold
 * `import` 2–9 ms slower by entry (docs/benchmarks.md, round seven). The names
 * come from esbuild's view of the entry as an ES module (not written anywhere). */
async function nodeModule(entry) {
  // Not written (write: false); esbuild still wants a place it would write to.
  const esm = await build({ ...common, entryPoints: [entry], format: 'esm', platform: 'node', write: false, metafile: true, outdir: 'unused' });
  const names = Object.values(esm.metafile.outputs).flatMap((o) => o.exports);
  // Each name must be a plain identifier the wrapper's own two names do not shadow.
  const plain = (n) => /^[A-Za-z_$][\w$]*$/.test(n) && !['default', 'entry', 'createRequire'].includes(n);
  if (names.length === 0 || !names.every(plain)) throw new Error(`exports of ${entry} the wrapper cannot name: ${names}`);
  return `// The CommonJS build (./index.cjs) for \`import\`: one instance either way.
import { createRequire } from 'node:module';

const entry = createRequire(import.meta.url)('./index.cjs');

export const { ${names.sort().join(', ')} } = entry;
`;
}
