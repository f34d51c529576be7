// The shops of a many-shop service (`shopflow run --config shops.toml`): its `GET /status` lists
// them (each a whole service under `shops/NAME/`), and this panel shows that list with a filter by
// name and by state, each shop linking to its own dashboard. On a one-shop service, or a page not
// served by the service, there is no such list: the panel stays hidden. The operator token is
// asked for by the service panel (both read `status` through service-api.js).
import { fill, h } from '../dom.js';
import { serviceFetch } from './service-api.js';

const POLL_MS = 3000;
const STATES = ['running', 'credentials refused', 'failing', 'stopping'];

/**
 * `GET ./status` when it lists shops (a many-shop service); 'unauthorized' while the operator token
 * is missing or wrong; null when this origin is no many-shop service.
 */
export async function fetchFleet() {
  const res = await serviceFetch('status');
  if (res?.status === 401) return 'unauthorized';
  if (!res || !res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const doc = await res.json().catch(() => null);
  return doc && Array.isArray(doc.shops) ? doc : null;
}

export function fleetPanel(root, { fetch: get = fetchFleet, pollMs = POLL_MS } = {}) {
  root.hidden = true;
  let shops = [];
  const summary = h('p', { class: 'muted', 'data-testid': 'fleet-summary' });
  const rows = h('tbody');
  const rerender = () => renderRows(rows, shops, filter.value, state.value);
  const filter = h('input', {
    type: 'search',
    placeholder: 'Filter by shop name',
    'aria-label': 'Filter by shop name',
    'data-testid': 'shop-filter',
    oninput: rerender,
  });
  const state = h(
    'select',
    { 'aria-label': 'Filter by state', 'data-testid': 'state-filter', onchange: rerender },
    h('option', { value: '' }, 'every state'),
    STATES.map((s) => h('option', { value: s }, s)),
  );
  root.append(
    h('h2', {}, 'Shops'),
    summary,
    h('p', { class: 'filters' }, filter, ' ', state),
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { 'data-testid': 'shops-table' },
        h('thead', {}, h('tr', {}, ['Shop', 'Platform', 'State', 'Pending', 'Dead letters', 'Processed', 'API requests'].map((c) => h('th', {}, c)))),
        rows,
      ),
    ),
  );

  let timer;
  const tick = async () => {
    const doc = await get();
    // Until the token is given (the service panel asks for it), ask again; a one-shop service
    // or another server has no list: stop asking.
    if (doc === 'unauthorized') timer = setTimeout(tick, pollMs);
    if (!doc || doc === 'unauthorized') return;
    shops = doc.shops;
    root.hidden = false;
    fill(summary, describe(shops));
    rerender();
    timer = setTimeout(tick, pollMs);
  };
  tick();
  return { stop: () => clearTimeout(timer) };
}

/** "3 shops: 2 running, 1 credentials refused". */
function describe(shops) {
  const counts = new Map();
  for (const s of shops) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  return `${shops.length} shop${shops.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function renderRows(tbody, shops, name, state) {
  const wanted = name.trim().toLowerCase();
  const shown = shops.filter((s) => s.name.toLowerCase().includes(wanted) && (!state || s.state === state));
  fill(
    tbody,
    shown.map((s) =>
      h(
        'tr',
        { dataset: { shop: s.name } },
        // Each shop's dashboard is the same site under its path, reading that shop's API.
        h('td', {}, h('a', { href: `shops/${encodeURIComponent(s.name)}/#dashboard` }, s.name)),
        h('td', {}, s.platform),
        h('td', { class: s.state === 'running' ? 'state' : 'state warn' }, s.reason ? `${s.state}: ${s.reason}` : s.state),
        h('td', { class: 'num' }, String(s.pending_deliveries)),
        h('td', { class: 'num' }, String(s.dead_letters)),
        h('td', { class: 'num' }, `${s.events_processed} of ${s.events_received}`),
        h('td', { class: 'num' }, String(s.api_requests)),
      ),
    ),
    shown.length ? null : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No shop matches the filter.')),
  );
}
