// CommonJS: `require('shopflow')` works synchronously (no top-level await needed).
const { Client, ValidationError, parseWebhook, webhookUrl, generateSecret, verifyWebhook } = require('shopflow');

const secret = generateSecret();
const url = webhookUrl('https://my.app/hooks', secret, 'Orders.update');
const batch = parseWebhook('{"orders":[{"order_number":"2024000123","status_id":3}]}', { event: 'Orders.update' });
let refused;
try {
  new Client({ baseUrl: 'http://127.0.0.1:1/api/v2', login: 'a', apiKey: 'b' });
} catch (e) {
  refused = e instanceof ValidationError ? e.code : `unexpected ${e}`;
}
const shop = new Client({ baseUrl: process.env.SHOP_URL, login: process.env.SHOP_LOGIN, apiKey: process.env.SHOP_KEY, allowLocal: true });
shop.status().then((status) => {
  console.log(JSON.stringify({ verified: verifyWebhook(url, secret), orders: batch.orders.length, refused, status: typeof status }));
});
