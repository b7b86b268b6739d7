// Opens every example from the menu in the built site and checks its config, admission status
// and diagnostics; also measures navigation-to-first-output and recompile times.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, compiles, openPlayground, serve, shot, waitCompiled, webDir } from "./harness.mjs";

const index = JSON.parse(readFileSync(join(webDir, "examples/index.json"), "utf8"));
let server;
let chrome;
let page;
let pageErrors;

before(async () => {
  server = await serve();
  chrome = await browser();
  ({ page, errors: pageErrors } = await openPlayground(chrome.context, server.url));
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

test("first compiled output appears soon after navigation", async () => {
  const t = await page.evaluate(() => window.__routec);
  assert.ok(t.firstOutput > 0);
  console.log(`# figure: navigation to first compiled output ${t.firstOutput.toFixed(0)} ms`);
});

for (const e of index) {
  test(`example ${e.id}`, async () => {
    const n = await compiles(page);
    await page.selectOption("#example", e.id);
    await waitCompiled(page, n);
    const tabs = await page.$$eval("#input-tabs [role=tab]", (b) => b.map((x) => x.dataset.path));
    assert.deepEqual(tabs, [...e.files, "router.env"]);
    const codes = await page.$$eval("#diagnostics button", (b) => b.map((x) => x.dataset.code));
    const output = await page.$eval("#output-editor .cm-content", (c) => c.textContent);
    assert.match(output, /^global/);
    if (e.expect.length === 0) {
      const states = await page.$$eval("#admission .badge", (b) => b.map((x) => x.dataset.state));
      assert.ok(states.includes("admitted"), `no admitted route in ${e.id}: ${states}`);
      const errors = await page.$$eval("#diagnostics .sev.error", (s) => s.length);
      assert.equal(errors, 0);
      const config = await page.evaluate(() => window.__routecOutput?.());
      assert.match(config, /^backend be_(http|edge_http|secure|tcp):/m);
    } else {
      for (const c of e.expect) assert.ok(codes.includes(c), `${e.id}: ${c} not in ${codes}`);
    }
    if (["edge", "ab-weights", "host-conflict", "sharding", "broken-yaml"].includes(e.id))
      await shot(page, `example-${e.id}`);
  });
}

test("host conflict shows the rejected route with the router's reason", async () => {
  const n = await compiles(page);
  await page.selectOption("#example", "host-conflict");
  await waitCompiled(page, n);
  const rejected = await page.$eval("#admission .badge.rejected", (b) => b.textContent);
  assert.match(rejected, /team-b\/web.*HostAlreadyClaimed/);
  const ignored = await (async () => {
    const m = await compiles(page);
    await page.selectOption("#example", "sharding");
    await waitCompiled(page, m);
    return page.$$eval("#admission .badge.ignored", (b) => b.map((x) => x.dataset.route));
  })();
  assert.deepEqual(ignored.sort(), ["dev/shop", "prod/internal"]);
});

test("recompile of the largest example per keystroke", async () => {
  const largest = index
    .map((e) => ({
      id: e.id,
      size: e.files.reduce((s, f) => s + readFileSync(join(webDir, "examples", e.id, f)).length, 0),
    }))
    .sort((a, b) => b.size - a.size)[0];
  const n = await compiles(page);
  await page.selectOption("#example", largest.id);
  await waitCompiled(page, n);
  const rounds = [];
  for (let i = 0; i < 5; i++) {
    const m = await compiles(page);
    await page.click("#input-editor .cm-content");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("#");
    await waitCompiled(page, m);
    rounds.push(await page.evaluate(() => window.__routec));
  }
  const worker = rounds.map((r) => r.lastWorkerMs).sort((a, b) => a - b)[2];
  const render = rounds.map((r) => r.lastRenderMs).sort((a, b) => a - b)[2];
  console.log(
    `# figure: largest example (${largest.id}) recompile: median worker ${worker.toFixed(1)} ms + render ${render.toFixed(1)} ms`,
  );
  assert.ok(worker + render <= 50, `compile+render ${worker + render} ms exceeds 50 ms`);
});

test("the page raised no errors", () => {
  assert.deepEqual(pageErrors, []);
});
