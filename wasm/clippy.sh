#!/usr/bin/env bash
# clippy for wasm32-unknown-unknown: with a rustup wasm32 target when there is one, otherwise
# with Debian's rustc-web and its clippy, building std from source (see build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
libdir=$(rustc --print target-libdir --target "$target" 2>/dev/null || true)
if [ -n "$libdir" ] && [ -d "$libdir" ]; then
  exec cargo clippy -p routec-wasm -p routec-core --target "$target" -- -D warnings
fi
if [ ! -x /usr/bin/cargo-clippy ] || [ ! -d /usr/lib/rustlib/src/rust ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy >/dev/null
fi
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$PWD/target/wasm-clippy" PATH="/usr/bin:$PATH" \
  /usr/bin/cargo clippy -p routec-wasm -p routec-core --target "$target" -Zbuild-std=panic_abort,std -- -D warnings
