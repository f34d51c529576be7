const w = require('/work/wt-w/wasm/pkg/webhooks/node/shopflow_webhooks.js');
const body = JSON.stringify({ project_name: 'beershop', orders: Array.from({ length: 5000 }, (_, i) => ({ order_number: `2024${String(i).padStart(6, '0')}`, last_update_time: '2024-02-29T15:02:11+01:00', status_id: i % 2 ? 4 : '4', status: 'Vyřizuje se' })) });
const bytes = new TextEncoder().encode(body);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn, runs = 60) { for (let i = 0; i < 5; i++) fn(); const xs = []; for (let i = 0; i < runs; i++) { const t = performance.now(); fn(); xs.push(performance.now() - t); } return median(xs).toFixed(2); }
const out = w.webhookEditsOfText(body, 'Orders.update');
console.log('text call', time(() => w.webhookEditsOfText(body, 'Orders.update')), 'bytes call', time(() => w.webhookEdits(bytes, 'Orders.update')),
  'tiny call', time(() => w.webhookEditsOfText('{"orders":[]}', 'Orders.update')), 'parse edits', time(() => JSON.parse(out)), 'out KB', out.length/1000);
