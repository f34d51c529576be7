// Node entry of `shopflow/rules` (CommonJS build): the nodejs wasm-bindgen glue loads the
// rules module synchronously, so `require('shopflow/rules')` needs no await.
import * as wasm from '#rules-wasm';
import { useRulesWasm } from './binding.js';

useRulesWasm(wasm);

export * from './api.js';
