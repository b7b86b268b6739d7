import { describe, expect, it } from "vitest";
import { byteIndexer, byteToIndex } from "../src/text";

describe("byte offsets", () => {
  it("map UTF-8 bytes to UTF-16 indexes", () => {
    const t = "aé✓😀b";
    const bytes = new TextEncoder().encode(t);
    expect(bytes.length).toBe(1 + 2 + 3 + 4 + 1);
    expect([0, 1, 3, 6, 10, 11].map((b) => byteToIndex(t, b))).toEqual([0, 1, 2, 3, 5, 6]);
    expect(byteIndexer(t)(10)).toBe(5);
  });
  it("are the identity on ASCII, clamped", () => {
    const f = byteIndexer("plain ascii");
    expect([0, 5, 11, 99].map(f)).toEqual([0, 5, 11, 11]);
  });
});
