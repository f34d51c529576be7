# The npm package's three WebAssembly modules: how cargo builds them and how wasm-opt shrinks
# them. Sourced by wasm/build.sh (the package) and scripts/size-floor (the same modules with
# their function names kept, to see what their code is for), so that the two measure the
# same build.

# build_modules <profile> <webhooks profile>: the client's (shopflow-wasm), the rules
# engine's (shopflow-wasm-rules) and the webhook receiver's (shopflow-wasm-webhooks) modules,
# into $CARGO_TARGET_DIR (default target)/wasm32-unknown-unknown/<profile>/.
# Three cargo runs, not one: cargo unifies the features of shared dependencies across the
# packages of one run, and the rules crate's (rhai's decimal maths, …) must not change, or
# grow, the client's module.
build_modules() {
  local profile=$1 webhooks_profile=$2
  cargo build -p shopflow-wasm --target wasm32-unknown-unknown --profile "$profile" --locked
  cargo build -p shopflow-wasm-rules --target wasm32-unknown-unknown --profile "$profile" --locked
  cargo build -p shopflow-wasm-webhooks --target wasm32-unknown-unknown --profile "$webhooks_profile" --locked
}

# optimize_module <in.wasm> <out.wasm> [wasm-opt flags…]: wasm-opt's passes for the package,
# with the caller's extra flags (the package adds --strip-debug; -g keeps the name section).
# The feature flags match what rustc emits; without them wasm-opt rejects the module.
# -ocimfs 0: no function is inlined into its only caller. Binaryen does that whatever the
# size, which made one function of every kind's reading (92 KB), of every operation's
# request (44 KB) and of the client's futures (53 KB); V8 compiles a function whole on its
# first call (10 ms of a first parse), and gzip finds fewer repeats in the merged code:
# the client's module is 10% smaller gzipped without it (docs/benchmarks.md, round four).
# Needs npm binaryen's wasm-opt first on PATH (Debian's breaks the output).
optimize_module() {
  local in=$1 out=$2
  shift 2
  wasm-opt -Oz -ocimfs 0 --strip-producers \
    --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$@" "$in" -o "$out"
}
