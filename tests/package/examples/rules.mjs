// The README's rules example from ESM (`import 'shopflow/rules'`), against the shop in SHOP_URL
// (the sandbox in tests): compile, dry-run over a webhook with the shop's orders, apply.
// Prints what happened as JSON.
import { Client } from 'shopflow';
import { RuleEngine, RuleError, applyActions } from 'shopflow/rules';

const shop = new Client({ baseUrl: process.env.SHOP_URL, login: process.env.SHOP_LOGIN, apiKey: process.env.SHOP_KEY, allowLocal: true });

let error;
try {
  RuleEngine.compile('fn on_order_created(order) {\n  set_stauts(order, 2);\n}');
} catch (e) {
  error = e instanceof RuleError ? [e.code, e.line, e.column] : `unexpected ${e}`;
}

const engine = RuleEngine.compile(`
fn on_order_created(order) {
    if order.total > 0 { set_status(order, "Vyřizuje se"); }
}`);
const { items: orders } = await shop.orders.list();
const webhook = { orders: orders.map((o) => ({ order_number: o.order_number })) };
const run = engine.run(webhook, { orders }, { eventName: 'Orders.create' });
const applied = await applyActions(shop, run.actions, { data: { orders, order_statuses: await shop.orderStatuses.list() } });
engine.free();
console.log(JSON.stringify({ error, hooks: engine.hooks, actions: run.actions.length, requests: run.requests.length, applied: applied.applied, sent: applied.requests }));
