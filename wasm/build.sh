#!/usr/bin/env bash
# Builds the release wasm and its JS glue for the `web` and `nodejs` targets, then shrinks it
# with wasm-opt. Uses a rustup toolchain with the wasm32 target when there is one; otherwise
# (on machines without it) builds std from Debian's rustc-web sources. See
# ../shared/guides/toolchain.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="$root/wasm/pkg"
wb_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' wasm/Cargo.toml)
target=wasm32-unknown-unknown

libdir=$(rustc --print target-libdir --target "$target" 2>/dev/null || true)
if [ -n "$libdir" ] && [ -d "$libdir" ]; then
  cargo build --profile wasm -p routec-wasm --target "$target"
  wasm="$root/target/$target/wasm/routec_wasm.wasm"
else
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ] || [ ! -x /usr/bin/rust-lld ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy >/dev/null
  fi
  # Building std here also lets it be built for size: std's `optimize_for_size`, panics that
  # abort without formatting a message (the module never unwinds anyway), and no source
  # locations kept for them (`-Zlocation-detail=none`).
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$root/target/wasm" \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    /usr/bin/cargo build --profile wasm -p routec-wasm --target "$target" \
    -Zbuild-std=panic_abort,std -Zbuild-std-features=optimize_for_size
  wasm="$root/target/wasm/$target/wasm/routec_wasm.wasm"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  cargo install wasm-bindgen-cli --version "$wb_version"
fi
# Debian's binaryen (108) breaks wasm-bindgen's reference-typed tables; use the npm build.
if [ ! -x wasm/tools/node_modules/.bin/wasm-opt ]; then
  (cd wasm/tools && npm install --no-audit --no-fund --silent)
fi
wasm_opt="$root/wasm/tools/node_modules/.bin/wasm-opt"

rm -rf "$out"
for t in web nodejs bundler; do
  wasm-bindgen --target "$t" --out-dir "$out/$t" "$wasm"
  "$wasm_opt" -Os --converge --strip-debug --strip-producers \
    -o "$out/$t/routec_wasm_bg.wasm" "$out/$t/routec_wasm_bg.wasm"
done

# The npm package: package.json (version from Cargo), a module type per folder (the nodejs glue
# is CommonJS, the others ES modules), an ES-module entry for Node that re-exports the CommonJS
# glue by name, and the README.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
node -e 'const fs=require("fs");const p=JSON.parse(fs.readFileSync(process.argv[1]));p.version=process.argv[2];fs.writeFileSync(process.argv[3],JSON.stringify(p,null,2)+"\n")' \
  wasm/package.json "$version" "$out/package.json"
echo '{"type":"module"}' > "$out/web/package.json"
echo '{"type":"module"}' > "$out/bundler/package.json"
echo '{"type":"commonjs"}' > "$out/nodejs/package.json"
names=$(sed -n 's/^export function \([A-Za-z0-9_]*\)(.*/\1/p' "$out/nodejs/routec_wasm.d.ts" | sort -u | paste -sd, -)
cat > "$out/nodejs/index.mjs" <<EOF
// ES-module entry for Node: the CommonJS glue, re-exported by name.
import { createRequire } from "node:module";
const m = createRequire(import.meta.url)("./routec_wasm.js");
export const { $names } = m;
export default m;
EOF
cp wasm/README.md "$out/README.md"
rm -f "$out"/*/.gitignore
raw=$(stat -c %s "$out/web/routec_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/web/routec_wasm_bg.wasm" | wc -c)
echo "routec_wasm_bg.wasm: $raw bytes raw, $gz bytes gzipped"
