// Starts `shopflow sandbox --platform retailys` on 127.0.0.1 (port 0) for a test, and stops it
// by PID afterwards. Its control API: reset, orders/generate, orders/{id} (status and history),
// stats, deliveries (callbacks made), config (rate limit, callbacks).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { shopflowBin } from './sandbox.mjs';

export const TOKEN = 'node-retailys-token-0123456789';

export async function startRetailysSandbox(extraArgs = []) {
  const child = spawn(shopflowBin, ['sandbox', '--platform', 'retailys', '--port', '0', '--token', TOKEN, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise((ok, fail) => {
    createInterface({ input: child.stdout }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`shopflow sandbox --platform retailys exited with ${code}`)));
  });
  const origin = firstLine.replace(/^listening on /, '');
  if (!origin.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line: ${firstLine}`);
  const control = async (path, body, method = body === undefined ? 'GET' : 'POST') => {
    const res = await fetch(`${origin}/__sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    origin,
    baseUrl: `${origin}/v1`,
    control,
    config: (patch) => control('config', patch, 'PUT'),
    stats: () => control('stats'),
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}

/** Waits until `check()` is truthy (polling every 25 ms, at most `ms`), and returns its value. */
export async function eventually(check, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
