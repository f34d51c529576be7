// What the package's benchmarks take, made once for all of them: the built package to
// measure (`--pkg DIR`, default wasm/pkg) and realistic bodies as the Upgates API sends them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The value after `name` on the command line, if it is there. */
export const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};

/** The package to measure, ending in `/`: `--pkg DIR`, or wasm/pkg. */
export const pkg = resolve(option('--pkg') ?? fileURLToPath(new URL('../pkg/', import.meta.url))) + '/';

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
