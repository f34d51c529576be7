// A Retailys shop behind the page's adapter (see platforms.js), over the package's
// RetailysClient. The differences the views never see: a token instead of a login and key, no
// budget headers (a limit of requests a second instead), flags instead of a status on an order,
// and dates in queries as RFC 3339 with an offset (spec §1.8).

// The most a page of `GET /System/Orders` holds (spec §1.6): the fewest requests for a list.
const PER_PAGE = 250;

export const retailys = {
  id: 'retailys',
  label: 'Retailys',
  form: {
    baseUrlPlaceholder: 'https://api.retailys.com/v1 (the default)',
    baseUrlRequired: false,
    login: false,
    keyLabel: 'API token',
  },

  /**
   * Connects and checks the token with `GET /System/Me` (one request). Throws the package's
   * error (UnauthorizedError, NetworkError, ValidationError for a base URL that is not
   * Retailys', …).
   */
  async connect({ baseUrl, apiKey, allowLocal, fetch }) {
    const { RetailysClient } = await import('shopflow');
    const client = new RetailysClient({
      token: apiKey,
      baseUrl: baseUrl || undefined,
      allowLocal,
      // A page should say the shop is refusing rather than hang for long.
      maxWait: 10_000,
      fetch,
    });
    await client.me();
    return shop(client);
  },
};

function shop(client) {
  return {
    platform: retailys.id,
    label: retailys.label,
    baseUrl: client.baseUrl,
    who: null,
    get requestsSent() {
      return client.requestsSent;
    },
    // Retailys answers with no budget headers; its limit is per second, and the client paces
    // itself under it.
    budget: null,
    budgetNote: 'Retailys allows 100 requests a second from one address and reports no budget; the client paces itself under that limit.',

    async statuses() {
      const list = await client.statuses.list();
      return list
        .slice()
        .sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
        .map((s) => ({ id: s.id, name: s.name ?? `#${s.id}`, color: s.color || null }));
    },

    flagFilter: {
      name: 'state',
      label: 'State',
      options: [
        ['', 'any'],
        ['open', 'open'],
        ['done', 'done'],
        ['canceled', 'canceled'],
      ],
    },
    query: orderQuery,

    orders(query, { onProgress } = {}) {
      return rows(client.orders.all(query, { onProgress }));
    },
    columns: ['number', 'created', 'customer', 'total', 'flags'],

    /**
     * Retailys orders carry no status (spec §3.1), so the chart cannot count the loaded orders:
     * it asks the list filtered by each status (`status_id`) for one smallest page and reads the
     * paginator's total, one request a status (only the filtered one when the status filter is
     * set), with the form's other filters.
     */
    tally(query, statuses, draw) {
      const { page: _page, per_page: _perPage, ...filters } = query;
      const wanted = filters.status_id != null ? statuses.filter((s) => s.id === filters.status_id) : statuses;
      const done = Promise.all(
        wanted.map(async (s) => {
          const page = await client.orders.list({ ...filters, status_id: s.id, per_page: 10 });
          return { label: s.name, count: page.numberOfItems, color: s.color };
        }),
      ).then(draw);
      return { add() {}, done };
    },
  };
}

async function* rows(orders) {
  for await (const o of orders) {
    yield {
      key: String(o.id),
      number: String(o.id),
      created: o.date_order,
      total: o.money,
      currency: o.order_currency_code,
      customer: { name: o.name ?? '', email: o.email ?? '' },
      flags: { paid: isPaid(o), sent: Boolean(o.sent), delivered: Boolean(o.delivered), done: Boolean(o.done), canceled: Boolean(o.canceled) },
    };
  }
}

/** `paid` is the amount paid, not a flag (spec §3.1): paid in full once it covers the total, or dated. */
function isPaid(o) {
  if (o.date_paid) return true;
  return o.money != null && o.paid != null && o.money > 0 && o.paid >= o.money;
}

/**
 * `{ status, flag, from, to }` from the form (strings; '' means any) → the list's query. `open`
 * is neither done nor canceled. The days are the user's own, from the start of `from` to the end
 * of `to`, sent with the browser's offset on those days.
 */
export function orderQuery({ status = '', flag = '', from = '', to = '' }) {
  const query = { per_page: PER_PAGE };
  if (status !== '') query.status_id = Number(status);
  if (flag === 'open') Object.assign(query, { done: false, canceled: false });
  if (flag === 'done') query.done = true;
  if (flag === 'canceled') query.canceled = true;
  if (from) query.from = localDateTime(from, '00:00:00');
  if (to) query.to = localDateTime(to, '23:59:59');
  return query;
}

/** `2025-03-01T00:00:00+01:00`: a wall-clock time on a day, with this browser's offset then. */
export function localDateTime(day, time) {
  // A date-time without an offset is read as local time.
  const minutes = -new Date(`${day}T${time}`).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const pad = (n) => String(n).padStart(2, '0');
  return `${day}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
