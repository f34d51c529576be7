// Browser and bundler entry of `shopflow/webhooks` (ES module): fetches and instantiates the
// webhook module next to this file.
import init, * as wasm from '#webhooks-wasm';
import { useWebhooksWasm } from './binding.js';

await init({ module_or_path: new URL('./shopflow_webhooks_bg.wasm', import.meta.url) });
useWebhooksWasm(wasm);

export * from './api.js';
