// Every example compiles with the wasm package (the nodejs build from wasm/build.sh) without
// errors, and every broken one produces the diagnostic it is about.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { DEFAULT_CERTIFICATE } from "../src/default-cert";
import { EXAMPLES } from "../src/examples";
import { parseSettings } from "../src/settings";
import { parseStatus } from "../src/status";

const require = createRequire(import.meta.url);
const routec = require("../../wasm/pkg/nodejs/routec_wasm.js") as {
  compile(
    files: unknown,
    settings: unknown,
    options: unknown,
  ): {
    error?: string;
    hasErrors: boolean;
    diagnostics: { code: string; severity: string }[];
    files: { path: string; text: string }[];
    status: string;
  };
};

describe("examples", () => {
  it("cover the scenarios the issue lists", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(25);
    for (const e of EXAMPLES)
      expect(
        e.files.every((f) => f.text.length > 0),
        e.id,
      ).toBe(true);
  });
  for (const e of EXAMPLES) {
    it(e.id, () => {
      const settings = parseSettings(e.settings);
      const r = routec.compile(e.files, settings.values, { defaultCertificate: DEFAULT_CERTIFICATE });
      expect(r.error).toBeUndefined();
      const codes = [...r.diagnostics.map((d) => d.code), ...settings.problems.map((p) => p.code)];
      if (e.expect.length === 0) {
        expect(r.hasErrors, JSON.stringify(r.diagnostics)).toBe(false);
        expect(settings.problems).toEqual([]);
        expect(r.files.find((f) => f.path === "conf/haproxy.config")?.text).toMatch(/^backend be_/m);
        expect(parseStatus(r.status).some((s) => s.state === "admitted")).toBe(true);
      } else {
        for (const c of e.expect) expect(codes).toContain(c);
      }
    });
  }
});
