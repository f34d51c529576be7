// CommonJS: `require('shopflow/rules')` loads the rules module synchronously.
const { RuleEngine, ValidationError } = require('shopflow/rules');
const shopflow = require('shopflow');

const engine = RuleEngine.compile('fn on_order_paid(order) { mark_resolved(order); }');
const run = engine.run('{"orders":[{"order_number":"2024000123"}]}', { orders: [{ order_number: '2024000123', paid_date: '2026-05-01' }] }, { eventName: 'Orders.update' });
let refused;
try {
  engine.run('{"orders": [}', {}, { eventName: 'Orders.update' });
} catch (e) {
  refused = e instanceof ValidationError && e instanceof shopflow.ValidationError ? e.code : `unexpected ${e}`;
}
console.log(JSON.stringify({ hooks: engine.hooks, actions: run.actions.map((a) => a.action), refused }));
