// The npm package's size (issue #15): every wasm file of wasm/pkg, as `bash wasm/build.sh` built
// it, is at most 400 KB = 400,000 bytes gzipped (gzip -9, as .ci/bench measures and reports it).
// .ci/test runs this last, so an overweight module fails the run without hiding other suites.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const BUDGET = 400_000;

for (const target of ["web", "nodejs", "bundler"]) {
  test(`${target} wasm is at most ${BUDGET} bytes gzipped`, (t) => {
    const bytes = readFileSync(join(root, "wasm/pkg", target, "routec_wasm_bg.wasm"));
    // GNU gzip, not node:zlib (whose level 9 comes out about 1% larger): the figure .ci/bench prints.
    const gz = execFileSync("gzip", ["-9", "-c"], { input: bytes, maxBuffer: 1 << 26 }).length;
    const against = gz <= BUDGET ? "within the budget" : `${gz - BUDGET} over the budget`;
    t.diagnostic(`routec_wasm_bg.wasm (${target}): ${bytes.length} bytes raw, ${gz} gzipped, ${against}`);
    assert.ok(gz <= BUDGET, `routec_wasm_bg.wasm (${target}): ${gz} bytes gzipped, over the budget of ${BUDGET}`);
  });
}
