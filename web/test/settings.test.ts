import { describe, expect, it } from "vitest";
import { formatSettings, parseSettings } from "../src/settings";

describe("parseSettings", () => {
  it("reads KEY=VALUE lines, verbatim values, comments, export", () => {
    const text = "# comment\n\nROUTER_THREADS=4\nexport ROUTE_LABELS=shard in (a,b)\r\nROUTER_SYSLOG_FORMAT=%ci = %b\n";
    const p = parseSettings(text);
    expect(p.values).toEqual({
      ROUTER_THREADS: "4",
      ROUTE_LABELS: "shard in (a,b)",
      ROUTER_SYSLOG_FORMAT: "%ci = %b",
    });
    expect(p.problems).toEqual([]);
  });
  it("keeps empty values (they mean unset in the router) and the last of a repeated key", () => {
    expect(parseSettings("ROUTER_THREADS=\nSTATS_PORT=1\nSTATS_PORT=2").values).toEqual({
      ROUTER_THREADS: "",
      STATS_PORT: "2",
    });
  });
  it("reports malformed lines with their span", () => {
    const text = "ROUTER_THREADS=4\n  not a setting\n";
    const p = parseSettings(text);
    expect(p.problems).toHaveLength(1);
    const [e] = p.problems;
    expect(e.code).toBe("routec::settings::malformed-line");
    expect(e.line).toBe(2);
    expect(text.slice(e.from, e.to)).toBe("not a setting");
  });
  it("warns on unknown keys with a suggestion", () => {
    const p = parseSettings("ROUTER_THREAD=4\n");
    expect(p.values).toEqual({ ROUTER_THREAD: "4" });
    expect(p.problems[0]).toMatchObject({
      code: "routec::settings::unknown-key",
      line: 1,
      help: "did you mean `ROUTER_THREADS`?",
    });
  });
  it("gives no suggestion when nothing is close", () => {
    expect(parseSettings("COMPLETELY_DIFFERENT=1").problems[0].help).toBeUndefined();
  });
  it("round-trips through formatSettings", () => {
    const v = { STATS_PORT: "1936", ROUTER_THREADS: "4" };
    expect(parseSettings(formatSettings(v)).values).toEqual(v);
  });
});
