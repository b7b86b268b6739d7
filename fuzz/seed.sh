#!/usr/bin/env bash
# Writes the seed corpus of every target to fuzz/corpus-seeds/<target>/ (ignored by Git) from
# fixtures/ and ../shared, through the same seed lists the smoke test replays (fuzz/seeds.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTEC_FUZZ_WRITE_CORPUS="$PWD/fuzz/corpus-seeds" ROUTEC_FUZZ_MUTATIONS=0 \
  cargo test -q -p routec-core --test fuzz_smoke
