// The dashboard: a many-shop service's shops, the rules service's outcomes (when this page is
// served by it), the request budget left, and the connected shop's orders.
import { h } from '../dom.js';
import { budgetPanel } from '../shop/budget-panel.js';
import { deadLettersPanel } from './dead-letters-panel.js';
import { fleetPanel } from './fleet-panel.js';
import { orderRuns } from './order-runs.js';
import { ordersPanel } from './orders-panel.js';
import { servicePanel } from './service-panel.js';

export function dashboardView(root, connection) {
  const fleet = h('section', { class: 'card', 'data-testid': 'fleet' });
  const service = h('section', { class: 'card', 'data-testid': 'service' });
  const deadLetters = h('section', { class: 'card', 'data-testid': 'set-aside' });
  const runs = h('section', { class: 'card', 'data-testid': 'order-runs' });
  const budget = h('div', { 'data-testid': 'budget' });
  const orders = h('section', { class: 'card', 'data-testid': 'orders' });
  const notConnected = h('p', { class: 'muted', 'data-testid': 'dashboard-disconnected' }, 'Connect to a shop above to see its orders.');
  root.append(fleet, service, deadLetters, runs, h('section', { class: 'card' }, h('h2', {}, 'Request budget'), budget), notConnected, orders);
  fleetPanel(fleet);
  servicePanel(service, { onOrder: orderRuns(runs).show });
  deadLettersPanel(deadLetters);
  budgetPanel(budget, connection);
  ordersPanel(orders, connection);
  const onChange = () => (notConnected.hidden = Boolean(connection.shop));
  connection.addEventListener('change', onChange);
  onChange();
}
