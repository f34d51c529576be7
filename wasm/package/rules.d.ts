// Types of the `shopflow/rules` entry: automation rules (Rhai) compiled and run in WebAssembly,
// and their actions applied through the `shopflow` Client. The models come from ./models.d.ts.

import type { Customer, Order, OrderStatus } from './models.js';
import type { Client, ShopflowError, ValidationError } from './index.js';

export type { ShopflowError, ValidationError } from './index.js';

/** A rule file's hook, by the function name it defines. */
export type HookName =
  | 'on_order_created'
  | 'on_order_updated'
  | 'on_order_paid'
  | 'on_order_deleted'
  | 'on_customer_created'
  | 'on_customer_updated'
  | 'on_customer_deleted';

/** Stable codes of rule problems, at compile time and when a hook runs. */
export type RuleErrorCode =
  | 'syntax'
  | 'unknown_hook'
  | 'unknown_function'
  | 'unknown_property'
  | 'unsupported_action'
  | 'forbidden'
  | 'runtime'
  | 'invalid_action'
  | 'too_many_operations'
  | 'too_deep'
  | 'data_too_large'
  | 'too_many_variables'
  | 'timeout'
  | 'too_much_output'
  | 'too_many_actions';

/** One problem of a rule file, at its place (1-based line and column) when known. */
export interface RuleProblem {
  code: RuleErrorCode;
  message: string;
  line?: number;
  column?: number;
}

/** A rule file that does not compile: the first problem at the top, every problem in `errors`. */
export class RuleError extends Error {
  readonly name: 'RuleError';
  readonly code: RuleErrorCode;
  readonly line?: number;
  readonly column?: number;
  readonly errors: RuleProblem[];
}

/** Whether the shop notifies the customer about an action's write (default: neither). */
export interface ActionNotify {
  emails: boolean;
  sms: boolean;
}

/** A status by id or by name (names match without regard to case). */
export type StatusRef = number | string;

/**
 * The platform a rule file runs on. The check refuses actions it cannot make (on Retailys:
 * set_internal_note, set_meta, generate_invoice, set_customer_note, set_customer_meta; on
 * Upgates: mark_delivered), each with what to use instead, and a run plans its requests.
 */
export type Platform = 'upgates' | 'retailys';

export interface CompileOptions {
  /** Default `upgates`; another name throws ValidationError naming the platforms. */
  platform?: Platform;
}

/** One change a rule asked for; nothing is sent until `applyActions`. */
export type Action =
  | { action: 'set_status'; order: string; status: StatusRef; notify: ActionNotify }
  | { action: 'mark_paid'; order: string; /** `YYYY-MM-DD`; absent: the day it is applied. */ date?: string; notify: ActionNotify }
  | { action: 'mark_resolved'; order: string }
  | {
      action: 'set_tracking';
      order: string;
      code: string;
      /** Retailys: the carrier's name among the shop's carriers (default: the order's). Upgates keeps one code and no carrier: not sent there. */
      carrier?: string;
      notify: ActionNotify;
    }
  /** Upgates: the shop's status of type Canceled; Retailys: its canceled flag (no undo). `notify` is Upgates only. */
  | { action: 'cancel'; order: string; notify: ActionNotify }
  /** Upgates: the shop's status of type Sent; Retailys: its sent flag. `notify` is Upgates only. */
  | { action: 'mark_sent'; order: string; notify: ActionNotify }
  /** Retailys only (its delivered flag); Upgates has no delivered flag or status type. */
  | { action: 'mark_delivered'; order: string }
  | { action: 'add_history'; order: string; name: string; value: string }
  | { action: 'set_internal_note'; order: string; text: string }
  | { action: 'set_meta'; order: string; key: string; value: string }
  | { action: 'generate_invoice'; order: string; notify: ActionNotify }
  | { action: 'set_customer_note'; customer: number; text: string }
  | { action: 'set_customer_meta'; customer: number; key: string; value: string };

/** What was known of an order before (for `on_order_updated`'s change and new payments). */
export interface SeenOrder {
  status?: string | null;
  status_id?: number | null;
  paid: boolean;
}

/** The shop's records hooks read, in the API's shapes (a saved `GET /orders` answer fits). */
export interface ShopData {
  orders?: Order[];
  customers?: Customer[];
  order_statuses?: OrderStatus[] | null;
  /** Carriers a rule may name in `set_tracking(order, code, carrier)`, as Retailys lists them (`GET /System/Lists/Shippers`); only a Retailys plan uses them. */
  shippers?: Array<{ id?: number | null; name?: string | null }>;
  /** Records already in orders' histories, by order number: not added again. */
  history?: Record<string, Array<{ name?: string | null; value?: string | null }>>;
  /** By order number. */
  previous?: Record<string, SeenOrder>;
}

/** Webhook events rules react to (others give no events). */
export type RuleEventName =
  | 'Orders.create'
  | 'Orders.update'
  | 'Orders.delete'
  | 'Customers.create'
  | 'Customers.update'
  | 'Customers.delete'
  | (string & {});

export interface RunOptions {
  /** The event the webhook was registered for; otherwise inferred from the body. */
  eventName?: RuleEventName;
  /** `YYYY-MM-DD`: what `mark_paid` without a date means (default: today in this runtime's zone). */
  today?: string;
}

/** One hook call of a run. */
export interface RuleEventReport {
  hook: HookName;
  subject: { order: string } | { customer: number };
  actions: Action[];
  logs: string[];
  opsUsed: number;
  /** `filtered` is normal: nothing asked for, or everything so already. */
  outcome: 'applied' | 'filtered' | 'failed';
  /** Why it was filtered or failed. */
  reason?: string;
  /** The hook's error (a `throw`, a budget that ran out, …); a failed hook asks for nothing. */
  error?: RuleProblem;
}

/** One request applying the run's actions would take, on the platform the engine was compiled for. */
export interface PlannedRequest {
  method: 'PUT' | 'POST' | 'PATCH';
  path: string;
  items: number;
}

/** What a run asked for; nothing was sent. */
export interface RuleRun {
  actions: Action[];
  logs: string[];
  opsUsed: number;
  events: RuleEventReport[];
  /** Records the webhook names that `data` lacks (their hooks did not run). */
  skipped: string[];
  requests: PlannedRequest[];
}

/** A rule file compiled in WebAssembly, run per webhook as a dry run. */
export class RuleEngine {
  private constructor();
  /** Compiles and checks a rule file for a platform (default `upgates`). Throws RuleError with every problem. */
  static compile(source: string, options?: CompileOptions): RuleEngine;
  /** The hooks the file defines. */
  readonly hooks: HookName[];
  /** The platform it was checked for; runs plan its requests. */
  readonly platform: Platform;
  /**
   * Runs the hooks a webhook calls. Throws ValidationError (with `path`, `line`, `column`)
   * when the event or data does not read; a hook that fails is an event with an `error`.
   */
  run(event: object | string | Uint8Array | ArrayBuffer, data?: ShopData | string | Uint8Array | ArrayBuffer | null, options?: RunOptions): RuleRun;
  /** Releases the compiled file now rather than at garbage collection; the engine cannot run afterwards. */
  free(): void;
}

/**
 * Where `applyActions` keeps the history records it added, so that a redelivered webhook adds
 * none twice. A Workers KV namespace satisfies it as it is; a `Map` as
 * `{ get: (k) => map.get(k), put: (k, v) => void map.set(k, v) }`. Use one per shop.
 */
export interface IdempotencyStore {
  /** The value kept under `key`, or `null`/`undefined` when there is none. */
  get(key: string): Promise<string | null | undefined> | string | null | undefined;
  /** Keeps `value` (when the record was added, ISO 8601) under `key`. */
  put(key: string, value: string): Promise<void> | void;
}

export interface ApplyOptions {
  /** The records the run saw: with `orders`, actions already in effect are not sent (and actions on orders it lacks are refused); `customers` saves reading them; records in `history` are not added again. */
  data?: ShopData;
  /**
   * History records added are kept here (keyed by order, name and value: `shopflow:history:<order>:<sha-256>`),
   * and a record it has is not added again. Without it, records are added as asked (only `data.history` is consulted).
   */
  idempotencyStore?: IdempotencyStore;
  /** The shop's order statuses, to resolve status names (default: `data.order_statuses`). */
  statuses?: OrderStatus[];
  /** `YYYY-MM-DD`: what `mark_paid` without a date means (default: today in this runtime's zone). */
  today?: string;
}

export interface ApplyResult {
  /** Actions the shop confirmed. */
  applied: number;
  /**
   * Actions that failed or were refused, with what happened: `not sent: …` (refused before
   * sending, from the records passed in, or after a 401/403/301), `the shop did not apply it: …`
   * (the shop's own words about the item), `the shop answered HTTP <status> (<code>): …` (the
   * request failed as a whole), `the shop did not answer (<code>): …`.
   */
  failed: Array<{ action: Action; reason: string }>;
  /** Actions that were so already (not sent), with why. */
  satisfied: Array<{ action: Action; reason: string }>;
  /** `add_history` actions the shop confirmed that the idempotency store did not keep (a redelivery would add them again), with why. */
  unrecorded: Array<{ action: Action; reason: string }>;
  /** Requests made (customers read included, retries not). */
  requests: number;
}

/**
 * Sends actions through the Client in the fewest requests: merged per order, 100 orders per
 * PUT, split by what each asked about notifying, one history request per order. Customers
 * are e-mailed or texted only where an action asked.
 */
export function applyActions(client: Client, actions: readonly Action[], options?: ApplyOptions): Promise<ApplyResult>;
