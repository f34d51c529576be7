// The README's Retailys examples under `tsc --strict`: the client, the callback handler in a
// Worker and in Node; the @ts-expect-error lines prove the types are precise.
import {
  RetailysClient,
  UnprocessableError,
  generateSecret,
  retailysCallbackHandler,
  toNodeListener,
  type Retailys,
  type RetailysCallback,
} from 'shopflow';

declare const env: { RETAILYS_TOKEN: string; CALLBACK_SECRET: string; QUEUE: { send(e: RetailysCallback): Promise<void> } };

const shop = new RetailysClient({ token: env.RETAILYS_TOKEN, timeout: 10_000 });

export async function ship(id: number): Promise<Retailys.OrderModel | null> {
  const order = await shop.orders.get(id, { expanded: true });
  if (!order) return null;
  const sent = (await shop.statuses.list()).find((s) => s.name === 'Odeslaná');
  if (sent?.id != null) await shop.orders.setStatus(id, sent.id);
  const ppl = (await shop.shippers.list()).find((s) => s.name === 'PPL');
  if (ppl?.id != null) await shop.orders.addTracking(id, { shipperId: ppl.id, trackingNumber: 'DR123C' });
  await shop.orders.addHistory(id, { name: 'shipped by shopflow' });
  try {
    return await shop.orders.setFlag(id, 'sent');
  } catch (e) {
    if (e instanceof UnprocessableError) return order;
    throw e;
  }
}

export async function unpaid(): Promise<number> {
  let open = 0;
  for await (const o of shop.orders.all({ done: false, canceled: false, per_page: 250 })) {
    if (o.paid == null || (o.money != null && o.paid < o.money)) open += 1;
  }
  const { id } = await shop.orders.create({ channel: 1, email: 'buyer@example.cz', order_currency_code: 'CZK' });
  if (id != null) await shop.orders.markPaid(id, { amount: 1250, paymentId: 'TX-1' });
  return open;
}

export async function subscribe(): Promise<number | null> {
  const secret = generateSecret();
  await shop.events.subscribe({ event: 'order-change-status', publicUrl: 'https://my.app/hooks', secret });
  return (await shop.events.subscribe({ event: 'order-new', publicUrl: 'https://my.app/hooks', secret })).id;
}

const handler = retailysCallbackHandler({
  secret: env.CALLBACK_SECRET,
  onEvent: async (event) => {
    const id: number = event.order_id;
    const status: number | null = event.status_id;
    console.log(id, status, event.trigger === 'created');
    await env.QUEUE.send(event);
  },
});
export default { fetch: handler };
// In Node: http.createServer(listener).listen(8080)
export const listener = toNodeListener(handler);

// @ts-expect-error: the flag is one of done, cancel, sent, delivered
shop.orders.setFlag(1, 'lost');
// @ts-expect-error: a payment needs its amount
shop.orders.markPaid(1, { paymentId: 'TX-2' });
// @ts-expect-error: the token is required
new RetailysClient({ baseUrl: 'https://api.retailys.com/v1' });
// @ts-expect-error: onEvent is required
retailysCallbackHandler({ secret: 'x' });
