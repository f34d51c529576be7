// An order's run history from the rules service (`GET runs/{order}`): per run, the events that
// named it, each hook call with its rules' actions and log lines, the outcome, and the requests
// the pass cost (shared by the orders of that pass). Opened by clicking an order number in the
// service panel's latest outcomes.
import { fill, h } from '../dom.js';
import { serviceFetch } from './service-api.js';

export function orderRuns(root) {
  root.hidden = true;
  const show = async (order) => {
    root.hidden = false;
    fill(root, heading(order, root), h('p', { class: 'muted' }, 'Loading\u2026'));
    const res = await serviceFetch(`runs/${encodeURIComponent(order)}`);
    const doc = res?.ok ? await res.json().catch(() => null) : null;
    if (!doc) {
      const why = (await res?.json().catch(() => null))?.error ?? 'the service did not answer';
      fill(root, heading(order, root), h('p', { class: 'error', role: 'alert' }, `No run history: ${why}`));
      return;
    }
    root.dataset.order = order;
    fill(root, heading(order, root), doc.runs.length ? doc.runs.map(run) : h('p', { class: 'muted' }, 'No runs are kept for this order.'));
    root.scrollIntoView?.({ block: 'nearest' });
  };
  return { show };
}

function heading(order, root) {
  return h('h2', {}, `Order ${order}: runs `, h('button', { type: 'button', onclick: () => (root.hidden = true) }, 'Close'));
}

function run(r) {
  const cost = r.cost ?? {};
  return h(
    'article',
    { class: 'run', 'data-testid': 'order-run', 'data-outcome': r.outcome },
    h(
      'h3',
      {},
      new Date(r.at).toLocaleString('cs-CZ'),
      ' ',
      h('span', { class: `badge ${r.outcome}` }, r.outcome),
      h('span', { class: 'muted' }, ` the pass sent ${cost.requests} requests, shared by ${cost.orders_in_pass} orders`),
    ),
    h(
      'ul',
      {},
      (r.events ?? []).map((e) => h('li', {}, 'event ', h('code', {}, e.event), ` (delivery ${e.delivery}, received ${new Date(e.received_at).toLocaleTimeString('cs-CZ')})`)),
      (r.hooks ?? []).map((hook) =>
        h(
          'li',
          {},
          h('code', {}, hook.hook),
          ' \u2192 ',
          h('span', { class: `badge ${hook.outcome}` }, hook.outcome),
          hook.reason ? `: ${hook.reason}` : '',
          h('ul', {}, (hook.rules ?? []).map(rule)),
        ),
      ),
    ),
  );
}

function rule(r) {
  return h(
    'li',
    { 'data-testid': 'run-rule' },
    'rule ',
    h('strong', {}, r.rule),
    h(
      'ul',
      {},
      (r.actions ?? []).map((a) => h('li', { 'data-testid': 'run-action' }, h('code', {}, a.action), ' ', describe(a))),
      (r.logs ?? []).map((line) => h('li', { class: 'muted', 'data-testid': 'run-log' }, `log: ${line}`)),
      r.error ? h('li', { class: 'error' }, `error: ${r.error.message ?? JSON.stringify(r.error)}`) : null,
    ),
  );
}

/** An action's fields other than its name and order, as `name=value`. */
function describe(a) {
  return Object.entries(a)
    .filter(([k]) => k !== 'action' && k !== 'order')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
