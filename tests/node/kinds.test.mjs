// The package's document kinds: one vocabulary for `parse` and `validate`, the names from
// before it still read, and a list parsed from a stored answer has the shape `list()` gives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const { Client, parse, validate } = require('../../wasm/pkg/node/index.cjs');

let sb;
before(async () => {
  sb = await startSandbox();
  await sb.control('orders/generate', { count: 130, seed: 17 });
});
after(async () => {
  await sb.stop();
});

/** A client that keeps the body of every answer it reads, for parsing the same text again. */
function recordingClient() {
  const bodies = [];
  const fetch = async (request) => {
    const response = await globalThis.fetch(request);
    bodies.push(await response.clone().text());
    return response;
  };
  const client = new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true, fetch });
  return { client, bodies };
}

describe('lists read as pages', () => {
  for (const [resource, kind] of [
    ['orders', 'order-list'],
    ['customers', 'customer-list'],
  ]) {
    test(`parse('${kind}') of an answer is the page ${resource}.list() made of it`, async () => {
      const { client, bodies } = recordingClient();
      for (const page of [1, 2]) {
        const listed = await client[resource].list({ page });
        assert.equal(bodies.length, page);
        const parsed = parse(kind, bodies.at(-1));
        assert.deepEqual(parsed, listed);
        assert.ok(Array.isArray(parsed.items) && 'currentPage' in parsed && 'nextPage' in parsed, Object.keys(parsed).join());
        assert.equal(parsed.orders, undefined, 'not the API envelope');
      }
    });
  }
});

describe('an order page read by the field tables', () => {
  // `parse('order-list')` writes a page straight from the answer's text by the order's field
  // tables, and leaves what they do not take to the typed reading. A page given as a list of
  // its fields (which serde reads by position) is one the tables leave, so the same answer
  // in both forms is read once each way.
  test('is the page the typed reading makes of the same answer', async () => {
    const { client, bodies } = recordingClient();
    for (const page of [1, 2]) {
      await client.orders.list({ page });
      const answer = JSON.parse(bodies.at(-1));
      const fields = ['current_page', 'current_page_items', 'number_of_pages', 'number_of_items', 'orders'];
      const asList = JSON.stringify(fields.map((f) => answer[f]));
      const byTables = parse('order-list', bodies.at(-1));
      assert.equal(byTables.items.length, answer.orders.length);
      assert.equal(JSON.stringify(byTables), JSON.stringify(parse('order-list', asList)));
    }
  });
});

describe('kind names', () => {
  const answer = {
    orders: [{ order_number: '2024000001', order_id: 1, created_yn: '1', messages: [] }],
  };

  test('the names from before the naming rule still parse, to the same document', () => {
    for (const [old, current, body] of [
      ['orders-create-response', 'order-create-response', answer],
      ['orders-update-response', 'order-update-response', { orders: [{ order_number: '1', updated_yn: true, messages: [] }] }],
      ['order-statuses', 'order-status-list', { order_statuses: [{ id: 1, type: 'Received', descriptions: [] }] }],
      ['webhook-events', 'webhook-event-list', { events: [] }],
      ['webhook', 'webhook-batch', { project_name: 'x', orders: [{ order_number: '7', creation_time: '2024-01-02' }] }],
    ]) {
      assert.deepEqual(parse(old, body), parse(current, body), old);
    }
  });

  test('validate takes the new names and the old ones alike', () => {
    const status = { descriptions: [] };
    const problems = validate('order-status-create-request', status);
    assert.ok(problems.length > 0);
    assert.deepEqual(validate('order-status-request', status), problems);
    assert.deepEqual(validate('order-create-request', { orders: [{ language_id: 'cs', customer: { email: 'a@b.cz' }, products: [] }] }).map((p) => p.path), ['orders[0].products']);
  });

  test('an unknown kind lists the current names only', () => {
    assert.throws(
      () => parse('orders', '{}'),
      (e) => e.code === 'VALIDATION' && e.message.includes('order-create-response') && !e.message.includes('orders-create-response'),
    );
  });
});
