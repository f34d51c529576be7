// applyActions: what rules asked for, sent to the shop through the package's Client in the
// fewest requests. The core's planner (in the rules module) decides the requests; this file
// reads the customers the plan needs, sends each request through the Client (which chunks,
// retries, keeps to the rate budget and states the notify flags), and reports per action.

import { jsonBytes, localToday, rulesWasm, unwrap } from './binding.js';

/** Requests in flight at once: the API's limit (the Client holds each request to it too). */
const CONCURRENCY = 3;

/** Credential and address failures fail every request alike: stop rather than repeat them. */
const FATAL = ['UNAUTHORIZED', 'FORBIDDEN', 'RELOCATED'];

/** Why an item of a write failed, from its per-item outcome. */
function itemReason(outcome, fallback) {
  const said = (outcome?.messages ?? []).filter((m) => m.level !== 'info').map((m) => m.message);
  return said.join('; ') || fallback || 'the shop did not confirm the change';
}

/** A write's per-item outcomes, or the error that stopped it (with outcomes when it has them). */
async function settle(send) {
  try {
    return { results: await send() };
  } catch (error) {
    return { results: Array.isArray(error?.results) ? error.results : null, error };
  }
}

/**
 * Sends `actions` (as `engine.run` returns them) through `client`. Options: `data` (the
 * shop's records as the run saw them: with `orders`, actions already in effect are not sent
 * and actions on orders it lacks are refused; `customers` saves reading them), `statuses`
 * (the shop's order statuses, to resolve names; default `data.order_statuses`), `today`
 * (what `mark_paid` without a date means).
 *
 * Returns `{ applied, failed, satisfied, requests }`: how many actions the shop confirmed,
 * each action that failed or was refused with why, each action that was so already with
 * why, and how many requests were made (customers read included; retries not counted).
 * Customers are e-mailed or texted only where an action asked (`notify`).
 */
export async function applyActions(client, actions, options) {
  if (!client?.orders || !client?.customers) throw new TypeError('applyActions needs a Client from the shopflow package');
  if (!Array.isArray(actions)) throw new TypeError('applyActions takes an array of actions (the `actions` of engine.run)');
  const { data = {}, statuses, today = localToday() } = options ?? {};
  let requests = 0;

  // PUT /customers names accounts by e-mail; actions name them by id. Read those the data lacks.
  const customers = new Map((data.customers ?? []).map((c) => [c.customer_id, c]));
  const unread = new Map();
  const wanted = new Set(actions.filter((a) => a?.customer != null && !customers.has(a.customer)).map((a) => a.customer));
  for (const id of wanted) {
    requests += 1;
    try {
      const c = await client.customers.get(id);
      if (c) customers.set(id, c);
    } catch (e) {
      unread.set(id, `customer ${id} could not be read: ${e.message}`);
    }
  }

  const known = {
    orders: data.orders ?? [],
    customers: [...customers.values()],
    order_statuses: statuses ?? data.order_statuses ?? null,
  };
  const plan = unwrap(rulesWasm().planActions(jsonBytes('the actions', actions), jsonBytes('the data', known), today));

  let applied = 0;
  const failed = [];
  const fail = (indexes, reason) => indexes.forEach((i) => failed.push({ i, reason }));
  for (const r of plan.refused) fail([r.action], unread.get(actions[r.action]?.customer) ?? r.reason);

  // Each planned request once, CONCURRENCY at a time; after a fatal error, none.
  const writes = [
    ...plan.orderUpdates.map((w) => ({
      items: w.items,
      send: () => client.orders.update(w.request.orders, { notify: { emails: w.request.send_emails_yn, sms: w.request.send_sms_yn } }),
    })),
    ...plan.histories.map((h) => ({
      items: [{ key: h.orderNumber, actions: h.actions }],
      send: () => client.orders.addHistory(h.orderNumber, h.data).then(() => [{ ok: true }]),
    })),
    ...plan.customerUpdates.map((w) => ({ items: w.items, send: () => client.customers.update(w.request.customers) })),
  ];
  let fatal;
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const w = writes[next++];
      if (fatal) {
        w.items.forEach((item) => fail(item.actions, `not sent: ${fatal.message}`));
        continue;
      }
      requests += 1;
      const { results, error } = await settle(w.send);
      if (error && FATAL.includes(error.code)) fatal = error;
      w.items.forEach((item, i) => {
        const outcome = results?.[i];
        if (outcome?.ok) applied += item.actions.length;
        else fail(item.actions, outcome ? itemReason(outcome, error?.message) : (error?.message ?? 'no outcome'));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, writes.length) }, worker));

  const byIndex = (a, b) => a.i - b.i;
  return {
    applied,
    failed: failed.sort(byIndex).map(({ i, reason }) => ({ action: actions[i], reason })),
    satisfied: plan.satisfied.map((s) => ({ action: actions[s.action], reason: s.reason })),
    requests,
  };
}
