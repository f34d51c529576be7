// Every JavaScript block of the package README, as the installed package ships it, type-checked
// under `tsc --strict` and run as written against the sandboxes, so the README cannot rot.
//
// How a block runs is said by an HTML comment on the line before it (invisible on npm):
//   (none)                         a program of its own: `node block.mjs` must exit 0, with
//                                  UPGATES_URL/LOGIN/KEY and RETAILYS_URL/TOKEN naming the sandboxes;
//   <!-- test: continues -->       the program goes on from the block before (it uses its `shop`);
//   <!-- test: worker E -->        a Worker module: its `fetch(request, env)` receives the sandbox's
//                                  real deliveries of E (`upgates-webhook` or `retailys-callback`),
//                                  with env WEBHOOK_SECRET / CALLBACK_SECRET and a QUEUE that records;
//   <!-- test: node-server E -->   a program that listens on PORT; the sandbox's deliveries of E must
//                                  be answered 200.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';

import { installPackage, root } from './install.mjs';
import { KEY, LOGIN, startSandbox } from '../node/sandbox.mjs';
import { TOKEN, eventually, startRetailysSandbox } from '../node/retailys-sandbox.mjs';

const run = promisify(execFile);

/** The README's code blocks: `{ line, how, event, code }`, `how` from the comment before it. */
export function readmeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README line ${i + 1}: the code block is not closed`);
    const directive = /^<!-- test: ([\w-]+)(?: ([\w-]+))? -->$/.exec(lines[i - 1] ?? '');
    blocks.push({ line: i + 1, lang: fence[1], how: directive?.[1] ?? 'program', event: directive?.[2], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Blocks joined into what runs: a `continues` block is appended to the unit before it. */
function units(blocks) {
  const out = [];
  for (const b of blocks) {
    if (!['js', 'javascript', 'mjs'].includes(b.lang)) throw new Error(`README line ${b.line}: a \`${b.lang || 'plain'}\` block; every block is JavaScript that runs`);
    if (b.how === 'continues') {
      const last = out.at(-1);
      if (!last || last.how !== 'program') throw new Error(`README line ${b.line}: "continues" after no program`);
      last.code += `\n\n// README line ${b.line}\n${b.code}`;
      last.lines.push(b.line);
    } else if (['program', 'worker', 'node-server'].includes(b.how)) {
      out.push({ ...b, lines: [b.line] });
    } else {
      throw new Error(`README line ${b.line}: unknown directive "${b.how}"`);
    }
  }
  return out.map((u, n) => ({ ...u, file: `readme-${n + 1}.mjs` }));
}

let pkg;
let upgates;
let retailys;
let all;

before(async () => {
  pkg = installPackage('module');
  const markdown = readFileSync(join(pkg.dir, 'node_modules/shopflow/README.md'), 'utf8');
  all = units(readmeBlocks(markdown));
  for (const u of all) writeFileSync(join(pkg.dir, u.file), u.code);
  [upgates, retailys] = await Promise.all([startSandbox(), startRetailysSandbox()]);
  await upgates.config({ webhooks: { coalesce_ms: 50 } });
  await upgates.control('orders/generate', { count: 30, seed: 4 });
  await retailys.control('orders/generate', { count: 5, seed: 4 });
});

after(async () => {
  await upgates?.stop();
  await retailys?.stop();
  pkg?.remove();
});

const env = () => ({
  ...process.env,
  UPGATES_URL: upgates.baseUrl,
  UPGATES_LOGIN: LOGIN,
  UPGATES_KEY: KEY,
  RETAILYS_URL: retailys.baseUrl,
  RETAILYS_TOKEN: TOKEN,
});

test('every block of the README is JavaScript that type-checks under tsc --strict', async () => {
  const config = {
    compilerOptions: {
      strict: true, noEmit: true, allowJs: true, checkJs: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
      lib: ['es2022', 'dom', 'dom.asynciterable'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')], skipLibCheck: false,
    },
    files: all.map((u) => u.file),
  };
  writeFileSync(join(pkg.dir, 'tsconfig.readme.json'), JSON.stringify(config));

  try {
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.readme.json'], { cwd: pkg.dir });
  } catch (e) {
    assert.fail(`tsc --strict on the README's blocks (${all.map((u) => `${u.file}: line ${u.lines.join('+')}`).join(', ')}):\n${e.stdout}${e.stderr}`);
  }
});

describe('every program of the README runs against the sandbox', () => {
  test('the programs (each exits 0)', async () => {
    const programs = all.filter((u) => u.how === 'program');
    assert.ok(programs.length >= 3, `${programs.length} programs`);
    for (const u of programs) {
      try {
        await run(process.execPath, [u.file], { cwd: pkg.dir, env: env(), timeout: 60_000 });
      } catch (e) {
        assert.fail(`the README block at line ${u.lines.join(' + ')} failed:\n${e.stdout}${e.stderr}`);
      }
    }
  });

  test('the Workers receive the sandboxes\' real deliveries and enqueue them', async () => {
    const workers = all.filter((u) => u.how === 'worker');
    assert.deepEqual(workers.map((u) => u.event).sort(), ['retailys-callback', 'upgates-webhook']);
    for (const u of workers) {
      const { default: worker } = await import(pathToFileURL(join(pkg.dir, u.file)).href);
      const { toNodeListener, generateSecret } = await import(pathToFileURL(join(pkg.dir, 'node_modules/shopflow/node/index.mjs')).href);
      const secret = generateSecret();
      const queue = [];
      const bindings = { WEBHOOK_SECRET: secret, CALLBACK_SECRET: secret, QUEUE: { send: async (m) => void queue.push(m) } };
      const server = await listen(toNodeListener((request) => worker.fetch(request, bindings)));
      try {
        const count = await deliver(u.event, `http://127.0.0.1:${server.address().port}/hooks`, secret);
        assert.ok(await eventually(() => queue.length >= count, 10_000), `README line ${u.line}: ${queue.length} of ${count} enqueued`);
      } finally {
        server.close();
      }
    }
  });

  test('the Node server answers the sandbox\'s deliveries', async () => {
    const servers = all.filter((u) => u.how === 'node-server');
    assert.equal(servers.length, 1);
    for (const u of servers) {
      const { generateSecret } = await import(pathToFileURL(join(pkg.dir, 'node_modules/shopflow/node/index.mjs')).href);
      const secret = generateSecret();
      const port = await freePort();
      const child = execFile(process.execPath, [u.file], { cwd: pkg.dir, env: { ...env(), PORT: String(port), CALLBACK_SECRET: secret } });
      try {
        assert.ok(await eventually(() => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false), 10_000), 'it listens');
        await retailys.control('reset', {});
        const count = await deliver(u.event, `http://127.0.0.1:${port}/hooks`, secret);
        const answered = await eventually(async () => {
          const { deliveries } = await retailys.control('deliveries');
          return deliveries.length >= count && deliveries.every((d) => d.status === 200) && deliveries;
        }, 10_000);
        assert.ok(answered, JSON.stringify((await retailys.control('deliveries')).deliveries));
      } finally {
        child.kill();
      }
    }
  });
});

/** Makes the sandbox deliver events of `kind` to `base`; resolves with how many calls to expect. */
async function deliver(kind, base, secret) {
  const { Client, RetailysClient, webhookUrl } = await import(pathToFileURL(join(pkg.dir, 'node_modules/shopflow/node/index.mjs')).href);
  if (kind === 'upgates-webhook') {
    const shop = new Client({ baseUrl: upgates.baseUrl, login: LOGIN, apiKey: KEY, allowLocal: true });
    await shop.webhooks.create({ name: 'readme', event: 'Orders.create', url: webhookUrl(base, secret, 'Orders.create') });
    await upgates.control('orders/generate', { count: 3, seed: 9 });
    return 1;
  }
  if (kind === 'retailys-callback') {
    const shop = new RetailysClient({ baseUrl: retailys.baseUrl, token: TOKEN, allowLocal: true });
    await shop.events.subscribe({ event: 'order-new', publicUrl: base, secret });
    await retailys.control('orders/generate', { count: 2, seed: 9 });
    return 2;
  }
  throw new Error(`no deliveries of "${kind}"`);
}

function listen(listener) {
  const server = createServer(listener);
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function freePort() {
  const server = await listen(() => {});
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}
