// The dashboard on a Retailys shop: `shopflow run --platform retailys` runs the demo on the
// Retailys sandbox and offers it at /demo.json; the page connects by itself and lists its orders
// (id, date, customer, total, flags), charts them by Retailys status (the orders carry none: the
// page asks the list per status), says what Retailys' request limit is, and shows the service's
// outcomes. A user can also type a Retailys connection (base URL and token) in the form.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { dist, launch, newPage, root, screenshot } from './browser.mjs';
import { startService } from './service.mjs';
import { serveSite } from './static-server.mjs';

const require = createRequire(import.meta.url);
const { RetailysClient } = require(`${root}/wasm/pkg/node/index.cjs`);

// 40 demo orders and these: two pages of 250 for the page.
const GENERATED = 220;
const PAGE = 250;

let svc;
let browser;

before(async () => {
  browser = await launch();
  svc = await startService({ platform: 'retailys' });
  assert.equal(svc.shop.platform, 'retailys');
  const made = await svc.control('orders/generate', { count: GENERATED, seed: 31 });
  assert.equal(made.created, GENERATED);
  // Their order-new callbacks reach the service and the rules run; wait until that is over, so
  // the shop holds still while the page reads it.
  await svc.settled(GENERATED);
  // The page calls the shop from the service's origin: without CORS nothing below can work.
  assert.equal(await corsGap(svc.origin, svc.shop.baseUrl), null);
});

after(async () => {
  await browser?.close();
  await svc?.stop();
});

/**
 * Whether a page on `origin` may call the shop at `baseUrl` with a token (a preflight, as
 * Chromium sends it): null if so, else what is missing.
 */
async function corsGap(origin, baseUrl) {
  const res = await fetch(`${baseUrl}/System/Orders`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'token' },
  });
  const allowed = res.headers.get('access-control-allow-origin');
  if (res.ok && (allowed === '*' || allowed === origin)) return null;
  return `the Retailys sandbox answers a CORS preflight with ${res.status} and no Access-Control-Allow-Origin: a page cannot read it from another origin`;
}

/**
 * What the shop holds, read from Node: the orders through the API, each order's status through
 * the sandbox's control API (the API's orders carry none), and the statuses' names.
 */
async function truth() {
  const c = new RetailysClient({ token: svc.shop.apiKey, baseUrl: svc.shop.baseUrl, allowLocal: true });
  const statuses = await c.statuses.list();
  const orders = [];
  for await (const o of c.orders.all({ per_page: PAGE })) orders.push(o);
  const byStatus = {};
  const statusOf = new Map();
  for (const o of orders) {
    const { status_id: id } = await svc.control(`orders/${o.id}`);
    const name = statuses.find((s) => s.id === id).name;
    statusOf.set(o.id, id);
    byStatus[name] = (byStatus[name] ?? 0) + 1;
  }
  return { orders, statuses, byStatus, statusOf };
}

const flagsOf = (o) =>
  ['paid', 'sent', 'delivered', 'done', 'canceled'].filter((f) => (f === 'paid' ? o.date_paid != null || (o.money > 0 && o.paid >= o.money) : o[f]));

describe('dashboard on a Retailys shop', () => {
  test("lists the demo shop's orders, charts them by Retailys status, and shows the service's outcomes", async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(svc.dashboard);
      const connected = page.locator('[data-testid="connected"][data-platform="retailys"]');
      await connected.waitFor();
      const text = await connected.innerText();
      assert.match(text, new RegExp(`^Connected to Retailys at ${svc.shop.baseUrl} \\(the local demo shop\\)`));
      const shop = await truth();
      const total = shop.orders.length;
      assert.equal(total, 40 + GENERATED);
      const orders = page.getByTestId('orders');
      await page.locator(`[data-testid="orders"][data-loaded="${total}"]`).waitFor({ timeout: 30_000 });

      // Two pages, with the bar full.
      assert.equal(await page.getByTestId('orders-progress-text').innerText(), `page 2 of 2: ${total} of ${total} orders`);
      const bar = page.getByTestId('orders-progress');
      assert.deepEqual([await bar.getAttribute('value'), await bar.getAttribute('max')], ['2', '2']);

      // Every order, newest first, with Retailys' columns: no status (the orders have none).
      const headers = await orders.locator('[data-testid="orders-table"] thead th').allInnerTexts();
      assert.deepEqual(headers, ['Order', 'Created', 'Customer', 'Total', 'State']);
      const rows = orders.locator('[data-testid="orders-table"] tbody tr');
      assert.equal(await rows.count(), total);
      const newest = Math.max(...shop.orders.map((o) => Date.parse(o.date_order)));
      const first = Number(await rows.first().getAttribute('data-order'));
      assert.equal(Date.parse(shop.orders.find((o) => o.id === first).date_order), newest);
      // One order's row in full, and every row's flags as the shop has them.
      const sample = shop.orders.find((o) => o.sent && o.date_paid) ?? shop.orders[0];
      const cells = await orders.locator(`tr[data-order="${sample.id}"] td`).allInnerTexts();
      assert.equal(cells[0], String(sample.id));
      assert.equal(cells[2], `${sample.name} <${sample.email}>`);
      assert.equal(cells[3], `${sample.money.toLocaleString('cs-CZ')} ${sample.order_currency_code}`);
      const shownFlags = await rows.evaluateAll((trs) =>
        Object.fromEntries(trs.map((tr) => [tr.dataset.order, [...tr.querySelectorAll('[data-flag]')].map((f) => f.dataset.flag)])),
      );
      assert.deepEqual(shownFlags, Object.fromEntries(shop.orders.map((o) => [String(o.id), flagsOf(o)])));
      assert.ok(Object.values(shownFlags).some((f) => f.includes('done')), 'some orders are done');

      // One bar per Retailys status, with the counts the shop has (read order by order through
      // its control API, not as the page counts them).
      const bars = await page
        .locator('[data-testid="status-chart"] g.bar')
        .evaluateAll((gs) => Object.fromEntries(gs.map((g) => [g.dataset.label, Number(g.dataset.value)])));
      assert.deepEqual(bars, shop.byStatus);
      assert.ok(Object.keys(bars).length >= 3, `expected several statuses, got ${JSON.stringify(bars)}`);
      assert.ok(Object.keys(bars).every((name) => shop.statuses.some((s) => s.name === name)));

      // The request limit, not a budget: Retailys reports none. Sent so far: the token check,
      // the statuses, two pages, and one count per status.
      assert.match(await page.getByTestId('budget-note').innerText(), /100 requests a second/);
      assert.equal(await page.getByTestId('budget-hour').count(), 0);
      const sent = 1 + 1 + 2 + shop.statuses.length;
      assert.equal(await page.getByTestId('requests-sent').innerText(), `${sent} requests sent from this page since connecting.`);

      // The filters: a status (the list's status_id), then the done ones among all.
      const busiest = Object.entries(shop.byStatus).sort((a, b) => b[1] - a[1])[0];
      const reload = async () => {
        await orders.evaluate((el) => delete el.dataset.loaded);
        await orders.getByRole('button', { name: 'Load orders' }).click();
        await page.locator('[data-testid="orders"][data-loaded]').waitFor({ timeout: 20_000 });
        return Number(await orders.getAttribute('data-loaded'));
      };
      const options = await orders.locator('select[name="status"] option').allInnerTexts();
      assert.deepEqual(options, ['any', ...[...shop.statuses].sort((a, b) => a.sort - b.sort).map((s) => s.name)]);
      await orders.locator('select[name="status"]').selectOption({ label: busiest[0] });
      assert.equal(await reload(), busiest[1]);
      const onlyBar = await page.locator('[data-testid="status-chart"] g.bar').evaluateAll((gs) => gs.map((g) => [g.dataset.label, Number(g.dataset.value)]));
      assert.deepEqual(onlyBar, [busiest]);
      await orders.locator('select[name="status"]').selectOption('');
      await orders.locator('select[name="state"]').selectOption('done');
      assert.equal(await reload(), shop.orders.filter((o) => o.done).length);

      // The rules service's outcomes, as its /status has them.
      const status = await svc.status();
      const panel = page.getByTestId('service');
      await panel.waitFor({ state: 'visible' });
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="events-processed"] dd')?.textContent === String(n),
        status.events_processed,
        { timeout: 10_000 },
      );
      assert.ok(status.events_processed >= GENERATED, `events processed: ${status.events_processed}`);
      for (const o of ['applied', 'filtered', 'failed']) {
        assert.equal((await panel.locator(`.legend [data-outcome="${o}"]`).innerText()).trim(), `${o} ${status[`outcomes_${o}`]}`);
      }
      assert.equal(await panel.locator('[data-testid="service-recent"] tbody tr').count(), Math.min(15, status.last_outcomes.length));
      const rules = await panel.locator('[data-testid="service-rules"] li strong').allInnerTexts();
      assert.deepEqual(rules, status.rules.map((r) => r.name));

      // The demo token is not stored anywhere.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.ok(!stored.includes(svc.shop.apiKey), 'the token must not be in web storage');
      await orders.locator('select[name="state"]').selectOption('');
      await reload();
      await screenshot(page, 'retailys-dashboard');

      // The playground's data are in Upgates' shapes: it does not offer to load Retailys orders.
      await page.goto(`${svc.origin}/#playground`);
      const loadButton = page.getByRole('button', { name: 'Load from shop' });
      await page.locator('[data-testid="connected"][data-platform="retailys"]').waitFor();
      assert.equal(await loadButton.isDisabled(), true);
      assert.match(await loadButton.getAttribute('title'), /Upgates' shapes/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a typed Retailys connection: base URL and token, memory only unless asked', async () => {
    const site = await serveSite(dist);
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${site.origin}/#dashboard`);
      const form = page.getByTestId('connect-form');
      await form.waitFor();
      // Picking Retailys asks for a token and no login.
      await form.locator('select[name="platform"]').selectOption('retailys');
      assert.equal(await form.locator('input[name="login"]').isVisible(), false);
      assert.match(await form.innerText(), /API token/);

      const fill = async (token, remember) => {
        await form.locator('input[name="baseUrl"]').fill(svc.shop.baseUrl);
        await form.locator('input[name="apiKey"]').fill(token);
        await form.locator('input[name="remember"]').setChecked(remember);
        await form.getByRole('button', { name: 'Connect' }).click();
      };
      const wrong = 'wrong-token-that-must-not-show';
      await fill(wrong, false);
      const alert = page.locator('.shop [role="alert"]');
      await alert.waitFor({ state: 'visible' });
      assert.match(await alert.innerText(), /Could not connect/);
      assert.ok(!(await page.locator('body').innerText()).includes(wrong));

      const storage = () => page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
      await fill(svc.shop.apiKey, false);
      await page.locator('[data-testid="connected"][data-platform="retailys"]').waitFor();
      assert.match(await page.getByTestId('connected').innerText(), /Connected to Retailys at .*\(key in memory\)/);
      await page.locator('[data-testid="orders"][data-loaded]').waitFor({ timeout: 30_000 });
      assert.deepEqual(await storage(), { local: '{}', session: '{}' });

      // Remembered when asked: in sessionStorage with its platform, and back after a reload.
      await page.getByTestId('connected').getByRole('button', { name: 'Disconnect' }).click();
      await form.locator('select[name="platform"]').selectOption('retailys');
      await fill(svc.shop.apiKey, true);
      await page.getByTestId('connected').waitFor();
      const kept = await storage();
      assert.equal(kept.local, '{}');
      assert.equal(JSON.parse(JSON.parse(kept.session)['shopflow.connection']).platform, 'retailys');
      await page.reload();
      await page.locator('[data-testid="connected"][data-platform="retailys"]').waitFor();
      assert.match(await page.getByTestId('connected').innerText(), /remembered in this tab/);
      await page.getByTestId('connected').getByRole('button', { name: 'Disconnect' }).click();
      await page.getByTestId('connect-form').waitFor();
      assert.deepEqual(await storage(), { local: '{}', session: '{}' });
      // Not served by the rules service: its /status and /demo.json are 404s; and the wrong token's 401.
      assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*(404|401)/.test(e)), []);
    } finally {
      await context.close();
      await site.stop();
    }
  });
});
