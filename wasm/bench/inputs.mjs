// The inputs the package's benchmarks time, made once for all of them (budgets.mjs,
// page-floor.mjs): realistic bodies as the Upgates API sends them.
import { readFileSync } from 'node:fs';

/** A 5000-record Orders.update webhook body (580 KB). */
export const webhookBody = () =>
  JSON.stringify({
    project_name: 'beershop',
    orders: Array.from({ length: 5000 }, (_, i) => ({
      order_number: `2024${String(i).padStart(6, '0')}`,
      last_update_time: '2024-02-29T15:02:11+01:00',
      // Real bodies mix numbers and numeric strings; half of these are strings.
      status_id: i % 2 ? 4 : '4',
      status: 'Vyřizuje se',
    })),
  });

/** A page of 100 orders as the API answers GET /orders (290 KB): the fixture's three
 * orders in turn, each with its own number. */
export function orderPage() {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/upgates/order-list.json', import.meta.url), 'utf8'));
  return JSON.stringify({
    ...fixture,
    current_page_items: 100,
    number_of_items: 100,
    orders: Array.from({ length: 100 }, (_, i) => ({
      ...fixture.orders[i % fixture.orders.length],
      order_number: `2024${String(i).padStart(6, '0')}`,
    })),
  });
}
