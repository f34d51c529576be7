#!/usr/bin/env bash
# Builds the npm package `shopflow` into wasm/pkg/: the core compiled to WebAssembly (profile
# wasm-s, see Cargo.toml; SHOPFLOW_WASM_PROFILE picks another), wasm-bindgen glue for Node
# (CommonJS) and the web (ES module), wasm-opt -Oz, and the JavaScript shell bundled per
# runtime. Needs the tools scripts/lib.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"   # npm binaryen's wasm-opt (Debian's breaks the output)

profile=${SHOPFLOW_WASM_PROFILE:-wasm-s}
cargo build -p shopflow-wasm --target wasm32-unknown-unknown --profile "$profile" --locked
wasm="target/wasm32-unknown-unknown/$profile/shopflow_wasm.wasm"

rm -rf wasm/pkg
for target in nodejs web; do
  dir=wasm/pkg/$([ "$target" = nodejs ] && echo node || echo web)
  wasm-bindgen "$wasm" --target "$target" --out-dir "$dir" --out-name shopflow_wasm --no-typescript
  # The feature flags match what rustc emits; without them wasm-opt rejects the module.
  wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/shopflow_wasm_bg.wasm" -o "$dir/shopflow_wasm_bg.wasm"
done
node wasm/bundle.mjs
# The package is ESM ("type": "module"); the Node build is CommonJS, so its folder says so.
echo '{ "type": "commonjs" }' > wasm/pkg/node/package.json
cp wasm/package/package.json wasm/package/README.md wasm/package/index.d.ts wasm/pkg/
cargo run -q -p shopflow-core --example export-ts --features ts --locked > wasm/pkg/models.d.ts
echo "built wasm/pkg: $(gzip -9 -c wasm/pkg/web/shopflow_wasm_bg.wasm | wc -c) bytes of gzipped wasm"
