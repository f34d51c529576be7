// Errors of the shopflow package: one class per stable `code`, all `instanceof ShopflowError`.
// Messages never contain credentials (the core redacts before a message is written).

// The package's entries (`shopflow`, `shopflow/rules`) are bundled separately, each with its
// own copy of these classes. Errors carry a mark from the global symbol registry, so that
// `instanceof` recognises an error made by the other copy, by its stable code.
const MARK = Symbol.for('shopflow.error');

/** The base of every error the package throws. */
export class ShopflowError extends Error {
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (value == null || value[MARK] !== true) return false;
    return this === ShopflowError || classOf(value.code) === this;
  }

  constructor(info) {
    super(info.message);
    Object.defineProperty(this, MARK, { value: true });
    this.name = new.target.name;
    /** Stable code: VALIDATION, RATE_LIMITED, UNAUTHORIZED, … */
    this.code = info.code;
    /** The HTTP status, when the error came from a response. */
    this.status = info.status;
    /** When a rate limit lifts, as a Date. */
    this.retryAfter = info.retryAfter != null ? new Date(info.retryAfter) : undefined;
  }
}

/** The request was refused before sending (or the API refused its content, HTTP 400). */
export class ValidationError extends ShopflowError {
  constructor(info) {
    super(info);
    /** Every problem: `{ record, record_key, path, expected, found }`. */
    this.problems = info.problems ?? [];
    const first = this.problems[0];
    /** Index of the first bad record in the batch you passed. */
    this.record = first?.record ?? undefined;
    /** Field path of the first problem (or of a JSON parse failure). */
    this.path = first?.path ?? info.path;
    this.line = info.line;
    this.column = info.column;
  }
}

/** 429: over the request budget or the concurrency limit. */
export class RateLimitedError extends ShopflowError {}
/** 401: wrong login or API key. Never retried: five failures lock the API user for an hour. */
export class UnauthorizedError extends ShopflowError {}
/** 403: the API user is inactive, locked out, or lacks the privilege. */
export class ForbiddenError extends ShopflowError {}
/** 404. */
export class NotFoundError extends ShopflowError {}
/** 422 (Retailys): the order's state does not allow this change now (sent before delivered, …). */
export class UnprocessableError extends ShopflowError {}
/** 413: more than 100 items (the package chunks writes, so this means a bug or a misconfigured proxy). */
export class PayloadTooLargeError extends ShopflowError {}
/** 5xx after the retries the policy allows. */
export class ServerError extends ShopflowError {}
/** No answer: the connection failed or timed out. */
export class NetworkError extends ShopflowError {}
/** 301 that could not be followed (no `api_url`, or one that is not an Upgates shop's). */
export class RelocatedError extends ShopflowError {
  constructor(info) {
    super(info);
    this.apiUrl = info.apiUrl;
  }
}
/** Some items of a write failed; `results` has every item's outcome. */
export class ItemsFailedError extends ShopflowError {
  constructor(results) {
    const failures = results.filter((r) => !r.ok);
    const first = failures[0];
    const why = first?.messages?.map((m) => m.message).join('; ') || 'no reason given';
    super({
      code: 'ITEMS_FAILED',
      message: `${failures.length} of ${results.length} items failed (first: item ${first?.index}${first?.key ? ` ${first.key}` : ''}: ${why})`,
    });
    this.results = results;
    this.failures = failures;
  }
}
/** The shop answered with something that is not what the endpoint returns. */
export class BadResponseError extends ShopflowError {}

const classes = {
  VALIDATION: ValidationError,
  RATE_LIMITED: RateLimitedError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  UNPROCESSABLE: UnprocessableError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  SERVER: ServerError,
  NETWORK: NetworkError,
  RELOCATED: RelocatedError,
};

function classOf(code) {
  if (code === 'ITEMS_FAILED') return ItemsFailedError;
  return classes[code] ?? BadResponseError;
}

/** The error class for a core error `{ code, message, … }`; a write's carries every item's outcome. */
export function toError(info) {
  if (info.code === 'ITEMS_FAILED') return new ItemsFailedError(info.results ?? []);
  const error = new (classOf(info.code))(info);
  if (info.results) error.results = info.results;
  return error;
}

/** The value of a module's answer (`{ok}`), or the error of its `{err}` thrown. */
export function unwrap(text) {
  const r = JSON.parse(text);
  if (r.err) throw toError(r.err);
  return r.ok;
}
