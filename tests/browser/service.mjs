// Starts the rules service (`shopflow run`) on its demo shop for a test, serving www/dist, and
// stops it by PID afterwards. No orders arrive on their own (--demo-every 0): the test makes them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { shopflowBin } from '../node/sandbox.mjs';
import { dist, root } from './browser.mjs';

export async function startService() {
  const data = mkdtempSync(join(tmpdir(), 'shopflow-www-test-'));
  const child = spawn(
    shopflowBin,
    ['run', '--port', '0', '--www', dist, '--rules', `${root}/examples/rules`, '--data', data, '--demo-every', '0', '--demo-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const lines = createInterface({ input: child.stdout });
  const firstLine = await new Promise((ok, fail) => {
    lines.once('line', ok);
    child.once('exit', (code) => fail(new Error(`shopflow run exited with ${code}`)));
  });
  // Keep reading, so a full pipe never blocks the service.
  lines.on('line', () => {});
  const origin = firstLine.replace(/^listening on /, '');
  if (!origin.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line: ${firstLine}`);
  const get = async (path) => {
    const res = await fetch(`${origin}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
  const { shop } = await get('/demo.json');
  const sandbox = new URL(shop.baseUrl).origin;
  return {
    origin,
    shop,
    status: () => get('/status'),
    /** The demo shop's control API (`/__sandbox/...`). */
    control: async (path, body) => {
      const res = await fetch(`${sandbox}/__sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
      return res.json();
    },
    stop: () =>
      new Promise((done) => {
        const clean = () => {
          rmSync(data, { recursive: true, force: true });
          done();
        };
        if (child.exitCode !== null || child.signalCode !== null) return clean();
        child.once('exit', clean);
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}
