// The README's serverless webhook example under `tsc --strict`.
import { Client, generateSecret, parseWebhook, webhookHandler, webhookUrl, type WebhookBatch } from 'shopflow';

declare const env: { WEBHOOK_SECRET: string; QUEUE: { send(batch: WebhookBatch): Promise<void> } };
declare const shop: Client;

export async function register(): Promise<number | null> {
  const secret = generateSecret();
  const hook = await shop.webhooks.create({ name: 'orders', event: 'Orders.create', url: webhookUrl('https://my.app/hooks', secret, 'Orders.create') });
  return hook.id;
}

export default {
  fetch: webhookHandler({
    secret: env.WEBHOOK_SECRET,
    onBatch: async (batch) => env.QUEUE.send(batch),
  }),
};

const batch = parseWebhook('{"orders":[]}', { event: 'Orders.create' });
// A batch holds one kind of record; narrow before use.
export const numbers: string[] = batch.entity === 'orders' ? batch.orders.map((o) => o.order_number) : [];
// @ts-expect-error: without narrowing on `entity`, the batch may hold customers or products instead
batch.orders;

// @ts-expect-error: onBatch is required
webhookHandler({ secret: 'x' });
