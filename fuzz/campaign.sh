#!/usr/bin/env bash
# The long libFuzzer campaign (issue #18): installs cargo-fuzz if it is missing (into
# target/cargo-fuzz), builds every target (optimised, debug assertions on, no sanitizer: the
# core is safe Rust, so ASan would only slow it), writes the seed corpora from fixtures/ and
# ../shared, then runs each target on one core with the dictionary until it has executed
# ROUTEC_FUZZ_RUNS inputs (default 10,000,000, the issue's bar) or ROUTEC_FUZZ_SECONDS have passed
# (default 7200), and prints one line per target: executions, exec/s, coverage (cov, ft) and
# whether it crashed. Usage: fuzz/campaign.sh [TARGET...]   (default: every target)
# Crashes are written to fuzz/artifacts/<target>/; replay one with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=${ROUTEC_FUZZ_SECONDS:-7200}
runs=${ROUTEC_FUZZ_RUNS:-10000000}
logs="$root/target/fuzz-campaign"
mkdir -p "$logs"

export PATH="$root/target/cargo-fuzz/bin:$PATH"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --root "$root/target/cargo-fuzz"
fi
# libFuzzer needs nightly flags: the nightly toolchain when rustup has it, else the stable
# compiler with RUSTC_BOOTSTRAP=1.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi
cd fuzz
"${fuzz[@]}" build -O -a -s none
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <("${fuzz[@]}" list)
fi

# Seeds: the smoke test writes them (no mutations run for this), unless they are there already
# (ROUTEC_FUZZ_KEEP_SEEDS=1, e.g. written by another checkout of the same commit).
if [ "${ROUTEC_FUZZ_KEEP_SEEDS:-0}" != 1 ] || [ ! -d corpus-seeds ]; then
  (cd "$root" && ROUTEC_FUZZ_WRITE_CORPUS="$root/fuzz/corpus-seeds" ROUTEC_FUZZ_MUTATIONS=0 \
    cargo test -q -p routec-core --test fuzz_smoke >/dev/null)
fi

for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  status=ok
  "${fuzz[@]}" run -O -a -s none "$t" "corpus/$t" "corpus-seeds/$t" -- \
    -dict=routec.dict -runs="$runs" -max_total_time="$secs" -max_len="${ROUTEC_FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$logs/$t.log" 2>&1 || status=CRASH
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$t.log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$logs/$t.log" | tail -1)
  echo "$t: ${execs:-?} execs, ${rate:-?} exec/s, ${cov:-no coverage line}, $status"
done
