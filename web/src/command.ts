//! The `routec` command lines that reproduce a session: the input files as named in the
//! playground (the downloaded zip holds them under those names), the settings as `--set`.

import type { ExplainQuery } from "./explain-types";

/** POSIX shell quoting: bare when safe, otherwise single quotes with `'\''`. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

function sets(settings: Record<string, string>): string[] {
  return Object.keys(settings)
    .sort()
    .map((k) => `--set ${shellQuote(`${k}=${settings[k]}`)}`);
}

export interface CommandOptions {
  /** The default certificate's file name, when the session uses one. */
  defaultCertificate?: string;
}

function defaults(o: CommandOptions): string[] {
  return o.defaultCertificate ? [`--default-certificate ${shellQuote(o.defaultCertificate)}`] : [];
}

export function compileCommand(paths: string[], settings: Record<string, string>, o: CommandOptions = {}): string {
  return ["routec compile", ...paths.map(shellQuote), ...sets(settings), ...defaults(o), "-o out"].join(" ");
}

export function explainCommand(
  paths: string[],
  settings: Record<string, string>,
  q: ExplainQuery,
  o: CommandOptions = {},
): string {
  const parts = ["routec explain", shellQuote(q.url), ...paths.map(shellQuote), ...sets(settings), ...defaults(o)];
  if (q.noSni) parts.push("--no-sni");
  else if (q.sni) parts.push(`--sni ${shellQuote(q.sni)}`);
  if (q.clientIp) parts.push(`--client-ip ${shellQuote(q.clientIp)}`);
  parts.push("--format json");
  return parts.join(" ");
}
