// The diagram model, on hand-written results that follow docs/explain-json.md.
import { describe, expect, it } from "vitest";
import { buildDiagram, formatPercent } from "../src/diagram";
import type { Explain } from "../src/explain-types";
import deny from "./explain/deny.json";
import forward from "./explain/forward.json";
import redirect from "./explain/redirect.json";

describe("diagram model", () => {
  it("puts each step in its stage, in order, after the client", () => {
    const d = buildDiagram(forward as Explain);
    expect(d.nodes.map((n) => `${n.stage}:${n.kind}`)).toEqual([
      "client:client",
      "frontend:frontend",
      "frontend:sni",
      "frontend:certificate",
      "map:lookup",
      "backend:backend",
      "servers:servers",
      "outcome:outcome",
    ]);
    expect(d.nodes[0].title).toBe("ab.apps.example.test/cart?id=1");
    expect(d.nodes[0].details).toContain("SNI: ab.apps.example.test");
    expect(d.backend).toBe("be_edge_http:ab:shop");
    expect(d.outcome.tone).toBe("ok");
    expect(d.nodes.every((n) => n.tone === "ok" || n.tone === "info")).toBe(true);
  });
  it("draws weight shares as bar widths", () => {
    const d = buildDiagram(forward as Explain);
    expect(d.servers.map((s) => [s.pod, s.percent, s.label])).toEqual([
      ["blue-0", 35, "35%"],
      ["blue-1", 35, "35%"],
      ["green-0", 25, "25%"],
      ["canary-0", 5, "5%"],
      [null, 0, "0%"],
    ]);
    expect(d.servers[0].address).toBe("10.132.0.1:8080");
    const withPort = structuredClone(forward) as Explain;
    if (withPort.backend) withPort.backend.servers[0].address = "10.132.0.1:8080";
    expect(buildDiagram(withPort).servers[0].address).toBe("10.132.0.1:8080");
    expect(d.servers[0].source?.kind).toBe("EndpointSlice");
    expect(d.whyNot).toEqual([
      {
        route: "ab/old",
        where: "ab.apps.example.test/legacy",
        reason: "path /legacy does not prefix /cart",
        at: { file: "os_edge_reencrypt_be.map", line: 2 },
        source: null,
      },
    ]);
  });
  it("tones the redirect rule and outcome, and keeps the location", () => {
    const d = buildDiagram(redirect as Explain);
    expect(d.outcome).toMatchObject({
      kind: "redirect",
      tone: "redirect",
      status: 302,
      location: "https://docs.apps.example.test/",
    });
    expect(d.nodes.find((n) => n.kind === "rule")?.tone).toBe("redirect");
    expect(d.nodes.find((n) => n.kind === "frontend")?.tone).toBe("ok");
    expect(d.servers).toEqual([]);
    expect(d.nodes[0].details).toContain("from 203.0.113.7");
  });
  it("tones the allow-list that denies, and shows the service note", () => {
    const d = buildDiagram(deny as Explain);
    expect(d.outcome.tone).toBe("deny");
    expect(d.nodes.find((n) => n.kind === "allowlist")?.tone).toBe("deny");
    expect(d.backend).toBe("be_http:ops:admin");
    expect(d.service?.title).toBe("NodePort service admin.ops.svc.cluster.local");
    expect(d.nodes[0].details).toContain("User-Agent: curl");
  });
  it("formats shares", () => {
    expect([0, 100, 33.333, 12.5, 50].map(formatPercent)).toEqual(["0%", "100%", "33.3%", "12.5%", "50%"]);
  });
});
