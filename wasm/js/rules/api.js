// Everything the `shopflow/rules` entry exports, whatever the runtime.

export { RuleEngine } from './engine.js';
export { RuleError } from './rule-error.js';
export { applyActions } from './apply.js';
// The classes of what this entry throws besides RuleError; `instanceof` also matches the
// same classes imported from `shopflow` (see errors.js).
export { ShopflowError, ValidationError } from '../errors.js';
