// `parse` and `validate` take the kinds by name and `parse` gives each kind's model; the
// request types require what the pre-send checks require. Each @ts-expect-error line must be
// an error, or tsc fails on the unused directive.
import { parse, validate, type NewOrder, type Order, type Paged, type Problem, type ParseKinds } from 'shopflow';

declare const body: string;

// A list reads as the page `orders.list()` gives: items and camelCase paging.
const page: Paged<Order> = parse('order-list', body);
const first: Order | undefined = page.items[0];
const pages: number = page.numberOfPages;
const next: number | null = page.nextPage;
console.log(first?.order_number, pages, next);
// @ts-expect-error: a page has items, not the API's `orders` envelope
parse('order-list', body).orders;

const updated: ParseKinds['order-update-response'] = parse('order-update-response', body);
console.log(updated.orders.map((o) => o.updated_yn));
const batch = parse('webhook-batch', body);
if (batch.entity === 'orders') console.log(batch.orders.length);

// @ts-expect-error: not a kind
parse('orders', body);
// @ts-expect-error: the plural is the old name (still read at run time, not typed)
parse('orders-update-response', body);

const problems: Problem[] = validate('order-create-request', { orders: [] });
console.log(problems);
// @ts-expect-error: answers are parsed, not validated
validate('order-create-response', {});

const line = { title: 'Mug', quantity: 2, price_per_unit: 168.6, vat: 21 };
export const order: NewOrder = { language_id: 'cs', customer: { email: 'jan@example.cz' }, products: [line] };
// @ts-expect-error: at least one product line (validation refuses `products: []`)
export const noLines: NewOrder = { language_id: 'cs', customer: { email: 'jan@example.cz' }, products: [] };
// @ts-expect-error: the language is required
export const noLanguage: NewOrder = { customer: { email: 'jan@example.cz' }, products: [line] };
// @ts-expect-error: the customer's e-mail is required
export const noEmail: NewOrder = { language_id: 'cs', customer: { firstname_invoice: 'Jan' }, products: [line] };
// @ts-expect-error: a new line needs its VAT rate
export const noVat: NewOrder = { language_id: 'cs', customer: { email: 'jan@example.cz' }, products: [{ title: 'Mug', price_per_unit: 1 }] };
