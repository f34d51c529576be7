// The request budget left, as the shop reports it (Upgates' X-Rate-Limit-* headers, which the
// Client keeps, adjusted for requests sent since), or what the platform's limit is when it reports
// none (Retailys), and the requests the page's client has sent.
import { fill, h } from '../dom.js';

function meter(label, remaining, limit, testid) {
  if (remaining == null) return null;
  const known = limit != null && limit > 0;
  return h(
    'div',
    { class: 'budget-row', 'data-testid': testid },
    h('span', { class: 'budget-label' }, label),
    known ? h('meter', { min: 0, max: limit, low: limit * 0.2, optimum: limit, value: remaining }) : null,
    h('span', { class: 'budget-figure' }, known ? `${remaining} of ${limit} left` : `${remaining} left`),
  );
}

/** A RateBudget (`hour_remaining`, `hour_limit`, …) as meters; [] when nothing is known. */
export function budgetRows(b, prefix = 'budget') {
  return [
    meter('This hour', b?.hour_remaining, b?.hour_limit, `${prefix}-hour`),
    meter('Today, on top', b?.day_remaining, b?.day_limit, `${prefix}-day`),
    meter('In total', b?.total_remaining, null, `${prefix}-total`),
  ].filter(Boolean);
}

export function budgetPanel(root, connection) {
  let pending = false;
  const render = () => {
    pending = false;
    const shop = connection.shop;
    if (!shop) {
      fill(root, h('p', { class: 'muted' }, 'Not connected.'));
      return;
    }
    const rows = budgetRows(shop.budget);
    fill(
      root,
      rows.length ? rows : h('p', { class: 'muted', 'data-testid': 'budget-note' }, shop.budgetNote),
      h('p', { class: 'muted', 'data-testid': 'requests-sent' }, `${shop.requestsSent} requests sent from this page since connecting.`),
    );
  };
  // Paging sends requests in bursts: draw at most once a frame.
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(render);
  };
  connection.addEventListener('activity', schedule);
  connection.addEventListener('change', schedule);
  render();
}
