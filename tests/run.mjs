// Runs the JavaScript suites (node:test) and ends with a plain "N passed, N failed" line,
// the closing line CI looks for. Usage: node tests/run.mjs <dir>...
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dirs = process.argv.slice(2);
const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.test.mjs')).map((f) => resolve(join(d, f))));
if (files.length === 0) {
  console.error(`no *.test.mjs files in ${dirs.join(', ')}`);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: 1 });
stream.on('test:pass', (t) => {
  if (t.details?.type !== 'suite') passed += 1;
});
let todo = 0;
stream.on('test:fail', (t) => {
  // A failing `todo` test is known and reported, not a failure of the run.
  if (t.todo !== undefined) todo += 1;
  else if (t.details?.type !== 'suite') failed += 1;
});
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
report.once('end', () => {
  if (todo) console.log(`${todo} todo (known, failing)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
