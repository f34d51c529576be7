// The rules and sample cases the playground offers, read at build time: the example rules in
// examples/rules/<name>.rhai with their cases in examples/rules/<name>/<case>/{event,data,expected}.json,
// and the API fixtures (webhook bodies with the orders, customers and statuses they name).
// Texts are kept as written so the editors show the files as they are in the repository.

const ruleFiles = import.meta.glob('../../../examples/rules/*.rhai', { query: '?raw', import: 'default', eager: true });
const caseFiles = import.meta.glob('../../../examples/rules/*/*/*.json', { query: '?raw', import: 'default', eager: true });
const webhookFiles = import.meta.glob('../../../fixtures/upgates/webhooks/*.json', { query: '?raw', import: 'default', eager: true });
const fixtureFiles = import.meta.glob(['../../../fixtures/upgates/order-list.json', '../../../fixtures/upgates/customer-list.json', '../../../fixtures/upgates/order-statuses.json'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const base = (path) => path.split('/').pop();

/** `[{ name, source }]`, by name. */
export const rules = Object.entries(ruleFiles)
  .map(([path, source]) => ({ name: base(path).replace(/\.rhai$/, ''), source }))
  .sort((a, b) => a.name.localeCompare(b.name));

/**
 * `[{ id, group, rule?, name, event, data, expected? }]` with texts; `rule` names the example the
 * case belongs to. Example cases first (by rule, then case), then the fixtures.
 */
export const samples = [...exampleCases(), ...fixtureCases()];

function exampleCases() {
  const cases = new Map();
  for (const [path, text] of Object.entries(caseFiles)) {
    const [rule, name, file] = path.split('/').slice(-3);
    const id = `${rule}/${name}`;
    if (!cases.has(id)) cases.set(id, { id, group: `Example: ${rule}`, rule, name });
    cases.get(id)[file.replace(/\.json$/, '')] = text;
  }
  return [...cases.values()].filter((c) => c.event !== undefined).sort((a, b) => a.id.localeCompare(b.id));
}

function fixtureCases() {
  const fixture = (name) => Object.entries(fixtureFiles).find(([p]) => base(p) === name)?.[1];
  const lists = {
    orders: fixture('order-list.json'),
    customers: fixture('customer-list.json'),
    order_statuses: fixture('order-statuses.json'),
  };
  // One data document for every fixture event: the lists' items, as a rule would be given them.
  const data = {};
  for (const [key, text] of Object.entries(lists)) {
    if (text) data[key] = JSON.parse(text)[key] ?? [];
  }
  const dataText = JSON.stringify(data, null, 2);
  return Object.entries(webhookFiles)
    .map(([path, event]) => {
      const name = base(path).replace(/\.json$/, '');
      return { id: `fixtures/${name}`, group: 'API fixtures', name: `webhook ${name}`, event, data: dataText };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
