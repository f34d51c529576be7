// Everything the `shopflow/webhooks` entry exports, whatever the runtime: receiving webhooks
// without the client (a module of its own, without the order models).

import { core } from './binding.js';
import { receiver } from '../receiver.js';

export { MAX_WEBHOOK_BYTES, batchSize, generateSecret } from '../receiver.js';
export const { webhookUrl, verifyWebhook, parseWebhook, webhookHandler } = receiver(core);
// The classes of what this entry throws; `instanceof` also matches the same classes
// imported from `shopflow` (see errors.js).
export { ShopflowError, ValidationError } from '../errors.js';
