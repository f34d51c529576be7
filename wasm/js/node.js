// Node entry (CommonJS build): the nodejs wasm-bindgen glue loads the module synchronously.
import * as wasm from '#wasm';
import { useWasm } from './binding.js';

useWasm(wasm);

export * from './api.js';
