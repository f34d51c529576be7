// Serves www/dist on 127.0.0.1 (port 0) the way the rules service will: the site at `/`, and
// optionally the service's own documents (`/demo.json`, `/status`) given by the test.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  // Browsers compile a .wasm while it downloads only when it is served as application/wasm.
  '.wasm': 'application/wasm',
};

/**
 * `routes`: `{ '/status': () => object | null }`; a route answering null is a 404, as when the
 * page is not served by the rules service. Returns `{ origin, requests, stop }`; `requests` lists
 * every path asked for, in order.
 */
export async function serveSite(dir, routes = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    if (path in routes) {
      const body = await routes[path]();
      if (body == null) return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, 'application/json', JSON.stringify(body));
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (file !== dir && !file.startsWith(dir + sep)) return send(res, 403, 'text/plain', 'outside the site');
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      send(res, 404, 'text/plain', 'not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
