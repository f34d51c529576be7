// Orders of the connected shop: filters, loading page by page (100 orders a request) with a
// progress bar and a Stop button, a table, and the chart of orders by status.
import { fill, h } from '../dom.js';
import { barChart } from './bar-chart.js';
import { orderQuery, statusName } from './filters.js';

// Enough rows to scan by eye; the chart and counts still cover every loaded order.
const TABLE_ROWS = 500;
const NO_STATUS = '(no status)';

export function ordersPanel(root, connection) {
  let statuses = [];
  let run = 0; // each Load bumps this; an older load stops at its next page

  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'));
  const paid = h(
    'select',
    { name: 'paid' },
    h('option', { value: '' }, 'any'),
    h('option', { value: 'paid' }, 'paid'),
    h('option', { value: 'unpaid' }, 'unpaid'),
  );
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
    h('label', {}, 'Paid ', paid),
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

  async function loadStatuses() {
    statuses = await connection.client.orderStatuses.list();
    fill(
      status,
      h('option', { value: '' }, 'any'),
      statuses.map((s) => h('option', { value: s.id }, statusName(s))),
    );
  }

  async function loadOrders() {
    const client = connection.client;
    if (!client) return;
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
      const query = orderQuery({ statusId: status.value, paid: paid.value, from: from.value, to: to.value });
      let total = 0;
      const pages = client.orders.iterate(query, {
        onProgress: (p) => {
          total = p.itemsTotal;
          bar.max = Math.max(1, p.pages);
          bar.value = p.page;
          fill(progressText, `page ${p.page} of ${p.pages}: ${p.itemsSoFar} of ${p.itemsTotal} orders`);
        },
      });
      let page = [];
      for await (const order of pages) {
        if (mine !== run) {
          fill(progressText, `stopped after ${orders.length} of ${total} orders`);
          break;
        }
        orders.push(order);
        page.push(order);
        // Draw once per page rather than per order.
        if (page.length === 100 || orders.length === total) {
          drawChart(orders);
          drawTable(orders, total);
          page = [];
        }
      }
      drawChart(orders);
      drawTable(orders, total);
      if (total === 0) {
        bar.max = 1;
        bar.value = 1;
        fill(progressText, 'no orders match');
      }
      root.dataset.loaded = String(orders.length);
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

  function drawChart(orders) {
    const byStatus = new Map();
    for (const o of orders) {
      const key = o.status_id ?? NO_STATUS;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    const rows = [...byStatus]
      .sort((a, b) => b[1] - a[1])
      .map(([id, count]) => {
        const s = statuses.find((x) => x.id === id);
        const label = s ? statusName(s) : (orders.find((o) => o.status_id === id)?.status ?? NO_STATUS);
        return { label, parts: [{ value: count, color: s?.color || '#6b7b8c' }] };
      });
    fill(chart, rows.length ? barChart(rows, { width: 420, title: 'Orders by status' }) : h('p', { class: 'muted' }, 'No orders loaded.'));
  }

  function drawTable(orders, total) {
    if (!orders.length) return fill(table);
    const shown = orders.slice(0, TABLE_ROWS);
    fill(
      table,
      h('p', { class: 'muted' }, orders.length > shown.length ? `showing ${shown.length} of ${orders.length} loaded (${total} match)` : `${orders.length} of ${total} orders`),
      h(
        'table',
        { class: 'orders' },
        h('thead', {}, h('tr', {}, ['Order', 'Created', 'Status', 'Paid', 'Total', 'Customer'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          shown.map((o) =>
            h(
              'tr',
              { 'data-order': o.order_number },
              h('td', {}, h('code', {}, o.order_number)),
              h('td', {}, formatDate(o.creation_time)),
              h('td', {}, o.status ?? NO_STATUS),
              h('td', {}, o.paid_date ? formatDate(o.paid_date) : h('span', { class: 'muted' }, 'unpaid')),
              h('td', { class: 'num' }, o.order_total == null ? '' : `${o.order_total.toLocaleString('cs-CZ')} ${o.currency_id ?? ''}`),
              h('td', {}, customerName(o.customer)),
            ),
          ),
        ),
      ),
    );
  }

  const onChange = async () => {
    run += 1;
    statuses = [];
    delete root.dataset.loaded;
    if (!connection.client) {
      root.hidden = true;
      return;
    }
    root.hidden = false;
    try {
      await loadStatuses();
      await loadOrders();
    } catch (err) {
      showError(err);
    }
  };
  connection.addEventListener('change', onChange);
  onChange();
}

function formatDate(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString('cs-CZ', { dateStyle: 'short', timeStyle: 'short' });
}

function customerName(c) {
  if (!c) return '';
  const name = [c.firstname_invoice, c.surname_invoice].filter(Boolean).join(' ');
  return name && c.email ? `${name} <${c.email}>` : name || c.email || '';
}
