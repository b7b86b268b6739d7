import { describe, expect, it } from "vitest";
import { compileCommand, explainCommand, shellQuote } from "../src/command";

describe("command lines", () => {
  it("quote for a POSIX shell", () => {
    expect(shellQuote("objects.yaml")).toBe("objects.yaml");
    expect(shellQuote("my file.yaml")).toBe("'my file.yaml'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
  it("reproduce compile and explain", () => {
    const s = { ROUTE_LABELS: "shard in (a,b)", ROUTER_THREADS: "4" };
    expect(compileCommand(["a.yaml", "b c.yaml"], s, { defaultCertificate: "default.pem" })).toBe(
      "routec compile a.yaml 'b c.yaml' --set ROUTER_THREADS=4 --set 'ROUTE_LABELS=shard in (a,b)' --default-certificate default.pem -o out",
    );
    expect(explainCommand(["a.yaml"], {}, { url: "https://x.test/", sni: "y.test", clientIp: "192.0.2.1" })).toBe(
      "routec explain https://x.test/ a.yaml --sni y.test --client-ip 192.0.2.1 --format json",
    );
    expect(explainCommand(["a.yaml"], {}, { url: "https://x.test/", noSni: true, sni: "ignored" })).toBe(
      "routec explain https://x.test/ a.yaml --no-sni --format json",
    );
  });
});
