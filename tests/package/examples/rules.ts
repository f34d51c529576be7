// The README's rules usage under `tsc --strict`; the @ts-expect-error lines prove the types
// are precise (each must be an error, or tsc fails on the unused directive).
import { Client, ValidationError } from 'shopflow';
import { RuleEngine, RuleError, applyActions, type Action, type ApplyResult, type HookName, type IdempotencyStore, type RuleRun, type ShopData } from 'shopflow/rules';

declare const shop: Client;
declare const body: string;
declare const data: ShopData;
// A Workers KV namespace, as its types declare get and put.
declare const kv: { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<void> };

// Both a KV namespace and a Map wrapper are idempotency stores.
const notes = new Map<string, string>();
export const mapStore: IdempotencyStore = { get: (k) => notes.get(k), put: (k, v) => void notes.set(k, v) };
export const kvStore: IdempotencyStore = kv;

export async function handle(source: string): Promise<ApplyResult | string> {
  let engine: RuleEngine;
  try {
    engine = RuleEngine.compile(source);
  } catch (e) {
    if (e instanceof RuleError) return e.errors.map((p) => `${p.line ?? '?'}:${p.column ?? '?'} ${p.code} ${p.message}`).join('\n');
    throw e;
  }
  const hooks: HookName[] = engine.hooks;
  let run: RuleRun;
  try {
    run = engine.run(body, data, { eventName: 'Orders.create', today: '2026-05-01' });
  } catch (e) {
    if (e instanceof ValidationError) return `${e.path} at ${e.line}:${e.column}`;
    throw e;
  }
  for (const event of run.events) {
    if (event.outcome === 'failed') console.log(event.hook, event.error?.code, event.error?.line);
    if ('order' in event.subject) console.log(event.subject.order, hooks.length);
  }
  const held: Action[] = run.actions.filter((a) => a.action === 'set_status');
  const result = await applyActions(shop, held, { data, statuses: data.order_statuses ?? undefined, idempotencyStore: kvStore });
  for (const u of result.unrecorded) console.log(u.action.action, u.reason);
  return result;
}

// @ts-expect-error: compile takes the source text
RuleEngine.compile({ source: 'x' });
// @ts-expect-error: engines come from compile
new RuleEngine();
// @ts-expect-error: an action names its kind
export const bad: Action = { order: '1', status: 2 };
// @ts-expect-error: outcomes are applied, filtered or failed
export const outcome: RuleRun['events'][number]['outcome'] = 'skipped';
// @ts-expect-error: applyActions needs the Client
applyActions({}, []);
// @ts-expect-error: a store has put too
applyActions(shop, [], { idempotencyStore: { get: () => null } });
