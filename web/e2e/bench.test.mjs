// The 1k-route bench input (../shared/bench/gen_routes.py) stays usable: a progress state while
// the worker compiles, a main thread that keeps answering, and the whole output in the end.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, compiles, openPlayground, repoDir, serve, shot, waitCompiled } from "./harness.mjs";

const gen = join(repoDir, "../shared/bench/gen_routes.py");
let server;
let chrome;
let page;
let dir;

before(async () => {
  server = await serve();
  chrome = await browser();
  ({ page } = await openPlayground(chrome.context, server.url));
});
after(async () => {
  await chrome?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("1k routes: progress shown, UI responsive, every backend compiled", {
  skip: !existsSync(gen) && "no ../shared/bench",
}, async () => {
  dir = mkdtempSync(join(tmpdir(), "routec-bench-"));
  execFileSync("python3", [gen, "1000", dir]);
  const n = await compiles(page);
  const start = Date.now();
  await page.setInputFiles("#upload-file", join(dir, "objects.json"));
  // While the worker compiles, the page shows it and animation frames keep coming.
  const busy = await page.evaluate(async (before) => {
    const states = new Set();
    const gaps = [];
    let last = performance.now();
    const until = performance.now() + 60000;
    while (performance.now() < until) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      states.add(document.getElementById("busy").textContent.split(" ")[0]);
      if (window.__routec.compiles > before && /compiled/.test(document.getElementById("busy").textContent)) break;
    }
    gaps.sort((a, b) => a - b);
    return { states: [...states], maxGap: gaps[gaps.length - 1], medianGap: gaps[Math.floor(gaps.length / 2)] };
  }, n);
  await waitCompiled(page, n);
  const t = await page.evaluate(() => window.__routec);
  console.log(
    `# figure: 1k routes: upload to output ${Date.now() - start} ms (worker ${t.lastWorkerMs.toFixed(0)} ms, render ${t.lastRenderMs.toFixed(0)} ms), longest frame gap ${busy.maxGap.toFixed(0)} ms`,
  );
  assert.ok(busy.states.includes("compiling…"), `no progress state: ${busy.states}`);
  const out = await page.evaluate(() => window.__routecOutput());
  assert.equal((out.match(/^backend be_/gm) ?? []).length >= 1000, true);
  await shot(page, "bench-1k");
  // A keystroke recompiles and the page stays interactive meanwhile.
  const m = await compiles(page);
  await page.click("#input-tabs [data-path='router.env']");
  await page.click("#input-editor .cm-content");
  await page.keyboard.type("ROUTER_THREADS=2\n");
  await waitCompiled(page, m);
  assert.match(await page.evaluate(() => window.__routecOutput()), /nbthread 2/);
});
