// Starts `shopflow sandbox` on 127.0.0.1 (port 0) for a test, and stops it by PID afterwards.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const shopflowBin = process.env.SHOPFLOW_BIN ?? `${root}/target/debug/shopflow`;
export const LOGIN = 'node-test';
export const KEY = 'node-test-key-0123456789';

export async function startSandbox(extraArgs = []) {
  const child = spawn(shopflowBin, ['sandbox', '--port', '0', '--login', LOGIN, '--key', KEY, '--project-name', 'nodeshop', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => ok(l));
    child.once('exit', (code) => fail(new Error(`shopflow sandbox exited with ${code}`)));
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
    baseUrl: `${origin}/api/v2`,
    pid: child.pid,
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
