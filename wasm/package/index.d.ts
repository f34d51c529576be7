// Types of the `shopflow` package. The data models (Order, Customer, WebhookBatch, …) are
// generated from the Rust types in ./models.d.ts (Upgates) and ./retailys.d.ts (Retailys,
// exported as the namespace `Retailys`); this file types the JavaScript API around them.

import type {
  ApiStatus,
  Customer,
  CustomerAccountWrite as CustomerAccountWriteModel,
  CustomerDeleteQuery,
  CustomerListQuery,
  CustomersCreateResponse,
  CustomersDeleteResponse,
  CustomersUpdateResponse,
  CustomersWriteRequest,
  CustomerWrite,
  HistoryAddRequest,
  ItemOutcome,
  LegacyFailure,
  LegacyUpdateRequest,
  LoginWrite,
  Order,
  OrderCreateRequest,
  OrderDeleteQuery,
  OrderHistory,
  OrderListQuery,
  OrdersCreateResponse,
  OrdersDeleteResponse,
  OrderStatus,
  OrderStatusList,
  OrderStatusResult,
  OrderStatusWrite as OrderStatusWriteModel,
  OrderStatusWriteResponse,
  OrdersUpdateResponse,
  OrderUpdate as OrderUpdateModel,
  NewOrder as NewOrderModel,
  Page,
  PaymentWrite,
  Problem,
  ProductWrite,
  Progress,
  QuantityDiscountWrite,
  RateBudget,
  ShipmentWrite,
  StatusDescription,
  Webhook,
  WebhookBatch,
  WebhookCreate,
  WebhookDeleted,
  WebhookDeleteResponse,
  WebhookEventList,
  WebhookList,
  WebhookResponse,
  WebhookUpdate,
  AvailableEvent,
  HistoryAddResponse,
  OrderUpdateRequest,
} from './models.js';

import type * as Retailys from './retailys.js';

export * from './models.js';
export type { Retailys };

/** A status's system role (`Received`, `Sent`, …; statuses a shop adds are `Custom`). */
export type OrderStatusType = NonNullable<OrderStatus['type']>;

/** Whether the shop e-mails and texts the customer about a write. The package default is neither. */
export interface Notify {
  emails?: boolean;
  sms?: boolean;
}

export interface ClientOptions {
  /**
   * `https://<shop>.admin.<server>.upgates.com/api/v2` (shown in the shop admin under Add-ons > API).
   * Required: `undefined` (an environment variable that is not set) throws ValidationError
   * naming the option, as every option that is not valid does, all at once.
   */
  baseUrl: string | undefined;
  /** The API user's login. Required. */
  login: string | undefined;
  /** The API key. Required. Kept inside the module; never in messages. */
  apiKey: string | undefined;
  /** Requests in flight at most (the API allows 3 per API-access group). Default 3. */
  concurrency?: number;
  /**
   * The fetch to use (default: the global fetch). It is called with one argument, a
   * `Request`, and must resolve to a `Response`.
   */
  fetch?: (request: Request) => Promise<Response>;
  /** On a rate limit: wait until Retry-After (default), or throw RateLimitedError at once. */
  onRateLimit?: 'wait' | 'throw';
  /** The longest wait for a rate limit, in ms (default 60 000); longer throws. */
  maxWait?: number;
  /** Called with the new base URL when the shop has moved (HTTP 301): store it. */
  onRelocate?: (apiUrl: string) => void | Promise<void>;
  /** Accept a loopback base URL (`http://127.0.0.1:PORT/api/v2`), such as the local sandbox. Default false. */
  allowLocal?: boolean | undefined;
  /** Attempts per request, the first included: a whole number from 1 to 20 (default 4). 401 and 403 are never retried. */
  retries?: number;
  /** Per-request timeout in ms, a whole number (default 30 000). */
  timeout?: number;
  /** Default for writes that do not say (default: no e-mail, no SMS). */
  notify?: Notify;
}

/** A page of a list, with the next page's number (null after the last). */
export type Paged<T> = Page<T> & { nextPage: number | null; progress: Progress };

// Request types: the generated models accept whatever the API might read, so these narrow
// them to what the pre-send checks (`validate`, and every write) let through; a body these
// accept can still be refused for its values (an e-mail's form, a VAT rate over 100, …).

/** `T` with the keys `K` required and not null. */
type WithRequired<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

/** A line of a new order: its name, VAT rate and unit price; no uuid (uuids name lines of existing orders). */
export type NewOrderProduct = WithRequired<ProductWrite, 'title' | 'vat' | 'price_per_unit'> & { uuid?: never };

/** A new order as `orders.create` takes it. */
export type NewOrder = WithRequired<
  Omit<NewOrderModel, 'customer' | 'products' | 'shipment' | 'payment' | 'quantity_discount'>,
  'language_id'
> & {
  /** The customer, found or created by e-mail. */
  customer: WithRequired<CustomerWrite, 'email'>;
  /** At least one line. */
  products: [NewOrderProduct, ...NewOrderProduct[]];
  shipment?: WithRequired<ShipmentWrite, 'name' | 'price' | 'vat'> | null;
  payment?: WithRequired<PaymentWrite, 'name' | 'price' | 'vat'> | null;
  quantity_discount?: WithRequired<QuantityDiscountWrite, 'amount' | 'type'> | null;
};

/** A change to an order as `orders.update` takes it: the order's number and what to change. */
export type OrderUpdate = WithRequired<
  Omit<OrderUpdateModel, 'products' | 'shipment' | 'payment' | 'quantity_discount'>,
  'order_number'
> & {
  products?: Array<WithRequired<ProductWrite, 'price_per_unit'>>;
  shipment?: WithRequired<ShipmentWrite, 'name' | 'price' | 'vat'> | null;
  payment?: WithRequired<PaymentWrite, 'name' | 'price' | 'vat'> | null;
  quantity_discount?: WithRequired<QuantityDiscountWrite, 'amount' | 'type'> | null;
};

/** A customer account as `customers.update` takes it: found by its login e-mail. */
export type CustomerAccountWrite = Omit<CustomerAccountWriteModel, 'login'> & {
  login: WithRequired<LoginWrite, 'email'>;
};

/** A new customer account as `customers.create` takes it: its type, language and login e-mail. */
export type NewCustomer = WithRequired<Omit<CustomerAccountWrite, 'login'>, 'type' | 'language'> & {
  login: WithRequired<LoginWrite, 'email'>;
};

/** An order status as `orderStatuses.create` and `update` take it: a name in at least one language. */
export type OrderStatusWrite = Omit<OrderStatusWriteModel, 'descriptions'> & {
  descriptions: [WithRequired<StatusDescription, 'language_id' | 'name'>, ...WithRequired<StatusDescription, 'language_id' | 'name'>[]];
};

export interface IterateOptions {
  /** Called after each page: page i of n, items so far. */
  onProgress?: (progress: Progress) => void;
}

export interface WriteOptions {
  /** Whether to e-mail and text customers (default: the client's, which defaults to neither). */
  notify?: Notify;
}

export class Client {
  constructor(options: ClientOptions);
  /** The API base URL in use (it changes when the shop moves). */
  readonly baseUrl: string;
  /** Requests left in the budget, once the shop has reported it. */
  readonly remaining: number | undefined;
  /** The request budget as last reported (X-Rate-Limit-*), adjusted for requests since. */
  readonly budget: Partial<RateBudget>;
  /** Requests this client has sent (every attempt counts against the shop's budget). */
  readonly requestsSent: number;
  /**
   * Allows sending again after the shop refused the login or key (401/403). Until then the
   * client sends nothing more and every call throws the refusal's error: five refused
   * logins in an hour lock the shop's API user.
   */
  resetCredentials(): void;
  readonly orders: Orders;
  readonly orderStatuses: OrderStatuses;
  readonly customers: Customers;
  readonly webhooks: Webhooks;
  /** `GET /status`: which endpoints this API user may use. */
  status(): Promise<ApiStatus>;
}

export interface Orders {
  /** One page of `GET /orders` (100 orders). */
  list(filter?: OrderListQuery): Promise<Paged<Order>>;
  /** Every order the filter selects, paging automatically; each order once. */
  iterate(filter?: OrderListQuery, options?: IterateOptions): AsyncIterableIterator<Order>;
  /** The orders with these numbers (100 per request). */
  byNumbers(orderNumbers: string[]): Promise<Order[]>;
  /** One order, or null. */
  get(orderNumber: string): Promise<Order | null>;
  /** Creates orders, 100 per request. Throws ItemsFailedError if any failed. */
  create(orders: NewOrder[], options?: WriteOptions): Promise<ItemOutcome[]>;
  /** Changes orders, 100 per request. Throws ItemsFailedError if any failed. */
  update(orders: OrderUpdate[], options?: WriteOptions & { deleteMissingProducts?: boolean }): Promise<ItemOutcome[]>;
  /** Deletes orders (100 per request). */
  delete(orderNumbers: string[]): Promise<ItemOutcome[]>;
  /** The order as a PDF document. */
  pdf(orderNumber: string): Promise<Uint8Array>;
  history(orderNumber: string): Promise<OrderHistory>;
  /** Adds a history record (name ≤ 50, value ≤ 500 characters). */
  addHistory(orderNumber: string, name: string, value: string): Promise<HistoryAddResponse>;
  /** Adds one history record holding several name/value pairs (one request). */
  addHistory(orderNumber: string, pairs: Array<{ name: string; value: string }>): Promise<HistoryAddResponse>;
}

export interface OrderStatuses {
  list(filter?: { type?: OrderStatusType }): Promise<OrderStatus[]>;
  get(id: number): Promise<OrderStatus | null>;
  create(status: OrderStatusWrite): Promise<OrderStatusResult>;
  update(status: OrderStatusWrite & { id: number }): Promise<OrderStatusResult>;
  delete(id: number): Promise<OrderStatusResult>;
}

export interface Customers {
  list(filter?: CustomerListQuery): Promise<Paged<Customer>>;
  iterate(filter?: CustomerListQuery, options?: IterateOptions): AsyncIterableIterator<Customer>;
  get(customerId: number): Promise<Customer | null>;
  create(customers: NewCustomer[]): Promise<ItemOutcome[]>;
  update(customers: CustomerAccountWrite[]): Promise<ItemOutcome[]>;
  delete(query: CustomerDeleteQuery): Promise<CustomersDeleteResponse>;
}

export interface Webhooks {
  list(): Promise<Webhook[]>;
  get(id: number): Promise<Webhook | null>;
  create(webhook: { name: string; url: string; event: string; active_yn?: boolean }): Promise<Webhook>;
  update(change: WebhookUpdate): Promise<Webhook>;
  delete(ids: number | number[]): Promise<WebhookDeleted[]>;
  events(): Promise<AvailableEvent[]>;
}

export interface RetailysClientOptions {
  /**
   * The app's API token (sent in the `token` header). Required: `undefined` throws
   * ValidationError naming the option. Kept inside the module; never in messages.
   */
  token: string | undefined;
  /** `https://api.retailys.com/v1` (the default, also when `undefined`), or a loopback address with `allowLocal`. */
  baseUrl?: string | undefined;
  /** Accept a loopback base URL (`http://127.0.0.1:PORT/v1`), such as the local sandbox. Default false. */
  allowLocal?: boolean | undefined;
  /** Attempts per request, the first included (default 4). 401 and 403 are never retried. */
  retries?: number;
  /** On 429: wait until Retry-After (default), or throw RateLimitedError at once. */
  onRateLimit?: 'wait' | 'throw';
  /** The longest wait for a rate limit, in ms (default 60 000); longer throws. */
  maxWait?: number;
  /** Requests in flight at most (1 to 3, default 3). */
  concurrency?: number;
  /** Per-request timeout in ms, a whole number (default 30 000). */
  timeout?: number;
  /** @deprecated `timeout`'s older name, still read. */
  timeoutMs?: number;
  /** The fetch to use (default: the global fetch), called with a `Request`. */
  fetch?: (request: Request) => Promise<Response>;
}

/** Filters of `GET /System/Orders` (wire names). Dates are RFC 3339 with an offset. */
export interface RetailysOrderQuery {
  channel_id?: number;
  company_id?: number;
  customer_id?: number;
  /** Finished orders only (true) or unfinished only (false). */
  done?: boolean;
  canceled?: boolean;
  status_id?: number;
  /** Ordered from (inclusive), e.g. `2024-12-01T08:15:30+01:00`. */
  from?: string;
  to?: string;
  /** An order by its parcel number. */
  tracking?: string;
  /** 1 is the first page. */
  page?: number;
  /** 10 to 250 (the API's default is 10). */
  per_page?: number;
  /** Full customer, channel, shipping and payment instead of `{ id, api_link }`. */
  expanded?: boolean;
}

/** An order state flag (`PATCH /System/Orders/{id}/{flag}`). */
export type RetailysOrderFlag = 'done' | 'cancel' | 'sent' | 'delivered';

/** A payment result (`PATCH …/paid`): `amount` is what was paid (the order's `money` for all of it). */
export interface RetailysPayment {
  amount: number;
  /** Transaction id at the gateway. */
  paymentId?: string;
  /** Default 'success' (which dates the payment). */
  status?: 'success' | 'denied' | 'canceled' | 'unknown';
  /** Where the customer can retry the payment. */
  url?: string;
}

/** A subscription of shopflow's callback path `{publicUrl}/retailys/{event}/{secret}`. */
export interface RetailysSubscription {
  event: 'order-new' | 'order-change-status' | 'new-order';
  /** Where your handler is reachable from Retailys, without the `/retailys/...` part. */
  publicUrl: string;
  /** At least 16 URL-safe characters (`generateSecret()`); it becomes the path's last segment. */
  secret: string;
  /** A filter, e.g. `%channelId% == 1`. */
  condition?: string;
}

export class RetailysClient {
  constructor(options: RetailysClientOptions);
  /** The API base URL in use. */
  readonly baseUrl: string;
  /** Requests this client has sent (every attempt, a refused one too). */
  readonly requestsSent: number;
  /**
   * Allows sending again after the instance refused the token (401) or a right (403). Until
   * then the client sends nothing more and every call throws the refusal's error.
   */
  resetCredentials(): void;
  readonly orders: RetailysOrders;
  readonly statuses: { list(): Promise<Retailys.OrderStatusModel[]> };
  readonly shippers: { list(): Promise<Retailys.ShipperModel[]> };
  readonly events: RetailysEvents;
  /** `GET /System/Me`: the app's user (a connection test). */
  me(): Promise<Retailys.MeModel>;
}

export interface RetailysOrders {
  /** One page of `GET /System/Orders`. */
  list(query?: RetailysOrderQuery): Promise<Paged<Retailys.OrderModel>>;
  /** Every order the query selects, page by page; each order once. */
  all(query?: RetailysOrderQuery, options?: IterateOptions): AsyncIterableIterator<Retailys.OrderModel>;
  /** One order, or null. */
  get(id: number, options?: { expanded?: boolean }): Promise<Retailys.OrderModel | null>;
  /** Creates one order; resolves to its id. */
  create(order: Retailys.OrderPostRequest): Promise<Retailys.IdModel>;
  /** Sets a status (an id from `statuses.list()`); resolves to the changed order. */
  setStatus(id: number, statusId: number): Promise<Retailys.OrderModel>;
  /** Records a payment; resolves to the changed order. */
  markPaid(id: number, payment: RetailysPayment): Promise<Retailys.OrderModel>;
  /** Sets a state flag (422 UnprocessableError when the order's state does not allow it). */
  setFlag(id: number, flag: RetailysOrderFlag): Promise<Retailys.OrderModel>;
  /** Adds a parcel number (`shipperId` from `shippers.list()`). */
  addTracking(id: number, tracking: { shipperId: number; trackingNumber: string }): Promise<Retailys.IdModel>;
  /** Adds a history record (`type` 'apps' unless given). */
  addHistory(id: number, record: { name: string; status?: string; type?: 'order' | 'email' | 'apps' | 'status' }): Promise<Retailys.IdModel>;
}

export interface RetailysEvents {
  /** Every subscription, or those calling `path`. */
  list(filter?: { path?: string }): Promise<Retailys.EventModel[]>;
  /** Subscribes shopflow's callback path, or sends a request of your own (with its `path`). */
  subscribe(subscription: RetailysSubscription | Retailys.EventPostRequest): Promise<Retailys.IdModel>;
  delete(id: number): Promise<Retailys.IdModel>;
}

/** One Retailys callback, read. */
export interface RetailysCallback {
  /** The event's name as the path gave it (`order-new`, `order-change-status`, …). */
  event: string;
  /** `created` for a new order, `updated` for a status change. */
  trigger: 'created' | 'updated';
  order_id: number;
  /** The new status, for `order-change-status`. */
  status_id: number | null;
}

export interface RetailysCallbackHandlerOptions {
  /**
   * The secret of the callback path (the one given to `events.subscribe`): at least 16 of
   * A-Z a-z 0-9 - . _ ~, checked when the handler is made (ValidationError otherwise).
   */
  secret: string | undefined;
  /**
   * Accept the event: journal or enqueue it. The handler answers 200 only after this
   * resolves; throwing answers 500.
   */
  onEvent: (event: RetailysCallback, request: Request) => void | Promise<void>;
  /** The largest body accepted (default 64 KiB: callbacks carry ids). */
  maxBytes?: number;
}

/**
 * A Fetch-API handler for `{publicUrl}/retailys/{event}/{secret}`: 200 once `onEvent`
 * resolves; 401 wrong secret, 404 unknown event, 400 no order id, 405, 413, 500.
 */
export function retailysCallbackHandler(options: RetailysCallbackHandlerOptions): (request: Request) => Promise<Response>;
export const MAX_CALLBACK_BYTES: number;

/** Minimal shapes of Node's `http` request and response, as `toNodeListener` uses them. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
}
/** A Node `http.createServer` listener serving a Fetch-API handler (webhookHandler, retailysCallbackHandler). */
export function toNodeListener(handler: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;

export type ErrorCode =
  | 'VALIDATION'
  | 'RATE_LIMITED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNPROCESSABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVER'
  | 'NETWORK'
  | 'RELOCATED'
  | 'ITEMS_FAILED'
  | 'METHOD_NOT_ALLOWED'
  | 'BAD_RESPONSE'
  | 'UNEXPECTED_STATUS';

/** Every error the package throws. Messages never contain credentials. */
export class ShopflowError extends Error {
  readonly code: ErrorCode;
  /** The HTTP status, when the error came from a response. */
  readonly status?: number;
  /** When a rate limit lifts. */
  readonly retryAfter?: Date;
}
export class ValidationError extends ShopflowError {
  readonly code: 'VALIDATION';
  /** Every problem, with the record index (in the batch you passed) and the field path. */
  readonly problems: Problem[];
  /** The first bad record's index. */
  readonly record?: number;
  /** The first problem's field path (or a JSON parse failure's path). */
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
}
export class RateLimitedError extends ShopflowError {
  readonly code: 'RATE_LIMITED';
}
export class UnauthorizedError extends ShopflowError {
  readonly code: 'UNAUTHORIZED';
}
export class ForbiddenError extends ShopflowError {
  readonly code: 'FORBIDDEN';
}
export class NotFoundError extends ShopflowError {
  readonly code: 'NOT_FOUND';
}
/** 422 (Retailys): the order's state does not allow this change now. */
export class UnprocessableError extends ShopflowError {
  readonly code: 'UNPROCESSABLE';
}
export class PayloadTooLargeError extends ShopflowError {
  readonly code: 'PAYLOAD_TOO_LARGE';
}
export class ServerError extends ShopflowError {
  readonly code: 'SERVER';
}
export class NetworkError extends ShopflowError {
  readonly code: 'NETWORK';
}
export class RelocatedError extends ShopflowError {
  readonly code: 'RELOCATED';
  readonly apiUrl?: string;
}
export class ItemsFailedError extends ShopflowError {
  readonly code: 'ITEMS_FAILED';
  /** Every item's outcome, in the order you passed them. */
  readonly results: ItemOutcome[];
  readonly failures: ItemOutcome[];
}
export class BadResponseError extends ShopflowError {}

/** The URL to register for an event: `{base}/{event}?shopflow_secret={secret}`. */
export function webhookUrl(base: string, secret: string, event: string): string;
/**
 * Whether a call's URL carries the secret (constant-time). A secret `webhookUrl` would refuse
 * (missing, shorter than 16, characters other than A-Z a-z 0-9 - . _ ~) throws ValidationError.
 */
export function verifyWebhook(url: string, secret: string | undefined): boolean;
/** A webhook body as a typed batch; `event` is the event the URL was registered for. */
export function parseWebhook(body: string | Uint8Array | ArrayBuffer, options?: { event?: string }): WebhookBatch;
/** 32 random bytes as hex, for webhookUrl. */
export function generateSecret(): string;
/** Records in a batch. */
export function batchSize(batch: WebhookBatch): number;
export const MAX_WEBHOOK_BYTES: number;

export interface WebhookHandlerOptions {
  /**
   * The secret in the URL (`webhookUrl`'s): at least 16 of A-Z a-z 0-9 - . _ ~, checked when
   * the handler is made (ValidationError otherwise), so a missing one fails at deploy, not
   * as a 401 on every delivery.
   */
  secret: string | undefined;
  /** The event this URL was registered for (else read from the URL, else inferred from the body). */
  event?: string;
  /**
   * Accept the batch: enqueue it and return. Upgates waits only 1 second for the answer, so
   * do the work elsewhere. Throwing answers 500, and Upgates sends the batch again.
   */
  onBatch: (batch: WebhookBatch, request: Request) => void | Promise<void>;
  /** The largest body accepted (default 10 MiB). */
  maxBytes?: number;
}

/** A Fetch-API handler for Workers, Vercel and Node 18+: 401 bad secret, 405, 413, 400, 500, or 200. */
export function webhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response>;

/**
 * What `parse` gives for each document kind. The names follow one rule: what an operation
 * sends or answers is `{resource}-{op}-{request|response|query}`, a read `{resource}-list` or
 * `{resource}-detail`. They are the core's registry (a test compares them); the names from
 * before the rule (`orders-update-response`, `order-statuses`, `webhook`, …) still work at run
 * time but are not typed.
 */
export interface ParseKinds {
  /** A page of `GET /orders`, as `orders.list()` gives it. */
  'order-list': Paged<Order>;
  'order-detail': { orders: Order[] };
  'order-list-query': OrderListQuery;
  'order-create-request': OrderCreateRequest;
  'order-create-response': OrdersCreateResponse;
  'order-update-request': OrderUpdateRequest;
  'order-update-response': OrdersUpdateResponse;
  'order-delete-query': OrderDeleteQuery;
  'order-delete-response': OrdersDeleteResponse;
  'order-history-list': OrderHistory;
  'order-history-create-request': HistoryAddRequest;
  'order-history-create-response': HistoryAddResponse;
  'order-status-list': OrderStatusList;
  'order-status-create-request': OrderStatusWriteModel;
  'order-status-create-response': OrderStatusWriteResponse;
  'order-status-update-request': OrderStatusWriteModel;
  'order-status-update-response': OrderStatusWriteResponse;
  'order-status-delete-response': OrderStatusWriteResponse;
  /** A page of `GET /customers`, as `customers.list()` gives it. */
  'customer-list': Paged<Customer>;
  'customer-create-request': CustomersWriteRequest;
  'customer-create-response': CustomersCreateResponse;
  'customer-update-request': CustomersWriteRequest;
  'customer-update-response': CustomersUpdateResponse;
  'customer-delete-response': CustomersDeleteResponse;
  'webhook-batch': WebhookBatch;
  'webhook-list': WebhookList;
  'webhook-create-request': WebhookCreate;
  'webhook-create-response': WebhookResponse;
  'webhook-update-request': WebhookUpdate;
  'webhook-update-response': WebhookResponse;
  'webhook-delete-response': WebhookDeleteResponse;
  'webhook-event-list': WebhookEventList;
  'api-status': ApiStatus;
  'legacy-update-request': LegacyUpdateRequest;
  'legacy-update-response': { success: boolean } | LegacyFailure[];
}

/** A kind `parse` reads. */
export type ParseKind = keyof ParseKinds;

/** A request kind `validate` checks (each is a `ParseKind` too). */
export type ValidateKind =
  | 'order-list-query'
  | 'order-create-request'
  | 'order-update-request'
  | 'order-delete-query'
  | 'order-history-create-request'
  | 'order-status-create-request'
  | 'order-status-update-request'
  | 'customer-create-request'
  | 'customer-update-request'
  | 'webhook-create-request'
  | 'webhook-update-request'
  | 'legacy-update-request';

/** Every problem with a request document of a kind; [] when it can be sent. */
export function validate(kind: ValidateKind, value: unknown): Problem[];
/** A document of a kind (`order-list`, `order-update-response`, …), read and normalized. */
export function parse<K extends ParseKind>(kind: K, body: string | Uint8Array | ArrayBuffer | object): ParseKinds[K];
/** A legacy order-state request as v2 `PUT /orders` bodies of at most 100 orders. */
export function legacyToV2(body: string | Uint8Array | object): OrderUpdateRequest[];
export const MAX_ITEMS_PER_REQUEST: 100;
