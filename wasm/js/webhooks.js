// The receiver of the `shopflow` entry, over the client's module (see receiver.js).

import { core } from './binding.js';
import { receiver } from './receiver.js';

export { MAX_WEBHOOK_BYTES, batchSize, generateSecret, readLimited, reply } from './receiver.js';
export const { webhookUrl, verifyWebhook, parseWebhook, webhookHandler } = receiver(core);
