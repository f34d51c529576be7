// The error a rule file that does not compile throws: every problem, each at its place.

/**
 * A rule file that does not compile. The top-level `code`, `message`, `line` and `column` are
 * the first problem's; `errors` holds every problem found, in order (the compiler reports
 * them all at once, so an editor can mark each).
 */
export class RuleError extends Error {
  constructor(errors) {
    const first = errors[0] ?? { code: 'syntax', message: 'the rule file did not compile' };
    super(first.message);
    this.name = 'RuleError';
    /** Stable code of the first problem: syntax, unknown_hook, unknown_function, forbidden, … */
    this.code = first.code;
    /** 1-based line of the first problem, when known. */
    this.line = first.line;
    /** 1-based column of the first problem, when known. */
    this.column = first.column;
    /** Every problem: `{ code, message, line?, column? }`. */
    this.errors = errors.map((e) => ({ code: e.code, message: e.message, line: e.line, column: e.column }));
  }
}
