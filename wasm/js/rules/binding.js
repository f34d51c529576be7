// The bridge to the rules module (shopflow-wasm-rules): JSON text in, `{ok}` or `{err}` out.
// A rule file that does not compile comes back as code `RULES` and becomes a RuleError; an
// input that does not read is `VALIDATION` and becomes the package's ValidationError, as in
// the client. Each entry point hands its initialized module to `useRulesWasm` first.

import { toError } from '../errors.js';
import { RuleError } from './rule-error.js';

let wasm;

/** Installs the initialized rules module's exports (called once by the entry point). */
export function useRulesWasm(exports) {
  wasm = exports;
}

/** The rules module's exports. */
export function rulesWasm() {
  return wasm;
}

/** The value of an answer, or its error thrown. */
export function unwrap(text) {
  const r = JSON.parse(text);
  if (r.err) throw r.err.code === 'RULES' ? new RuleError(r.err.errors ?? []) : toError(r.err);
  return r.ok;
}

const encoder = new TextEncoder();

/**
 * A JSON input as bytes: text as it is, bytes as they are, anything else through
 * JSON.stringify. `what` names it when it is neither (`the event`, `the data`).
 */
export function jsonBytes(what, value) {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value !== null && typeof value === 'object') return encoder.encode(JSON.stringify(value));
  throw new TypeError(`${what} must be an object, JSON text or its bytes, not ${value === null ? 'null' : typeof value}`);
}

/**
 * Today in the runtime's time zone, as `YYYY-MM-DD`: what `mark_paid` without a date means.
 * The module has no clock of its own for dates (wasm32 has none), so the shell supplies it.
 */
export function localToday(now = new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
