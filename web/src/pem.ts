//! Certificate subjects from PEM text, for the output's certificate list. Only CERTIFICATE
//! blocks are decoded (a minimal DER walk to the subject); key blocks are counted, never shown.

export interface PemSummary {
  subjects: string[];
  keys: number;
}

export function summarizePem(text: string): PemSummary {
  const subjects: string[] = [];
  let keys = 0;
  const re = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    if (m[1] === "CERTIFICATE") {
      try {
        subjects.push(subjectOf(base64(m[2])));
      } catch {
        subjects.push("(unreadable certificate)");
      }
    } else if (m[1].includes("PRIVATE KEY")) keys++;
  }
  return { subjects, keys };
}

function base64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
  next: number;
}

function tlv(b: Uint8Array, at: number): Tlv {
  const tag = b[at];
  let len = b[at + 1];
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new Error("length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++];
  }
  if (p + len > b.length) throw new Error("truncated");
  return { tag, start: p, end: p + len, next: p + len };
}

function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.start; p < t.end; ) {
    const c = tlv(b, p);
    out.push(c);
    p = c.next;
  }
  return out;
}

const NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
};

function subjectOf(der: Uint8Array): string {
  const cert = tlv(der, 0);
  const tbs = children(der, cert)[0];
  const fields = children(der, tbs);
  // [0] version is optional; then serial, signature, issuer, validity, subject.
  const i = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[i + 4];
  const parts: string[] = [];
  for (const set of children(der, subject)) {
    for (const atv of children(der, set)) {
      const [oid, value] = children(der, atv);
      const key = NAMES[oidString(der.subarray(oid.start, oid.end))] ?? oidString(der.subarray(oid.start, oid.end));
      parts.push(`${key}=${new TextDecoder().decode(der.subarray(value.start, value.end))}`);
    }
  }
  return parts.join(", ");
}

function oidString(b: Uint8Array): string {
  const out = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      out.push(v);
      v = 0;
    }
  }
  return out.join(".");
}
