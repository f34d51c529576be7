// Starts the rules service (`shopflow run`) on its demo shop for a test, serving www/dist, and
// stops it by PID afterwards. No orders arrive on their own (--demo-every 0): the test makes them.
// The demo shop is the sandbox of `platform` ('upgates' or 'retailys'); its control API is the
// same on both. The service's operator API wants its operator token: the demo prints the
// dashboard's address with it (`dashboard: ORIGIN/#token=…`, stdout's second line), a service on a
// shop of its own keeps it in DATA/operator-token; the helpers here send it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { shopflowBin } from '../node/sandbox.mjs';
import { dist, root } from './browser.mjs';

export async function startService({ platform = 'upgates' } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'shopflow-www-test-'));
  const child = spawn(
    shopflowBin,
    ['run', '--platform', platform, '--port', '0', '--www', dist, '--rules', `${root}/examples/rules`, '--data', data, '--demo-every', '0', '--demo-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const [firstLine, secondLine] = await readLines(child, 2, () => '');
  const origin = firstLine.replace(/^listening on /, '');
  if (!origin.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line: ${firstLine}`);
  const dashboard = secondLine.replace(/^dashboard: /, '');
  const token = new URL(dashboard).hash.match(/token=([^&]+)/)?.[1];
  if (!dashboard.startsWith(`${origin}/#token=`) || !token) throw new Error(`unexpected second line: ${secondLine}`);
  const get = operatorGet(origin, token);
  const { shop } = await get('/demo.json');
  const sandbox = new URL(shop.baseUrl).origin;
  return {
    origin,
    /** The printed dashboard address, with the operator token in its fragment. */
    dashboard,
    token,
    shop,
    status: () => get('/status'),
    /** /status once every delivery is in and processed, and nothing changed between two looks. */
    settled: async (atLeast = 0) => {
      let last = '';
      for (let i = 0; i < 200; i += 1) {
        const s = await get('/status');
        const key = JSON.stringify([s.events_received, s.events_processed, s.actions_applied, s.pending_deliveries]);
        if (s.events_received >= atLeast && s.events_processed === s.events_received && s.pending_deliveries === 0 && key === last) return s;
        last = key;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(`the service did not settle: ${last}`);
    },
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
    stop: () => stopAndClean(child, data),
  };
}

/**
 * Starts `shopflow run` on a shop of the test's own (`--shop`, so no demo shop and no
 * /demo.json), serving www/dist, with a fresh data folder; stops it by PID afterwards. Its stderr
 * is kept (`stderr()`) rather than shown: these runs fail on purpose.
 */
export async function startServiceOn({ shop, login, key, secret, rules = `${root}/examples/rules` }) {
  const data = mkdtempSync(join(tmpdir(), 'shopflow-www-test-'));
  const { child, origin, stderr } = await spawnRun(['--shop', shop, '--login', login, '--key', key, '--secret', secret, '--rules', rules, '--data', data]);
  // Kept by the service in its data folder (written before it listens).
  const token = readFileSync(join(data, 'operator-token'), 'utf8').trim();
  return {
    origin,
    /** The dashboard with the operator token in the fragment, as the demo prints it. */
    dashboard: `${origin}/#token=${token}`,
    token,
    pid: child.pid,
    stderr,
    status: () => operatorGet(origin, token)('/status'),
    /** `POST /rules/reload` with the operator token: `{ status, body }`. */
    reload: async () => {
      const res = await fetch(`${origin}/rules/reload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.json() };
    },
    /** POSTs one webhook delivery, with the secret, as the shop would. */
    deliver: async (event, body) => {
      const res = await fetch(`${origin}/webhooks/${event}?shopflow_secret=${encodeURIComponent(secret)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    },
    stop: () => stopAndClean(child, data),
  };
}

/**
 * Starts `shopflow run --config shops.toml` on hosted shops of the sandbox at `sandbox` (its
 * origin): `shops` is `[{ name, key }]` (login = name), each with a key and a webhook secret in a
 * file of its own; serves www/dist. Stops it by PID and removes its folder afterwards.
 */
export async function startShops({ sandbox, shops, rules = `${root}/examples/rules` }) {
  const data = mkdtempSync(join(tmpdir(), 'shopflow-www-shops-'));
  let file = '';
  for (const { name, key } of shops) {
    writeFileSync(join(data, `${name}.key`), key);
    writeFileSync(join(data, `${name}.secret`), `${name}-browser-webhook-secret`);
    file += `[[shop]]\nname = "${name}"\nplatform = "upgates"\nbase_url = "${sandbox}/shops/${name}/api/v2"\nlogin = "${name}"\nkey_file = "${name}.key"\nsecret_file = "${name}.secret"\nrules = "${rules}"\n\n`;
  }
  writeFileSync(join(data, 'shops.toml'), file);
  const { child, origin, stderr } = await spawnRun(['--config', join(data, 'shops.toml'), '--data', join(data, 'data')]);
  const token = readFileSync(join(data, 'data', 'operator-token'), 'utf8').trim();
  return {
    origin,
    token,
    status: () => operatorGet(origin, token)('/status'),
    /** POSTs one webhook delivery to shop `name`, with its secret, as the shop would. */
    deliver: async (name, event, body) => {
      const secret = encodeURIComponent(`${name}-browser-webhook-secret`);
      const res = await fetch(`${origin}/shops/${name}/webhooks/${event}?shopflow_secret=${secret}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return res.status;
    },
    stderr,
    stop: () => stopAndClean(child, data),
  };
}

/**
 * `shopflow run ARGS --www www/dist --port 0`, its stderr kept (`stderr()`) rather than shown;
 * resolves once it prints where it listens.
 */
async function spawnRun(args) {
  const child = spawn(shopflowBin, ['run', ...args, '--www', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => (stderr += s));
  const [firstLine] = await readLines(child, 1, () => stderr);
  const origin = firstLine.replace(/^listening on /, '');
  if (!origin.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line: ${firstLine}`);
  return { child, origin, stderr: () => stderr };
}

/** The first `n` lines `child` prints on stdout; it is read on after, so a full pipe never blocks it. */
async function readLines(child, n, stderr) {
  const lines = createInterface({ input: child.stdout });
  const got = [];
  await new Promise((ok, fail) => {
    lines.on('line', (line) => {
      got.push(line);
      if (got.length === n) ok();
    });
    child.once('exit', (code) => fail(new Error(`shopflow run exited with ${code}: ${stderr()}`)));
  });
  return got;
}

/** `GET origin+path` as JSON, with the operator token. */
function operatorGet(origin, token) {
  return async (path) => {
    const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
}

/** Stops `child` by PID and removes its data folder once it has exited. */
function stopAndClean(child, data) {
  return new Promise((done) => {
    const clean = () => {
      rmSync(data, { recursive: true, force: true });
      done();
    };
    if (child.exitCode !== null || child.signalCode !== null) return clean();
    child.once('exit', clean);
    process.kill(child.pid, 'SIGTERM');
  });
}
