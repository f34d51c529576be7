# Shared by scripts/run, scripts/test and wasm/build.sh: install what is missing, skip what is
# there, and build stamps (skip a build whose inputs did not change).
# Every tool version is pinned here or in a lock file.

set -euo pipefail

# Pinned tool versions (the Rust toolchain itself is the machine's: 1.95 stable).
readonly WASM_TARGET=wasm32-unknown-unknown

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_rust_components() {
  command -v cargo >/dev/null || { echo "cargo is required (Rust 1.95 via rustup)" >&2; exit 1; }
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "installing rustup component $component"
      rustup component add "$component"
    fi
  done
}

ensure_wasm_target() {
  # RUSTUP_AUTO_INSTALL=0 on these machines: a toolchain file would not install it.
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "installing Rust target $WASM_TARGET"
    rustup target add "$WASM_TARGET"
  fi
}

readonly WASM_PACK_VERSION=0.15.1
# Must equal the wasm-bindgen crate version pinned in Cargo.toml (`=0.2.130`).
readonly WASM_BINDGEN_VERSION=0.2.130

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $* (or install it yourself)" >&2
    exit 1
  fi
}

ensure_cargo_tools() {
  if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION\$"; then
    say "installing wasm-pack $WASM_PACK_VERSION"
    cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lock file names a webpki-roots version the registry no longer offers.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_postgres() {
  # Debian's PostgreSQL server binaries, for the tests that start a throwaway server
  # (tools/testdb: initdb in a temporary folder, run as the postgres user), and openssl for
  # the TLS test's self-signed certificate.
  if { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; } &&
    command -v openssl >/dev/null; then return; fi
  say "installing postgresql and openssl (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql openssl
}

ensure_chromium() {
  # Debian's chromium and its matching chromedriver (for wasm-bindgen-test and Playwright).
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return; fi
  say "installing chromium and chromium-driver (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
}

ensure_npm_tools() {
  # Exact versions from package-lock.json. npm's binaryen provides wasm-opt: never Debian's,
  # which silently breaks the module (docs/architecture.md).
  command -v node >/dev/null || { echo "node (20 or later) is required" >&2; exit 1; }
  local stamp=node_modules/.shopflow-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "installing npm tools (npm install, from package-lock.json)"
    # Not `npm ci`: the registry here offers workerd's Linux builds only, so the lock file
    # cannot list the macOS/Windows ones and `npm ci` calls it out of sync.
    npm install --no-fund --no-audit --loglevel=error
    cp package-lock.json "$stamp"
  fi
  PATH="$PWD/node_modules/.bin:$PATH"
  export PATH
}

# --- Build stamps: a build step skips when its inputs did not change -------------------------
# A stamp (target/stamps/<step>) holds the hash of the step's inputs and the hash of what it
# built. The step skips while both still match: a changed input rebuilds, and so does an output
# deleted or edited by hand. The tools are deterministic, so a skipped step leaves exactly what
# a rebuild would make. SHOPFLOW_FORCE_BUILD=1 rebuilds anyway.
readonly STAMP_DIR=target/stamps

# tree_hash <path>...: one sha256 over the names and contents of every file under the paths
# that exist, in a fixed order.
tree_hash() {
  local path existing=()
  for path in "$@"; do [ -e "$path" ] && existing+=("$path"); done
  if [ "${#existing[@]}" -eq 0 ]; then printf '' | sha256sum | cut -d' ' -f1; return; fi
  find "${existing[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum |
    sha256sum | cut -d' ' -f1
}

# stamp_fresh <step> <inputs hash> <output path>...: the step last built from these inputs, and
# its outputs are as it left them.
stamp_fresh() {
  local stamp=$STAMP_DIR/$1 inputs=$2
  shift 2
  [ "${SHOPFLOW_FORCE_BUILD:-0}" != 1 ] && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$inputs $(tree_hash "$@")" ]
}

# stamp_clear <step>: before a build (one that fails half-way leaves no stamp).
stamp_clear() { rm -f "$STAMP_DIR/$1"; }

# stamp_write <step> <inputs hash> <output path>...: after the build succeeded.
stamp_write() {
  local stamp=$STAMP_DIR/$1 inputs=$2
  shift 2
  mkdir -p "$STAMP_DIR"
  echo "$inputs $(tree_hash "$@")" > "$stamp"
}
