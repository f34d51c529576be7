// A Cloudflare Worker built from the installed package: it receives Upgates webhooks and,
// after answering, marks each new order in the shop (status and internal note, no e-mail).
import { Client, webhookHandler } from 'shopflow';

export default {
  fetch(request, env, ctx) {
    const shop = new Client({ baseUrl: env.SHOP_URL, login: env.SHOP_LOGIN, apiKey: env.SHOP_KEY, allowLocal: true });
    const handle = webhookHandler({
      secret: env.WEBHOOK_SECRET,
      // Answer at once; the work continues after the response (Upgates waits only 1 s).
      onBatch(batch) {
        if (batch.entity !== 'orders') return;
        const changes = batch.orders.map((o) => ({
          order_number: o.order_number,
          status_id: Number(env.NEXT_STATUS_ID),
          internal_note: `seen by the worker (${batch.event})`,
        }));
        ctx.waitUntil(shop.orders.update(changes).catch((e) => console.error(`update failed: ${e.code} ${e.message}`)));
      },
    });
    return handle(request);
  },
};
