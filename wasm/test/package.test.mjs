// The npm package as a user gets it: `npm pack` of wasm/pkg, installed offline into a fresh
// project, then used from CommonJS, from an ES module, and type-checked from TypeScript
// (`tsc --noEmit`, with the typescript of web/node_modules). Also checks the "browser" and
// bundler entries resolve to ES modules that exist in the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const pkg = join(root, "wasm/pkg");
const tsc = join(root, "web/node_modules/typescript/bin/tsc");
const yaml = readFileSync(join(root, "fixtures/valid/http-basic/objects.yaml"), "utf8");

test("npm pack, install offline, use from CJS, ESM and TypeScript", () => {
  const meta = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(meta.name, "routec-wasm");
  assert.match(meta.version, /^\d+\.\d+\.\d+/);
  assert.equal(meta.license, "Apache-2.0");
  const dir = mkdtempSync(join(tmpdir(), "routec-npm-"));
  try {
    const out = execFileSync("npm", ["pack", pkg, "--pack-destination", dir, "--json"], { encoding: "utf8" });
    const [info] = JSON.parse(out);
    const packed = info.files.map((f) => f.path).sort();
    for (const f of ["package.json", "README.md", "nodejs/routec_wasm.js", "nodejs/index.mjs", "nodejs/routec_wasm_bg.wasm", "web/routec_wasm.js", "web/routec_wasm_bg.wasm", "bundler/routec_wasm.js", "nodejs/routec_wasm.d.ts"]) {
      assert.ok(packed.includes(f), `${f} not in the tarball: ${packed.join(", ")}`);
    }
    const tgz = join(dir, info.filename);
    const app = join(dir, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", tgz, "--offline", "--no-audit", "--no-fund", "--silent"], { cwd: app });
    writeFileSync(join(app, "objects.yaml"), yaml);

    writeFileSync(join(app, "use.cjs"), `
      const fs = require("fs");
      const routec = require("routec-wasm");
      const out = routec.compile([{ path: "objects.yaml", text: fs.readFileSync("objects.yaml", "utf8") }], {});
      if (out.error) throw new Error(out.error);
      const cfg = out.files.find((f) => f.path === "conf/haproxy.config");
      console.log(routec.version(), out.hasErrors, cfg.text.includes("backend be_http:"));
    `);
    assert.equal(execFileSync("node", ["use.cjs"], { cwd: app, encoding: "utf8" }).trim(), `${meta.version} false true`);

    writeFileSync(join(app, "use.mjs"), `
      import { readFileSync } from "node:fs";
      import { check, version } from "routec-wasm";
      import routec from "routec-wasm";
      const r = check([{ path: "objects.yaml", text: readFileSync("objects.yaml", "utf8") }], {}, { strict: false });
      console.log(version() === routec.version(), r.failed, typeof r.rendered);
    `);
    assert.equal(execFileSync("node", ["use.mjs"], { cwd: app, encoding: "utf8" }).trim(), "true false string");

    writeFileSync(join(app, "usage.ts"), `
      import { compile, check, version, type FileDto } from "routec-wasm";
      const files: FileDto[] = [{ path: "objects.yaml", text: "kind: Route" }];
      const out = compile(files, { ROUTER_USE_PROXY_PROTOCOL: "true" }, { haproxyVersion: "2.6" });
      const v: string = version();
      const c = check(files, {}, { strict: true, now: new Date().toISOString() });
      export const summary = [v, "error" in out ? out.error : out.files.length, "error" in c ? 0 : c.errors];
    `);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", skipLibCheck: false, types: [] },
      files: ["usage.ts"],
    }));
    execFileSync("node", [tsc, "-p", "."], { cwd: app, encoding: "utf8" });
    // A type error in the usage file is caught, so the check above is not vacuous.
    writeFileSync(join(app, "usage.ts"), `import { version } from "routec-wasm"; const n: number = version(); export { n };`);
    assert.throws(() => execFileSync("node", [tsc, "-p", "."], { cwd: app, stdio: "pipe" }));

    // The browser and bundler entries: ES modules present in the installed package.
    const installed = join(app, "node_modules/routec-wasm");
    const browser = execFileSync("node", ["--conditions=browser", "-e", "console.log(require.resolve('routec-wasm'))"], { cwd: app, encoding: "utf8" }).trim();
    assert.ok(browser.endsWith("web/routec_wasm.js"), browser);
    assert.match(readFileSync(join(installed, "web/routec_wasm.js"), "utf8"), /export \{[^}]*as default/);
    assert.match(readFileSync(join(installed, "bundler/routec_wasm.js"), "utf8"), /^import|export \*/m);
    assert.ok(existsSync(join(installed, "README.md")));
    assert.ok(readdirSync(join(installed, "nodejs")).includes("routec_wasm_bg.wasm"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
