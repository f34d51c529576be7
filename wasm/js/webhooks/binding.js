// The bridge to the webhook module (shopflow-wasm-webhooks). Each entry point hands its
// initialized module to `useWebhooksWasm` first.

import { webhooksCore } from './core.js';

let wasm;

/** Installs the initialized module's exports (called once by the entry point). */
export function useWebhooksWasm(exports) {
  wasm = exports;
}

/** What receiver.js needs, from this module. */
export const core = webhooksCore(() => wasm);
