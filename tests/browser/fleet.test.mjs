// The dashboard of a many-shop service (`shopflow run --config shops.toml`) at its root: every
// shop listed with how it stands, filtered by name and by state, each linking to its own
// dashboard. Three hosted shops of one sandbox, one of them with a key the shop refuses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { launch, newPage, screenshot } from './browser.mjs';
import { startShops } from './service.mjs';
import { startSandbox } from '../node/sandbox.mjs';

let browser;
let sandbox;
let service;

before(async () => {
  browser = await launch();
  sandbox = await startSandbox(['--shops', '3']);
  service = await startShops({
    sandbox: sandbox.origin,
    shops: [
      { name: 'shop-1', key: 'shop-1-key' },
      { name: 'shop-2', key: 'shop-2-key' },
      { name: 'shop-3', key: 'not-shop-3s-key' },
    ],
  });
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await sandbox?.stop();
});

/** The shop names in the table's rows, in order. */
const listed = (page) => page.locator('[data-testid="shops-table"] tbody tr[data-shop]').evaluateAll((rows) => rows.map((r) => r.dataset.shop));

describe('the shops of a many-shop service', () => {
  test('are listed with their state, filtered by name and state, and link to their dashboards', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`${service.origin}/#dashboard&token=${service.token}`);
      const fleet = page.getByTestId('fleet');
      await fleet.waitFor();
      assert.deepEqual(await listed(page), ['shop-1', 'shop-2', 'shop-3']);
      // The one-shop panel has no place here.
      assert.equal(await page.getByTestId('service').isHidden(), true);

      // shop-3's key is refused as soon as the service asks the shop about an order: the
      // list says so.
      const order = { order_number: '2026000001', creation_time: '2026-11-23T10:00:00+01:00', status_id: 1 };
      assert.equal(await service.deliver('shop-3', 'Orders.create', { project_name: 'shop-3', orders: [order] }), 200);
      const refused = page.locator('tr[data-shop="shop-3"] td').nth(2);
      await page.waitForFunction(() => document.querySelector('tr[data-shop="shop-3"] td:nth-child(3)')?.textContent.startsWith('credentials refused'), null, { timeout: 20_000 });
      assert.match(await refused.textContent(), /^credentials refused/);
      assert.match(await page.getByTestId('fleet-summary').textContent(), /^3 shops: 2 running, 1 credentials refused$/);

      await page.getByTestId('shop-filter').fill('shop-2');
      assert.deepEqual(await listed(page), ['shop-2']);
      await page.getByTestId('shop-filter').fill('');
      await page.getByTestId('state-filter').selectOption('credentials refused');
      assert.deepEqual(await listed(page), ['shop-3']);
      // The filter holds across the list's refresh.
      await page.waitForTimeout(3500);
      assert.deepEqual(await listed(page), ['shop-3']);
      await page.getByTestId('state-filter').selectOption('');
      await screenshot(page, 'fleet');

      // A shop's name opens its own dashboard, which reads that shop's operator API.
      await page.locator('tr[data-shop="shop-1"] a').click();
      await page.waitForURL(/\/shops\/shop-1\/index\.html#dashboard$/);
      await page.getByTestId('service').waitFor();
      // Chromium logs as failed loads the one-shop panels' first asks at the root (404: no
      // such document there) and the shop's page asking before it has the token (401).
      assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*(401|404)/.test(e)), []);
    } finally {
      await context.close();
    }
  });
});
