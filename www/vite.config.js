// The site is built from www/ into www/dist, which `shopflow run` serves at `/`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { shopflowPackage } from './vite/shopflow-package.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs, so the same dist works at `/` of the rules service and from any folder.
  base: './',
  plugins: [shopflowPackage({ dir: `${repo}wasm/pkg`, label: 'wasm/pkg' })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The package's web entry awaits the wasm at the top level.
    target: 'es2022',
    // The wasm (over 1 MB) is fetched and compiled by the browser; never inline it as base64.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 1500,
  },
  // The package is linked from wasm/pkg, not installed: pre-bundling it would move its entry away
  // from the .wasm file it loads by a relative URL.
  optimizeDeps: { exclude: ['shopflow', 'shopflow/rules'] },
  // The dev server reads the package and the example rules from outside www/.
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
});
