// Orders of the connected shop: filters, loading page by page with a progress bar and a Stop
// button, a table, and the chart of orders by status. What differs by platform (the filters'
// query, the rows, how the chart counts) is the shop's adapter's (shop/platforms.js).
import { fill, h } from '../dom.js';
import { barChart } from './bar-chart.js';
import { ordersTable } from './orders-table.js';

// Enough rows to scan by eye; the chart and counts still cover every loaded order.
const TABLE_ROWS = 500;
// Redraw the table at most this often while pages arrive (a page is 100 to 250 orders).
const DRAW_EVERY = 100;

export function ordersPanel(root, connection) {
  let statuses = [];
  let run = 0; // each Load bumps this; an older load stops at its next page

  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'));
  // The filter beside the status is the platform's (paid on Upgates, a state on Retailys).
  const flag = h('select');
  const flagName = h('span');
  const flagLabel = h('label', {}, flagName, flag);
  const from = h('input', { name: 'from', type: 'date' });
  const to = h('input', { name: 'to', type: 'date' });
  const load = h('button', { type: 'submit' }, 'Load orders');
  const stop = h('button', { type: 'button', disabled: true, onclick: () => (run += 1) }, 'Stop');
  const bar = h('progress', { max: 1, value: 0, 'data-testid': 'orders-progress' });
  const progressText = h('span', { class: 'muted', 'data-testid': 'orders-progress-text' });
  const message = h('p', { class: 'error', role: 'alert', hidden: true });
  const chart = h('div', { class: 'chart-box', 'data-testid': 'status-chart' });
  const table = h('div', { class: 'table-box', 'data-testid': 'orders-table' });

  const form = h(
    'form',
    { class: 'filters', onsubmit: (e) => (e.preventDefault(), loadOrders()) },
    h('label', {}, 'Status ', status),
    flagLabel,
    h('label', {}, 'Created from ', from),
    h('label', {}, 'to ', to),
    load,
    stop,
  );

  fill(
    root,
    h('h2', {}, 'Orders'),
    form,
    h('div', { class: 'progress' }, bar, ' ', progressText),
    message,
    h('div', { class: 'orders-layout' }, h('section', {}, h('h3', {}, 'By status'), chart), h('section', { class: 'grow' }, table)),
  );

  const showError = (err) => {
    fill(message, err.message);
    message.hidden = false;
  };

  /** The shop's statuses into the status filter, and its other filter (paid, or a state). */
  async function loadStatuses(shop) {
    statuses = await shop.statuses();
    fill(
      status,
      h('option', { value: '' }, 'any'),
      statuses.map((s) => h('option', { value: s.id }, s.name)),
    );
    flag.name = shop.flagFilter.name;
    fill(
      flag,
      shop.flagFilter.options.map(([value, label]) => h('option', { value }, label)),
    );
    fill(flagName, `${shop.flagFilter.label} `);
  }

  async function loadOrders() {
    const shop = connection.shop;
    if (!shop) return;
    const mine = ++run;
    message.hidden = true;
    load.disabled = true;
    stop.disabled = false;
    const orders = [];
    bar.removeAttribute('value'); // indeterminate until the first page says how many
    fill(progressText, 'loading…');
    drawChart([]);
    drawTable([], 0);
    try {
      const query = shop.query({ status: status.value, flag: flag.value, from: from.value, to: to.value });
      const tally = shop.tally(query, statuses, (rows) => mine === run && drawChart(rows));
      // Awaited once the orders are in; until then a failure must not go unhandled.
      tally.done.catch(() => {});
      let total = 0;
      const pages = shop.orders(query, {
        onProgress: (p) => {
          total = p.itemsTotal;
          bar.max = Math.max(1, p.pages);
          bar.value = p.page;
          fill(progressText, `page ${p.page} of ${p.pages}: ${p.itemsSoFar} of ${p.itemsTotal} orders`);
        },
      });
      let fresh = [];
      for await (const order of pages) {
        if (mine !== run) {
          fill(progressText, `stopped after ${orders.length} of ${total} orders`);
          break;
        }
        orders.push(order);
        fresh.push(order);
        // Draw once per hundred orders rather than per order.
        if (fresh.length === DRAW_EVERY || orders.length === total) {
          tally.add(fresh);
          drawTable(orders, total);
          fresh = [];
        }
      }
      tally.add(fresh);
      drawTable(orders, total);
      await tally.done;
      if (total === 0) {
        bar.max = 1;
        bar.value = 1;
        fill(progressText, 'no orders match');
      }
      if (mine === run) root.dataset.loaded = String(orders.length);
    } catch (err) {
      showError(err);
    } finally {
      connection.activity();
      if (mine === run) {
        load.disabled = false;
        stop.disabled = true;
      }
    }
  }

  /** `rows`: `[{ label, count, color }]`, drawn largest first. */
  function drawChart(rows) {
    const bars = rows
      .filter((r) => r.count > 0)
      .sort((a, b) => b.count - a.count)
      .map((r) => ({ label: r.label, parts: [{ value: r.count, color: r.color || '#6b7b8c' }] }));
    fill(chart, bars.length ? barChart(bars, { width: 420, title: 'Orders by status' }) : h('p', { class: 'muted' }, 'No orders loaded.'));
    chart.dataset.bars = String(bars.length);
  }

  function drawTable(orders, total) {
    if (!orders.length) return fill(table);
    // Newest first on every platform (Retailys lists have no sort order to ask for); a stable
    // sort keeps a list that came sorted as it was.
    const shown = [...orders].sort((a, b) => time(b.created) - time(a.created)).slice(0, TABLE_ROWS);
    fill(
      table,
      h('p', { class: 'muted' }, orders.length > shown.length ? `showing ${shown.length} of ${orders.length} loaded (${total} match)` : `${orders.length} of ${total} orders`),
      ordersTable(connection.shop?.columns ?? [], shown),
    );
  }

  const onChange = async () => {
    run += 1;
    statuses = [];
    delete root.dataset.loaded;
    const shop = connection.shop;
    if (!shop) {
      root.hidden = true;
      return;
    }
    root.hidden = false;
    try {
      await loadStatuses(shop);
      await loadOrders();
    } catch (err) {
      showError(err);
    }
  };
  connection.addEventListener('change', onChange);
  onChange();
}

/** A date's instant for sorting; undated orders last. */
function time(value) {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}
