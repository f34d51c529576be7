#!/usr/bin/env bash
# Builds the npm package `shopflow` into wasm/pkg/: three WebAssembly modules (profile wasm-s,
# see Cargo.toml; SHOPFLOW_WASM_PROFILE picks another), the client's (shopflow-wasm, entry
# `shopflow`), the rules engine's (shopflow-wasm-rules, entry `shopflow/rules`, under
# pkg/rules/) and the webhook receiver's (shopflow-wasm-webhooks, entry `shopflow/webhooks`,
# under pkg/webhooks/; its own profile, SHOPFLOW_WEBHOOKS_PROFILE, default wasm-webhooks),
# each with wasm-bindgen glue for Node (CommonJS) and the web (ES module) and
# wasm-opt -Oz, and the JavaScript shell bundled per runtime and entry. Needs the tools
# scripts/lib.sh installs.
#
# Cargo is incremental; the rest (wasm-bindgen, wasm-opt, esbuild) is skipped when its inputs
# are the same as last time: the .wasm files, the TypeScript models (Upgates' models.d.ts,
# Retailys' retailys.d.ts), the JavaScript shell, the package files, this script,
# wasm/modules.sh and the tool versions (a stamp, see scripts/lib.sh; SHOPFLOW_FORCE_BUILD=1
# rebuilds anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source wasm/modules.sh
PATH="$PWD/node_modules/.bin:$PATH"   # npm binaryen's wasm-opt (Debian's breaks the output)

profile=${SHOPFLOW_WASM_PROFILE:-wasm-s}
webhooks_profile=${SHOPFLOW_WEBHOOKS_PROFILE:-wasm-webhooks}
build_modules "$profile" "$webhooks_profile"
out="target/wasm32-unknown-unknown/$profile"
webhooks_wasm="target/wasm32-unknown-unknown/$webhooks_profile/shopflow_wasm_webhooks.wasm"
mkdir -p "$STAMP_DIR"
models=$STAMP_DIR/wasm-pkg.models.d.ts
retailys_models=$STAMP_DIR/wasm-pkg.retailys.d.ts
cargo run -q -p shopflow-core --example export-ts --features ts --locked > "$models"
cargo run -q -p shopflow-core --example export-ts --features ts --locked -- retailys > "$retailys_models"

inputs=$({
  echo "profile $profile $webhooks_profile"
  wasm-bindgen --version
  wasm-opt --version
  tree_hash "$out/shopflow_wasm.wasm" "$out/shopflow_wasm_rules.wasm" "$webhooks_wasm" "$models" "$retailys_models" wasm/js \
    wasm/package wasm/bundle.mjs wasm/build.sh wasm/modules.sh scripts/lib.sh package-lock.json
} | sha256sum | cut -d' ' -f1)
if stamp_fresh wasm-pkg "$inputs" wasm/pkg; then
  echo "wasm/pkg is up to date (its inputs did not change)"
  exit 0
fi

stamp_clear wasm-pkg
rm -rf wasm/pkg
# glue <module.wasm> <name> <package dir>: wasm-bindgen for Node and the web, then wasm-opt.
glue() {
  local wasm=$1 name=$2 base=$3 target dir
  for target in nodejs web; do
    dir=$base/$([ "$target" = nodejs ] && echo node || echo web)
    wasm-bindgen "$wasm" --target "$target" --out-dir "$dir" --out-name "$name" --no-typescript
    optimize_module "$dir/${name}_bg.wasm" "$dir/${name}_bg.wasm" --strip-debug
  done
}
glue "$out/shopflow_wasm.wasm" shopflow_wasm wasm/pkg
glue "$out/shopflow_wasm_rules.wasm" shopflow_rules wasm/pkg/rules
glue "$webhooks_wasm" shopflow_webhooks wasm/pkg/webhooks
node wasm/bundle.mjs
# The package is ESM ("type": "module"); the Node builds are CommonJS, so their folders say so.
for dir in wasm/pkg/node wasm/pkg/rules/node wasm/pkg/webhooks/node; do echo '{ "type": "commonjs" }' > "$dir/package.json"; done
cp wasm/package/package.json wasm/package/README.md wasm/package/index.d.ts wasm/package/rules.d.ts \
  wasm/package/webhooks.d.ts wasm/pkg/
cp "$models" wasm/pkg/models.d.ts
cp "$retailys_models" wasm/pkg/retailys.d.ts
stamp_write wasm-pkg "$inputs" wasm/pkg
gz() { gzip -9 -c "$1" | wc -c; }
echo "built wasm/pkg: $(gz wasm/pkg/web/shopflow_wasm_bg.wasm) bytes of gzipped wasm for shopflow," \
  "$(gz wasm/pkg/rules/web/shopflow_rules_bg.wasm) for shopflow/rules," \
  "$(gz wasm/pkg/webhooks/web/shopflow_webhooks_bg.wasm) for shopflow/webhooks"
