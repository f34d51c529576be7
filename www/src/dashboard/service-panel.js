// What the rules service is doing, from its `GET /status` on the page's own origin (the service
// serves this site). When the page is served by something else there is no such document: the
// panel stays hidden and stops asking. When the service asks for its operator token (401), the
// panel asks the user for it (service-api.js keeps it) and goes on once it is right.
import { fill, h } from '../dom.js';
import { budgetRows } from '../shop/budget-panel.js';
import { barChart } from './bar-chart.js';
import { serviceFetch, setToken } from './service-api.js';

const POLL_MS = 3000;
const COLORS = { applied: '#2f9e44', filtered: '#868e96', failed: '#e03131' };
const OUTCOMES = Object.keys(COLORS);
const BUCKETS = 12;
const RECENT = 15;

/**
 * `GET ./status` as the service's status document; 'unauthorized' when the service wants the
 * operator token (none, or a wrong one); null when this origin has no such document.
 */
export async function fetchStatus() {
  const res = await serviceFetch('status');
  if (res?.status === 401) return 'unauthorized';
  if (!res || !res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const doc = await res.json().catch(() => null);
  // A many-shop service lists its shops here (fleet-panel.js shows them); each has its own page.
  if (doc && Array.isArray(doc.shops)) return 'fleet';
  return doc && typeof doc === 'object' && 'events_received' in doc ? doc : null;
}

/** `onOrder(number)`: an order number in the latest outcomes was clicked (its run history). */
export function servicePanel(root, { fetch: get = fetchStatus, pollMs = POLL_MS, onOrder } = {}) {
  root.hidden = true;
  let seen = false;
  let timer;

  const tick = async () => {
    const doc = await get();
    if (doc === 'fleet') {
      root.hidden = true;
      return;
    }
    if (doc === 'unauthorized') {
      // Asked again only once a token is given: the form is not redrawn under the user's typing.
      root.hidden = false;
      root.dataset.state = 'token';
      fill(root, h('h2', {}, 'Rules service'), tokenForm(seen, tick));
      seen = true;
      return;
    }
    if (doc) {
      seen = true;
      root.hidden = false;
      render(root, doc, onOrder);
    } else if (seen) {
      // It was there: the service stopped or restarted. Say so and keep asking.
      root.dataset.state = 'unreachable';
      const note = root.querySelector('[data-testid="service-state"]');
      if (note) fill(note, 'The rules service is not answering; retrying.');
    } else {
      return; // never there: not served by the rules service
    }
    timer = setTimeout(tick, pollMs);
  };
  tick();
  return { stop: () => clearTimeout(timer) };
}

function render(root, doc, onOrder) {
  root.dataset.state = 'live';
  const outcomes = Array.isArray(doc.last_outcomes) ? doc.last_outcomes : [];
  // Totals since the service started when it gives them, else what the recent list holds.
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, doc[`outcomes_${o}`] ?? outcomes.filter((x) => x.outcome === o).length]));
  fill(
    root,
    h('h2', {}, 'Rules service'),
    h('p', { class: 'muted', 'data-testid': 'service-state' }, `Live from ${new URL('status', document.baseURI).pathname}, every ${POLL_MS / 1000} s.`),
    // Why the service is not reaching the shop (a refused key, the shop down), as it says it.
    doc.shop_error ? h('p', { class: 'error', role: 'alert', 'data-testid': 'service-shop-error' }, `Not reaching the shop: ${doc.shop_error}`) : null,
    rulesError(doc),
    h(
      'dl',
      { class: 'counters', 'data-testid': 'service-counters' },
      counter('Events received', doc.events_received, 'events-received'),
      counter('Events processed', doc.events_processed, 'events-processed'),
      counter('Actions applied', doc.actions_applied, 'actions-applied'),
      counter('Already so', doc.actions_satisfied, 'actions-satisfied'),
      counter('Actions failed', doc.actions_failed, 'actions-failed'),
      counter('API requests', doc.api_requests, 'api-requests'),
      counter('Deliveries', doc.deliveries_received, 'deliveries-received'),
      counter('Refused', doc.deliveries_refused, 'deliveries-refused'),
      counter('Waiting', doc.pending_deliveries, 'pending-deliveries'),
      counter('Set aside', doc.dead_letters, 'dead-letters-count'),
    ),
    h(
      'div',
      { class: 'orders-layout' },
      h(
        'section',
        {},
        h('h3', {}, 'Outcomes over time'),
        h(
          'p',
          { class: 'legend' },
          OUTCOMES.map((o) => h('span', { 'data-outcome': o }, h('i', { style: `background:${COLORS[o]}` }), ` ${o} ${counts[o]} `)),
        ),
        h('div', { class: 'chart-box', 'data-testid': 'outcome-chart' }, outcomes.length ? timeline(outcomes) : h('p', { class: 'muted' }, 'No events yet.')),
        rulesList(doc.rules, doc.rules_loaded_at),
        // Nothing to show until the shop has reported a budget (none after a refused key).
        hasBudget(doc.rate_budget) ? [h('h3', {}, 'The service\u2019s request budget'), h('div', { 'data-testid': 'service-budget' }, budgetRows(doc.rate_budget, 'service-budget'))] : null,
      ),
      h('section', { class: 'grow' }, h('h3', {}, 'Latest'), recentTable(outcomes, onOrder), failures(doc.delivery_failures)),
    ),
  );
}

/** The operator token form; `again` says the last token was refused. */
function tokenForm(again, retry) {
  const token = h('input', { name: 'operatorToken', type: 'password', required: true, autocomplete: 'off', size: 40 });
  const remember = h('input', { name: 'remember', type: 'checkbox' });
  return h(
    'form',
    {
      class: 'connect',
      'data-testid': 'service-token-form',
      onsubmit: (e) => {
        e.preventDefault();
        setToken(token.value, { remember: remember.checked });
        retry();
      },
    },
    h(
      'p',
      { class: again ? 'error' : 'muted', role: again ? 'alert' : null, 'data-testid': 'service-token-note' },
      again
        ? 'The rules service refused that operator token.'
        : 'The rules service shows its state only with its operator token: shopflow run says where it keeps it (the demo prints an address that carries it).',
    ),
    h('label', {}, 'Operator token ', token),
    h('label', { class: 'inline' }, remember, ' remember in this tab'),
    h('button', { type: 'submit' }, 'Show'),
  );
}

/** Why the last reload of the rule files failed: the rules loaded before keep running. */
function rulesError(doc) {
  if (!doc.rules_error) return null;
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-testid': 'service-rules-error' },
    h('p', {}, 'The changed rule files were not loaded; the rules below keep running:'),
    h('pre', {}, doc.rules_error),
  );
}

function hasBudget(b) {
  return b != null && Object.values(b).some((v) => v != null);
}

function counter(label, value, testid) {
  if (value === undefined) return null;
  return h('div', { 'data-testid': testid }, h('dt', {}, label), h('dd', {}, value == null ? '\u2013' : String(value)));
}

function rulesList(rules, loadedAt) {
  if (!Array.isArray(rules)) return null;
  const when = loadedAt ? h('span', { class: 'muted', 'data-testid': 'service-rules-loaded-at' }, ` at ${new Date(loadedAt).toLocaleTimeString('cs-CZ')}`) : null;
  return [
    h('h3', {}, 'Rules loaded', when),
    h(
      'ul',
      { class: 'rules', 'data-testid': 'service-rules' },
      rules.map((r) => h('li', {}, h('strong', {}, r.name), ': ', (r.hooks ?? []).map((hook, i) => [i ? ', ' : '', h('code', {}, hook)]))),
    ),
  ];
}

/** Deliveries the service could not take (a wrong secret, an unreadable body, …). */
function failures(list) {
  if (!Array.isArray(list) || !list.length) return null;
  return [
    h('h3', {}, 'Deliveries that failed'),
    h(
      'ul',
      { class: 'errors', 'data-testid': 'delivery-failures' },
      list.slice(-RECENT).map((f) =>
        h('li', {}, typeof f === 'string' ? f : [f.at ? `${new Date(f.at).toLocaleTimeString('cs-CZ')} ` : '', f.reason ?? f.error ?? f.message ?? JSON.stringify(f)]),
      ),
    ),
  ];
}

/** Outcomes in up to BUCKETS equal time slices over their span, stacked by outcome. */
function timeline(outcomes) {
  const times = outcomes.map((o) => new Date(o.at).getTime()).filter((t) => !Number.isNaN(t));
  if (!times.length) return h('p', { class: 'muted' }, 'No timestamps.');
  const first = Math.min(...times);
  const last = Math.max(...times);
  const step = Math.max(1000, Math.ceil((last - first + 1) / BUCKETS));
  const buckets = [];
  for (let start = first; start <= last; start += step) buckets.push({ start, counts: { applied: 0, filtered: 0, failed: 0 } });
  for (const o of outcomes) {
    const t = new Date(o.at).getTime();
    if (Number.isNaN(t) || !(o.outcome in COLORS)) continue;
    buckets[Math.min(buckets.length - 1, Math.floor((t - first) / step))].counts[o.outcome] += 1;
  }
  const withSeconds = step < 60_000;
  const rows = buckets.map((b) => ({
    label: new Date(b.start).toLocaleTimeString('cs-CZ', { hour: '2-digit', minute: '2-digit', second: withSeconds ? '2-digit' : undefined }),
    parts: OUTCOMES.map((o) => ({ value: b.counts[o], color: COLORS[o], name: o })),
  }));
  return barChart(rows, { width: 420, title: 'Rule outcomes over time' });
}

function recentTable(outcomes, onOrder) {
  const recent = [...outcomes].sort((a, b) => new Date(b.at) - new Date(a.at)).slice(0, RECENT);
  if (!recent.length) return h('p', { class: 'muted' }, 'Nothing yet.');
  return h(
    'table',
    { class: 'outcomes', 'data-testid': 'service-recent' },
    h('thead', {}, h('tr', {}, ['When', 'Hook', 'Subject', 'Outcome', 'Actions', 'Reason'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      recent.map((o) =>
        h(
          'tr',
          { 'data-outcome': o.outcome },
          h('td', {}, new Date(o.at).toLocaleTimeString('cs-CZ')),
          h('td', {}, h('code', {}, o.event?.hook ?? '')),
          h('td', {}, subject(o.event?.subject, onOrder)),
          h('td', {}, h('span', { class: `badge ${o.outcome}` }, o.outcome)),
          h('td', { class: 'num' }, Array.isArray(o.actions) ? o.actions.length : (o.actions ?? '')),
          h('td', {}, o.reason ?? ''),
        ),
      ),
    ),
  );
}

function subject(s, onOrder) {
  if (!s) return '';
  if (s.order && onOrder) return ['order ', h('button', { type: 'button', class: 'link', 'data-testid': 'order-link', onclick: () => onOrder(s.order) }, s.order)];
  if (s.order) return `order ${s.order}`;
  if (s.customer != null) return `customer ${s.customer}`;
  return JSON.stringify(s);
}
