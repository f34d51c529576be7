// Resolves `shopflow` and `shopflow/<entry>` to the package as built in wasm/pkg, through its own
// `exports` map with the browser conditions, the way a bundler resolves it from node_modules.
//
// Why a plugin rather than a `file:` dependency: npm installs the workspace's tools before
// wasm/build.sh has made wasm/pkg (scripts/test does both, in that order), and a `file:` link to
// a folder that does not exist yet fails the install. Why not a plain alias: an alias skips the
// package's exports, so the site would not load what a browser user of the package loads.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CONDITIONS = new Set(['browser', 'import', 'module', 'default']);
const MISSING = '\0shopflow-missing:';

/** The target of one `exports` value for the browser conditions, or null. */
function pick(target) {
  if (typeof target === 'string') return target;
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return null;
  // Conditions are tried in the map's own order, as Node and bundlers do.
  for (const [condition, value] of Object.entries(target)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = pick(value);
    if (found) return found;
  }
  return null;
}

// `label` names the folder in messages, which end up in the bundle: no build machine's paths.
export function shopflowPackage({ dir, label = dir }) {
  const root = resolve(dir);
  const entryFile = (subpath) => {
    const manifest = join(root, 'package.json');
    if (!existsSync(manifest)) return { error: `${label}/package.json is missing: run ./wasm/build.sh` };
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8'));
    const target = pick(exports?.[subpath]);
    if (!target) return { error: `the shopflow package in ${label} has no browser entry "${subpath}" (run ./wasm/build.sh)` };
    const file = join(root, target);
    if (!existsSync(file)) return { error: `${label}/${target.replace(/^\.\//, '')} is missing: run ./wasm/build.sh` };
    return { file };
  };

  return {
    name: 'shopflow-package',
    enforce: 'pre',
    resolveId(id) {
      if (id !== 'shopflow' && !id.startsWith('shopflow/')) return null;
      const subpath = id === 'shopflow' ? '.' : `./${id.slice('shopflow/'.length)}`;
      const { file, error } = entryFile(subpath);
      if (file) return file;
      // The main entry is required. Other entries (the rules engine) load lazily and the page
      // says what is missing, so the rest of the site still builds and works without them.
      if (subpath === '.') this.error(error);
      this.warn(error);
      return MISSING + error;
    },
    load(id) {
      if (!id.startsWith(MISSING)) return null;
      return `throw new Error(${JSON.stringify(id.slice(MISSING.length))});`;
    },
  };
}
