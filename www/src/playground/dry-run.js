// A dry run entirely in the page: the rules engine (WebAssembly) compiles the rule and runs it on
// the event and data given; it has no IO, so nothing is sent anywhere.

/** `{ code, message, line?, column? }` from a RuleError (or any error, without a place). */
export function errorInfo(err) {
  return {
    code: err?.code ?? err?.name ?? 'ERROR',
    message: err?.message ?? String(err),
    line: err?.line ?? undefined,
    column: err?.column ?? undefined,
  };
}

/** Every problem a RuleError lists (`errors`), else the error itself. */
export function ruleProblems(err) {
  return Array.isArray(err?.errors) && err.errors.length ? err.errors.map(errorInfo) : [errorInfo(err)];
}

/** The compile problems of a source on a platform (`upgates`, `retailys`): `[]` when it compiles. */
export function compileErrors(engine, source, platform) {
  try {
    engine.RuleEngine.compile(source, { platform }).free?.();
    return [];
  } catch (err) {
    return ruleProblems(err);
  }
}

/** A JSON box's text as a value; `undefined` when empty. Throws naming the box. */
export function readJson(label, text) {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${label} is not valid JSON: ${err.message}`);
  }
}

/**
 * Compiles for the platform and runs. Returns `{ hooks, result, errors }`: `errors` holds the
 * compile error, or every failed event's error (those with a line are marked in the editor).
 */
export function dryRun(engine, source, { event, data, eventName, platform }) {
  let compiled;
  let hooks;
  try {
    compiled = engine.RuleEngine.compile(source, { platform });
    hooks = [...(compiled.hooks ?? [])];
  } catch (err) {
    return { hooks: [], result: null, errors: ruleProblems(err) };
  }
  const options = eventName ? { eventName } : undefined;
  let result;
  try {
    result = compiled.run(event, data, options);
  } finally {
    // The compiled file lives in the engine's WebAssembly memory: release it now, not at GC.
    compiled.free?.();
  }
  const errors = (result.events ?? []).filter((e) => e.error).map((e) => ({ ...e.error, message: `${e.hook}: ${e.error.message}` }));
  return { hooks, result, errors };
}

/** Actions with keys in one order, so equal actions print (and compare) equal. */
export function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  return value;
}

/**
 * A case's expected.json against a run, part by part, as `shopflow rules test` checks a case:
 * `actions` exactly and in order, and when given `logs`, `outcomes` (one per event) and `error`
 * (the first failed hook's error code). Returns `[{ part, ok, want, got }]`.
 */
export function compareExpected(result, expected) {
  if (!expected || typeof expected !== 'object') return [];
  const got = {
    actions: result.actions,
    logs: result.logs,
    outcomes: (result.events ?? []).map((e) => e.outcome),
    error: (result.events ?? []).find((e) => e.error)?.error.code ?? null,
  };
  return Object.keys(got)
    .filter((part) => part in expected || part === 'actions')
    .map((part) => {
      const want = expected[part] ?? null;
      return { part, ok: JSON.stringify(canonical(want)) === JSON.stringify(canonical(got[part])), want, got: got[part] };
    });
}
