// The orders table: one column per row field the platform's adapter lists (`shop.columns`), so a
// platform shows what its orders have (a status on Upgates, flags on Retailys) with one table.
import { h } from '../dom.js';

const NO_STATUS = '(no status)';
const FLAGS = ['paid', 'sent', 'delivered', 'done', 'canceled'];

const COLUMNS = {
  number: ['Order', (r) => h('code', {}, r.number)],
  created: ['Created', (r) => formatDate(r.created)],
  status: ['Status', (r) => r.status ?? NO_STATUS],
  paid: ['Paid', (r) => (r.paid ? formatDate(r.paid) : h('span', { class: 'muted' }, 'unpaid'))],
  total: ['Total', (r) => (r.total == null ? '' : `${r.total.toLocaleString('cs-CZ')} ${r.currency ?? ''}`), 'num'],
  customer: ['Customer', (r) => customerName(r.customer)],
  flags: ['State', flagBadges, 'flags'],
};

/** `rows` (the adapter's order rows) as a table of `columns`. */
export function ordersTable(columns, rows) {
  const known = columns.filter((c) => c in COLUMNS);
  return h(
    'table',
    { class: 'orders' },
    h('thead', {}, h('tr', {}, known.map((c) => h('th', {}, COLUMNS[c][0])))),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { 'data-order': r.key },
          known.map((c) => h('td', { class: COLUMNS[c][2] }, COLUMNS[c][1](r))),
        ),
      ),
    ),
  );
}

function flagBadges(r) {
  const set = FLAGS.filter((f) => r.flags?.[f]);
  if (!set.length) return h('span', { class: 'muted' }, 'open, unpaid');
  return set.map((f) => h('span', { class: `flag ${f}`, 'data-flag': f }, f));
}

export function formatDate(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString('cs-CZ', { dateStyle: 'short', timeStyle: 'short' });
}

function customerName(c) {
  if (!c) return '';
  return c.name && c.email ? `${c.name} <${c.email}>` : c.name || c.email || '';
}
