// The rules playground in headless Chromium: example rules on their sample cases, a rule of the
// test's own on the API fixtures, compile errors marked at their line, no request during a dry
// run, and an order loaded from a running sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';
import { dist, launch, newPage, root, screenshot } from './browser.mjs';
import { serveSite } from './static-server.mjs';

const examplesDir = `${root}/examples/rules`;
const exampleCases = () => {
  if (!existsSync(examplesDir)) return [];
  const rules = readdirSync(examplesDir).filter((f) => f.endsWith('.rhai')).map((f) => f.slice(0, -5));
  return rules.flatMap((rule) => {
    const dir = `${examplesDir}/${rule}`;
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((c) => existsSync(`${dir}/${c}/event.json`))
      .map((c) => ({
        rule,
        name: c,
        id: `${rule}/${c}`,
        expected: existsSync(`${dir}/${c}/expected.json`) ? JSON.parse(readFileSync(`${dir}/${c}/expected.json`, 'utf8')) : undefined,
      }));
  });
};

// A rule of the test's own, so the playground is checked whatever the examples are.
const OWN_RULE = `// Notes every new order in its history.
fn on_order_created(order) {
    print(\`new order \${order.number}\`);
    add_history(order, "playground", "seen by the browser test");
}
`;

let sb;
let browser;
let site;

before(async () => {
  browser = await launch();
  sb = await startSandbox(['--seed-orders', '3', '--seed', '4']);
  site = await serveSite(dist, { '/demo.json': () => ({ shop: { baseUrl: sb.baseUrl, login: LOGIN, apiKey: KEY } }) });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await sb?.stop();
});

const unexpected = (errors) => errors.filter((e) => !/Failed to load resource: .*404/.test(e));

async function openPlayground() {
  const opened = await newPage(browser);
  await opened.page.goto(`${site.origin}/#playground`);
  await opened.page.locator('[data-testid="engine-state"][data-state="ready"]').waitFor({ timeout: 20_000 });
  return opened;
}

/** Replaces the editor's text the way a person pasting would. */
async function setRule(page, text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function runAndWait(page) {
  const results = page.getByTestId('results');
  const before = Number((await results.getAttribute('data-runs')) ?? 0);
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.locator(`[data-testid="results"][data-runs="${before + 1}"]`).waitFor();
  return results;
}

describe('playground', () => {
  test('runs a rule on a sample order in the page and shows its actions and logs, sending nothing', async () => {
    const { page, context, errors } = await openPlayground();
    try {
      await setRule(page, OWN_RULE);
      await page.getByTestId('sample-select').selectOption('fixtures/orders-create');
      const sent = [];
      page.on('request', (r) => sent.push(r.url()));
      const results = await runAndWait(page);
      assert.deepEqual(sent, [], 'a dry run sends no request');

      // The fixture's webhook names two orders, both in the fixture data: one note each.
      const actions = await results.locator('[data-testid="actions"] > li').evaluateAll((lis) =>
        lis.map((li) => JSON.parse(li.querySelector('pre').textContent)),
      );
      assert.deepEqual(
        actions.map((a) => [a.action, a.order]),
        [
          ['add_history', '2024000123'],
          ['add_history', '2024000124'],
        ],
      );
      assert.match(await results.getByTestId('logs').innerText(), /new order 2024000123\s+new order 2024000124/);
      assert.match(await results.getByTestId('run-summary').innerText(), /^2 actions, [1-9]\d* operations used, hooks defined: on_order_created$/);
      // Each new order's hook applied; any other hook the event calls (a paid order is also
      // on_order_paid) is one this rule does not define, so nothing came of it.
      const events = await results.locator('[data-testid="events"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.cells[0].innerText, tr.cells[1].innerText, tr.dataset.outcome]),
      );
      assert.deepEqual(
        events.filter(([hook]) => hook === 'on_order_created'),
        [
          ['on_order_created', 'order 2024000123', 'applied'],
          ['on_order_created', 'order 2024000124', 'applied'],
        ],
      );
      assert.ok(events.every(([hook, , outcome]) => hook === 'on_order_created' || outcome === 'filtered'), JSON.stringify(events));
      // What applying them would send: one history request per order.
      assert.deepEqual(await results.locator('[data-testid="requests"] li').allInnerTexts(), [
        'POST /orders/2024000123/history with 1 item',
        'POST /orders/2024000124/history with 1 item',
      ]);
      await screenshot(page, 'playground');
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
    }
  });

  test('marks a syntax error at its line, in the editor and in the results', async () => {
    const { page, context, errors } = await openPlayground();
    try {
      await setRule(page, OWN_RULE);
      // Break line 3 as a person would: click into it and type.
      await page.locator('.cm-content .cm-line').nth(2).click();
      await page.keyboard.press('End');
      await page.keyboard.type(' let = ;');
      const marked = page.locator('.cm-content .cm-line:has(.cm-lintRange-error)');
      await marked.first().waitFor({ timeout: 10_000 });
      const lines = await page.locator('.cm-content .cm-line').evaluateAll((ls) => ls.flatMap((l, i) => (l.querySelector('.cm-lintRange-error') ? [i + 1] : [])));
      assert.deepEqual(lines, [3]);
      assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-error').count(), 1);

      const results = await runAndWait(page);
      assert.match(await results.innerText(), /Did not compile/);
      assert.match(await results.getByTestId('run-errors').innerText(), /\(line 3(:\d+)?\)/);
      await screenshot(page, 'playground-syntax-error');

      // Fixed again: the mark goes.
      await page.keyboard.press('ControlOrMeta+z');
      await page.locator('.cm-lintRange-error').waitFor({ state: 'detached', timeout: 10_000 });
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
    }
  });

  test('checks the rule for the platform picked: Retailys refuses an internal note at its line', async () => {
    const { page, context, errors } = await openPlayground();
    try {
      const rule = 'fn on_order_created(order) {\n    add_history(order, "shopflow", "seen");\n    set_internal_note(order, "checked");\n}\n';
      await setRule(page, rule);
      await page.getByTestId('sample-select').selectOption('fixtures/orders-create');
      // On Upgates (the default) an internal note is fine.
      let results = await runAndWait(page);
      assert.match(await results.getByTestId('run-summary').innerText(), /^4 actions,/);

      await page.getByTestId('platform-select').selectOption('retailys');
      const marked = page.locator('.cm-content .cm-line:has(.cm-lintRange-error)');
      await marked.first().waitFor({ timeout: 10_000 });
      const lines = await page.locator('.cm-content .cm-line').evaluateAll((ls) => ls.flatMap((l, i) => (l.querySelector('.cm-lintRange-error') ? [i + 1] : [])));
      assert.deepEqual(lines, [3]);
      assert.equal(await page.locator('.cm-lintRange-error').first().innerText(), 'set_internal_note');

      results = await runAndWait(page);
      assert.match(await results.innerText(), /Did not compile/);
      const problem = await results.getByTestId('run-errors').innerText();
      assert.match(problem, /^unsupported_action: set_internal_note is not available on retailys: .*use add_history instead \(line 3:5\)$/);
      await screenshot(page, 'playground-retailys-refusal');

      // Without the note the rule runs, and what it would send is Retailys'.
      await setRule(page, rule.replace('    set_internal_note(order, "checked");\n', ''));
      await page.locator('.cm-lintRange-error').waitFor({ state: 'detached', timeout: 10_000 });
      results = await runAndWait(page);
      assert.deepEqual(await results.locator('[data-testid="requests"] li').allInnerTexts(), [
        'POST /System/Orders/2024000123/history with 1 item',
        'POST /System/Orders/2024000124/history with 1 item',
      ]);
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
    }
  });

  test('runs every example rule on its sample cases, matching their expected actions', async () => {
    const cases = exampleCases();
    assert.ok(cases.length > 0, `no example cases in ${examplesDir}`);
    const { page, context, errors } = await openPlayground();
    try {
      const ruleOptions = await page.getByTestId('rule-select').locator('option').allInnerTexts();
      for (const name of new Set(cases.map((c) => c.rule))) assert.ok(ruleOptions.includes(name), `rule ${name} offered`);
      let screenshotTaken = false;
      for (const c of cases) {
        await page.getByTestId('rule-select').selectOption(c.rule);
        await page.getByTestId('sample-select').selectOption(c.id);
        const results = await runAndWait(page);
        if (c.expected !== undefined) {
          assert.match(await results.getByTestId('expected').innerText(), /^\u2713/, `${c.id}: ${await results.innerText()}`);
          // The actions listed are the case's, one item each.
          const shown = await results.locator('[data-testid="actions"] > li').evaluateAll((lis) => lis.map((li) => li.dataset.action));
          assert.deepEqual(shown, (c.expected.actions ?? []).map((a) => a.action), c.id);
          if (shown.length && !screenshotTaken) {
            await screenshot(page, 'playground-example');
            screenshotTaken = true;
          }
        } else {
          assert.match(await results.getByTestId('run-summary').innerText(), /actions?, \d+ operations used/, c.id);
        }
      }
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
    }
  });

  test("loads the newest order from the connected shop and runs on it", async () => {
    const { page, context, errors } = await openPlayground();
    try {
      await page.getByTestId('connected').waitFor();
      await setRule(page, OWN_RULE);
      await page.getByTestId('event').fill('');
      await page.getByRole('button', { name: 'Load from shop' }).click();
      await page.getByTestId('input-note').filter({ hasText: 'Loaded 1 order' }).waitFor();
      const newest = await (await fetch(`${sb.baseUrl}/orders?order_by=creation_time&order_dir=desc`, {
        headers: { authorization: `Basic ${Buffer.from(`${LOGIN}:${KEY}`).toString('base64')}` },
      })).json();
      const number = newest.orders[0].order_number;
      assert.deepEqual(JSON.parse(await page.getByTestId('event').inputValue()), { orders: [{ order_number: number }] });
      assert.equal(JSON.parse(await page.getByTestId('data').inputValue()).orders[0].order_number, number);

      const results = await runAndWait(page);
      const actions = await results.locator('[data-testid="actions"] > li pre').allInnerTexts();
      assert.deepEqual(actions.map((a) => JSON.parse(a).order), [number]);
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await context.close();
    }
  });
});
