// Browser and bundler entry of `shopflow/rules` (ES module): fetches and instantiates the
// rules module next to this file. Importing `shopflow` alone never downloads it.
import init, * as wasm from '#rules-wasm';
import { useRulesWasm } from './binding.js';

await init({ module_or_path: new URL('./shopflow_rules_bg.wasm', import.meta.url) });
useRulesWasm(wasm);

export * from './api.js';
