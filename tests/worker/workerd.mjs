// workerd for the Worker suites: a Worker bundled from the installed package as wrangler
// bundles it (the `workerd` export condition, the .wasm as a static module), its config with
// text bindings and an outbound that may reach 127.0.0.1, and the process, stopped by PID.
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

import { root } from '../package/install.mjs';

/** Bundles `tests/worker/<source>` into `<dir>/dist/worker.js`, with the package's .wasm beside it. */
export async function bundle(dir, source) {
  copyFileSync(join(root, 'tests/worker', source), join(dir, 'worker.mjs'));
  await build({
    entryPoints: [join(dir, 'worker.mjs')],
    outfile: join(dir, 'dist/worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [{ name: 'wasm-modules', setup: (b) => b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: a.path, external: true })) }],
    logLevel: 'warning',
  });
  copyFileSync(join(dir, 'node_modules/shopflow/web/shopflow_wasm_bg.wasm'), join(dir, 'dist/shopflow_wasm_bg.wasm'));
}

/** Writes `<dir>/dist/config.capnp`: the Worker, its text bindings, an outbound to 127.0.0.1. */
export function writeConfig(dir, bindings) {
  const text = Object.entries(bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(String(value))})`)
    .join(',\n      ');
  writeFileSync(
    join(dir, 'dist/config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker),
               (name = "net", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ] );
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"),
              (name = "shopflow_wasm_bg.wasm", wasm = embed "shopflow_wasm_bg.wasm") ],
  bindings = [
      ${text} ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "net" );
`,
  );
}

/**
 * Starts workerd in `<dir>/dist`: `{ listening, log(), stop() }`; `listening` resolves with
 * its origin once the socket listens (the port comes from --control-fd).
 */
export function startWorkerd(dir) {
  const bin = join(root, 'node_modules/.bin/workerd');
  const child = spawn(bin, ['serve', 'config.capnp', '--control-fd=3', '--verbose'], { cwd: join(dir, 'dist'), stdio: ['ignore', 'inherit', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => {
    log += d;
    process.stderr.write(d);
  });
  const listening = new Promise((ok, fail) => {
    createInterface({ input: child.stdio[3] }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.event === 'listen' && msg.socket === 'http') ok(`http://127.0.0.1:${msg.port}`);
    });
    child.once('exit', (code) => fail(new Error(`workerd exited with ${code}: ${log}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  return { listening, log: () => log, stop };
}
