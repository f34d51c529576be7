// The dashboard in headless Chromium against a running sandbox: connecting (the demo shop the
// rules service offers, or the form), orders paged with progress, filters, the status chart, the
// request budget, the rules service's /status, and where the API key is (not) kept.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';
import { dist, launch, newPage, root, screenshot } from './browser.mjs';
import { serveSite } from './static-server.mjs';

const require = createRequire(import.meta.url);
const { Client } = require(`${root}/wasm/pkg/node/index.cjs`);

const ORDERS = 130; // two pages of 100
let sb;
let browser;
let shop; // what the sandbox holds, read from Node: the truth the page is checked against

const demo = () => ({ shop: { baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY } });
const nodeClient = () => new Client({ baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });

// The 404s of /status and /demo.json are how the page learns it is not served by the rules
// service; Chromium logs every failed load as a console error, so those two are expected.
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource: .*404/.test(e));

before(async () => {
  browser = await launch();
  sb = await startSandbox(['--seed-orders', String(ORDERS), '--seed', '11']);
  // Give the orders several statuses so the chart has more than one bar.
  const c = nodeClient();
  const statuses = await c.orderStatuses.list();
  const numbers = [];
  for await (const o of c.orders.iterate()) numbers.push(o.order_number);
  const byType = (type) => statuses.find((s) => s.type === type).id;
  await c.orders.update([
    ...numbers.slice(0, 30).map((n) => ({ order_number: n, status_id: byType('Sent') })),
    ...numbers.slice(30, 37).map((n) => ({ order_number: n, status_id: byType('Canceled') })),
  ]);
  const orders = [];
  for await (const o of c.orders.iterate()) orders.push(o);
  const name = (id) => {
    const d = statuses.find((s) => s.id === id).descriptions;
    return (d.find((x) => x.language_id === 'cs') ?? d[0]).name;
  };
  const byStatus = {};
  for (const o of orders) byStatus[name(o.status_id)] = (byStatus[name(o.status_id)] ?? 0) + 1;
  shop = { orders, statuses, byStatus, name, unpaid: orders.filter((o) => o.paid_date === null).length };
});

after(async () => {
  await browser?.close();
  await sb?.stop();
});

describe('dashboard', () => {
  test('connects to the offered demo shop, pages through its orders with progress and charts them by status', async () => {
    const site = await serveSite(dist, { '/demo.json': demo, '/status': () => null });
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${site.origin}/#dashboard`);
      await page.getByTestId('connected').waitFor();
      assert.match(await page.getByTestId('connected').innerText(), /the local demo shop/);
      const panel = page.locator(`[data-testid="orders"][data-loaded="${ORDERS}"]`);
      await panel.waitFor({ timeout: 20_000 });

      // Two pages, with the bar full and the figures the sandbox has.
      assert.equal(await page.getByTestId('orders-progress-text').innerText(), `page 2 of 2: ${ORDERS} of ${ORDERS} orders`);
      const bar = page.getByTestId('orders-progress');
      assert.deepEqual([await bar.getAttribute('value'), await bar.getAttribute('max')], ['2', '2']);
      assert.equal(await page.locator('[data-testid="orders-table"] tbody tr').count(), ORDERS);
      const newest = shop.orders.map((o) => o.order_number).sort().at(-1);
      assert.equal(await page.locator('[data-testid="orders-table"] tbody tr').first().getAttribute('data-order'), newest);

      // One bar per status, with the sandbox's counts.
      const bars = await page.locator('[data-testid="status-chart"] g.bar').evaluateAll((gs) => Object.fromEntries(gs.map((g) => [g.dataset.label, Number(g.dataset.value)])));
      assert.deepEqual(bars, shop.byStatus);
      assert.ok(Object.keys(bars).length >= 3, `expected several statuses, got ${JSON.stringify(bars)}`);

      // The budget shown is what the shop reported: one request from here takes one more.
      const shown = Number((await page.getByTestId('budget-hour').innerText()).match(/(\d+) of \d+ left/)[1]);
      const c = nodeClient();
      await c.orderStatuses.list();
      assert.equal(c.budget.hour_remaining, shown - 1);

      // Not served by the rules service: its panel stays hidden.
      assert.equal(await page.getByTestId('service').isHidden(), true);
      // The demo key is not stored anywhere.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.ok(!stored.includes(KEY), 'the key must not be in web storage');
      await screenshot(page, 'dashboard');
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
      await site.stop();
    }
  });

  test('filters by paid, status and creation date', async () => {
    const site = await serveSite(dist, { '/demo.json': demo });
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${site.origin}/#dashboard`);
      await page.locator(`[data-testid="orders"][data-loaded="${ORDERS}"]`).waitFor({ timeout: 20_000 });
      const orders = page.getByTestId('orders');
      const reload = async () => {
        await orders.evaluate((el) => delete el.dataset.loaded);
        await orders.getByRole('button', { name: 'Load orders' }).click();
        await page.locator('[data-testid="orders"][data-loaded]').waitFor();
        return Number(await orders.getAttribute('data-loaded'));
      };

      await orders.locator('select[name="paid"]').selectOption('unpaid');
      assert.equal(await reload(), shop.unpaid);
      const paidCells = await page.locator('[data-testid="orders-table"] tbody tr td:nth-child(4)').allInnerTexts();
      assert.ok(paidCells.every((t) => t === 'unpaid'));

      await orders.locator('select[name="paid"]').selectOption('');
      const canceled = shop.statuses.find((s) => s.type === 'Canceled');
      await orders.locator('select[name="status"]').selectOption(String(canceled.id));
      assert.equal(await reload(), shop.byStatus[shop.name(canceled.id)]);

      // A day after every order: nothing matches, and the page says so.
      await orders.locator('select[name="status"]').selectOption('');
      const last = shop.orders.map((o) => o.creation_time).sort().at(-1);
      const dayAfter = new Date(Date.parse(last) + 2 * 86_400_000).toISOString().slice(0, 10);
      await orders.locator('input[name="from"]').fill(dayAfter);
      assert.equal(await reload(), 0);
      assert.equal(await page.getByTestId('orders-progress-text').innerText(), 'no orders match');
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
      await site.stop();
    }
  });

  test('without an offered shop: a form, a warning about the key, memory only unless asked', async () => {
    const site = await serveSite(dist);
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${site.origin}/#dashboard`);
      const form = page.getByTestId('connect-form');
      await form.waitFor();
      assert.match(await page.locator('.shop .warning').innerText(), /exposes it.*rules service.*proxy/s);
      // The dashboard mounts after the shop panel's form: wait for it rather than look once
      // (a loaded machine showed the form first).
      await page.getByTestId('dashboard-disconnected').waitFor({ state: 'visible' });

      const fill = async (key, remember) => {
        await form.locator('input[name="baseUrl"]').fill(sb.baseUrl);
        await form.locator('input[name="login"]').fill(LOGIN);
        await form.locator('input[name="apiKey"]').fill(key);
        await form.locator('input[name="remember"]').setChecked(remember);
        await form.getByRole('button', { name: 'Connect' }).click();
      };

      // A wrong key: refused, and the message does not repeat it.
      const wrong = 'wrong-key-that-must-not-show';
      await fill(wrong, false);
      const alert = page.locator('.shop [role="alert"]');
      await alert.waitFor({ state: 'visible' });
      assert.match(await alert.innerText(), /Could not connect/);
      assert.ok(!(await page.locator('body').innerText()).includes(wrong));

      // The right one, not remembered: connected, nothing stored, gone after a reload.
      await fill(KEY, false);
      await page.getByTestId('connected').waitFor();
      await page.locator(`[data-testid="orders"][data-loaded="${ORDERS}"]`).waitFor({ timeout: 20_000 });
      const storage = () => page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
      assert.deepEqual(await storage(), { local: '{}', session: '{}' });
      await page.reload();
      await page.getByTestId('connect-form').waitFor();

      // Remembered when asked: in sessionStorage (never localStorage), and back after a reload.
      await fill(KEY, true);
      await page.getByTestId('connected').waitFor();
      const kept = await storage();
      assert.equal(kept.local, '{}');
      assert.ok(kept.session.includes(KEY));
      await page.reload();
      await page.getByTestId('connected').waitFor();
      assert.match(await page.getByTestId('connected').innerText(), /remembered in this tab/);

      // Disconnecting forgets it.
      await page.getByTestId('connected').getByRole('button', { name: 'Disconnect' }).click();
      await page.getByTestId('connect-form').waitFor();
      assert.deepEqual(await storage(), { local: '{}', session: '{}' });
      await screenshot(page, 'dashboard-connect-form');
      // The wrong key's 401 is the one failed load expected besides the 404s.
      assert.deepEqual(unexpected(errors).filter((e) => !/status of 401/.test(e)), []);
    } finally {
      await context.close();
      await site.stop();
    }
  });

  test("shows the rules service's outcomes over time from its /status", async () => {
    const now = Date.now();
    const at = (secondsAgo) => new Date(now - secondsAgo * 1000).toISOString();
    const status = {
      events_received: 9,
      events_processed: 8,
      actions_applied: 5,
      actions_failed: 1,
      api_requests: 17,
      last_outcomes: [
        { at: at(600), event: { hook: 'on_order_created', subject: { order: '2025000001' } }, outcome: 'applied', actions: 2 },
        { at: at(540), event: { hook: 'on_order_created', subject: { order: '2025000002' } }, outcome: 'filtered', actions: 0, reason: 'not paid' },
        { at: at(300), event: { hook: 'on_order_paid', subject: { order: '2025000001' } }, outcome: 'applied', actions: 1 },
        { at: at(120), event: { hook: 'on_order_paid', subject: { order: '2025000003' } }, outcome: 'failed', actions: 1, reason: 'ITEMS_FAILED: order not found' },
        { at: at(5), event: { hook: 'on_customer_created', subject: { customer: 914 } }, outcome: 'applied', actions: 2 },
      ],
    };
    let answer = status;
    const site = await serveSite(dist, { '/status': () => answer });
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${site.origin}/#dashboard`);
      const panel = page.getByTestId('service');
      await panel.waitFor({ state: 'visible' });
      const counters = await panel.getByTestId('service-counters').innerText();
      for (const figure of ['9', '8', '5', '1', '17']) assert.match(counters, new RegExp(`\\n${figure}(\\n|$)`));
      assert.equal(await panel.locator('[data-outcome="applied"]').first().innerText(), ' applied 3 ');
      // Every outcome lands in one time slice: the stacked bars add up to all of them.
      const total = await panel.locator('[data-testid="outcome-chart"] g.bar').evaluateAll((gs) => gs.reduce((s, g) => s + Number(g.dataset.value), 0));
      assert.equal(total, 5);
      const rows = await panel.locator('[data-testid="service-recent"] tbody tr').allInnerTexts();
      assert.equal(rows.length, 5);
      assert.match(rows[0], /on_customer_created\s+customer 914\s+applied\s+2/);
      assert.match(rows.find((r) => r.includes('failed')), /order 2025000003.*ITEMS_FAILED: order not found/);
      assert.match(rows.find((r) => r.includes('filtered')), /not paid/);
      await screenshot(page, 'dashboard-service');

      // The service goes away: the panel says so instead of showing stale figures as live.
      answer = null;
      await page.locator('[data-testid="service"][data-state="unreachable"]').waitFor({ timeout: 8000 });
      assert.match(await panel.getByTestId('service-state').innerText(), /not answering/);
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
      await site.stop();
    }
  });
});
