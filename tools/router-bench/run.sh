#!/usr/bin/env bash
# Runs the real router's config render (render_test.go) on a bench input, on this machine.
#   tools/router-bench/run.sh ROUTER_SRC INPUT_DIR TEMPLATE [RUNS]
# ROUTER_SRC is a checkout of openshift/router (the oracle's commit, 4b401a86dccc) or a git
# directory holding that commit; nothing of it is committed here. INPUT_DIR holds objects.json
# and router.env (../shared/bench/gen_routes.py). Needs Go (.ci/test installs one under
# target/gotmpl-oracle/venv). Prints one line: "router render: N routes, ..., median S s ...".
set -euo pipefail
abs() { (cd "$(dirname "$1")" && echo "$PWD/$(basename "$1")"); }
src=$(abs "$1") input=$(abs "$2") template=$(abs "$3") runs=${4:-3}
cd "$(dirname "$0")/../.."
commit=4b401a86dccc
work="$PWD/target/router-bench/src"
if [ -d "$src/.git" ] || [ -f "$src/HEAD" ]; then
  if [ ! -f "$work/go.mod" ]; then
    mkdir -p "$work"
    git --git-dir="$( [ -d "$src/.git" ] && echo "$src/.git" || echo "$src")" archive "$commit" | tar -x -C "$work"
  fi
  src=$work
fi
[ -f "$src/pkg/router/template/router.go" ] || { echo "not an openshift/router checkout: $src" >&2; exit 2; }
cp tools/router-bench/render_test.go "$src/pkg/router/template/zz_routec_render_test.go"
go=go
command -v go >/dev/null || go="$PWD/target/gotmpl-oracle/venv/bin/go"
cd "$src"
ROUTEC_BENCH_INPUT="$input/objects.json" ROUTEC_BENCH_ENV="$input/router.env" \
  ROUTEC_BENCH_TEMPLATE="$template" ROUTEC_BENCH_RUNS="$runs" \
  GOFLAGS=-mod=vendor GOTOOLCHAIN=local "$go" test -count=1 -run '^TestRoutecRender$' -v ./pkg/router/template/ 2>/dev/null \
  | grep '^router render: '
