#!/usr/bin/env bash
# The generative property's long run: N seeded cases (default 10000) of random valid objects,
# each compiled for HAProxy 2.6 and checked with real `haproxy -c` (see core/tests/generated.rs).
# Usage: fuzz/generated.sh [CASES] [SEED]. Failing cases are kept under target/generated/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/generated
CI=true ROUTEC_GENERATED_CASES="${1:-10000}" ROUTEC_GENERATED_SEED="${2:-18}" ROUTEC_GENERATED_DIR="$PWD/target/generated" \
  cargo test -p routec-core --test generated -- --nocapture
