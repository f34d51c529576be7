// A Cloudflare Worker built from the installed package: it receives Retailys event callbacks
// and, before acknowledging each, writes it down in the order's history through the
// RetailysClient (the journal-then-acknowledge pattern: a failed write answers 500).
import { RetailysClient, retailysCallbackHandler } from 'shopflow';

export default {
  fetch(request, env) {
    const shop = new RetailysClient({ baseUrl: env.RETAILYS_URL, token: env.RETAILYS_TOKEN, allowLocal: true });
    const handle = retailysCallbackHandler({
      secret: env.CALLBACK_SECRET,
      async onEvent(event) {
        await shop.orders.addHistory(event.order_id, { name: `seen by the worker (${event.event})`, status: event.trigger });
      },
    });
    return handle(request);
  },
};
