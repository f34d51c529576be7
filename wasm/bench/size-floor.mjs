// What each of the npm package's WebAssembly modules is made of, and how small it could get
// without the serde code of the package's own types, for docs/benchmarks.md (issue 16).
//
// Reads modules that keep their name section with v0 symbol names (scripts/size-floor builds
// them), sorts every function body by what its name says it is for (the first part below
// whose test matches), and prints a Markdown table: each part's code, raw and gzip -9, and
// estimates of the whole module with parts taken out. An estimate gzips the remaining
// function bodies and the data section together, so it is close to, not equal to, what the
// same module built without those parts would weigh; the first estimate row (nothing taken
// out) shows how close, set beside the shipped module's size (budgets.mjs prints that).
//
// Run: scripts/size-floor (builds, then runs this), or node wasm/bench/size-floor.mjs a.wasm….
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';

// serde's own paths, and the names of traits and methods a derive implements (a visitor's
// `visit_map`, say, may name neither crate when its generic arguments are the package's).
const SERDE = /serde|Deserializ|Serializ/;
// Any path in the package: its types, and its serde helpers over standard types.
const OWN = /shopflow_/;

/** The parts, in the order they are tried: `[name, test of a function's name]`. */
const PARTS = [
  // wasm-opt -Oz merges functions with the same body into one without a name; the originals
  // stay as small named wrappers that call it.
  ['merged by `wasm-opt` (no name of their own)', (n) => n === ''],
  ['serde code in or for the package', (n) => SERDE.test(n) && OWN.test(n)],
  ['Rhai', (n) => /\brhai::/.test(n)],
  ['other serde and serde_json code', (n) => SERDE.test(n)],
  ['formatting (`core::fmt`, float printing)', (n) => /core::fmt|flt2dec|::fmt\b|Display|Debug/.test(n)],
  ['allocator and collections', (n) => /\balloc::|talc::|hashbrown::|RawVec/.test(n)],
  ['JavaScript glue and futures', (n) => /wasm_bindgen|js_sys|web_sys|gloo_|futures_/.test(n)],
  ["the package's other code", (n) => OWN.test(n)],
  ['the rest (core, std, other crates)', () => true],
];

/** Function bodies with their names, and the data section, of a module. */
function readModule(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const name = () => {
    const length = leb();
    at += length;
    return bytes.subarray(at - length, at).toString('utf8');
  };
  const limits = () => (bytes[at++] & 1 ? (leb(), leb()) : leb());
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let data = Buffer.alloc(0);
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      // Imports: only the count of imported functions matters (they come first in the index).
      for (let n = leb(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) (imported++, leb());
        else if (kind === 1) (at++, limits());
        else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else (at++, leb());
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const length = leb();
        bodies.push(bytes.subarray(at, at + length));
        at += length;
      }
    } else if (id === 11) {
      data = bytes.subarray(at, end);
    } else if (id === 0 && name() === 'name') {
      while (at < end) {
        const sub = bytes[at++];
        const length = leb();
        const subEnd = at + length;
        if (sub === 1) for (let n = leb(); n > 0; n--) names.set(leb(), name());
        at = subEnd;
      }
    }
    at = end;
  }
  // v0 names carry each crate's disambiguator (`serde_json[f5c7…]`); legacy names do not, nor
  // the generic arguments that tell whose serde code a function is.
  if (![...names.values()].some((n) => /\[[0-9a-f]{16}\]/.test(n))) {
    throw new Error('the module has no v0 function names: build it with scripts/size-floor');
  }
  const functions = bodies.map((body, i) => ({
    body,
    // Crate disambiguators (`serde_json[f5c7…]`) say nothing about what a function is for.
    name: (names.get(imported + i) ?? '').replace(/\[[0-9a-f]+\]/g, ''),
  }));
  return { functions, data };
}

const gz = (buffers) => gzipSync(Buffer.concat(buffers), { level: 9 }).length;
const raw = (buffers) => buffers.reduce((sum, b) => sum + b.length, 0);
const kb = (n) => (n / 1000).toFixed(1);

function measure(file) {
  const { functions, data } = readModule(readFileSync(file));
  const byPart = new Map(PARTS.map(([part]) => [part, []]));
  for (const f of functions) byPart.get(PARTS.find(([, test]) => test(f.name))[0]).push(f);
  const bodies = (fs) => fs.map((f) => f.body);
  const without = (leaveOut) => gz([...bodies(functions.filter((f) => !leaveOut(f))), data]);
  const ownSerde = (f) => byPart.get('serde code in or for the package').includes(f);
  const cells = new Map();
  for (const [part, fs] of byPart) {
    if (fs.length > 0) cells.set(part, `${kb(raw(bodies(fs)))} / ${kb(gz(bodies(fs)))}`);
  }
  cells.set('data section', `${kb(data.length)} / ${kb(gz([data]))}`);
  cells.set('estimate: the whole module', kb(without(() => false)));
  cells.set('estimate: without the serde code in or for the package', kb(without(ownSerde)));
  if (functions.some((f) => /retailys/.test(f.name))) {
    cells.set('… and without anything named Retailys', kb(without((f) => ownSerde(f) || /retailys/.test(f.name))));
  }
  return cells;
}

const files = process.argv.slice(2);
const columns = files.map((file) => ({ title: basename(file, '.wasm'), cells: measure(file) }));
// Rows in the order of PARTS, then the data and the estimates, whichever module has them.
const order = [...PARTS.map(([part]) => part), 'data section'];
const rank = (row) => (order.includes(row) ? order.indexOf(row) : order.length);
const rows = [...new Set(columns.flatMap((c) => [...c.cells.keys()]))].sort((a, b) => rank(a) - rank(b));
console.log(`| KB: code raw / gzip -9 (estimates: gzip -9) | ${columns.map((c) => `\`${c.title}\``).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row} | ${columns.map((c) => c.cells.get(row) ?? '—').join(' | ')} |`);
