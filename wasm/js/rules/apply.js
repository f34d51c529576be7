// applyActions: what rules asked for, sent to the shop through the package's Client in the
// fewest requests. The core's planner (in the rules module) decides the requests; this file
// reads the customers the plan needs, sends each request through the Client (which chunks,
// retries, keeps to the rate budget and states the notify flags), and reports per action,
// each reason saying what happened: refused before sending (and from what), answered by the
// shop (with its status or its own words), not sent after a fatal error, or in effect already.

import { jsonBytes, localToday, rulesWasm, unwrap } from './binding.js';
import { checkStore, putNotes, storedNotes } from './noted.js';

/** Requests in flight at once: the API's limit (the Client holds each request to it too). */
const CONCURRENCY = 3;

/** Credential and address failures fail every request alike: stop rather than repeat them. */
const FATAL = ['UNAUTHORIZED', 'FORBIDDEN', 'RELOCATED'];

/** Why a request failed as a whole: the shop's answer (its HTTP status), or none. */
function requestReason(error) {
  if (!error?.code) return `the request failed: ${error?.message ?? error}`;
  const answered = error.status ? `the shop answered HTTP ${error.status}` : 'the shop did not answer';
  return `${answered} (${error.code}): ${error.message}`;
}

/** Why an item of a write failed, from its per-item outcome. */
function itemReason(outcome) {
  const said = (outcome.messages ?? []).filter((m) => m.level !== 'info').map((m) => m.message).join('; ');
  // `error` on an outcome: the item had no answer of its own (its request failed as a whole).
  if (outcome.error) return `the request failed (${outcome.error}): ${said}`;
  return `the shop did not apply it: ${said || 'its answer gave no reason'}`;
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
 * and actions on orders it lacks are refused; `customers` saves reading them; `history`
 * records are not added again), `statuses` (the shop's order statuses, to resolve names;
 * default `data.order_statuses`), `today` (what `mark_paid` without a date means),
 * `idempotencyStore` (see noted.js: history records added are kept there, and a record it
 * has is not added again, so a redelivered webhook adds no second note).
 *
 * Returns `{ applied, failed, satisfied, unrecorded, requests }`: how many actions the shop
 * confirmed, each action that failed or was refused with why, each action that was so
 * already with why, each record added that the store did not keep, and how many requests
 * were made (customers read included; retries not counted). Customers are e-mailed or
 * texted only where an action asked (`notify`).
 */
export async function applyActions(client, actions, options) {
  if (!client?.orders || !client?.customers) throw new TypeError('applyActions needs a Client from the shopflow package');
  if (!Array.isArray(actions)) throw new TypeError('applyActions takes an array of actions (the `actions` of engine.run)');
  const { data = {}, statuses, today = localToday(), idempotencyStore: store } = options ?? {};
  checkStore(store);
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
      else unread.set(id, `the shop has no customer ${id} (reading it found none)`);
    } catch (e) {
      unread.set(id, `customer ${id} could not be read: ${requestReason(e)}`);
    }
  }

  const stored = await storedNotes(store, actions);
  const history = { ...data.history };
  for (const [order, records] of Object.entries(stored.history)) history[order] = [...(history[order] ?? []), ...records];
  const known = {
    orders: data.orders ?? [],
    customers: [...customers.values()],
    order_statuses: statuses ?? data.order_statuses ?? null,
    history,
  };
  const plan = unwrap(rulesWasm().planActions(jsonBytes('the actions', actions), jsonBytes('the data', known), today));

  let applied = 0;
  const failed = [];
  const unrecorded = [];
  const fail = (indexes, reason) => indexes.forEach((i) => failed.push({ i, reason }));
  for (const r of plan.refused) fail([r.action], `not sent: ${unread.get(actions[r.action]?.customer) ?? r.reason}`);

  // Each planned request once, CONCURRENCY at a time; after a fatal error, none.
  const writes = [
    ...plan.orderUpdates.map((w) => ({
      items: w.items,
      send: () => client.orders.update(w.request.orders, { notify: { emails: w.request.send_emails_yn, sms: w.request.send_sms_yn } }),
    })),
    ...plan.histories.map((h) => ({
      items: [{ key: h.orderNumber, actions: h.actions }],
      send: async () => {
        await client.orders.addHistory(h.orderNumber, h.data);
        const why = await putNotes(store, h.actions.map((i) => actions[i]));
        if (why) unrecorded.push(...h.actions.map((i) => ({ i, reason: why })));
        return [{ ok: true }];
      },
    })),
    ...plan.customerUpdates.map((w) => ({ items: w.items, send: () => client.customers.update(w.request.customers) })),
  ];
  let fatal;
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const w = writes[next++];
      if (fatal) {
        w.items.forEach((item) => fail(item.actions, `not sent: an earlier request failed, and would fail alike: ${requestReason(fatal)}`));
        continue;
      }
      requests += 1;
      const { results, error } = await settle(w.send);
      if (error && FATAL.includes(error.code)) fatal = error;
      w.items.forEach((item, i) => {
        const outcome = results?.[i];
        if (outcome?.ok) applied += item.actions.length;
        else if (outcome) fail(item.actions, itemReason(outcome));
        else fail(item.actions, error ? requestReason(error) : "the shop's answer had no outcome for it");
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, writes.length) }, worker));

  const byIndex = (a, b) => a.i - b.i;
  const reasoned = (list) => list.sort(byIndex).map(({ i, reason }) => ({ action: actions[i], reason }));
  const passedIn = ({ order, name, value }) => (data.history?.[order] ?? []).some((r) => r.name === name && r.value === value);
  const storeSaid = (i) => (stored.indexes.has(i) && !passedIn(actions[i]) ? ' (the idempotency store has it from an earlier run)' : '');
  return {
    applied,
    failed: reasoned(failed),
    satisfied: plan.satisfied.map((s) => ({ action: actions[s.action], reason: `${s.reason}${storeSaid(s.action)}` })),
    unrecorded: reasoned(unrecorded),
    requests,
  };
}
