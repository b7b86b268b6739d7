// explain in wasm returns the CLI's JSON: for every request of every fixture's requests.txt,
// wasm.explain equals `routec explain URL INPUT --format json`; wasm.routes equals
// `routec explain --routes`; and over a compiled router directory, wasm.explainConfig and
// wasm.routesConfig equal `routec explain --config DIR`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const wasm = require(join(root, "wasm/pkg/nodejs/routec_wasm.js"));
const cli = join(root, "target/release/routec");

function inputs(dir) {
  return readdirSync(dir)
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

function settingsOf(dir) {
  const settings = {};
  const p = join(dir, "router.env");
  if (!existsSync(p)) return settings;
  for (const raw of readFileSync(p, "utf8").split("\n")) {
    const line = raw.trim();
    const i = line.indexOf("=");
    if (line && !line.startsWith("#") && i > 0) settings[line.slice(0, i)] = line.slice(i + 1);
  }
  return settings;
}

function defaultCert() {
  const dir = join(root, "fixtures/default-cert");
  const crt = readFileSync(join(dir, "tls.crt"), "utf8");
  return crt.includes("PRIVATE KEY") ? crt : crt + readFileSync(join(dir, "tls.key"), "utf8");
}

/** A requests.txt line as CLI flags and as a wasm request. */
function parse(line) {
  const [url, ...opts] = line.split(/\s+/);
  const flags = [];
  const req = { url };
  let malformed = false;
  for (const o of opts) {
    const [k, v] = o.includes("=") ? [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)] : [o, ""];
    if (k === "sni") (flags.push("--sni", v), (req.sni = v));
    else if (k === "no-sni") (flags.push("--no-sni"), (req.noSni = true));
    else if (k === "client") (flags.push("--client-ip", v), (req.clientIp = v));
    else if (k === "header") {
      const i = v.indexOf(":");
      flags.push("--header", v);
      // {name, value} cannot hold a header without a colon; only the CLI can be given one.
      if (i < 0) malformed = true;
      (req.headers ??= []).push({ name: v.slice(0, i), value: v.slice(i + 1).trim() });
    }
  }
  return { url, flags, req, malformed };
}

function run(args) {
  const res = spawnSync(cli, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

function caseArgs(dir) {
  const args = [relative(root, dir), "--default-certificate", "fixtures/default-cert"];
  if (existsSync(join(dir, "router.env"))) args.push("--router-env", relative(root, join(dir, "router.env")));
  return args;
}

const cases = readdirSync(join(root, "fixtures/valid"))
  .map((c) => join(root, "fixtures/valid", c))
  .filter((c) => existsSync(join(c, "requests.txt")));

test("wasm explain and routes return the CLI's JSON on every fixture request", () => {
  assert.ok(cases.length >= 10);
  let n = 0;
  for (const dir of cases) {
    const files = inputs(dir).map((p) => ({ path: relative(root, p), text: readFileSync(p, "utf8") }));
    const settings = settingsOf(dir);
    const options = { defaultCertificate: defaultCert(), now: new Date().toISOString() };
    const lines = readFileSync(join(dir, "requests.txt"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const line of lines) {
      const { url, flags, req, malformed } = parse(line);
      const native = run(["explain", url, ...caseArgs(dir), ...flags, "--format", "json"]);
      if (malformed) {
        assert.equal(native.code, 2, `${dir}: ${line}: the CLI must refuse a header without a colon`);
        continue;
      }
      const w = wasm.explain(files, settings, options, req);
      if (native.code === 2) {
        assert.ok(w.error, `${dir}: ${line}: the CLI refused it, wasm did not`);
      } else {
        assert.deepEqual(w, JSON.parse(native.out), `${dir}: ${line}`);
      }
      n++;
    }
    const native = run(["explain", "--routes", ...caseArgs(dir), "--format", "json"]);
    assert.deepEqual(wasm.routes(files, settings, options), JSON.parse(native.out), `${dir}: --routes`);
  }
  assert.ok(n > 100, `only ${n} requests`);
});

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else out.push(p);
  }
  return out;
}

test("wasm explainConfig and routesConfig return the CLI's JSON on a router directory", () => {
  for (const dir of cases) {
    const out = mkdtempSync(join(tmpdir(), "routec-explain-"));
    assert.equal(run(["compile", ...caseArgs(dir), "-o", out]).code, 0);
    const config = join(out, "conf/haproxy.config");
    const files = walk(out)
      .filter((p) => p.endsWith(".map") || p.includes("/router/allowlists/"))
      .map((p) => ({ path: relative(out, p), text: readFileSync(p, "utf8") }));
    const bundle = { config: { path: config, text: readFileSync(config, "utf8") }, files };
    const lines = readFileSync(join(dir, "requests.txt"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const line of lines) {
      const { url, flags, req, malformed } = parse(line);
      if (malformed) continue;
      const native = run(["explain", url, "--config", out, ...flags, "--format", "json"]);
      const w = wasm.explainConfig(bundle, req);
      if (native.code === 2) assert.ok(w.error, `${dir}: ${line}`);
      else assert.deepEqual(w, JSON.parse(native.out), `${dir}: ${line} (config)`);
    }
    const native = run(["explain", "--routes", "--config", out, "--format", "json"]);
    assert.deepEqual(wasm.routesConfig(bundle), JSON.parse(native.out), `${dir}: --routes --config`);
    rmSync(out, { recursive: true, force: true });
  }
});

test("wasm explain refuses bad arguments with an error, never a trap", () => {
  assert.ok(wasm.explain([], {}, {}, { url: "nope" }).error);
  assert.ok(wasm.explain([], {}, {}, 42).error);
  assert.ok(wasm.explainConfig({ config: { path: "x", text: "\0\0" } }, { url: "http://a/" }).schema);
  assert.ok(wasm.routesConfig(7).error);
});
