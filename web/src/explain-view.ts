//! Draws the explain diagram model (diagram.ts) as HTML: one column per stage with arrows between
//! them, the servers as weight-share bars, the outcome, and the "why not" candidates. Every node
//! links to its config line and to its object through the callbacks.

import { buildDiagram, type Diagram, type DiagramNode, type Stage } from "./diagram";
import type { Explain, Loc, Source } from "./explain-types";

export interface Links {
  toLine(at: Loc): void;
  toSource(src: Source): void;
}

const STAGES: { stage: Stage; title: string }[] = [
  { stage: "client", title: "Client" },
  { stage: "frontend", title: "Frontend" },
  { stage: "map", title: "Rules and map line" },
  { stage: "backend", title: "Backend" },
  { stage: "servers", title: "Servers" },
  { stage: "outcome", title: "Outcome" },
];

export function renderExplain(root: HTMLElement, x: Explain, links: Links): Diagram {
  const d = buildDiagram(x);
  root.replaceChildren();
  const outcome = el("div", `outcome ${d.outcome.tone}`);
  outcome.dataset.kind = d.outcome.kind;
  outcome.dataset.url = d.request;
  if (d.backend) root.dataset.backend = d.backend;
  else delete root.dataset.backend;
  outcome.textContent = `${d.outcome.status === null ? "" : `${d.outcome.status} · `}${d.outcome.summary}`;
  if (d.outcome.location) outcome.append(` → ${d.outcome.location}`);
  root.append(outcome);

  const chain = el("div", "chain");
  chain.setAttribute("role", "list");
  chain.setAttribute("aria-label", "How the router handles this request");
  STAGES.forEach(({ stage, title }, i) => {
    const nodes = d.nodes.filter((n) => n.stage === stage);
    if (stage !== "client" && nodes.length === 0 && !(stage === "servers" && d.servers.length)) return;
    if (i > 0) chain.append(arrow());
    const col = el("div", "stage");
    col.setAttribute("role", "listitem");
    col.dataset.stage = stage;
    col.append(el("h3", "", title));
    for (const n of nodes) col.append(nodeBox(n, links));
    if (stage === "servers" && d.servers.length) col.append(serverBars(d, links));
    chain.append(col);
  });
  root.append(chain);

  if (d.service) {
    const s = el("p", "hint");
    s.textContent = `${d.service.title}: ${d.service.note}`;
    const svc = d.service.source;
    if (svc)
      s.append(
        " ",
        linkButton("object", () => links.toSource(svc)),
      );
    root.append(s);
  }
  if (d.whyNot.length) {
    const why = el("div", "why");
    why.append(el("h3", "sub", "Why not these routes"));
    const ul = el("ul", "");
    for (const w of d.whyNot) {
      const li = el("li", "");
      li.append(el("strong", "", w.route), ` (${w.where}): ${w.reason} `);
      const at = w.at;
      const src = w.source;
      if (at)
        li.append(
          linkButton(`${at.file}:${at.line}`, () => links.toLine(at)),
          " ",
        );
      if (src) li.append(linkButton("object", () => links.toSource(src)));
      ul.append(li);
    }
    why.append(ul);
    root.append(why);
  }
  return d;
}

function nodeBox(n: DiagramNode, links: Links): HTMLElement {
  const box = el("div", `node ${n.tone}`);
  box.dataset.kind = n.kind;
  box.append(el("div", "title", n.title));
  if (n.details.length) {
    // Long detail lists (header rules name a dozen headers) fold after the first lines.
    const ul = el("ul", "details");
    for (const d of n.details.slice(0, 3)) ul.append(el("li", "", d));
    box.append(ul);
    if (n.details.length > 3) {
      const more = document.createElement("details");
      more.append(el("summary", "", `${n.details.length - 3} more`));
      const rest = el("ul", "details");
      for (const d of n.details.slice(3)) rest.append(el("li", "", d));
      more.append(rest);
      box.append(more);
    }
  }
  const l = el("div", "links");
  const at = n.at;
  const src = n.source;
  if (at) l.append(linkButton(`${at.file}:${at.line}`, () => links.toLine(at)));
  if (src) l.append(linkButton(`${src.kind} ${src.namespace}/${src.name}`, () => links.toSource(src)));
  if (l.childElementCount) box.append(l);
  return box;
}

function serverBars(d: Diagram, links: Links): HTMLElement {
  const wrap = el("div", "bars");
  wrap.setAttribute("aria-label", `Servers of ${d.backend ?? "the backend"}`);
  for (const s of d.servers) {
    const row = el("div", "bar-row");
    row.dataset.server = s.name;
    row.dataset.share = s.label;
    row.dataset.percent = String(s.percent);
    const head = el("div", "");
    head.append(
      el("strong", "", s.name),
      ` ${s.address}${s.pod ? ` (${s.pod})` : ""} · weight ${s.weight} · ${s.label}`,
    );
    const track = el("div", "bar-track");
    track.setAttribute("role", "img");
    track.setAttribute("aria-label", `${s.label} of new connections`);
    const fill = el("div", "bar-fill");
    fill.style.width = `${s.percent}%`;
    track.append(fill);
    const l = el("div", "links");
    l.append(linkButton(`${s.at.file}:${s.at.line}`, () => links.toLine(s.at)));
    const src = s.source;
    if (src) l.append(linkButton(`${src.kind} ${src.namespace}/${src.name}`, () => links.toSource(src)));
    row.append(head, track, l);
    wrap.append(row);
  }
  return wrap;
}

function arrow(): HTMLElement {
  const a = el("div", "arrow", "→");
  a.setAttribute("aria-hidden", "true");
  return a;
}

function linkButton(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

function el(tag: string, cls: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
