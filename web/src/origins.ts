//! Which Route an output line came from. The router names route backends
//! `be_http:NS:NAME`, `be_edge_http:NS:NAME`, `be_secure:NS:NAME` and `be_tcp:NS:NAME`; every line
//! of such a `backend` section belongs to that route, and map lines end in such a name. Certificate
//! files and cert_config.map lines name the route as `NS:NAME.pem`. Also finds a Route's document
//! in the YAML inputs, so hovering can highlight it and clicking can jump to it.

export interface RouteRef {
  namespace: string;
  name: string;
}

const BACKEND = /\bbe_(?:http|edge_http|secure|tcp):([a-z0-9][-a-z0-9.]*):([^\s:]+)/;
const CERT = /\/([a-z0-9][-a-z0-9.]*):([^/\s:]+)\.pem\b/;

export function backendRoute(name: string): RouteRef | null {
  const m = BACKEND.exec(name);
  return m ? { namespace: m[1], name: m[2] } : null;
}

/** One entry per line (0-based index) of an output file: the route it came from, or null. */
export function lineOrigins(path: string, text: string): (RouteRef | null)[] {
  const lines = text.split("\n");
  if (path.endsWith("haproxy.config")) {
    let current: RouteRef | null = null;
    return lines.map((l) => {
      if (/^\S/.test(l)) {
        // A section header (or a top-level comment) ends the previous section.
        const m = /^backend\s+(\S+)/.exec(l);
        current = m ? backendRoute(m[1]) : null;
        return current;
      }
      return current;
    });
  }
  return lines.map((l) => {
    if (l.trimStart().startsWith("#")) return null;
    const b = backendRoute(l);
    if (b) return b;
    const c = CERT.exec(l);
    return c ? { namespace: c[1], name: c[2] } : null;
  });
}

export function sameRoute(a: RouteRef | null, b: RouteRef | null): boolean {
  return a !== null && b !== null && a.namespace === b.namespace && a.name === b.name;
}

export interface ObjectPlace {
  file: string;
  /** Byte (UTF-16 index) range of the whole YAML document. */
  from: number;
  to: number;
  /** 1-based line of the document's first line. */
  line: number;
}

/**
 * Finds the documents of `kind` NS/NAME in the YAML inputs. This is a light scan (document
 * separators, top-level `kind:`, `metadata.name` / `metadata.namespace`), enough for the
 * hand-written objects the playground holds; the routes table from wasm gives exact places when
 * available.
 */
export function findObject(files: { path: string; text: string }[], kind: string, ref: RouteRef): ObjectPlace | null {
  for (const f of files) {
    for (const d of documents(f.text)) {
      const body = f.text.slice(d.from, d.to);
      const k = /^kind:\s*["']?([A-Za-z]+)/m.exec(body)?.[1];
      if (k !== kind) continue;
      const meta = metadata(body);
      if (meta.name === ref.name && (meta.namespace ?? "default") === ref.namespace) {
        return { file: f.path, from: d.from, to: d.to, line: d.line };
      }
    }
  }
  return null;
}

function documents(text: string): { from: number; to: number; line: number }[] {
  const out: { from: number; to: number; line: number }[] = [];
  let from = 0;
  let startLine = 1;
  let line = 1;
  let off = 0;
  for (const l of text.split("\n")) {
    if (/^---(\s|$)/.test(l)) {
      if (off > from) out.push({ from, to: off, line: startLine });
      from = off + l.length + 1;
      startLine = line + 1;
    }
    off += l.length + 1;
    line++;
  }
  if (text.length > from) out.push({ from, to: text.length, line: startLine });
  return out;
}

function metadata(doc: string): { name?: string; namespace?: string } {
  const lines = doc.split("\n");
  const i = lines.findIndex((l) => /^metadata:\s*$/.test(l));
  const out: { name?: string; namespace?: string } = {};
  if (i < 0) return out;
  let indent = -1;
  for (const l of lines.slice(i + 1)) {
    if (/^\S/.test(l)) break;
    const m = /^(\s+)(name|namespace):\s*["']?([^"'\s#]+)/.exec(l);
    const ind = /^(\s*)/.exec(l)?.[1].length ?? 0;
    if (indent < 0 && l.trim() !== "") indent = ind;
    if (m && m[1].length === indent) out[m[2] as "name" | "namespace"] = m[3];
  }
  return out;
}
