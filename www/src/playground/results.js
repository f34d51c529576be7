// What a dry run did: the actions it would apply, its logs, the operations it used, and each
// event's outcome with its reason or error.
import { fill, h } from '../dom.js';
import { canonical, compareExpected } from './dry-run.js';

const pretty = (value) => JSON.stringify(canonical(value), null, 2);

export function renderResults(root, { hooks, result, errors }, { expected } = {}) {
  if (!result) {
    fill(
      root,
      h('h3', {}, 'Did not compile'),
      h('ul', { class: 'errors', 'data-testid': 'run-errors' }, errors.map((e) => h('li', {}, errorText(e)))),
    );
    return;
  }
  fill(
    root,
    h(
      'p',
      { class: 'summary', 'data-testid': 'run-summary' },
      `${result.actions.length} action${result.actions.length === 1 ? '' : 's'}, `,
      `${result.opsUsed} operations used, `,
      `hooks defined: ${hooks.length ? hooks.join(', ') : 'none'}`,
    ),
    expected === undefined ? null : expectation(compareExpected(result, expected)),
    h('h3', {}, 'Actions'),
    result.actions.length
      ? h(
          'ol',
          { class: 'actions', 'data-testid': 'actions' },
          result.actions.map((a) => h('li', { 'data-action': a.action }, h('strong', {}, a.action), h('pre', {}, pretty(a)))),
        )
      : h('p', { class: 'muted', 'data-testid': 'actions' }, 'No actions.'),
    h('h3', {}, 'Logs'),
    result.logs.length ? h('pre', { class: 'logs', 'data-testid': 'logs' }, result.logs.join('\n')) : h('p', { class: 'muted' }, 'No logs.'),
    h('h3', {}, 'Events'),
    eventsTable(result.events ?? []),
    // The engine may also say what it would send and which records it had no data for.
    Array.isArray(result.requests) && result.requests.length
      ? [
          h('h3', {}, 'Requests it would send'),
          h('ul', { class: 'requests', 'data-testid': 'requests' }, result.requests.map((r) => h('li', {}, h('code', {}, `${r.method} ${r.path}`), ` with ${r.items} item${r.items === 1 ? '' : 's'}`))),
        ]
      : null,
    Array.isArray(result.skipped) && result.skipped.length
      ? h('p', { class: 'muted', 'data-testid': 'skipped' }, `Not in the data, so no hook ran for: ${result.skipped.join(', ')}`)
      : null,
    errors.length ? h('ul', { class: 'errors', 'data-testid': 'run-errors' }, errors.map((e) => h('li', {}, errorText(e)))) : null,
  );
}

/** Whether the run did what the picked case's expected.json says, and where not. */
function expectation(parts) {
  const checked = parts.map((p) => p.part).join(', ');
  const wrong = parts.filter((p) => !p.ok);
  if (!wrong.length) return h('p', { class: 'ok', 'data-testid': 'expected' }, `\u2713 As this case expects (${checked}).`);
  return h(
    'details',
    { class: 'mismatch', 'data-testid': 'expected', open: true },
    h('summary', {}, `\u2717 Not what this case expects: ${wrong.map((p) => p.part).join(', ')} differ`),
    wrong.map((p) => [h('h4', {}, `Expected ${p.part}`), h('pre', {}, pretty(p.want)), h('h4', {}, `Got`), h('pre', {}, pretty(p.got))]),
  );
}

function eventsTable(events) {
  if (!events.length) return h('p', { class: 'muted' }, 'No hook ran for this event.');
  return h(
    'table',
    { class: 'outcomes', 'data-testid': 'events' },
    h('thead', {}, h('tr', {}, ['Hook', 'Subject', 'Outcome', 'Actions', 'Ops', 'Reason or error'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      events.map((e) =>
        h(
          'tr',
          { 'data-outcome': e.outcome },
          h('td', {}, h('code', {}, e.hook)),
          h('td', {}, e.subject?.order ? `order ${e.subject.order}` : e.subject?.customer != null ? `customer ${e.subject.customer}` : ''),
          h('td', {}, h('span', { class: `badge ${e.outcome}` }, e.outcome)),
          h('td', { class: 'num' }, String(e.actions?.length ?? 0)),
          h('td', { class: 'num' }, String(e.opsUsed ?? '')),
          h('td', {}, e.error ? errorText(e.error) : (e.reason ?? '')),
        ),
      ),
    ),
  );
}

function errorText(e) {
  const at = e.line != null ? ` (line ${e.line}${e.column != null ? `:${e.column}` : ''})` : '';
  return `${e.code}: ${e.message}${at}`;
}

/** The message shown where results go when the run could not start (bad JSON, no engine). */
export function renderProblem(root, message) {
  fill(root, h('p', { class: 'error', role: 'alert', 'data-testid': 'run-problem' }, message));
}
