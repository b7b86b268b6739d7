// Runs every fixture through the wasm module and through the native CLI and requires the same
// output files and the same rendered diagnostics; then feeds hostile input to the module and
// requires diagnostics back, never a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const wasm = require(join(root, "wasm/pkg/nodejs/routec_wasm.js"));
const cli = join(root, "target/release/routec");

function walk(dir, exts) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

function sortedInputs(dir) {
  // The CLI sorts paths component by component, byte-wise; the fixture folders are flat.
  return walk(dir, [".yaml", ".yml", ".json"]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function parseEnv(text) {
  const settings = {};
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf("=");
    if (i > 0) settings[line.slice(0, i)] = line.slice(i + 1);
  }
  return settings;
}

function defaultCert() {
  const dir = join(root, "fixtures/default-cert");
  const crt = readFileSync(join(dir, "tls.crt"), "utf8");
  return crt.includes("PRIVATE KEY") ? crt : crt + readFileSync(join(dir, "tls.key"), "utf8");
}

// The files the CLI wrote under `out` (then removed), by relative path. The manifest is the
// CLI's record of what it wrote (for safe rewrites), not router output.
function readTree(out) {
  const files = {};
  for (const p of walk(out, [""])) {
    const rel = relative(out, p);
    if (rel !== ".routec-manifest") files[rel] = readFileSync(p, "utf8");
  }
  rmSync(out, { recursive: true, force: true });
  return files;
}

function cliOutput(caseDir) {
  const out = mkdtempSync(join(tmpdir(), "routec-cli-"));
  const args = ["compile", relative(root, caseDir), "--default-certificate", "fixtures/default-cert", "-o", out];
  const env = join(caseDir, "router.env");
  if (existsSync(env)) args.push("--router-env", relative(root, env));
  const res = spawnSync(cli, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const files = readTree(out);
  // The CLI ends with a summary line on stderr; the diagnostics are what must match.
  const stderr = res.stderr.replace(/^compiled \d+ routes? \(.*\) into .* in \d+ ms\n$/m, "");
  return { files, stderr, code: res.status };
}

function wasmOutput(caseDir) {
  const files = sortedInputs(caseDir).map((p) => ({ path: relative(root, p), text: readFileSync(p, "utf8") }));
  const envPath = join(caseDir, "router.env");
  const settings = existsSync(envPath) ? parseEnv(readFileSync(envPath, "utf8")) : {};
  // The CLI checks certificate dates against the clock; give the module the same time.
  const res = wasm.compile(files, settings, { defaultCertificate: defaultCert(), now: new Date().toISOString() });
  assert.ok(!res.error, res.error);
  return res;
}

const cases = readdirSync(join(root, "fixtures/valid")).map((c) => join(root, "fixtures/valid", c));
cases.push(join(root, "fixtures/example"));

test("wasm and the native CLI give identical files and diagnostics for every fixture", () => {
  assert.ok(cases.length >= 40);
  for (const c of cases) {
    const native = cliOutput(c);
    const w = wasmOutput(c);
    const wasmFiles = Object.fromEntries(w.files.map((f) => [f.path, f.text]));
    assert.deepEqual(Object.keys(wasmFiles).sort(), Object.keys(native.files).sort(), `${c}: file list`);
    for (const [p, text] of Object.entries(native.files)) assert.equal(wasmFiles[p], text, `${c}: ${p}`);
    // Settings come from a file in the CLI (their findings point into it) and from an object
    // here, so only cases without settings findings render alike.
    if (!native.stderr.includes("routec::settings::")) {
      assert.equal(w.rendered, native.stderr, `${c}: rendered diagnostics`);
    }
    assert.equal(w.hasErrors, native.code === 1, `${c}: exit code`);
    for (const d of w.diagnostics) {
      assert.ok(["error", "warning", "advice"].includes(d.severity));
      if (d.file) assert.ok(d.startPos.line >= 1 && d.end >= d.start, `${c}: span of ${d.code}`);
    }
  }
});

test("wasm compile with a router template gives the CLI's `compile --template` files and diagnostics", () => {
  const dir = join(root, "fixtures/router-templates");
  const objects = { path: "fixtures/router-templates/objects.yaml", text: readFileSync(join(dir, "objects.yaml"), "utf8") };
  const now = "2027-01-01T00:00:00Z";
  const cases = readdirSync(dir).filter((c) => statSync(join(dir, c)).isDirectory());
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const tpath = `fixtures/router-templates/${c}/template.tmpl`;
    const out = mkdtempSync(join(tmpdir(), "routec-cli-"));
    const args = ["compile", objects.path, "--template", tpath, "--default-certificate", "fixtures/default-cert", "--now", now, "-o", out];
    const envPath = join(dir, c, "router.env");
    if (existsSync(envPath)) args.push("--router-env", relative(root, envPath));
    const native = spawnSync(cli, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const files = readTree(out);
    const settings = existsSync(envPath) ? parseEnv(readFileSync(envPath, "utf8")) : {};
    const template = { path: tpath, text: readFileSync(join(root, tpath), "utf8") };
    const w = wasm.compile([objects], settings, { defaultCertificate: defaultCert(), now, template });
    assert.ok(!w.error, w.error);
    const wasmFiles = Object.fromEntries(w.files.map((f) => [f.path, f.text]));
    assert.deepEqual(Object.keys(wasmFiles).sort(), Object.keys(files).sort(), `${c}: file list`);
    for (const [p, text] of Object.entries(files)) assert.equal(wasmFiles[p], text, `${c}: ${p}`);
    // Settings come from a file in the CLI and from an object here; compare template findings.
    const codes = (text) => (text.match(/routec::template::[a-z-]+/g) || []).sort();
    assert.deepEqual(codes(w.rendered), codes(native.stderr), `${c}: template diagnostics`);
    for (const d of w.diagnostics.filter((d) => d.code.startsWith("routec::template::") && d.file)) {
      assert.equal(d.file, tpath, `${c}: ${d.code} points into the template`);
    }
  }
});

test("wasm check and `routec check` report the same findings for every invalid fixture", () => {
  const dir = join(root, "fixtures/invalid");
  const invalid = readdirSync(dir).map((c) => join(dir, c));
  assert.ok(invalid.length >= 60);
  const now = "2027-01-01T00:00:00Z";
  for (const c of invalid) {
    const args = ["check", relative(root, c), "--now", now];
    const envPath = join(c, "router.env");
    if (existsSync(envPath)) args.push("--router-env", relative(root, envPath));
    const native = spawnSync(cli, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    // Inputs that are not UTF-8 reach JS as text already decoded; the CLI case covers them.
    if (c.endsWith("not-utf8")) continue;
    const files = sortedInputs(c).map((p) => ({ path: relative(root, p), text: readFileSync(p, "utf8") }));
    const settings = existsSync(envPath) ? parseEnv(readFileSync(envPath, "utf8")) : {};
    const w = wasm.check(files, settings, { now });
    assert.ok(!w.error, w.error);
    // Settings come from a file in the CLI and from an object here, so their findings differ.
    if (existsSync(envPath) && c.includes("settings-")) continue;
    assert.equal(w.rendered, native.stdout, `${c}: rendered findings`);
    assert.equal(w.failed, native.status === 1, `${c}: exit code`);
    assert.equal(wasm.check(files, settings, { now, strict: true }).failed, w.errors + w.warnings > 0, `${c}: strict`);
  }
  assert.ok(wasm.check([], {}, { now: "yesterday" }).error);
});

test("wasm verify and diff agree with the CLI on an oracle case", () => {
  const c = join(root, "../shared/oracle/34-mixed-cluster");
  const conf = join(c, "expected/conf");
  const bundle = (cfg) => ({
    config: { path: "haproxy.config", text: cfg },
    files: readdirSync(conf).filter((n) => n.endsWith(".map")).map((n) => ({ path: n, text: readFileSync(join(conf, n), "utf8") })),
  });
  const cfg = readFileSync(join(conf, "haproxy.config"), "utf8");
  const files = sortedInputs(join(c, "input")).map((p) => ({ path: relative(root, p), text: readFileSync(p, "utf8") }));
  const settings = parseEnv(readFileSync(join(c, "router.env"), "utf8"));
  const opts = { defaultCertificate: readFileSync(join(root, "../shared/oracle/default-cert/tls.crt"), "utf8") };
  const same = wasm.verify(files, settings, opts, bundle(cfg));
  assert.ok(!same.error, same.error);
  assert.equal(same.equivalent, true, JSON.stringify(same.differences.slice(0, 3)));
  const drift = wasm.verify(files, settings, opts, bundle(cfg.replace("balance random", "balance leastconn")));
  assert.equal(drift.equivalent, false);
  assert.ok(drift.differences.some((d) => d.field === "balance" && d.found === "balance leastconn"));
  const cosmetic = wasm.diff(bundle(cfg), bundle(cfg.replace(/\n/g, "  # note\n")));
  assert.equal(cosmetic.equivalent, true);
  assert.ok(wasm.diff({ nope: 1 }, bundle(cfg)).error);
  const broken = wasm.diff(bundle(cfg), bundle('global\n  maxconn "1\n'));
  assert.ok(broken.problems.some((p) => p.code === "routec::hap::unmatched-quote" && p.fatal));
});

function mustReturnDiagnostics(name, files) {
  const res = wasm.compile(files, {}, {});
  assert.ok(Array.isArray(res.diagnostics), `${name}: no diagnostics array`);
  assert.ok(res.hasErrors, `${name}: expected an error diagnostic`);
  return res;
}

test("hostile and broken input returns diagnostics, never a trap", () => {
  mustReturnDiagnostics("malformed yaml", [{ path: "a.yaml", text: "kind: Route\nmetadata: [\n" }]);
  mustReturnDiagnostics("malformed json", [{ path: "a.json", text: '{"kind": "Route",' }]);
  mustReturnDiagnostics("deep yaml", [{ path: "d.yaml", text: "[".repeat(200000) }]);
  mustReturnDiagnostics("deep json", [{ path: "d.json", text: "[".repeat(200000) }]);
  mustReturnDiagnostics("nul bytes", [{ path: "n.yaml", text: "kind: Route\u0000\n" }]);
  const route = (path) =>
    `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: n}\nspec: {host: h.example.test, path: ${JSON.stringify(path)}, to: {kind: Service, name: s}}\n`;
  for (const s of ["/x\nserver evil 1.2.3.4:80", "/x\r\nuse_backend evil", "/\u0000"]) {
    const res = mustReturnDiagnostics(`hostile ${JSON.stringify(s)}`, [{ path: "h.yaml", text: route(s) }]);
    const cfg = res.files.find((f) => f.path === "conf/haproxy.config").text;
    assert.ok(!/^\s*(server evil|use_backend evil)/m.test(cfg));
  }
  // A label 100k columns along one line (minified JSON): miette cannot draw that; it must be
  // written as a position instead, never a trap.
  const pad = "a".repeat(100000);
  const one = `{"apiVersion":"route.openshift.io/v1","kind":"Route","metadata":{"name":"r","namespace":"n","annotations":{"x":"${pad}"}},"spec":{"host":"h.example.test","path":"p","to":{"kind":"Service","name":"s"}}}`;
  const long = mustReturnDiagnostics("label far along one line", [{ path: "min.json", text: one }]);
  assert.match(long.rendered, /at min\.json:1:\d{6}: no leading slash/);
  assert.equal(wasm.compile("not an array", {}, {}).error !== undefined, true);
  assert.equal(wasm.compile([{ path: 1 }], {}, {}).error !== undefined, true);
  // Arguments are read field by field (wasm/src/read.rs): a wrong type names the field, a
  // missing optional field or `null` takes its default, and unknown fields are ignored.
  const ok = [{ path: "a.yaml", text: "" }];
  const refusals = [
    [[{ path: "a.yaml", text: 1 }], {}, {}, /`text` must be a string/],
    [[{ path: "a.yaml" }], {}, {}, /missing field `text`/],
    [ok, { ROUTER_X: 1 }, {}, /settings must map names to strings: `ROUTER_X` must be a string/],
    [ok, ["a"], {}, /settings must map names to strings/],
    [ok, {}, { strict: "yes" }, /`strict` must be a boolean/],
    [ok, {}, { limits: { maxObjects: -1 } }, /`maxObjects` must be a non-negative whole number/],
    [ok, {}, { limits: { maxObjects: 1.5 } }, /`maxObjects` must be a non-negative whole number/],
    [ok, {}, { limits: 5 }, /`limits` must be an object/],
    [ok, {}, { template: { path: "t" } }, /missing field `text`/],
    [ok, {}, "2.6", /options must be an object/],
  ];
  for (const [files, settings, options, message] of refusals) {
    assert.match(wasm.check(files, settings, options).error ?? "", message, JSON.stringify(options));
  }
  const lenient = wasm.check(ok, null, { baseDir: null, strict: undefined, unknownField: 1, limits: {} });
  assert.equal(lenient.error, undefined, lenient.error);
  assert.equal(lenient.failed, false);
  const limited = wasm.compile([{ path: "a.yaml", text: "a: 1\n" }], {}, { limits: { maxInputBytes: 2 } });
  assert.ok(limited.diagnostics.some((d) => d.code === "routec::input::too-large"));
  assert.match(wasm.diff({ config: { path: "h", text: "" }, files: "x" }, { config: { path: "h", text: "" } }).error, /`files` must be an array/);
  assert.match(wasm.explainConfig({ config: { path: "h", text: "" } }, { url: "http://a/", headers: [{ name: "x" }] }).error, /missing field `value`/);
  // A 50 MB input: one huge scalar inside an otherwise valid route.
  const big = `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: n, annotations: {x: "${"a".repeat(50 * 1024 * 1024)}"}}\nspec: {host: "bad host", to: {kind: Service, name: s}}\n`;
  const res = wasm.compile([{ path: "big.yaml", text: big }], {}, {});
  assert.ok(Array.isArray(res.diagnostics));
});

test("version", () => {
  assert.match(wasm.version(), /^\d+\.\d+\.\d+$/);
  execFileSync(cli, ["--version"]);
});
