import { describe, expect, it } from "vitest";
import { backendRoute, findObject, lineOrigins } from "../src/origins";

describe("origins", () => {
  it("names the route of each backend kind", () => {
    for (const kind of ["be_http", "be_edge_http", "be_secure", "be_tcp"]) {
      expect(backendRoute(`${kind}:shop:web`)).toEqual({ namespace: "shop", name: "web" });
    }
    expect(backendRoute("openshift_default")).toBeNull();
  });
  it("attributes every line of a route backend section, and nothing else", () => {
    const cfg = [
      "frontend public",
      "  use_backend %[base,map_reg(/var/lib/haproxy/conf/os_http_be.map)]",
      "backend be_edge_http:shop:web",
      "  mode http",
      "  server pod:web-0:web:http:10.0.0.1:8080 10.0.0.1:8080 weight 1",
      "",
      "backend openshift_default",
      "  mode http",
    ].join("\n");
    const o = lineOrigins("conf/haproxy.config", cfg).map((r) => (r ? `${r.namespace}/${r.name}` : null));
    expect(o).toEqual([null, null, "shop/web", "shop/web", "shop/web", "shop/web", null, null]);
  });
  it("reads map lines and cert_config lines", () => {
    const map = "^shop\\.example\\.test\\.?(:[0-9]+)?(/.*)?$ be_edge_http:shop:web\n# comment be_http:a:b\n";
    expect(lineOrigins("conf/os_edge_reencrypt_be.map", map)[0]).toEqual({ namespace: "shop", name: "web" });
    expect(lineOrigins("conf/os_edge_reencrypt_be.map", map)[1]).toBeNull();
    const cert = "/var/lib/haproxy/router/certs/pay:api.pem [alpn h2,http/1.1] api.example.test\n";
    expect(lineOrigins("conf/cert_config.map", cert)[0]).toEqual({ namespace: "pay", name: "api" });
  });
  it("finds a Route document in the inputs", () => {
    const a = "kind: Service\nmetadata:\n  name: web\n  namespace: shop\n";
    const b = `kind: Service\nmetadata:\n  name: web\n---\nkind: Route\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    name: other\nspec:\n  host: x\n`;
    const p = findObject(
      [
        { path: "a.yaml", text: a },
        { path: "b.yaml", text: b },
      ],
      "Route",
      { namespace: "shop", name: "web" },
    );
    expect(p).toMatchObject({ file: "b.yaml", line: 5 });
    expect(b.slice(p?.from, p?.to).startsWith("kind: Route")).toBe(true);
    expect(findObject([{ path: "b.yaml", text: b }], "Route", { namespace: "shop", name: "other" })).toBeNull();
  });
});
