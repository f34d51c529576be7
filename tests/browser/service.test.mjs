// The site as the rules service serves it (`shopflow run` on its demo shop): the page connects to
// the demo shop on its own, shows the service's live /status as orders arrive and the rules run,
// and the playground's engine loads from the service.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launch, newPage, root, screenshot } from './browser.mjs';
import { startService, startServiceOn } from './service.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';

const require = createRequire(import.meta.url);
const { Client } = require(`${root}/wasm/pkg/node/index.cjs`);

let svc;
let browser;

before(async () => {
  browser = await launch();
  svc = await startService();
});

after(async () => {
  await browser?.close();
  await svc?.stop();
});

async function countOrders() {
  // demo.json's shop also says its platform, which is not a Client option (the Client refuses
  // options it does not have).
  const { baseUrl, login, apiKey } = svc.shop;
  const c = new Client({ baseUrl, login, apiKey, allowLocal: true });
  let n = 0;
  for await (const _ of c.orders.iterate()) n += 1;
  return n;
}

describe('served by the rules service', () => {
  test('connects to the demo shop by itself and shows the rules running on new orders', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      // The address the demo prints: the token rides in the fragment, and leaves the address bar.
      await page.goto(svc.dashboard);
      await page.getByTestId('connected').waitFor();
      assert.equal(page.url(), `${svc.origin}/#dashboard`);
      assert.match(await page.getByTestId('connected').innerText(), new RegExp(`${svc.shop.baseUrl}.*the local demo shop`));
      const before = await countOrders();
      await page.locator(`[data-testid="orders"][data-loaded="${before}"]`).waitFor({ timeout: 20_000 });
      await page.getByTestId('service').waitFor({ state: 'visible' });

      // Orders arrive in the shop; its webhooks reach the service, and the rules run.
      const made = await svc.control('orders/generate', { count: 6, seed: 21 });
      assert.equal(made.created, 6);
      const status = await svc.settled(1);
      assert.ok(status.last_outcomes.length > 0);

      // The page catches up on its next poll, with the service's own figures.
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="events-processed"] dd')?.textContent === String(n),
        status.events_processed,
        { timeout: 10_000 },
      );
      const panel = page.getByTestId('service');
      for (const o of ['applied', 'filtered', 'failed']) {
        assert.equal((await panel.locator(`.legend [data-outcome="${o}"]`).innerText()).trim(), `${o} ${status[`outcomes_${o}`]}`);
      }
      assert.equal(await panel.locator('[data-testid="actions-applied"] dd').innerText(), String(status.actions_applied));
      const rows = await panel.locator('[data-testid="service-recent"] tbody tr').count();
      assert.equal(rows, Math.min(15, status.last_outcomes.length));
      const chartTotal = await panel.locator('[data-testid="outcome-chart"] g.bar').evaluateAll((gs) => gs.reduce((s, g) => s + Number(g.dataset.value), 0));
      assert.equal(chartTotal, status.last_outcomes.length);
      const rules = await panel.locator('[data-testid="service-rules"] li strong').allInnerTexts();
      assert.deepEqual(rules, status.rules.map((r) => r.name));
      assert.match(await panel.getByTestId('service-budget-hour').innerText(), /\d+ of \d+ left/);

      // The new orders are in the shop's list too.
      const orders = page.getByTestId('orders');
      await orders.evaluate((el) => delete el.dataset.loaded);
      await orders.getByRole('button', { name: 'Load orders' }).click();
      await page.locator(`[data-testid="orders"][data-loaded="${before + 6}"]`).waitFor({ timeout: 20_000 });
      await screenshot(page, 'service-dashboard');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('asks for the operator token without it, refuses a wrong one, and shows the live counters with the right one', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${svc.origin}/#dashboard`);
      const panel = page.getByTestId('service');
      const form = panel.getByTestId('service-token-form');
      await form.waitFor();
      assert.match(await panel.getByTestId('service-token-note').innerText(), /operator token/);
      assert.equal(await panel.getByTestId('service-counters').count(), 0, 'no figures without the token');

      await form.locator('input[name="operatorToken"]').fill(`${svc.token}-wrong`);
      await form.getByRole('button', { name: 'Show' }).click();
      await page.locator('[data-testid="service-token-note"][role="alert"]').waitFor();
      assert.match(await panel.getByTestId('service-token-note').innerText(), /refused/);
      assert.equal(await panel.getByTestId('service-counters').count(), 0);

      await form.locator('input[name="operatorToken"]').fill(svc.token);
      await form.getByRole('button', { name: 'Show' }).click();
      await panel.getByTestId('service-counters').waitFor();
      // The figures are the service's (its webhooks may still be arriving: compare the rule names).
      assert.match(await panel.locator('[data-testid="events-received"] dd').innerText(), /^\d+$/);
      const status = await svc.status();
      assert.deepEqual(await panel.locator('[data-testid="service-rules"] li strong').allInnerTexts(), status.rules.map((r) => r.name));
      // Kept in memory only (the box was not ticked): nothing in this tab's storage.
      assert.equal(await page.evaluate(() => sessionStorage.getItem('shopflow.operator-token')), null);
      await screenshot(page, 'service-token');
      // Chromium logs each 401 as a failed load; nothing else may be logged.
      assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test('serves the playground with its rules engine', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${svc.origin}/`);
      await page.locator('[data-testid="engine-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Dry run' }).click();
      await page.getByTestId('expected').waitFor();
      assert.match(await page.getByTestId('expected').innerText(), /^\u2713/);
      await screenshot(page, 'service-playground');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('served by the rules service, on a shop that refuses its key', () => {
  test('says on the dashboard that the shop refused the key, after one request', async () => {
    const shop = await startSandbox();
    let run;
    const { page, context, errors } = await newPage(browser);
    try {
      run = await startServiceOn({ shop: shop.baseUrl, login: LOGIN, key: 'WRONG-KEY', secret: 'browser-test-secret-0123456789' });
      await run.status();
      // Whatever the service asked at start does not count: only what follows the delivery.
      await shop.control('stats/reset', {});

      const delivered = await run.deliver('Orders.create', {
        project_name: 'nodeshop',
        orders: [{ order_number: '2026000001', creation_time: '2026-11-23T10:00:00+01:00', status_id: 1 }],
      });
      assert.equal(delivered.status, 200, delivered.text);

      await page.goto(run.dashboard);
      const alert = page.getByTestId('service-shop-error');
      await alert.waitFor({ timeout: 20_000 });
      assert.equal(await alert.getAttribute('role'), 'alert');
      const text = await alert.innerText();
      assert.match(text, /^Not reaching the shop: /);
      assert.ok(text.includes('refused'), text);
      assert.ok(text.includes('15 minutes'), text);
      assert.ok(!text.includes('WRONG-KEY'), `no key on the page: ${text}`);

      // Time passes (another poll of the page, and more): still the one refused request, and the
      // delivery is kept.
      await new Promise((r) => setTimeout(r, 4000));
      const stats = await shop.stats();
      assert.equal(stats.requests_total, 1, `one refused request: ${JSON.stringify(stats)}\n${run.stderr()}`);
      const status = await run.status();
      assert.equal(status.pending_deliveries, 1, JSON.stringify(status));
      assert.ok(!JSON.stringify(status).includes('WRONG-KEY'), 'no key in /status');

      await screenshot(page, 'service-shop-refused');
      // /demo.json is a 404 when the service runs on a shop of its own: the page learns there is no demo.
      assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*404/.test(e)), []);
    } finally {
      await context.close();
      await run?.stop();
      await shop.stop();
    }
  });
});

describe('served by the rules service, when a rule file fails its reload', () => {
  test('shows the problem at its line while the loaded rules keep running, and clears it once fixed', async () => {
    const shop = await startSandbox();
    const rules = mkdtempSync(join(tmpdir(), 'shopflow-www-rules-'));
    const good = 'fn on_order_created(order) {\n    set_status(order, "Ke kontrole");\n}\n';
    writeFileSync(join(rules, 'check.rhai'), good);
    let run;
    const { page, context, errors } = await newPage(browser);
    try {
      run = await startServiceOn({ shop: shop.baseUrl, login: LOGIN, key: KEY, secret: 'browser-test-secret-0123456789', rules });
      await page.goto(run.dashboard);
      const panel = page.getByTestId('service');
      await panel.getByTestId('service-rules').waitFor();

      writeFileSync(join(rules, 'check.rhai'), 'fn on_order_created(order) {\n    set_status(order, \n}\n');
      const refused = await run.reload();
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      const alert = panel.getByTestId('service-rules-error');
      await alert.waitFor({ timeout: 10_000 });
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.match(await alert.innerText(), /check\.rhai:\d+:\d+: /);
      assert.deepEqual(await panel.locator('[data-testid="service-rules"] li strong').allInnerTexts(), ['check']);
      await screenshot(page, 'service-rules-error');

      writeFileSync(join(rules, 'check.rhai'), good);
      assert.equal((await run.reload()).status, 200);
      await alert.waitFor({ state: 'detached', timeout: 10_000 });
      assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*404/.test(e)), []);
    } finally {
      await context.close();
      await run?.stop();
      await shop.stop();
      rmSync(rules, { recursive: true, force: true });
    }
  });
});
