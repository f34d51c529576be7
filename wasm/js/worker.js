// Workers entry (workerd, Cloudflare Workers): the .wasm is imported statically, as Workers
// require (no fetching or compiling of code at run time).
import { initSync } from '#wasm';
import * as wasm from '#wasm';
import module from './shopflow_wasm_bg.wasm';
import { useWasm } from './binding.js';

initSync({ module });
useWasm(wasm);

export * from './api.js';
