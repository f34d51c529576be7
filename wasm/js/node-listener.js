// Node's http servers and the Fetch-API handlers (webhookHandler, retailysCallbackHandler):
// `http.createServer(toNodeListener(handler))`. The body is streamed into the Request (the
// handler's byte limit stops reading), and the Response written back. No imports: Node 18+
// has Request, Response and ReadableStream as globals.

/** A Node `(req, res)` listener that serves a Fetch-API handler. */
export function toNodeListener(handler) {
  if (typeof handler !== 'function') throw new TypeError('toNodeListener needs a handler function');
  return async (req, res) => {
    try {
      const response = await handler(toRequest(req));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(new Uint8Array(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the handler failed' }));
    }
  };
}

/** An IncomingMessage as a Request, its body read as the handler reads it. */
function toRequest(req) {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const chunks = req[Symbol.asyncIterator]();
  const body = hasBody
    ? new ReadableStream({
        async pull(controller) {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value));
        },
        // A handler that stops reading (a body over its limit) answers at once; Node drains
        // the rest of the request after the response.
      })
    : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const host = req.headers.host ?? 'localhost';
  return new Request(`http://${host}${req.url}`, { method: req.method, headers, body, duplex: 'half' });
}
