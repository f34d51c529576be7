// Types of the `shopflow/webhooks` entry: receiving Upgates webhooks without the client, from
// a small module of its own. The same functions and types as the `shopflow` entry's (they are
// that entry's declarations), so code moves between the two by changing the import.

export {
  MAX_WEBHOOK_BYTES,
  ShopflowError,
  ValidationError,
  batchSize,
  generateSecret,
  parseWebhook,
  verifyWebhook,
  webhookHandler,
  webhookUrl,
} from './index.js';
export type { ErrorCode, WebhookHandlerOptions } from './index.js';
export type { WebhookBatch } from './models.js';
