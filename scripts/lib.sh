# Shared by scripts/run and scripts/test: install what is missing, skip what is there.
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
