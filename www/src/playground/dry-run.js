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

/** The compile errors of a source: `[]` when it compiles. */
export function compileErrors(engine, source) {
  try {
    engine.RuleEngine.compile(source);
    return [];
  } catch (err) {
    return [errorInfo(err)];
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
 * Compiles and runs. Returns `{ hooks, result, errors }`: `errors` holds the compile error, or
 * every failed event's error (those with a line are marked in the editor).
 */
export function dryRun(engine, source, { event, data, eventName }) {
  let compiled;
  try {
    compiled = engine.RuleEngine.compile(source);
  } catch (err) {
    return { hooks: [], result: null, errors: [errorInfo(err)] };
  }
  const options = eventName ? { eventName } : undefined;
  const result = compiled.run(event, data, options);
  const errors = (result.events ?? []).filter((e) => e.error).map((e) => ({ ...e.error, message: `${e.hook}: ${e.error.message}` }));
  return { hooks: compiled.hooks ?? [], result, errors };
}

/** Actions with keys in one order, so equal actions print (and compare) equal. */
export function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  return value;
}

/** The expected actions of a case file (`[...]` or `{ actions: [...] }`), or undefined. */
export function expectedActions(expected) {
  if (Array.isArray(expected)) return expected;
  if (expected && Array.isArray(expected.actions)) return expected.actions;
  return undefined;
}

export function sameActions(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
