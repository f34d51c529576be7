// A receiver written against `shopflow/webhooks` under `tsc --strict`: the same types as the
// `shopflow` entry's, so the two are interchangeable.
import { MAX_WEBHOOK_BYTES, ValidationError, parseWebhook, verifyWebhook, webhookHandler, type WebhookBatch, type WebhookHandlerOptions } from 'shopflow/webhooks';
import * as main from 'shopflow';

declare const env: { WEBHOOK_SECRET: string | undefined; QUEUE: { send(batch: WebhookBatch): Promise<void> } };

const options: WebhookHandlerOptions = { secret: env.WEBHOOK_SECRET, onBatch: (batch) => env.QUEUE.send(batch), maxBytes: MAX_WEBHOOK_BYTES };
export default { fetch: webhookHandler(options) };

export const same: typeof main.parseWebhook = parseWebhook;
export const verified: boolean = verifyWebhook('https://my.app/hooks?shopflow_secret=x', env.WEBHOOK_SECRET);
const batch = parseWebhook(new Uint8Array(), { event: 'Orders.create' });
export const numbers: string[] = batch.entity === 'orders' ? batch.orders.map((o) => o.order_number) : [];
export const isValidation = (e: unknown): e is ValidationError => e instanceof ValidationError;

// @ts-expect-error: onBatch is required
webhookHandler({ secret: 'x' });
