//! The explain diagram as data: client → frontend → map line → backend → servers, built from an
//! `Explain` result. Rendering (explain-view.ts) only draws this model, so the model is what the
//! unit tests check: which stage each step lands in, how it is toned (redirect, deny, stop), and
//! the servers' weight shares as bar widths.

import type { Explain, Loc, OutcomeKind, Source, Step, StepKind } from "./explain-types";

export type Stage = "client" | "frontend" | "map" | "backend" | "servers" | "outcome";
export type Tone = "ok" | "redirect" | "deny" | "stop" | "info";

export interface DiagramNode {
  id: string;
  stage: Stage;
  kind: StepKind | "client";
  title: string;
  details: string[];
  tone: Tone;
  at: Loc | null;
  source: Source | null;
}

export interface ServerBar {
  name: string;
  address: string;
  pod: string | null;
  weight: number;
  /** 0..100, the bar's width. */
  percent: number;
  /** For display, e.g. "33.3%". */
  label: string;
  at: Loc;
  source: Source | null;
}

export interface WhyNot {
  route: string;
  where: string;
  reason: string;
  at: Loc | null;
  source: Source | null;
}

export interface Diagram {
  request: string;
  nodes: DiagramNode[];
  servers: ServerBar[];
  outcome: { kind: OutcomeKind; tone: Tone; status: number | null; summary: string; location: string | null };
  backend: string | null;
  whyNot: WhyNot[];
  service: { title: string; note: string; source: Source | null } | null;
}

const STAGE: Record<StepKind, Stage> = {
  frontend: "frontend",
  sni: "frontend",
  certificate: "frontend",
  rule: "map",
  lookup: "map",
  allowlist: "backend",
  rewrite: "backend",
  backend: "backend",
  servers: "servers",
  outcome: "outcome",
};

export function outcomeTone(kind: OutcomeKind): Tone {
  switch (kind) {
    case "forward":
    case "passthrough":
      return "ok";
    case "redirect":
      return "redirect";
    case "deny":
      return "deny";
    default:
      return "stop";
  }
}

export function buildDiagram(x: Explain): Diagram {
  const r = x.request;
  const tone = outcomeTone(x.outcome.kind);
  const clientDetails = [`${r.scheme} to port ${r.port}`, `SNI: ${r.sni ?? "none"}`];
  if (r.clientIp) clientDetails.push(`from ${r.clientIp}`);
  for (const h of r.headers) clientDetails.push(`${h.name}: ${h.value}`);
  const nodes: DiagramNode[] = [
    {
      id: "client",
      stage: "client",
      kind: "client",
      title: `${r.host}${r.path}${r.query === null ? "" : `?${r.query}`}`,
      details: clientDetails,
      tone: "info",
      at: null,
      source: null,
    },
  ];
  for (const s of x.steps) nodes.push(stepNode(s, tone));
  const servers = (x.backend?.servers ?? []).map((s) => {
    const percent = Math.max(0, Math.min(100, s.share * 100));
    return {
      name: s.name,
      // The address may already carry the port (as HAProxy writes it).
      address: s.port === null || s.address.endsWith(`:${s.port}`) ? s.address : `${s.address}:${s.port}`,
      pod: s.pod,
      weight: s.weight,
      percent,
      label: formatPercent(percent),
      at: s.at,
      source: s.source,
    };
  });
  return {
    request: r.url,
    nodes,
    servers,
    outcome: {
      kind: x.outcome.kind,
      tone,
      status: x.outcome.status,
      summary: x.outcome.summary,
      location: x.outcome.location,
    },
    backend: x.backend?.name ?? x.outcome.backend,
    whyNot: x.whyNot.map((c) => ({
      route: c.route,
      where: `${c.host}${c.path}`,
      reason: c.reason,
      at: c.at,
      source: c.source,
    })),
    service: x.service
      ? { title: `${x.service.type} service ${x.service.dns}`, note: x.service.note, source: x.service.source }
      : null,
  };
}

function stepNode(s: Step, tone: Tone): DiagramNode {
  // The outcome step carries the outcome's tone; a deny or redirect rule is the step that stops
  // the request, so it is toned too, the rest of the chain is plain.
  let t: Tone = "ok";
  if (s.kind === "outcome") t = tone;
  else if ((tone === "deny" || tone === "redirect") && s.kind === "rule") t = tone;
  else if (tone === "deny" && s.kind === "allowlist") t = tone;
  return {
    id: `step-${s.n}`,
    stage: STAGE[s.kind],
    kind: s.kind,
    title: s.title,
    details: s.details,
    tone: t,
    at: s.at,
    source: s.source,
  };
}

export function formatPercent(p: number): string {
  if (p === 0) return "0%";
  if (p === 100) return "100%";
  const s = p.toFixed(1);
  return `${s.endsWith(".0") ? s.slice(0, -2) : s}%`;
}
