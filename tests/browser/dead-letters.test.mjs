// The dashboard's "Set aside" panel and order view, served by the rules service on a shop of the
// test's own: a delivery the shop refuses for good shows up set aside with the shop's reason, and
// its Retry (once the cause is fixed) applies it once and empties the panel; clicking an order
// number in the latest outcomes shows that order's runs, with its rule, action and log line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launch, newPage, screenshot } from './browser.mjs';
import { startServiceOn } from './service.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';

const RULE = `
fn on_order_created(order) {
    print(\`noting \${order.number}\`);
    add_history(order, "shopflow", "checked");
}
`;

let browser;
let shop;
let rules;

before(async () => {
  browser = await launch();
  shop = await startSandbox(['--seed-orders', '2']);
  rules = mkdtempSync(join(tmpdir(), 'shopflow-rules-'));
  writeFileSync(join(rules, 'note.rhai'), RULE);
});

after(async () => {
  await browser?.close();
  await shop?.stop();
  if (rules) rmSync(rules, { recursive: true, force: true });
});

async function api(path) {
  const auth = Buffer.from(`${LOGIN}:${KEY}`).toString('base64');
  const res = await fetch(`${shop.baseUrl}${path}`, { headers: { authorization: `Basic ${auth}` } });
  return res.json();
}

async function notes(order) {
  const h = await api(`/orders/${order}/history`);
  return h.history.flatMap((e) => e.data ?? []).filter((d) => d.name === 'shopflow' && d.value === 'checked').length;
}

describe('dead letters and run history in the dashboard', () => {
  test('a refused delivery is set aside, retried from the page once fixed, and an order shows its runs', async () => {
    const [bad, good] = (await api('/orders')).orders.map((o) => o.order_number);
    await shop.config({ faults: { refuse_writes_of: [bad] } });
    const run = await startServiceOn({ shop: shop.baseUrl, login: LOGIN, key: KEY, secret: 'browser-dead-letter-secret-0123', rules });
    const { page, context, errors } = await newPage(browser);
    try {
      const orders = [bad, good].map((n) => ({ order_number: n, creation_time: '2026-11-23T10:00:00+01:00', status_id: 1 }));
      assert.equal((await run.deliver('Orders.create', { project_name: 'nodeshop', orders })).status, 200);
      await page.goto(run.dashboard);

      // After its tries, the delivery is set aside with the shop's reason, and only then shown.
      const panel = page.getByTestId('set-aside');
      await panel.locator('[data-testid="dead-letters"] tbody tr').waitFor({ timeout: 30_000 });
      const row = await panel.locator('tbody tr').innerText();
      assert.ok(row.includes(bad) && !row.includes(good), row);
      assert.ok(row.includes('does not take history records'), row);
      await page.waitForFunction(() => document.querySelector('[data-testid="dead-letters-count"] dd')?.textContent === '1');

      // The good order's runs, from the latest outcomes.
      await page.locator('[data-testid="order-link"]', { hasText: good }).first().click();
      const view = page.getByTestId('order-runs');
      await view.getByTestId('order-run').first().waitFor();
      assert.equal(await view.getAttribute('data-order'), good);
      // Newest first: the delivery's later tries found the record there already (filtered); the
      // oldest run added it.
      const runs = view.getByTestId('order-run');
      assert.equal(await runs.first().getAttribute('data-outcome'), 'filtered');
      const first = runs.last();
      assert.equal(await first.getAttribute('data-outcome'), 'applied');
      assert.match(await first.getByTestId('run-action').first().innerText(), /add_history/);
      assert.equal(await first.getByTestId('run-log').first().innerText(), `log: noting ${good}`);
      assert.match(await first.innerText(), /event Orders\.create/);
      assert.match(await first.innerText(), /the pass sent \d+ requests, shared by 2 orders/);
      await screenshot(page, 'service-dead-letters');

      // Fixed in the shop, retried from the page: applied once, and the panel goes away.
      await shop.config({ faults: { refuse_writes_of: [] } });
      await panel.getByRole('button', { name: 'Retry' }).click();
      await panel.waitFor({ state: 'hidden', timeout: 10_000 });
      for (let i = 0; i < 100 && (await notes(bad)) === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await notes(bad), 1);
      assert.equal(await notes(good), 1, 'the good order of the same delivery is not noted twice');
      assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*404/.test(e)), []);
    } finally {
      await context.close();
      await run.stop();
    }
  });
});
