//! Router settings as `KEY=VALUE` lines, parsed the way routec reads a `--router-env` file
//! (core/src/settings/mod.rs): `#` comments and blank lines are skipped, `export ` is allowed, the
//! value is everything after the first `=`, verbatim. Problems carry byte offsets for the editor;
//! the wasm module reports the same ones as diagnostics, this is what the UI needs before it.

import { SETTING_KEYS } from "./settings-keys";
import { closest } from "./suggest";

const KNOWN = new Set(SETTING_KEYS.map((k) => k.key));

export interface SettingsProblem {
  from: number;
  to: number;
  line: number;
  code: string;
  message: string;
  help?: string;
}

export interface ParsedSettings {
  values: Record<string, string>;
  problems: SettingsProblem[];
}

export function parseSettings(text: string): ParsedSettings {
  const values: Record<string, string> = {};
  const problems: SettingsProblem[] = [];
  let off = 0;
  let lineNo = 0;
  for (const raw of splitInclusive(text)) {
    lineNo++;
    const start = off;
    off += raw.length;
    const line = raw.replace(/[\r\n]+$/, "");
    const t = line.trimStart();
    if (t === "" || t.startsWith("#")) continue;
    const from = start + (line.length - t.length);
    const to = start + line.length;
    const body = t.startsWith("export ") ? t.slice(7) : t;
    const eq = body.indexOf("=");
    const key = eq < 0 ? "" : body.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z0-9_]+$/.test(key)) {
      problems.push({
        from,
        to,
        line: lineNo,
        code: "routec::settings::malformed-line",
        message: "expected a `KEY=VALUE` line",
        help: "router settings use the router's environment variable names, e.g. ROUTER_THREADS=4",
      });
      continue;
    }
    if (!KNOWN.has(key)) {
      const near = closest(key, [...KNOWN]);
      problems.push({
        from,
        to,
        line: lineNo,
        code: "routec::settings::unknown-key",
        message: `\`${key}\` is not a router setting routec knows`,
        help: near ? `did you mean \`${near}\`?` : undefined,
      });
    }
    values[key] = body.slice(eq + 1);
  }
  return { values, problems };
}

/** Settings back to lines, in key order (for the command line and the zip). */
export function formatSettings(values: Record<string, string>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${values[k]}\n`)
    .join("");
}

function splitInclusive(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf("\n", i);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
