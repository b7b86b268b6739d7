// The settings table must list exactly the keys core/src/settings/mod.rs knows, so it cannot drift.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTING_KEYS } from "../src/settings-keys";

function rustKnown(): string[] {
  const src = readFileSync(new URL("../../core/src/settings/mod.rs", import.meta.url), "utf8");
  const m = /pub const KNOWN: &\[&str\] = &\[([\s\S]*?)\];/.exec(src);
  if (!m) throw new Error("KNOWN not found in core/src/settings/mod.rs");
  return [...m[1].matchAll(/"([A-Z0-9_]+)"/g)].map((x) => x[1]);
}

describe("settings keys", () => {
  it("match core/src/settings/mod.rs KNOWN exactly", () => {
    const rust = rustKnown();
    expect(rust.length).toBeGreaterThan(50);
    expect(SETTING_KEYS.map((k) => k.key).sort()).toEqual([...rust].sort());
  });
  it("each have documentation", () => {
    for (const k of SETTING_KEYS) expect(k.doc.length, k.key).toBeGreaterThan(5);
  });
});
