// Compiles the 1k-route benchmark input through the wasm module in Node and with the native
// CLI, side by side in one run, and prints both medians and their ratio (target: wasm <= 2x).
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const wasm = require(join(root, "wasm/pkg/nodejs/routec_wasm.js"));
const dir = process.argv[2] ?? join(root, "target/bench-inputs/1000");
const input = join(dir, "objects.json");
const text = readFileSync(input, "utf8");
const settings = { ROUTER_METRICS_TYPE: "haproxy", STATS_PORT: "1936" };
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = 7;
const w = [];
const n = [];
wasm.compile([{ path: "objects.json", text }], settings, {}); // warm-up: instantiate and JIT
for (let i = 0; i < runs; i++) {
  // Native: the whole CLI, reading the file and writing the output tree.
  const out = mkdtempSync(join(tmpdir(), "routec-bench-"));
  let t = process.hrtime.bigint();
  spawnSync(join(root, "target/release/routec"), ["compile", input, "--router-env", join(dir, "router.env"), "-q", "-o", out]);
  n.push(Number(process.hrtime.bigint() - t) / 1e6);
  rmSync(out, { recursive: true, force: true });
  // wasm: the same objects and settings through the module.
  t = process.hrtime.bigint();
  const res = wasm.compile([{ path: "objects.json", text }], settings, {});
  w.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (res.error || res.files.length < 8) throw new Error("wasm compile failed");
}
const [wm, nm] = [median(w), median(n)];
console.log(`1k routes: wasm ${wm.toFixed(1)} ms, native CLI ${nm.toFixed(1)} ms, wasm/native = ${(wm / nm).toFixed(2)}x`);
