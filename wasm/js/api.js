// Everything the package exports, whatever the runtime.

import { core } from './binding.js';

export { Client } from './client.js';
export { RetailysClient } from './retailys.js';
export { MAX_CALLBACK_BYTES, retailysCallbackHandler } from './callbacks.js';
export { toNodeListener } from './node-listener.js';
export {
  BadResponseError,
  ForbiddenError,
  ItemsFailedError,
  NetworkError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  RelocatedError,
  ServerError,
  ShopflowError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from './errors.js';
export { MAX_WEBHOOK_BYTES, batchSize, generateSecret, parseWebhook, verifyWebhook, webhookHandler, webhookUrl } from './webhooks.js';

/** Every problem with a request document of a kind (`order-update-request`, …); `[]` if none. */
export function validate(kind, value) {
  return core.validate(kind, value);
}

/** A document of a kind (`order-list`, `order-update-response`, …), read and normalized. */
export function parse(kind, body) {
  return core.parse(kind, typeof body === 'object' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer) ? JSON.stringify(body) : body);
}

/** A legacy order-state request as v2 `PUT /orders` bodies of at most 100 orders. */
export function legacyToV2(body) {
  return core.legacyToV2(typeof body === 'object' && !(body instanceof Uint8Array) ? JSON.stringify(body) : body);
}

/** The most items one write request carries (the client chunks to it). */
export const MAX_ITEMS_PER_REQUEST = 100;

