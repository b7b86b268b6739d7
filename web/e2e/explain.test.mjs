// Explain in the browser against the CLI: for a few examples and URLs, the diagram's backend,
// outcome and per-server shares must equal `routec explain … --format json` on the same files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { browser, compiles, openPlayground, repoDir, serve, shot, waitCompiled, webDir } from "./harness.mjs";

const cli = join(repoDir, "target/release/routec");
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

/** Runs the CLI on the example's own files (same names, so source locations agree). */
function cliExplain(id, url, extra = []) {
  const e = index.find((x) => x.id === id);
  const dir = mkdtempSync(join(tmpdir(), "routec-explain-"));
  try {
    for (const f of e.files) writeFileSync(join(dir, f), readFileSync(join(webDir, "examples", id, f)));
    const env = e.env ? ["--router-env", join(webDir, "examples", id, "router.env")] : [];
    const out = execFileSync(cli, ["explain", url, ...e.files, ...env, ...extra, "--format", "json"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    return JSON.parse(out);
  } catch (err) {
    // explain exits 1 when the request is not served (deny, no route); its JSON is still on stdout.
    if (err.stdout) return JSON.parse(err.stdout.toString());
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function explainIn(id, url, opts = {}) {
  const n = await compiles(page);
  await page.selectOption("#example", id);
  await waitCompiled(page, n);
  await page.click("#mode-explain");
  await page.fill("#explain-url", url);
  await page.fill("#explain-ip", opts.clientIp ?? "");
  await page.fill("#explain-sni", opts.sni ?? "");
  await page.click("#explain-form button[type=submit]");
  await page.waitForFunction((u) => document.querySelector("#diagram .outcome")?.dataset.url === u, url);
  return page.evaluate(() => ({
    outcome: document.querySelector("#diagram .outcome").dataset.kind,
    backend: document.querySelector("#diagram").dataset.backend ?? null,
    servers: [...document.querySelectorAll("#diagram .bar-row")].map((r) => [
      r.dataset.server,
      Number(r.dataset.percent),
    ]),
    stages: [...document.querySelectorAll("#diagram .stage")].map((s) => s.dataset.stage),
  }));
}

const cases = [
  { id: "ab-weights", url: "http://ab.apps.example.test/cart" },
  { id: "paths", url: "http://store.apps.example.test/api/v1/items" },
  { id: "insecure-policies", url: "http://docs.apps.example.test/" },
  { id: "passthrough", url: "https://vault.example.test/" },
  { id: "allowlist", url: "http://admin.apps.example.test/", clientIp: "203.0.113.7" },
  { id: "allowlist", url: "http://admin.apps.example.test/", clientIp: "198.51.100.20" },
];

for (const c of cases) {
  test(`explain ${c.url} (${c.id}${c.clientIp ? `, from ${c.clientIp}` : ""}) matches the CLI`, {
    skip: !existsSync(cli) && "target/release/routec is not built",
  }, async () => {
    const extra = c.clientIp ? ["--client-ip", c.clientIp] : [];
    const want = cliExplain(c.id, c.url, extra);
    const got = await explainIn(c.id, c.url, c);
    assert.equal(got.outcome, want.outcome.kind);
    assert.equal(got.backend, want.backend?.name ?? want.outcome.backend ?? null);
    const wantServers = (want.backend?.servers ?? []).map((s) => [s.name, s.share * 100]);
    assert.equal(got.servers.length, wantServers.length);
    got.servers.forEach(([name, pct], i) => {
      assert.equal(name, wantServers[i][0]);
      assert.ok(Math.abs(pct - wantServers[i][1]) < 1e-9, `${name}: ${pct} vs ${wantServers[i][1]}`);
    });
    assert.ok(got.stages.includes("client") && got.stages.includes("frontend"));
    await shot(page, `explain-${c.id}${c.clientIp ? `-${c.clientIp}` : ""}`);
    if (got.servers.length) {
      await page.locator("#diagram .bars").scrollIntoViewIfNeeded();
      await shot(page, `explain-${c.id}-servers`);
    }
  });
}

test("the routes list explains every admitted route in one click", async () => {
  const n = await compiles(page);
  await page.selectOption("#example", "paths");
  await waitCompiled(page, n);
  await page.click("#mode-explain");
  await page.waitForSelector("#route-list button");
  const items = await page.$$eval("#route-list button", (b) => b.map((x) => x.textContent));
  assert.equal(items.length, 3);
  for (let i = 0; i < items.length; i++) {
    await page.click(`#route-list li:nth-child(${i + 1}) button`);
    const url = await page.inputValue("#explain-url");
    await page.waitForFunction((u) => document.querySelector("#diagram .outcome")?.dataset.url === u, url);
    assert.equal(await page.$eval("#diagram .outcome", (o) => o.dataset.kind), "forward");
  }
  // A node links to its config line: clicking it shows that line in the output.
  const link = await page.$("#diagram .node .links button");
  await link.click();
  assert.equal(await page.isVisible("#panel-output"), true);
  await page.click("#mode-output");
});

test("the page raised no errors", () => {
  assert.deepEqual(pageErrors, []);
});
