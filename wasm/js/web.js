// Browser and bundler entry (ES module): fetches and instantiates the module next to this file.
import init, * as wasm from '#wasm';
import { useWasm } from './binding.js';

await init({ module_or_path: new URL('./shopflow_wasm_bg.wasm', import.meta.url) });
useWasm(wasm);

export * from './api.js';
