// Workers entry of `shopflow/rules` (workerd, Cloudflare Workers): the .wasm is imported
// statically, as Workers require. Workers' clock stands still while code runs, so there the
// wall-clock budget never trips; the operations budget still stops a runaway rule.
import { initSync } from '#rules-wasm';
import * as wasm from '#rules-wasm';
import module from './shopflow_rules_bg.wasm';
import { useRulesWasm } from './binding.js';

initSync({ module });
useRulesWasm(wasm);

export * from './api.js';
