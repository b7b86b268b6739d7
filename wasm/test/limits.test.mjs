// The resource budgets in wasm (docs/limits.md): a 100 MB input comes back at once as a
// `routec::input::too-large` diagnostic without growing the module's memory, and the budgets a
// caller passes in `options.limits` replace the browser defaults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const wasm = require(join(root, "wasm/pkg/nodejs/routec_wasm.js"));

const route = (i) =>
  `---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r${i}, namespace: shop}\nspec: {host: r${i}.example.com, to: {kind: Service, name: web}}\n`;

function codes(res) {
  assert.ok(Array.isArray(res.diagnostics), `no diagnostics: ${JSON.stringify(res).slice(0, 200)}`);
  return res.diagnostics.map((d) => d.code);
}

test("a 100 MB input is a diagnostic, not an exhausted memory", () => {
  const one = route(0);
  const text = one.repeat(Math.ceil((100 * 1024 * 1024) / one.length));
  assert.ok(text.length >= 100 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  const started = Date.now();
  for (const run of [wasm.compile, wasm.check]) {
    const res = run([{ path: "big.yaml", text }], {}, {});
    const errors = res.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
    assert.deepEqual(errors, ["routec::input::too-large"]);
    assert.equal(res.hasErrors ?? res.failed, true);
  }
  const grown = process.memoryUsage().rss - before;
  // The text is copied into the module once per call; nothing is parsed.
  const ms = Date.now() - started;
  console.log(`# 100 MB input, compile and check: ${ms} ms, rss grew ${Math.round(grown / 1048576)} MiB`);
  assert.ok(grown < 768 * 1024 * 1024, `memory grew by ${grown} bytes`);
  assert.ok(ms < 60_000, "the refusal took over a minute");
});

test("options.limits replaces the browser budgets", () => {
  const files = [{ path: "a.yaml", text: route(1) + route(2) + route(3) }];
  assert.ok(codes(wasm.compile(files, {}, { limits: { maxObjects: 2 } })).includes("routec::input::too-many-objects"));
  assert.ok(codes(wasm.compile(files, {}, { limits: { maxInputBytes: 100 } })).includes("routec::input::too-large"));
  const fine = codes(wasm.compile(files, {}, {}));
  assert.ok(!fine.some((c) => c.startsWith("routec::input::too")), fine.join(","));
});

test("diff refuses a router directory over the budget", () => {
  const config = "global\n" + "# padding\n".repeat(4 * 1024 * 1024);
  const res = wasm.diff({ config: { path: "haproxy.config", text: config } }, { config: { path: "b.config", text: "global\n" } });
  assert.ok(res.problems.some((p) => p.code === "routec::hap::config-too-large"), JSON.stringify(res.problems));
});
