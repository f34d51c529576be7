// The `shopflow/rules` entry in Node: compile errors at their place, dry runs over a webhook
// and the shop's data, hostile rules stopped without harming the engine, and applyActions
// sending a run's actions to the sandbox over HTTP in the fewest requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { RuleEngine, RuleError, ValidationError, applyActions } = require('../../wasm/pkg/rules/node/index.cjs');
const shopflow = require('../../wasm/pkg/node/index.cjs');

const fixture = (path) => readFileSync(join(root, 'fixtures/upgates', path), 'utf8');

// The COD rule of the rules crate's tests: hold cash-on-delivery orders over a limit.
const COD = `
fn limit() { 5000 }

fn on_order_created(order) {
    if order.payment.is_cash_on_delivery && order.total > limit() {
        set_status(order, "Ke kontrole");
        add_history(order, "shopflow", \`dobírka \${order.total} \${order.currency} nad limit\`);
        print(\`held \${order.number}\`);
    }
}
`;

/** Orders of the fixture webhook (2024000123, 2024000124) as the shop would list them. */
function fixtureOrders() {
  const cod = { name: 'Dobírka', type: 'cashOnDelivery' };
  return [
    { order_number: '2024000123', status_id: 1, status: 'Přijatá', currency_id: 'CZK', order_total: '5999.90', payment: cod },
    { order_number: '2024000124', status_id: 1, status: 'Přijatá', currency_id: 'CZK', order_total: '120', payment: cod },
  ];
}

describe('compiling', () => {
  test('a syntax error has its code, line and column', () => {
    const source = 'fn on_order_created(order) {\n    set_status(order, "x")\n    let = 5;\n}\n';
    const e = catchIt(() => RuleEngine.compile(source));
    assert.ok(e instanceof RuleError && e instanceof Error && e.name === 'RuleError');
    assert.equal(e.code, 'syntax');
    assert.equal(e.line, 3);
    assert.equal(typeof e.column, 'number');
    assert.deepEqual(e.errors[0], { code: 'syntax', message: e.message, line: e.line, column: e.column });
  });

  test('every unknown function is reported at its place, with a suggestion', () => {
    const source = 'fn on_order_created(order) {\n    set_stauts(order, "Vyřizuje se");\n    if order.paid { sendmail(order); }\n}\n';
    const e = catchIt(() => RuleEngine.compile(source));
    assert.ok(e instanceof RuleError);
    assert.equal(e.code, 'unknown_function');
    assert.deepEqual(
      e.errors.map((x) => [x.code, x.line, x.column]),
      [
        ['unknown_function', 2, 5],
        ['unknown_function', 3, 21],
      ],
    );
    assert.match(e.message, /set_stauts.*did you mean set_status\?/);
    assert.equal(e.line, 2);
  });

  test('a property the order does not have is reported at its place, with the one meant', () => {
    // The platform's field names, as the API docs and webhook bodies spell them.
    const source = 'fn on_order_created(o) {\n    if o.order_total > 5000 {\n        print(o.customer.firstname_invoice);\n    }\n}\n';
    const e = catchIt(() => RuleEngine.compile(source));
    assert.ok(e instanceof RuleError);
    assert.equal(e.code, 'unknown_property');
    assert.deepEqual(
      e.errors.map((x) => [x.code, x.line, x.column]),
      [
        ['unknown_property', 2, 10],
        ['unknown_property', 3, 26],
      ],
    );
    assert.match(e.message, /^Order has no property order_total \(did you mean total\?/);
    assert.equal(e.errors[1].message, 'OrderCustomer has no property firstname_invoice (did you mean firstname?)');
  });

  test('unknown hooks and forbidden words have their own codes', () => {
    assert.equal(catchIt(() => RuleEngine.compile('fn on_order_shipped(order) { }')).code, 'unknown_hook');
    assert.equal(catchIt(() => RuleEngine.compile('fn on_order_created(order) { eval("1"); }')).code, 'forbidden');
    assert.throws(() => RuleEngine.compile(42), TypeError);
  });

  test('an engine knows its hooks, and cannot be made without compiling', () => {
    const engine = RuleEngine.compile('fn on_order_paid(o) { mark_resolved(o); }\nfn on_order_created(o) { }');
    assert.deepEqual(engine.hooks, ['on_order_created', 'on_order_paid']);
    engine.hooks.push('on_customer_created');
    assert.equal(engine.hooks.length, 2, 'hooks is a copy');
    assert.throws(() => new RuleEngine(), TypeError);
    engine.free();
    assert.throws(() => engine.run({ orders: [] }), /freed/);
  });
});

describe('platforms', () => {
  const NOTE = 'fn on_order_created(order) {\n    set_internal_note(order, "x");\n}\n';

  test('a rule is checked for the platform it runs on, Upgates by default', () => {
    assert.equal(RuleEngine.compile(NOTE).platform, 'upgates');
    const e = catchIt(() => RuleEngine.compile(NOTE, { platform: 'retailys' }));
    assert.ok(e instanceof RuleError);
    assert.equal(e.code, 'unsupported_action');
    assert.equal(e.line, 2);
    assert.match(e.message, /set_internal_note is not available on retailys: .*use add_history instead/);
    const delivered = catchIt(() => RuleEngine.compile('fn on_order_paid(o) {\n    mark_delivered(o);\n}'));
    assert.equal(delivered.code, 'unsupported_action');
    assert.match(delivered.message, /use set_status with your shop's delivered status/);
    const unknown = catchIt(() => RuleEngine.compile(NOTE, { platform: 'shoptet' }));
    assert.ok(unknown instanceof ValidationError, String(unknown));
    assert.match(unknown.message, /upgates, retailys/);
    assert.throws(() => RuleEngine.compile(NOTE, { platform: 7 }), TypeError);
  });

  test('a run lists the requests of the platform compiled for', () => {
    const source = 'fn on_order_created(o) {\n    set_tracking(o, "Z1", "zásilkovna");\n    mark_sent(o, #{ email: true });\n    cancel(o);\n}';
    const data = { orders: fixtureOrders(), shippers: [{ id: 3, name: 'Zásilkovna' }] };
    const event = fixture('webhooks/orders-create.json');
    const retailys = RuleEngine.compile(source, { platform: 'retailys' }).run(event, data, { eventName: 'Orders.create' });
    assert.deepEqual(retailys.actions.slice(0, 3), [
      { action: 'set_tracking', order: '2024000123', code: 'Z1', carrier: 'zásilkovna', notify: { emails: false, sms: false } },
      { action: 'mark_sent', order: '2024000123', notify: { emails: true, sms: false } },
      { action: 'cancel', order: '2024000123', notify: { emails: false, sms: false } },
    ]);
    assert.deepEqual(
      retailys.requests.filter((r) => r.path.includes('2024000123')).map((r) => `${r.method} ${r.path}`),
      ['POST /System/Orders/2024000123/tracking', 'PATCH /System/Orders/2024000123/sent', 'PATCH /System/Orders/2024000123/cancel'],
    );
    // On Upgates, mark_sent and cancel both set the status: the statuses unknown, both are refused.
    const upgates = RuleEngine.compile(source).run(event, data, { eventName: 'Orders.create' });
    assert.deepEqual(upgates.events.map((e) => e.outcome), ['failed', 'failed']);
    assert.match(upgates.events[0].reason, /no status of type (Canceled|Sent)/);
  });
});

describe('running', () => {
  test('a COD rule over a webhook and its orders asks for the expected actions', () => {
    const engine = RuleEngine.compile(COD);
    const result = engine.run(fixture('webhooks/orders-create.json'), { orders: fixtureOrders() }, { eventName: 'Orders.create' });
    const held = [
      { action: 'set_status', order: '2024000123', status: 'Ke kontrole', notify: { emails: false, sms: false } },
      { action: 'add_history', order: '2024000123', name: 'shopflow', value: 'dobírka 5999.90 CZK nad limit' },
    ];
    assert.deepEqual(result.actions, held);
    assert.deepEqual(result.logs, ['held 2024000123']);
    assert.ok(result.opsUsed > 0);
    assert.deepEqual(
      result.events.map((e) => [e.hook, e.subject, e.outcome, e.actions.length]),
      [
        ['on_order_created', { order: '2024000123' }, 'applied', 2],
        ['on_order_created', { order: '2024000124' }, 'filtered', 0],
      ],
    );
    assert.deepEqual(result.events[0].actions, held, 'events carry the actions themselves');
    assert.equal(result.events[1].reason, 'no rule asked for anything');
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.requests, [
      { method: 'PUT', path: '/orders', items: 1 },
      { method: 'POST', path: '/orders/2024000123/history', items: 1 },
    ]);
  });

  test('the event is inferred from the body, and records missing from the data are skipped', () => {
    const engine = RuleEngine.compile('fn on_order_updated(order, change) { if change.status_changed { set_tracking(order, "DR1"); } }');
    const body = JSON.parse(fixture('webhooks/orders-update.json'));
    const number = body.orders[0].order_number;
    body.orders.push({ ...body.orders[0], order_number: '2024000999' });
    const data = { orders: [{ order_number: number, status_id: 4, status: 'Odeslaná' }], previous: { [number]: { status_id: 1, paid: false } } };
    const result = engine.run(body, data);
    assert.deepEqual(result.actions, [{ action: 'set_tracking', order: number, code: 'DR1', notify: { emails: false, sms: false } }]);
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0], /^order 2024000999: not in the data/);
  });

  test('an endless loop is a failed event with a code, and the engine runs on', () => {
    const engine = RuleEngine.compile(`
fn on_order_created(order) {
    if order.number == "2024000123" { let n = 0; loop { n += 1; } }
    set_status(order, "Vyřizuje se");
}`);
    const started = performance.now();
    const stuck = engine.run({ orders: [{ order_number: '2024000123' }] }, { orders: fixtureOrders() }, { eventName: 'Orders.create' });
    assert.ok(performance.now() - started < 2000, 'stopped within its budget');
    const [event] = stuck.events;
    assert.equal(event.outcome, 'failed');
    assert.ok(['too_many_operations', 'timeout'].includes(event.error.code), event.error.code);
    assert.equal(typeof event.error.message, 'string');
    assert.deepEqual(stuck.actions, [], 'a failed hook asks for nothing');
    assert.equal(event.reason, event.error.message);

    const fine = engine.run({ orders: [{ order_number: '2024000124' }] }, { orders: fixtureOrders() }, { eventName: 'Orders.create' });
    assert.deepEqual(fine.events.map((e) => e.outcome), ['applied']);
    assert.equal(fine.actions[0].order, '2024000124');
  });

  test('every script of the hostile corpus stops with its code, in Node as natively', () => {
    const dir = join(root, 'rhai-host/engine/tests/hostile');
    const files = readdirSync(dir).filter((f) => f.endsWith('.rhai')).sort();
    assert.ok(files.length >= 12);
    const event = { orders: [{ order_number: '1' }] };
    const data = { orders: [{ order_number: '1' }] };
    const good = RuleEngine.compile('fn on_order_created(o) { set_status(o, 2); }');
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      const expected = source.split('\n')[0].replace('// expect: ', '').split('|').map((s) => s.trim());
      let code;
      let engine;
      try {
        engine = RuleEngine.compile(source);
      } catch (e) {
        assert.ok(e instanceof RuleError, `${file}: ${e}`);
        code = e.code;
      }
      if (engine) {
        for (let i = 0; i < 2; i += 1) {
          const result = engine.run(event, data, { eventName: 'Orders.create' });
          assert.deepEqual(result.actions, [], `${file}: a stopped run asks for nothing`);
          code = result.events[0]?.error?.code;
          assert.ok(expected.includes(code), `${file}: expected ${expected.join(' | ')}, got ${code} (run ${i + 1})`);
        }
        engine.free();
      }
      assert.ok(expected.includes(code), `${file}: expected ${expected.join(' | ')}, got ${code}`);
      // The module is unharmed: another engine still runs.
      assert.equal(good.run(event, data, { eventName: 'Orders.create' }).actions.length, 1, `after ${file}`);
    }
  });

  test('an event or data that does not read throws the package ValidationError with its path', () => {
    const engine = RuleEngine.compile(COD);
    const badData = catchIt(() => engine.run(fixture('webhooks/orders-create.json'), { orders: [{ order_number: '1', order_total: '12,50' }] }));
    assert.ok(badData instanceof ValidationError);
    assert.ok(badData instanceof shopflow.ValidationError, 'instanceof works across the two entries');
    assert.ok(badData instanceof shopflow.ShopflowError);
    assert.ok(!(badData instanceof shopflow.RateLimitedError));
    assert.equal(badData.code, 'VALIDATION');
    assert.equal(badData.path, 'orders[0].order_total');
    assert.equal(badData.line, 1);
    assert.match(badData.message, /^the data: at orders\[0\]\.order_total/);

    const badEvent = catchIt(() => engine.run('{"orders": [{"order_number": "1"},]}', {}, { eventName: 'Orders.create' }));
    assert.ok(badEvent instanceof ValidationError);
    assert.match(badEvent.message, /^the event: /);
    assert.equal(badEvent.column, 35);
    assert.match(catchIt(() => engine.run(fixture('webhooks/orders-create.json'), {}, { eventName: 'Nonsense' })).message, /^the event name: /);
    assert.match(catchIt(() => engine.run(fixture('webhooks/orders-create.json'), {}, { today: '1.5.2026' })).message, /today must be a date/);
    assert.throws(() => engine.run(42), TypeError);
    // The main entry's errors still match their own classes.
    const own = catchIt(() => shopflow.parse('order-list', '{"orders": 5}'));
    assert.ok(own instanceof shopflow.ValidationError && own instanceof ValidationError);
  });
});

describe('applying actions to the sandbox', () => {
  let sb;
  const client = () => new shopflow.Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });

  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  test('150 held orders take two silent PUTs, one notifying PUT and a history POST per order', async () => {
    await sb.control('reset', {});
    await sb.control('orders/generate', { count: 150, seed: 11 });
    const c = client();
    const orders = [];
    for await (const o of c.orders.iterate()) orders.push(o);
    const statuses = await c.orderStatuses.list();
    const notified = orders[0].order_number;
    const noted = orders.slice(1, 4).map((o) => o.order_number);
    const engine = RuleEngine.compile(`
fn on_order_created(order) {
    if order.number == "${notified}" {
        set_status(order, "Vyřizuje se", #{ email: true });
        return;
    }
    set_status(order, "Ke kontrole");
    set_tracking(order, \`DR\${order.number}\`);
    if ${JSON.stringify(noted)}.contains(order.number) {
        add_history(order, "shopflow", "held");
        add_history(order, "shopflow", "checked");
    }
}`);
    const webhook = { orders: orders.map((o) => ({ order_number: o.order_number })) };
    const data = { orders, order_statuses: statuses };
    const run = engine.run(webhook, data, { eventName: 'Orders.create' });
    assert.equal(run.actions.length, 150 * 2 - 1 + 3 * 2);
    assert.deepEqual(run.requests.map((r) => `${r.method} ${r.path.replace(/\d+/, 'N')} ${r.items}`), [
      'PUT /orders 100',
      'PUT /orders 49',
      'PUT /orders 1',
      'POST /orders/N/history 2',
      'POST /orders/N/history 2',
      'POST /orders/N/history 2',
    ]);

    await sb.control('stats/reset', {});
    const writesBefore = (await sb.control('writes')).writes.length;
    const notificationsBefore = (await sb.control('notifications')).notifications.length;
    const outcome = await applyActions(c, run.actions, { data });
    assert.deepEqual(outcome.failed, []);
    assert.deepEqual(outcome.satisfied, []);
    assert.equal(outcome.applied, run.actions.length);
    assert.equal(outcome.requests, 6);
    const stats = await sb.stats();
    assert.equal(stats.requests_by_endpoint['PUT /api/v2/orders'], 3);
    assert.equal(stats.requests_total, 6);

    const writes = (await sb.control('writes')).writes.slice(writesBefore);
    const puts = writes.filter((w) => w.endpoint === 'PUT /api/v2/orders');
    assert.deepEqual(puts.map((w) => [w.send_emails_yn, w.send_sms_yn]).sort(), [
      [false, false],
      [false, false],
      [true, false],
    ]);
    const notifications = (await sb.control('notifications')).notifications.slice(notificationsBefore);
    assert.deepEqual(notifications.map((n) => n.channel), ['email'], 'only the action that asked e-mails its customer');

    const after = await c.orders.byNumbers([notified, noted[0]]);
    assert.deepEqual(after.map((o) => o.status_id).sort((a, b) => a - b), [9, 10]);
    const history = await c.orders.history(noted[0]);
    assert.deepEqual(history.history.at(-1).data.map((d) => d.value), ['held', 'checked']);

    // The same run again, against the orders as they are now: the statuses and fields are
    // there already (nothing sent for them); only the history records go again.
    const now = [];
    for await (const o of c.orders.iterate()) now.push(o);
    await sb.control('stats/reset', {});
    const again = await applyActions(c, run.actions, { data: { orders: now, order_statuses: statuses } });
    assert.equal(again.satisfied.length, 150 * 2 - 1);
    assert.match(again.satisfied[0].reason, /already/);
    assert.equal(again.requests, 3);
    assert.equal((await sb.stats()).requests_by_endpoint['PUT /api/v2/orders'], undefined);
  });

  test('refused and failed actions come back with why; customers are read for their e-mail', async () => {
    await sb.control('reset', {});
    await sb.control('orders/generate', { count: 2, seed: 3 });
    const c = client();
    const [order] = (await c.orders.list()).items;
    await c.customers.create([{ type: 'customer', language: 'cs', login: { email: 'rules@example.cz' } }]);
    const customer = (await c.customers.list({ email: 'rules@example.cz' })).items[0];
    await sb.control('stats/reset', {});
    const actions = [
      { action: 'set_tracking', order: order.order_number, code: 'DR42', notify: { emails: false, sms: false } },
      { action: 'set_status', order: '1999999999', status: 3, notify: { emails: false, sms: false } },
      { action: 'set_customer_note', customer: customer.customer_id, text: 'prefers pick-up' },
      { action: 'set_customer_note', customer: 987654, text: 'nobody' },
    ];
    const outcome = await applyActions(c, actions, { statuses: await c.orderStatuses.list() });
    assert.equal(outcome.applied, 2);
    assert.deepEqual(outcome.failed.map((f) => f.action), [actions[1], actions[3]]);
    // The PUT went out; the shop refused the unknown order inside its 200, in its own words.
    assert.match(outcome.failed[0].reason, /^the shop did not apply it: \S/);
    assert.equal(outcome.failed[1].reason, 'not sent: the shop has no customer 987654 (reading it found none)');
    // Two customer reads, one PUT /orders for both orders, one PUT /customers.
    assert.equal(outcome.requests, 4);
    assert.equal((await c.orders.get(order.order_number)).tracking_code, 'DR42');
    assert.equal((await c.customers.get(customer.customer_id)).note, 'prefers pick-up');
  });

  test('each reason says what happened: missing from the data passed in, refused before sending, a 404 from the shop', async () => {
    await sb.control('reset', {});
    await sb.control('orders/generate', { count: 2, seed: 5 });
    const c = client();
    const orders = (await c.orders.list()).items;
    const [known, other] = orders;
    const statuses = await c.orderStatuses.list();
    const actions = [
      // In the shop, but not in the data passed in: nothing is asked of the shop about it.
      { action: 'set_status', order: other.order_number, status: 3, notify: { emails: false, sms: false } },
      // A status the statuses passed in lack.
      { action: 'set_status', order: known.order_number, status: 'Neexistuje', notify: { emails: false, sms: false } },
      // In effect already, as the data shows the order.
      { action: 'set_status', order: known.order_number, status: known.status_id, notify: { emails: false, sms: false } },
    ];
    await sb.control('stats/reset', {});
    const outcome = await applyActions(c, actions, { data: { orders: [known], order_statuses: statuses } });
    assert.deepEqual(outcome.failed.map((f) => f.action), actions.slice(0, 2));
    assert.equal(outcome.failed[0].reason, `not sent: order ${other.order_number} is not in data.orders (the records passed in)`);
    assert.match(outcome.failed[1].reason, /^not sent: the shop has no status named "Neexistuje" \(it has: .+\)$/);
    assert.deepEqual(outcome.satisfied.map((x) => x.action), [actions[2]]);
    assert.match(outcome.satisfied[0].reason, /already/);
    assert.equal(outcome.requests, 0);
    assert.equal((await sb.stats()).requests_total, 0, 'nothing was sent');
    assert.equal((await c.orders.get(other.order_number)).status_id, other.status_id);

    // Without data nothing is refused before sending: the shop answers for an order it lacks.
    const missing = await applyActions(c, [{ action: 'add_history', order: '1999999999', name: 'shopflow', value: 'x' }]);
    assert.equal(missing.failed.length, 1);
    assert.match(missing.failed[0].reason, /^the shop answered HTTP 404 \(NOT_FOUND\): /);
  });

  test('a redelivered webhook adds no second history record when a store is passed', async () => {
    await sb.control('reset', {});
    await sb.control('orders/generate', { count: 2, seed: 9 });
    const c = client();
    const [a, b] = (await c.orders.list()).items;
    const engine = RuleEngine.compile(`
fn on_order_created(order) {
    add_history(order, "shopflow", \`checked \${order.number}\`);
    add_history(order, "shopflow", "held");
}`);
    const orders = [a, b];
    const run = engine.run({ orders: orders.map((o) => ({ order_number: o.order_number })) }, { orders }, { eventName: 'Orders.create' });
    assert.equal(run.actions.length, 4);
    const records = async (o) => (await c.orders.history(o.order_number)).history.flatMap((h) => h.data).length;
    const before = [await records(a), await records(b)];

    // A Map's get and put, and a KV namespace's promises, both serve.
    const map = new Map();
    const mapStore = { get: (k) => map.get(k), put: (k, v) => void map.set(k, v) };
    const first = await applyActions(c, run.actions, { data: { orders }, idempotencyStore: mapStore });
    assert.equal(first.applied, 4);
    assert.deepEqual(first.unrecorded, []);
    assert.equal(map.size, 4, 'each record added is kept');
    for (const key of map.keys()) assert.match(key, /^shopflow:history:\d+:[0-9a-f]{64}$/);

    await sb.control('stats/reset', {});
    const kv = { get: async (k) => map.get(k) ?? null, put: async (k, v) => void map.set(k, v) };
    const again = await applyActions(c, run.actions, { data: { orders }, idempotencyStore: kv });
    assert.equal(again.applied, 0);
    assert.equal(again.requests, 0);
    assert.deepEqual(again.satisfied.map((x) => x.action), run.actions);
    assert.match(again.satisfied[0].reason, /^the history record "shopflow" was added before \(the idempotency store has it from an earlier run\)$/);
    assert.equal((await sb.stats()).requests_total, 0);
    assert.deepEqual([await records(a), await records(b)], [before[0] + 2, before[1] + 2], 'one record each, as first added');

    // A new record for the same order still goes; one the store has does not.
    const more = [...run.actions, { action: 'add_history', order: a.order_number, name: 'shopflow', value: 'new' }];
    const third = await applyActions(c, more, { data: { orders }, idempotencyStore: mapStore });
    assert.equal(third.applied, 1);
    assert.equal(await records(a), before[0] + 3);

    // Without a store, as before: the record is added again.
    const plain = await applyActions(c, run.actions.slice(0, 1), { data: { orders } });
    assert.equal(plain.applied, 1);
    assert.equal(await records(a), before[0] + 4);
  });

  test('a store that cannot be read stops before sending; one that cannot write is reported', async () => {
    await sb.control('reset', {});
    await sb.control('orders/generate', { count: 1, seed: 4 });
    const c = client();
    const [order] = (await c.orders.list()).items;
    const actions = [{ action: 'add_history', order: order.order_number, name: 'shopflow', value: 'once' }];
    await sb.control('stats/reset', {});
    const down = { get: async () => { throw new Error('KV unavailable'); }, put: async () => {} };
    await assert.rejects(applyActions(c, actions, { idempotencyStore: down }), /the idempotency store could not be read \(KV unavailable\); nothing was sent/);
    assert.equal((await sb.stats()).requests_total, 0);

    const readOnly = { get: () => null, put: () => { throw new Error('quota exceeded'); } };
    const outcome = await applyActions(c, actions, { idempotencyStore: readOnly });
    assert.equal(outcome.applied, 1);
    assert.deepEqual(outcome.unrecorded.map((u) => u.action), actions);
    assert.match(outcome.unrecorded[0].reason, /did not keep it \(quota exceeded\): a redelivery would add it again/);

    await assert.rejects(applyActions(c, actions, { idempotencyStore: new Map() }), /get\(key\) and put\(key, value\)/);
  });

  test('a wrong key stops after the first refused request', async () => {
    await sb.control('reset', {});
    const bad = new shopflow.Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: 'wrong-key-0123456789', allowLocal: true });
    const actions = ['1', '2', '3', '4'].map((n) => ({ action: 'add_history', order: `202600000${n}`, name: 'a', value: 'b' }));
    await sb.control('stats/reset', {});
    const outcome = await applyActions(bad, actions);
    assert.equal(outcome.applied, 0);
    assert.equal(outcome.failed.length, 4);
    assert.ok(outcome.failed.some((f) => /^the shop answered HTTP 401 \(UNAUTHORIZED\): /.test(f.reason)), 'the refused request says so');
    assert.ok(outcome.failed.some((f) => /^not sent: an earlier request failed, and would fail alike: the shop answered HTTP 401/.test(f.reason)), 'later requests are not sent');
    assert.ok((await sb.stats()).requests_total <= 3, 'at most the requests already in flight');
  });
});

function catchIt(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
}
