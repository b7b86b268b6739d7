//! Reads compile's `status` (the status.yaml shape routec writes: `routes:` items with
//! `admitted`, `host`, `name`, `namespace`, `state`, and `reason` / `message` when not admitted).
//! Only that fixed shape is read; values are plain or double-quoted (JSON-style escapes).

export interface RouteStatus {
  namespace: string;
  name: string;
  host: string;
  state: "admitted" | "rejected" | "ignored" | string;
  reason?: string;
  message?: string;
}

export function parseStatus(yaml: string): RouteStatus[] {
  const out: RouteStatus[] = [];
  let inRoutes = false;
  let cur: Record<string, string> | null = null;
  const flush = () => {
    if (cur) out.push(cur as unknown as RouteStatus);
    cur = null;
  };
  for (const line of yaml.split("\n")) {
    if (/^[A-Za-z]/.test(line)) {
      flush();
      inRoutes = line.startsWith("routes:");
      continue;
    }
    if (!inRoutes) continue;
    const m = /^(- | {2})([A-Za-z]+):\s?(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === "- ") {
      flush();
      cur = {};
    }
    if (cur) cur[m[2]] = unquote(m[3]);
  }
  flush();
  return out;
}

function unquote(v: string): string {
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}
