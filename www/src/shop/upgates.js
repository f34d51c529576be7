// An Upgates shop behind the page's adapter (see platforms.js), over the package's Client.
// Upgates orders carry their status, so the chart counts the orders as they load: no requests
// of its own against the shop's hourly budget.

const NO_STATUS = '(no status)';

export const upgates = {
  id: 'upgates',
  label: 'Upgates',
  form: {
    baseUrlPlaceholder: 'https://myshop.admin.s10.upgates.com/api/v2',
    baseUrlRequired: true,
    login: true,
    keyLabel: 'API key',
  },

  /**
   * Connects and checks the credentials with `GET /status` (one request, which also reports the
   * budget). Throws the package's error (UnauthorizedError, NetworkError, ValidationError for a
   * base URL that is not a shop's, …).
   */
  async connect({ baseUrl, login, apiKey, allowLocal, fetch }) {
    const { Client } = await import('shopflow');
    const client = new Client({
      baseUrl,
      login,
      apiKey,
      allowLocal,
      // A page should say the budget is spent rather than hang for long.
      maxWait: 10_000,
      fetch,
    });
    await client.status();
    return shop(client, login);
  },
};

function shop(client, login) {
  return {
    platform: upgates.id,
    label: upgates.label,
    baseUrl: client.baseUrl,
    who: login,
    get requestsSent() {
      return client.requestsSent;
    },
    /** As the shop last reported it (X-Rate-Limit-*), adjusted by the client since. */
    get budget() {
      return client.budget ?? {};
    },
    budgetNote: 'The shop has not reported a budget yet.',

    async statuses() {
      const list = await client.orderStatuses.list();
      return list.map((s) => ({ id: s.id, name: statusName(s), color: s.color || null }));
    },

    flagFilter: {
      name: 'paid',
      label: 'Paid',
      options: [
        ['', 'any'],
        ['paid', 'paid'],
        ['unpaid', 'unpaid'],
      ],
    },
    query: orderQuery,

    orders(query, { onProgress } = {}) {
      return rows(client.orders.iterate(query, { onProgress }));
    },
    columns: ['number', 'created', 'status', 'paid', 'total', 'customer'],

    tally(query, statuses, draw) {
      const counts = new Map(); // status id (null for none) → { count, name the orders gave }
      return {
        add(rows) {
          for (const r of rows) {
            const seen = counts.get(r.statusId) ?? { count: 0, name: r.status };
            seen.count += 1;
            counts.set(r.statusId, seen);
          }
          draw(
            [...counts].map(([id, { count, name }]) => {
              // The shop's list names a status in the page's language; an order only in its own.
              const s = statuses.find((x) => x.id === id);
              return { label: s?.name ?? name ?? NO_STATUS, count, color: s?.color };
            }),
          );
        },
        done: Promise.resolve(),
      };
    },

    /**
     * The event's orders (or the newest order, when the event names none) and the shop's
     * statuses, as the playground's data (which are in Upgates' shapes).
     */
    async ruleData(event) {
      let numbers = (event?.orders ?? []).map((o) => o?.order_number).filter((n) => typeof n === 'string');
      let eventName;
      if (!numbers.length) {
        const newest = (await client.orders.list({ order_by: 'creation_time', order_dir: 'desc' })).items[0];
        if (!newest) throw new Error('the shop has no orders');
        numbers = [newest.order_number];
        event = { orders: [{ order_number: newest.order_number }] };
        eventName = 'Orders.create';
      }
      const [orders, orderStatuses] = await Promise.all([client.orders.byNumbers(numbers), client.orderStatuses.list()]);
      return { event, eventName, data: { orders, order_statuses: orderStatuses } };
    },
  };
}

async function* rows(orders) {
  for await (const o of orders) {
    yield {
      key: o.order_number,
      number: o.order_number,
      created: o.creation_time,
      status: o.status ?? null,
      statusId: o.status_id ?? null,
      paid: o.paid_date ?? null,
      total: o.order_total,
      currency: o.currency_id,
      customer: customer(o.customer),
    };
  }
}

/**
 * `{ status, flag, from, to }` from the form (strings; '' means any) → OrderListQuery. Dates are
 * whole days: the API reads a bare date as that day's start for `_from` and its end for `_to`,
 * so both ends are inclusive.
 */
export function orderQuery({ status = '', flag = '', from = '', to = '' }) {
  const query = { order_by: 'creation_time', order_dir: 'desc' };
  if (status !== '') query.status_id = Number(status);
  if (flag === 'paid') query.paid_yn = true;
  if (flag === 'unpaid') query.paid_yn = false;
  if (from) query.creation_time_from = from;
  if (to) query.creation_time_to = to;
  return query;
}

/** A status's name in the page's language when the shop has it, else its first name. */
export function statusName(status, language = 'cs') {
  const names = status.descriptions ?? [];
  return (names.find((d) => d.language_id === language) ?? names[0])?.name ?? `#${status.id}`;
}

function customer(c) {
  if (!c) return { name: '', email: '' };
  return { name: [c.firstname_invoice, c.surname_invoice].filter(Boolean).join(' '), email: c.email ?? '' };
}
