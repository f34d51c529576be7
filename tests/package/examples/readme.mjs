// The README's first example, run as a user would run it (ESM `import`), against the shop in
// SHOP_URL (the sandbox in tests, hence allowLocal). Prints what it did as JSON.
import { Client, ItemsFailedError } from 'shopflow';

const shop = new Client({
  baseUrl: process.env.SHOP_URL,
  login: process.env.SHOP_LOGIN,
  apiKey: process.env.SHOP_KEY,
  allowLocal: true,
});

const pages = [];
const paid = [];
for await (const order of shop.orders.iterate({ paid_yn: true }, { onProgress: (p) => pages.push(`${p.page}/${p.pages}`) })) {
  paid.push(order.order_number);
}

const [first] = paid;
const updated = await shop.orders.update([{ order_number: first, tracking_code: 'DR123C' }]);
let failure;
try {
  await shop.orders.update([{ order_number: '1999999999', status_id: 3 }]);
} catch (e) {
  failure = e instanceof ItemsFailedError ? e.code : `unexpected ${e}`;
}
console.log(JSON.stringify({ paid: paid.length, pages, updated: updated.map((r) => r.ok), failure, tracking: (await shop.orders.get(first)).tracking_code }));
