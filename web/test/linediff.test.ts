import { describe, expect, it } from "vitest";
import { diffLines } from "../src/linediff";

function sides(ops: { kind: string; line: string }[]) {
  return {
    a: ops.filter((o) => o.kind !== "add").map((o) => o.line),
    b: ops.filter((o) => o.kind !== "del").map((o) => o.line),
  };
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

describe("diffLines", () => {
  it("marks an inserted and a removed line", () => {
    const d = diffLines(["a", "b", "c"], ["a", "x", "c", "d"]);
    expect(d.ops.map((o) => `${o.kind}:${o.line}`)).toEqual(["same:a", "del:b", "add:x", "same:c", "add:d"]);
  });
  it("rebuilds both sides with a minimal number of edits on random inputs", () => {
    const r = rng(7);
    for (let n = 0; n < 200; n++) {
      const a = Array.from({ length: Math.floor(r() * 30) }, () => "abcde"[Math.floor(r() * 5)]);
      const b = a.filter(() => r() > 0.2).flatMap((x) => (r() > 0.85 ? [x, "z"] : [x]));
      const d = diffLines(a, b);
      expect(d.coarse).toBe(false);
      expect(sides(d.ops)).toEqual({ a, b });
      const edits = d.ops.filter((o) => o.kind !== "same").length;
      expect(edits).toBeLessThanOrEqual(a.length + b.length);
    }
  });
  it("falls back to a coarse diff beyond its budget, still correct", () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 300 }, (_, i) => `b${i}`);
    const d = diffLines(a, b, 10);
    expect(d.coarse).toBe(true);
    expect(sides(d.ops)).toEqual({ a, b });
  });
});
