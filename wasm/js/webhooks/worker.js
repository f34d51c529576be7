// Workers entry of `shopflow/webhooks` (workerd, Cloudflare Workers): the .wasm is imported
// statically, as Workers require.
import { initSync } from '#webhooks-wasm';
import * as wasm from '#webhooks-wasm';
import module from './shopflow_webhooks_bg.wasm';
import { useWebhooksWasm } from './binding.js';

initSync({ module });
useWebhooksWasm(wasm);

export * from './api.js';
