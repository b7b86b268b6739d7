// Editing, markers, hover/jump, share links, verify, keyboard and accessibility on the built site.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { browser, compiles, openPlayground, paste, serve, shot, waitCompiled } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
let server;
let chrome;
let page;
let pageErrors;

async function load(id) {
  const n = await compiles(page);
  await page.selectOption("#example", id);
  await waitCompiled(page, n);
}

async function showTab(path) {
  await page.click(`#input-tabs [data-path="${path}"]`);
}

/** The 1-based editor line holding the selection head. */
async function cursorLine() {
  return page.evaluate(() => window.__routecInput().line);
}

before(async () => {
  server = await serve();
  chrome = await browser();
  ({ page, errors: pageErrors } = await openPlayground(chrome.context, server.url));
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

test("typing an error puts a marker on the right line, with message and help on hover", async () => {
  await load("edge");
  await showTab("route.yaml");
  const text = await page
    .$eval("#input-editor .cm-content", (c) => c.cmView.view.state.doc.toString())
    .catch(() => null);
  // Find the host line through the rendered lines (CodeMirror renders this short file whole).
  const lines = await page.$$eval("#input-editor .cm-line", (ls) => ls.map((l) => l.textContent));
  const hostLine = lines.findIndex((l) => l.includes("host: shop.example.test")) + 1;
  assert.ok(hostLine > 0, `host line not found (${text})`);
  const n = await compiles(page);
  await page.click("#input-editor .cm-content");
  // Go to the host line and make the host upper-case, as a person would.
  await page.keyboard.press("Control+Home");
  for (let i = 1; i < hostLine; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  for (let i = 0; i < "shop.example.test".length; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Delete");
  await page.keyboard.type("S");
  await waitCompiled(page, n);
  const marked = await page.$$eval("#input-editor .cm-lintRange-error", (els) =>
    els.map((e) => {
      const line = e.closest(".cm-line");
      return { text: e.textContent, line: [...line.parentElement.children].indexOf(line) + 1 };
    }),
  );
  assert.ok(marked.length >= 1, "no error marker");
  assert.equal(marked[0].line, hostLine);
  assert.match(marked[0].text, /Shop\.example\.test/);
  await page.hover("#input-editor .cm-lintRange-error");
  const tip = await page.waitForSelector(".cm-tooltip-lint", { timeout: 5000 });
  const tipText = await tip.textContent();
  assert.match(tipText, /invalid-host|host/i);
  assert.match(tipText, /help:/);
  await shot(page, "marker-hover");
  // The list entry jumps to the span.
  await page.keyboard.press("Control+Home");
  await page.click('#diagnostics button[data-code="routec::admission::invalid-host"]');
  assert.equal(await cursorLine(), hostLine);
  const status = await page.$eval('#admission [data-route="shop/web"]', (b) => b.dataset.state);
  assert.equal(status, "rejected");
});

test("hovering a backend line highlights its Route, clicking jumps to it", async () => {
  await load("paths");
  const lines = await page.$$eval("#output-editor .cm-line", (ls) => ls.map((l) => l.textContent));
  assert.ok(lines.length > 0);
  // Scroll the backend into view and hover it.
  const idx = await page.evaluate(() => {
    const text = window.__routecOutput();
    return text.split("\n").findIndex((l) => l.startsWith("backend be_http:store:api"));
  });
  assert.ok(idx > 0);
  await page.evaluate((i) => {
    const scroller = document.querySelector("#output-editor .cm-scroller");
    const lineHeight = document.querySelector("#output-editor .cm-line").getBoundingClientRect().height;
    scroller.scrollTop = Math.max(0, (i - 5) * lineHeight);
  }, idx);
  await page.waitForTimeout(100);
  const target = page.locator("#output-editor .cm-line", { hasText: "backend be_http:store:api" });
  await target.hover();
  await page.waitForFunction(() => document.getElementById("origin-hint").dataset.route === "store/api");
  const hl = await page.evaluate(() => window.__routecInput().highlighted);
  assert.match(hl, /kind: Route\nmetadata:\n {2}name: api\n {2}namespace: store\n/);
  assert.ok((await page.$$("#output-editor .cm-origin-line")).length > 3);
  await shot(page, "origin-hover");
  await target.click();
  const lines2 = (await page.evaluate(() => window.__routecInput().text)).split("\n");
  const line = await cursorLine();
  assert.equal(lines2[line - 1], "apiVersion: route.openshift.io/v1");
  assert.match(lines2.slice(line, line + 4).join("\n"), /kind: Route\nmetadata:\n {2}name: api\n/);
});

test("output diff against the previous compile", async () => {
  await load("balance");
  await showTab("objects.yaml");
  const n = await compiles(page);
  await page.click("#input-editor .cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(
    "\n---\napiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: more\n  namespace: lb\nspec:\n  host: more.apps.example.test\n  to:\n    kind: Service\n    name: rr\n",
  );
  await waitCompiled(page, n);
  await page.check("#diff-toggle");
  const hint = await page.textContent("#origin-hint");
  assert.match(hint, /changed lines? since the previous compile/);
  const added = await page.evaluate(() => window.__routecOutput().includes("backend be_http:lb:more"));
  assert.ok(added);
  await shot(page, "output-diff");
  await page.uncheck("#diff-toggle");
});

test("router settings complete the known keys with their documentation", async () => {
  await load("edge");
  await showTab("router.env");
  await page.click("#input-editor .cm-content");
  await page.keyboard.type("ROUTER_DEFAULT_SERVER_T");
  await page.keyboard.press("Control+Space");
  const opts = await page.waitForSelector(".cm-tooltip-autocomplete");
  const labels = await opts.$$eval("li", (l) => l.map((x) => x.textContent));
  assert.ok(
    labels.some((l) => l.startsWith("ROUTER_DEFAULT_SERVER_TIMEOUT")),
    labels.join(","),
  );
  const info = await page.waitForSelector(".cm-completionInfo");
  assert.match(await info.textContent(), /timeout server/);
  await shot(page, "settings-completion");
  const n = await compiles(page);
  await page.keyboard.press("Enter");
  await page.keyboard.type("45s");
  await waitCompiled(page, n);
  assert.match(await page.evaluate(() => window.__routecOutput()), /timeout server 45s/);
});

test("a share link restores the session; another version is refused with a notice", async () => {
  await load("ab-weights");
  await showTab("route.yaml");
  await page.click("#mode-explain");
  await page.fill("#explain-url", "http://ab.apps.example.test/cart");
  await page.click("#mode-output");
  await page.click('#output-tabs [data-path="conf/os_http_be.map"]');
  await page.click("#share");
  const url = page.url();
  assert.match(url, /#v1\./);
  const fresh = await chrome.context.newPage();
  await fresh.goto(url);
  await waitCompiled(fresh);
  const tabs = await fresh.$$eval("#input-tabs [role=tab]", (b) =>
    b.map((x) => [x.dataset.path, x.getAttribute("aria-selected")]),
  );
  assert.deepEqual(tabs, [
    ["services.yaml", "false"],
    ["route.yaml", "true"],
    ["router.env", "false"],
  ]);
  assert.equal(await fresh.inputValue("#explain-url"), "http://ab.apps.example.test/cart");
  const out = await fresh.$eval('#output-tabs [aria-selected="true"]', (b) => b.dataset.path);
  assert.equal(out, "conf/os_http_be.map");
  assert.match(await fresh.evaluate(() => window.__routecOutput()), /be_http:ab:shop/);
  // Reload keeps it too (hash, then autosave).
  await fresh.reload();
  await waitCompiled(fresh);
  assert.equal(await fresh.inputValue("#explain-url"), "http://ab.apps.example.test/cart");
  await fresh.goto(url.replace("#v1.", "#v9."));
  await fresh.reload();
  await waitCompiled(fresh);
  assert.match(await fresh.textContent("#notice"), /version 9 is not supported/);
  await fresh.close();
});

test("verify reports a known drift in a pasted config", async () => {
  await load("ab-weights");
  await page.click("#mode-verify");
  await page.click("#verify-use-output");
  await page.click("#verify-run");
  await page.waitForSelector("#verify-result [data-equivalent]");
  assert.equal(await page.$eval("#verify-result [data-equivalent]", (e) => e.dataset.equivalent), "true");
  // The live router's config has lost a server weight: change it as a paste would.
  const config = await page.evaluate(() => window.__routecOutput());
  const drifted = config.replace(/(server pod:canary-0:canary:http:\S+ \S+ [^\n]*weight )(\d+)/, "$1999");
  assert.notEqual(drifted, config);
  await page.click("#verify-editor .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await paste(page, "#verify-editor .cm-content", drifted);
  await page.click("#verify-run");

  await page.waitForFunction(
    () => document.querySelector("#verify-result [data-equivalent]")?.dataset.equivalent === "false",
  );
  const rows = await page.$$eval("#verify-result tr.difference", (r) => r.map((x) => x.textContent));
  assert.ok(
    rows.some((r) => /canary/.test(r) && /999/.test(r)),
    rows.join("\n"),
  );
  await shot(page, "verify-drift");
  await page.click("#mode-output");
});

test("every action is reachable from the keyboard", async () => {
  await load("edge");
  await page.click("#mode-output");
  await page.click("body");
  const seen = new Set();
  for (let i = 0; i < 90; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => {
      const a = document.activeElement;
      return a?.id || a?.dataset?.path || a?.getAttribute("aria-label") || a?.textContent?.slice(0, 20);
    });
    seen.add(id);
  }
  for (const id of [
    "example",
    "share",
    "command",
    "download",
    "add-file",
    "rename-file",
    "delete-file",
    "upload-file",
    "mode-output",
    "mode-explain",
    "mode-verify",
    "diff-toggle",
  ]) {
    assert.ok(seen.has(id), `${id} not reachable by Tab: ${[...seen].join(", ")}`);
  }
  // Switch to Explain with the keyboard alone.
  await page.focus("#mode-explain");
  await page.keyboard.press("Enter");
  assert.equal(await page.isVisible("#panel-explain"), true);
  await page.click("#mode-output");
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no serious or critical violations (${scheme})`, async () => {
    const p = (await openPlayground(chrome.context, server.url, "", { colorScheme: scheme })).page;
    const n = await compiles(p);
    await p.selectOption("#example", "host-conflict");
    await waitCompiled(p, n);
    await p.addScriptTag({ content: axeSource });
    const views = ["output", "explain", "verify"];
    const found = [];
    for (const v of views) {
      await p.click(`#mode-${v}`);
      const r = await p.evaluate(async () => {
        const res = await window.axe.run(document, { resultTypes: ["violations"] });
        return res.violations
          .filter((x) => x.impact === "serious" || x.impact === "critical")
          .map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      });
      found.push(...r.map((x) => `${v}: ${x}`));
    }
    await p.click("#mode-output");
    await shot(p, `theme-${scheme}`);
    await p.close();
    assert.deepEqual(found, []);
  });
}

test("the page raised no errors", () => {
  assert.deepEqual(pageErrors, []);
});
