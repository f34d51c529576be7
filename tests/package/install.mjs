// Installs the built package the way a user gets it: `npm pack` of wasm/pkg, then
// `npm install <tarball>` into a fresh project in a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-fund', '--no-audit', '--loglevel=error'], { cwd, encoding: 'utf8' });

/**
 * A fresh project with the package installed: `{ dir, tarball, remove() }`. `type` is the
 * project's module type ("module" or "commonjs").
 */
export function installPackage(type = 'module') {
  const dir = mkdtempSync(join(tmpdir(), 'shopflow-package-'));
  npm(['pack', join(root, 'wasm/pkg'), '--pack-destination', dir], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${dir}`);
  const app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type }, null, 2));
  npm(['install', '--no-package-lock', join(dir, tarball)], app);
  return { dir: app, tarball: join(dir, tarball), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
