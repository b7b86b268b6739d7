import { deflateSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { decodeState, encodeState, type SessionState } from "../src/share";

const state: SessionState = {
  files: [
    { path: "route.yaml", text: "kind: Route\nmetadata:\n  name: ünïcode ✓ 'quotes' \"and\" #hash\n" },
    { path: "svc.yaml", text: "x".repeat(20000) },
  ],
  settings: "ROUTER_THREADS=4\n",
  tab: "route.yaml",
  outputTab: "conf/os_http_be.map",
  explainUrl: "https://shop.example.test/cart?x=1",
  sni: "other.example.test",
  clientIp: "203.0.113.7",
};

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

describe("share links", () => {
  it("round-trip the whole session", () => {
    const h = encodeState(state);
    expect(h.startsWith("v1.")).toBe(true);
    expect(h).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(decodeState(`#${h}`)).toEqual({ ok: true, state });
  });
  it("are compressed", () => {
    expect(encodeState(state).length).toBeLessThan(2000);
  });
  it("refuse another version with a reason", () => {
    const body = b64url(deflateSync(strToU8(JSON.stringify(state))));
    const d = decodeState(`#v2.${body}`);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/version 2 is not supported/);
  });
  it("refuse damaged or foreign hashes", () => {
    expect(decodeState("#v1.!!!!").ok).toBe(false);
    expect(decodeState("#section-2").ok).toBe(false);
    const notState = b64url(deflateSync(strToU8(JSON.stringify({ files: "nope" }))));
    expect(decodeState(`v1.${notState}`)).toEqual({ ok: false, reason: "link does not hold a playground session" });
  });
});
