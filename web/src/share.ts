//! The whole session in a URL hash: `#v1.<base64url(deflate(JSON))>`. The version prefix lets a
//! later playground refuse (or migrate) links it cannot read instead of showing garbage. No
//! server is involved; localStorage keeps the same encoding for autosave.

import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";

export const SHARE_VERSION = 1;

export interface SessionState {
  files: { path: string; text: string }[];
  settings: string;
  /** The selected input tab (a file path, or "settings"). */
  tab: string;
  /** The selected output tab. */
  outputTab?: string;
  explainUrl: string;
  sni?: string;
  noSni?: boolean;
  clientIp?: string;
}

export type Decoded = { ok: true; state: SessionState } | { ok: false; reason: string };

export function encodeState(state: SessionState): string {
  const json = JSON.stringify(state);
  return `v${SHARE_VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

export function decodeState(hash: string): Decoded {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  const m = /^v(\d+)\.(.*)$/s.exec(h);
  if (!m) return { ok: false, reason: "not a playground link" };
  const version = Number(m[1]);
  if (version !== SHARE_VERSION) {
    return { ok: false, reason: `link version ${version} is not supported (this playground reads v${SHARE_VERSION})` };
  }
  try {
    const state = JSON.parse(strFromU8(inflateSync(fromBase64Url(m[2])))) as unknown;
    if (!isState(state)) return { ok: false, reason: "link does not hold a playground session" };
    return { ok: true, state };
  } catch {
    return { ok: false, reason: "link is damaged" };
  }
}

function isState(v: unknown): v is SessionState {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    Array.isArray(s.files) &&
    s.files.every(
      (f) => typeof f === "object" && f !== null && typeof f.path === "string" && typeof f.text === "string",
    ) &&
    typeof s.settings === "string" &&
    typeof s.tab === "string" &&
    typeof s.explainUrl === "string"
  );
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
