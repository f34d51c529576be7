// The rules playground: pick or write a rule, pick the platform it runs on, pick, paste or load an
// event and its data, and dry-run it in the page. The engine loads lazily (it is its own
// WebAssembly module) and the editor works before it is there; lint and Run start once it is.
import { forceLinting } from '@codemirror/lint';
import { fill, h } from '../dom.js';
import { compileErrors, dryRun, readJson } from './dry-run.js';
import { ruleEditor } from './editor.js';
import { renderProblem, renderResults } from './results.js';
import { rules, samples } from './samples.js';

const EVENT_NAMES = ['Orders.create', 'Orders.update', 'Orders.delete', 'Customers.create', 'Customers.update', 'Customers.delete'];
// What the check refuses and the dry run plans depends on the platform; the events and data stay
// in Upgates' shapes (the examples' and the fixtures').
const PLATFORMS = [
  ['upgates', 'Upgates'],
  ['retailys', 'Retailys'],
];
const BLANK = '// A rule defines hook functions such as on_order_created; pick an example above to start from.\n';

export function playgroundView(root, connection) {
  let engine = null;
  let expected; // the picked case's expected.json, until the inputs are edited

  const engineState = h('span', { class: 'muted', 'data-testid': 'engine-state' }, 'Loading the rules engine\u2026');
  const ruleSelect = h(
    'select',
    { name: 'rule', 'data-testid': 'rule-select' },
    rules.map((r) => h('option', { value: r.name }, r.name)),
    h('option', { value: '' }, '(blank)'),
  );
  const platformSelect = h(
    'select',
    { name: 'platform', 'data-testid': 'platform-select', title: 'The platform the rule runs on: the check refuses what it cannot do, and the dry run lists its requests' },
    PLATFORMS.map(([value, label]) => h('option', { value }, label)),
  );
  const runButton = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => run() }, 'Dry run');
  const sampleSelect = h('select', { name: 'sample', 'data-testid': 'sample-select' }, h('option', { value: '' }, '(pick a sample)'), sampleOptions());
  const loadButton = h('button', { type: 'button', disabled: true, onclick: () => loadFromShop() }, 'Load from shop');
  const eventName = h('input', { name: 'eventName', list: 'event-names', placeholder: 'inferred from the body', size: 16 });
  const eventText = h('textarea', { name: 'event', rows: 8, spellcheck: false, 'data-testid': 'event' });
  const dataText = h('textarea', { name: 'data', rows: 14, spellcheck: false, 'data-testid': 'data' });
  const inputNote = h('p', { class: 'muted', 'data-testid': 'input-note' });
  const results = h('section', { class: 'results', 'data-testid': 'results' }, h('p', { class: 'muted' }, 'Run the rule to see what it would do.'));
  const editorBox = h('div', { class: 'editor', 'data-testid': 'editor' });

  fill(
    root,
    h(
      'div',
      { class: 'playground' },
      h(
        'section',
        { class: 'pane' },
        h('div', { class: 'bar' }, h('label', {}, 'Rule ', ruleSelect), h('label', {}, 'Platform ', platformSelect), runButton, h('span', { class: 'muted' }, 'Ctrl+Enter'), engineState),
        editorBox,
      ),
      h(
        'section',
        { class: 'pane' },
        h('div', { class: 'bar' }, h('label', {}, 'Sample ', sampleSelect), loadButton),
        h('label', { class: 'stack' }, 'Event name ', eventName),
        h('datalist', { id: 'event-names' }, EVENT_NAMES.map((n) => h('option', { value: n }))),
        h('label', { class: 'stack' }, 'Event: the webhook body', eventText),
        h('label', { class: 'stack' }, 'Data: { orders, customers, order_statuses, shippers, history } as the API lists them', dataText),
        inputNote,
      ),
    ),
    h('p', { class: 'muted' }, 'A dry run happens in this page: the rule runs on the event and data above and nothing is sent to the shop.'),
    results,
  );

  const editor = ruleEditor(editorBox, {
    doc: rules[0]?.source ?? BLANK,
    check: (source) => (engine ? compileErrors(engine, source, platformSelect.value) : []),
    onRun: () => run(),
  });

  function sampleOptions() {
    const groups = new Map();
    for (const s of samples) {
      if (!groups.has(s.group)) groups.set(s.group, []);
      groups.get(s.group).push(h('option', { value: s.id }, s.name));
    }
    return [...groups].map(([label, options]) => h('optgroup', { label }, options));
  }

  function pickSample(id) {
    const s = samples.find((x) => x.id === id);
    sampleSelect.value = s ? id : '';
    if (!s) return;
    eventText.value = s.event;
    dataText.value = s.data ?? '';
    eventName.value = '';
    expected = s.expected === undefined ? undefined : JSON.parse(s.expected);
    fill(inputNote, s.expected === undefined ? '' : 'This case has expected actions: a run says whether they match.');
  }

  function pickRule(name) {
    const r = rules.find((x) => x.name === name);
    editor.source = r?.source ?? BLANK;
    const first = samples.find((s) => s.rule === name);
    if (first) pickSample(first.id);
  }

  ruleSelect.addEventListener('change', () => pickRule(ruleSelect.value));
  // Another platform may refuse what this one allowed: check the rule again now.
  platformSelect.addEventListener('change', () => engine && forceLinting(editor.view));
  sampleSelect.addEventListener('change', () => pickSample(sampleSelect.value));
  for (const box of [eventText, dataText, eventName]) {
    box.addEventListener('input', () => {
      expected = undefined;
      fill(inputNote);
    });
  }

  function run() {
    if (!engine) return;
    let event;
    let data;
    try {
      event = readJson('The event', eventText.value);
      data = readJson('The data', dataText.value);
    } catch (err) {
      renderProblem(results, err.message);
      return;
    }
    if (event === undefined) {
      renderProblem(results, 'Give an event: pick a sample, paste a webhook body, or load one from the shop.');
      return;
    }
    let outcome;
    try {
      outcome = dryRun(engine, editor.source, { event, data, eventName: eventName.value.trim(), platform: platformSelect.value });
    } catch (err) {
      // The engine refused the input itself (an event it cannot read, say): not the rule's fault.
      renderProblem(results, `${err.code ?? err.name}: ${err.message}`);
      return;
    }
    editor.mark(outcome.errors);
    renderResults(results, outcome, { expected });
    results.dataset.runs = String(Number(results.dataset.runs ?? 0) + 1);
  }

  /**
   * The event's orders (or the newest order, when the event names none) and the shop's statuses,
   * read from the connected shop by its adapter. Only the loading talks to the shop; the run does
   * not.
   */
  async function loadFromShop() {
    const shop = connection.shop;
    if (!shop?.ruleData) return;
    loadButton.disabled = true;
    fill(inputNote, 'Loading from the shop\u2026');
    try {
      let event;
      try {
        event = readJson('The event', eventText.value);
      } catch {
        event = undefined;
      }
      const loaded = await shop.ruleData(event);
      const { orders, order_statuses: orderStatuses } = loaded.data;
      if (loaded.eventName) eventName.value = loaded.eventName;
      eventText.value = JSON.stringify(loaded.event, null, 2);
      dataText.value = JSON.stringify(loaded.data, null, 2);
      sampleSelect.value = '';
      expected = undefined;
      fill(inputNote, `Loaded ${orders.length} order${orders.length === 1 ? '' : 's'} and ${orderStatuses.length} statuses from ${connection.info.baseUrl}.`);
    } catch (err) {
      fill(inputNote, `Could not load from the shop: ${err.message}`);
    } finally {
      connection.activity();
      onConnection();
    }
  }

  // The event and data are in Upgates' shapes: only a shop whose records fit them can fill them.
  function onConnection() {
    const shop = connection.shop;
    loadButton.disabled = !shop?.ruleData;
    loadButton.title = !shop ? 'Connect to a shop first (above)' : shop.ruleData ? '' : `The event and data are in Upgates' shapes: ${shop.label} orders cannot fill them`;
  }
  connection.addEventListener('change', onConnection);
  onConnection();

  // Start on the first example and its first case; without examples, on new orders.
  if (rules[0]) pickRule(rules[0].name);
  else pickSample((samples.find((s) => s.id === 'fixtures/orders-create') ?? samples[0])?.id);

  import('shopflow/rules').then(
    (module) => {
      engine = module;
      runButton.disabled = false;
      fill(engineState, 'Rules engine ready.');
      engineState.dataset.state = 'ready';
      forceLinting(editor.view);
    },
    (err) => {
      fill(engineState, `The rules engine is not available: ${err.message}`);
      engineState.dataset.state = 'missing';
      engineState.className = 'error';
    },
  );
}
