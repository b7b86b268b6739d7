import { describe, expect, it } from "vitest";
import { DEFAULT_CERTIFICATE } from "../src/default-cert";
import { summarizePem } from "../src/pem";

describe("summarizePem", () => {
  it("gives certificate subjects and counts keys without showing them", () => {
    const s = summarizePem(DEFAULT_CERTIFICATE);
    expect(s).toEqual({ subjects: ["O=Playground, CN=*.apps.example.test"], keys: 1 });
    expect(JSON.stringify(s)).not.toContain("PRIVATE");
  });
  it("survives garbage", () => {
    expect(summarizePem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").subjects).toEqual([
      "(unreadable certificate)",
    ]);
  });
});
