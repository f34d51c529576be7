// The README's client example under `tsc --strict`; the @ts-expect-error lines prove the
// types are precise (each must be an error, or tsc fails on the unused directive).
import { Client, ItemsFailedError, ValidationError, type Order, type Progress, type ItemOutcome } from 'shopflow';

declare const env: { UPGATES_LOGIN: string; UPGATES_KEY: string };

const shop = new Client({
  baseUrl: 'https://myshop.admin.s10.upgates.com/api/v2',
  login: env.UPGATES_LOGIN,
  apiKey: env.UPGATES_KEY,
  onRateLimit: 'wait',
  maxWait: 30_000,
  onRelocate: (apiUrl: string) => console.log('moved to', apiUrl),
});

export async function report(): Promise<number> {
  let total = 0;
  const onProgress = (p: Progress) => console.log(`page ${p.page}/${p.pages}, ${p.itemsSoFar} orders`);
  for await (const order of shop.orders.iterate({ paid_yn: true }, { onProgress })) {
    const o: Order = order;
    const number: string = o.order_number;
    total += Number(o.order_total ?? 0);
    console.log(number);
  }
  return total;
}

export async function ship(): Promise<ItemOutcome[]> {
  try {
    await shop.orders.update([{ order_number: '2024000124', status_id: 3 }], { notify: { emails: true } });
    return await shop.orders.update([{ order_number: '2024000123', status_id: 3, tracking_code: 'DR123C' }]);
  } catch (e) {
    if (e instanceof ItemsFailedError) return e.failures;
    if (e instanceof ValidationError) console.log(e.problems.map((p) => `${p.record}: ${p.path}`));
    throw e;
  }
}

// @ts-expect-error: status_id is a number
shop.orders.update([{ order_number: '1', status_id: 'three' }]);
// @ts-expect-error: onRateLimit is 'wait' or 'throw'
new Client({ baseUrl: '', login: '', apiKey: '', onRateLimit: 'sometimes' });
// @ts-expect-error: the key is required
new Client({ baseUrl: '', login: '' });
// @ts-expect-error: notify takes flags, not a boolean
shop.orders.update([], { notify: true });
