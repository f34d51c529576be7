// What the two webhook entries' tests (`shopflow` and `shopflow/webhooks`) share: the
// handler's documented answers, checked against either entry's functions, and a Node HTTP
// server serving a Fetch-API handler (for the sandbox to deliver to).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

/** Checks an entry's `webhookHandler` answers 405, 401, 413, 400, 500 and 200 as documented. */
export async function handlerAnswersAsDocumented({ webhookHandler, webhookUrl }, secret, body) {
  const accepted = [];
  const handle = webhookHandler({ secret, onBatch: (b) => void accepted.push(b), maxBytes: 1000 });
  const url = webhookUrl('http://127.0.0.1/hooks', secret, 'Orders.create');
  const post = (u, b, headers = {}) => handle(new Request(u, { method: 'POST', body: b, headers }));
  assert.equal((await handle(new Request(url))).status, 405);
  assert.equal((await post(url.replace(secret, 'x'.repeat(64)), body)).status, 401);
  assert.equal((await post(url, 'x'.repeat(2000))).status, 413);
  const bad = await post(url, '{"orders": "nope"}');
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /not a webhook body/);
  const ok = await post(url, body);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { accepted: 1, event: 'Orders.create' });
  assert.equal(accepted[0].event_source, 'configured', 'the event came from the URL path');
  const failing = webhookHandler({ secret, onBatch: () => Promise.reject(new Error('queue down')) });
  assert.equal((await failing(new Request(url, { method: 'POST', body }))).status, 500);
}

/** A Node HTTP server serving a Fetch-API handler. */
export function serve(handler) {
  const server = createServer(async (req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'POST' ? Readable.toWeb(req) : undefined,
      duplex: 'half',
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
