// The wasm module against the native CLI on bench inputs (target/bench-inputs/<n>, made by
// .ci/bench), side by side in one run: compile time (median) and memory, with their ratios
// and the targets of issue #17 (wasm ≤ 1.5× native at 1k routes, ≤ 2× at 10k; wasm memory
// ≤ 2× native peak RSS).
//
//   node wasm/bench.mjs DIR...          one row per input directory
//
// Native: the whole `routec compile` process (start-up, reading the input, writing the output
// tree), wall time and peak RSS from /usr/bin/time. wasm: `compile()` in Node on the text
// already in memory, after one warm-up call (instantiation and JIT), each input in a fresh
// Node process; its memory is the module's linear memory afterwards (it only grows, so this
// is the peak), and the Node process's peak RSS is shown beside it. "cpu ratio" is the same
// comparison in CPU time (user + system; /usr/bin/time's resolution is 10 ms), which a loaded
// machine disturbs less than wall time.
// ROUTEC_WASM_GLUE=FILE benchmarks another build of the nodejs glue (e.g. wasm-opt -O3).
import { spawnSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename, resolve } from "node:path";
import { createRequire } from "node:module";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const glue = resolve(process.env.ROUTEC_WASM_GLUE ?? join(root, "wasm/pkg/nodejs/routec_wasm.js"));
const settings = { ROUTER_METRICS_TYPE: "haproxy", STATS_PORT: "1936" };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runsFor = (dir) => (readFileSync(join(dir, "objects.json")).length > 4e6 ? 5 : 7);

if (process.argv[2] === "--child") {
  // One input in this process: capture the instance the glue creates, to read its memory.
  const Instance = WebAssembly.Instance;
  let instance;
  WebAssembly.Instance = function (module, imports) {
    instance = new Instance(module, imports);
    return instance;
  };
  const wasm = createRequire(import.meta.url)(glue);
  const dir = process.argv[3];
  const text = readFileSync(join(dir, "objects.json"), "utf8");
  const files = [{ path: "objects.json", text }];
  wasm.compile(files, settings, {});
  const times = [];
  const cpus = [];
  for (let i = 0; i < runsFor(dir); i++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    const res = wasm.compile(files, settings, {});
    const { user, system } = process.cpuUsage(c);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    cpus.push((user + system) / 1e3);
    if (res.error || res.files.length < 8) throw new Error("wasm compile failed");
  }
  const memory = instance.exports.memory.buffer.byteLength;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ ms: median(times), cpu: median(cpus), memory, rss }));
  process.exit(0);
}

const mib = (b) => b / 1048576;
const head = ["routes", "native(ms)", "wasm(ms)", "wasm/native", "target", "cpu ratio", "RSS(MiB)", "wasm mem(MiB)", "mem ratio", "target", "node RSS(MiB)"];
const widths = head.map((h, i) => (i === 0 ? 7 : Math.max(h.length, 10)));
const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" ");
console.log(row(head));
for (const dir of process.argv.slice(2)) {
  const n = Number(basename(dir));
  const input = join(dir, "objects.json");
  const times = [];
  const cpus = [];
  const rss = [];
  for (let i = 0; i < runsFor(dir); i++) {
    const out = mkdtempSync(join(tmpdir(), "routec-bench-"));
    const t = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", join(out, ".time"),
      join(root, "target/release/routec"), "compile", input, "--router-env", join(dir, "router.env"), "-q", "-o", join(out, "o")]);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.error) throw r.error;
    const [m, u, sys] = readFileSync(join(out, ".time"), "utf8").trim().split("\n").pop().split(" ").map(Number);
    rss.push(m * 1024);
    cpus.push((u + sys) * 1e3);
    rmSync(out, { recursive: true, force: true });
  }
  const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--child", dir], {
    encoding: "utf8",
    env: { ...process.env, ROUTEC_WASM_GLUE: glue },
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`wasm bench failed: ${child.stderr}`);
  const w = JSON.parse(child.stdout);
  const [nt, nr] = [median(times), median(rss)];
  const target = n >= 10000 ? 2 : 1.5;
  console.log(row([
    String(n),
    nt.toFixed(1),
    w.ms.toFixed(1),
    `${(w.ms / nt).toFixed(2)}x`,
    `<=${target}x`,
    `${(w.cpu / median(cpus)).toFixed(2)}x`,
    mib(nr).toFixed(0),
    mib(w.memory).toFixed(0),
    `${(w.memory / nr).toFixed(2)}x`,
    "<=2x",
    mib(w.rss).toFixed(0),
  ]));
}
