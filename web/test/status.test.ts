import { describe, expect, it } from "vitest";
import { parseStatus } from "../src/status";

describe("parseStatus", () => {
  it("reads admitted, rejected and ignored routes", () => {
    const y = `inputs:
- a.yaml
routes:
- admitted: true
  host: www.example.test
  name: web
  namespace: team-a
  state: admitted
- admitted: false
  host: www.example.test
  message: "a route in another namespace holds www.example.test: \\"older\\""
  name: web
  namespace: team-b
  reason: HostAlreadyClaimed
  state: rejected
- admitted: false
  host: x.example.test
  name: x
  namespace: dev
  reason: "route labels do not match ROUTE_LABELS"
  state: ignored
`;
    const s = parseStatus(y);
    expect(s.map((r) => [r.namespace, r.state, r.reason])).toEqual([
      ["team-a", "admitted", undefined],
      ["team-b", "rejected", "HostAlreadyClaimed"],
      ["dev", "ignored", "route labels do not match ROUTE_LABELS"],
    ]);
    expect(s[1].message).toBe('a route in another namespace holds www.example.test: "older"');
  });
  it("is empty without routes", () => {
    expect(parseStatus("inputs:\n- a.yaml\n")).toEqual([]);
  });
});
