// RuleEngine: a rule file compiled once in WebAssembly and run per webhook, as a dry run (the
// engine has no IO; applyActions sends what a run asked for).

import { jsonBytes, localToday, rulesWasm, unwrap } from './binding.js';

// Only `RuleEngine.compile` makes engines: an engine always holds a compiled file.
const fromCompile = Symbol('RuleEngine.compile');

export class RuleEngine {
  #host;
  #hooks;
  #platform;
  #broken;

  constructor(token, host, hooks, platform) {
    if (token !== fromCompile) throw new TypeError('make a RuleEngine with RuleEngine.compile(source)');
    this.#host = host;
    this.#hooks = hooks;
    this.#platform = platform;
  }

  /**
   * Compiles and checks a rule file (Rhai) for a platform (`options.platform`: `upgates`, the
   * default, or `retailys`). Throws RuleError with every problem found (syntax, unknown hooks,
   * unknown functions, forbidden words, statements outside functions, actions the platform
   * cannot make), each with its line and column.
   */
  static compile(source, options) {
    if (typeof source !== 'string') throw new TypeError('RuleEngine.compile takes the rule file as a string');
    const { platform = 'upgates' } = options ?? {};
    // Which platforms there are is the module's to say: an unknown one is a ValidationError
    // naming them.
    if (typeof platform !== 'string') throw new TypeError('options.platform must be a string such as "retailys"');
    const host = new (rulesWasm().RuleHost)();
    try {
      const { hooks } = unwrap(host.compile(source, platform));
      return new RuleEngine(fromCompile, host, hooks, platform);
    } catch (e) {
      host.free();
      throw e;
    }
  }

  /** The hooks the file defines, by function name (`on_order_created`, …). */
  get hooks() {
    return [...this.#hooks];
  }

  /** The platform the file was checked for; runs plan its requests. */
  get platform() {
    return this.#platform;
  }

  /**
   * Runs the file's hooks for a webhook: `event` is the webhook body (object, JSON text or
   * bytes), `data` the shop's records the hooks read (`{ orders, customers, order_statuses,
   * shippers, history, previous }` in the API's shapes). The requests reported are those of
   * the platform the file was compiled for. Options: `eventName` (the event the webhook was
   * registered for; otherwise inferred from the body) and `today` (`YYYY-MM-DD`, what
   * `mark_paid` without a date means; default: today in this runtime's time zone).
   *
   * A hook that fails (a `throw`, an endless loop stopped by the operations budget, the
   * wall-clock budget) is an event with outcome `failed` and an `error`; the engine keeps
   * working. An event or data that does not read throws ValidationError with its path.
   */
  run(event, data, options) {
    const { eventName, today = localToday() } = options ?? {};
    if (eventName != null && typeof eventName !== 'string') throw new TypeError('options.eventName must be a string such as "Orders.create"');
    if (typeof today !== 'string') throw new TypeError('options.today must be a date string such as "2026-05-01"');
    const host = this.#live();
    const eventBytes = jsonBytes('the event', event);
    const dataBytes = jsonBytes('the data', data ?? {});
    let text;
    try {
      text = host.run(eventBytes, eventName ?? '', dataBytes, today);
    } catch (e) {
      // Only a trap in the module gets here (rule errors are answers, not exceptions), and
      // after one its state cannot be trusted: this engine refuses further runs.
      this.#broken = e;
      throw e;
    }
    return unwrap(text);
  }

  /**
   * Releases the compiled file's memory in the module now rather than when the engine is
   * garbage-collected. The engine cannot run afterwards.
   */
  free() {
    this.#host?.free();
    this.#host = undefined;
  }

  #live() {
    if (this.#broken) throw new Error(`this RuleEngine stopped after an internal error (${this.#broken.message}); compile the rule file again`);
    if (!this.#host) throw new Error('this RuleEngine was freed');
    return this.#host;
  }
}
