// Test harness for the end-to-end tests: a tiny static server for web/dist on 127.0.0.1 (random
// port) and Debian's Chromium driven by playwright-core with a fresh profile.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const webDir = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const repoDir = resolve(webDir, "..");
const dist = join(webDir, "dist");
export const shots = join(webDir, "test-results");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

export async function serve() {
  if (!existsSync(join(dist, "index.html"))) throw new Error("web/dist is missing: run `npm run build` first");
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let p = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
    if (p.endsWith("/")) p += "index.html";
    const file = join(dist, p);
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export async function browser() {
  const profile = mkdtempSync(join(tmpdir(), "routec-chromium-"));
  // A persistent context is how playwright takes a --user-data-dir: a fresh one per call.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page with the playground loaded and its first compile shown. */
export async function openPlayground(context, base, hash = "", opts = {}) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: opts.colorScheme ?? "light" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + hash);
  await waitCompiled(page);
  return { page, errors };
}

export async function waitCompiled(page, after = 0) {
  await page.waitForFunction((n) => {
    const t = window.__routec;
    const b = document.getElementById("busy");
    return t && t.compiles > n && b?.dataset.state === "done";
  }, after);
}

export async function compiles(page) {
  return page.evaluate(() => window.__routec.compiles);
}

export async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** Pastes text into an editor as the clipboard would (a paste event with text/plain). */
export async function paste(page, selector, text) {
  await page.evaluate(
    ({ selector, text }) => {
      const el = document.querySelector(selector);
      el.focus();
      const data = new DataTransfer();
      data.setData("text/plain", text);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { selector, text },
  );
}
