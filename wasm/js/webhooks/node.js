// Node entry of `shopflow/webhooks` (CommonJS build): the nodejs wasm-bindgen glue loads the
// module synchronously, so `require('shopflow/webhooks')` needs no await.
import * as wasm from '#webhooks-wasm';
import { useWebhooksWasm } from './binding.js';

useWebhooksWasm(wasm);

export * from './api.js';
