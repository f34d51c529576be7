// Deliveries the rules service set aside (dead letters): the shop refused them for good, or
// they cannot be read. Shown only when there are any, from `GET deliveries`; each can be sent
// back to the queue (after fixing what the shop refused) or dropped. Every call goes through
// service-api.js.
import { fill, h } from '../dom.js';
import { serviceFetch } from './service-api.js';

const POLL_MS = 3000;

/** `GET ./deliveries` as the list of set-aside deliveries, or null when the service has none to give. */
export async function fetchDeadLetters() {
  const res = await serviceFetch('deliveries');
  if (!res || !res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
  const doc = await res.json().catch(() => null);
  return Array.isArray(doc?.deliveries) ? doc.deliveries : null;
}

export function deadLettersPanel(root, { pollMs = POLL_MS } = {}) {
  root.hidden = true;
  let timer;
  const refresh = async () => {
    clearTimeout(timer);
    const list = await fetchDeadLetters();
    root.hidden = !list?.length;
    if (list?.length) render(root, list, act);
    // A page not served by the rules service has no deliveries: stop asking.
    if (list) timer = setTimeout(refresh, pollMs);
  };
  // POST deliveries/{id}/retry or /drop, then show the list as it is now.
  const act = async (id, what, button) => {
    button.disabled = true;
    const res = await serviceFetch(`deliveries/${id}/${what}`, { method: 'POST' });
    if (!res?.ok) {
      const why = (await res?.json().catch(() => null))?.error ?? 'the service did not answer';
      const note = root.querySelector('[data-testid="dead-letters-error"]');
      if (note) fill(note, `Could not ${what} delivery ${id}: ${why}`);
      button.disabled = false;
      return;
    }
    await refresh();
  };
  refresh();
  return { stop: () => clearTimeout(timer), refresh };
}

function render(root, list, act) {
  fill(
    root,
    h('h2', {}, 'Set aside'),
    h('p', { class: 'muted' }, 'Deliveries the shop refused after every try, or that cannot be read. Fix the cause, then retry; or drop them.'),
    h('p', { class: 'error', role: 'alert', 'data-testid': 'dead-letters-error' }),
    h(
      'table',
      { class: 'outcomes', 'data-testid': 'dead-letters' },
      h('thead', {}, h('tr', {}, ['Delivery', 'Event', 'Received', 'Orders', 'Tries', 'Reason', ''].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        list.map((d) =>
          h(
            'tr',
            { 'data-id': String(d.id) },
            h('td', { class: 'num' }, String(d.id)),
            h('td', {}, h('code', {}, d.event ?? '')),
            h('td', {}, d.received_at ? new Date(d.received_at).toLocaleString('cs-CZ') : ''),
            h('td', {}, (d.orders ?? []).join(', ')),
            h('td', { class: 'num' }, String(d.tries ?? '')),
            h('td', {}, d.reason ?? ''),
            h(
              'td',
              {},
              h('button', { type: 'button', onclick: (e) => act(d.id, 'retry', e.currentTarget) }, 'Retry'),
              ' ',
              h('button', { type: 'button', onclick: (e) => act(d.id, 'drop', e.currentTarget) }, 'Drop'),
            ),
          ),
        ),
      ),
    ),
  );
}
