// Bundles the JavaScript shell (wasm/js) into the package, once per runtime: CommonJS for Node,
// ES modules for browsers and Workers. The wasm-bindgen glue and the .wasm stay separate files.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';

const here = new URL('.', import.meta.url).pathname;

// `#wasm` is the wasm-bindgen glue next to the bundle; `.wasm` imports stay imports.
const glue = {
  name: 'glue',
  setup(b) {
    b.onResolve({ filter: /^#wasm$/ }, () => ({ path: './shopflow_wasm.js', external: true }));
    b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: a.path, external: true }));
  },
};

const common = { bundle: true, plugins: [glue], target: 'es2022', legalComments: 'none', logLevel: 'warning' };

await build({ ...common, entryPoints: [`${here}js/node.js`], outfile: `${here}pkg/node/index.cjs`, format: 'cjs', platform: 'node' });
await build({ ...common, entryPoints: [`${here}js/web.js`], outfile: `${here}pkg/web/index.js`, format: 'esm', platform: 'browser' });
await build({ ...common, entryPoints: [`${here}js/worker.js`], outfile: `${here}pkg/web/worker.js`, format: 'esm', platform: 'neutral' });
// `import` from Node gets the same synchronous CommonJS build, re-exported as ES module.
await writeFile(`${here}pkg/node/index.mjs`, "export * from './index.cjs';\n");
