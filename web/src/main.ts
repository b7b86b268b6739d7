//! The playground page: input tabs and editors, the compile loop through the worker, the output,
//! explain and verify panes, sharing, autosave, command line and zip download.

import "./style.css";
import { type Diagnostic, setDiagnostics } from "@codemirror/lint";
import { EditorSelection, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { strToU8, zipSync } from "fflate";
import { compileCommand, explainCommand } from "./command";
import { DEFAULT_CERTIFICATE } from "./default-cert";
import {
  outputExtensions,
  plainExtensions,
  setLineClasses,
  setRangeHighlights,
  settingsExtensions,
  yamlExtensions,
} from "./editors";
import { EXAMPLES, exampleById } from "./examples";
import type { Explain, ExplainQuery, Loc, Routes, Source } from "./explain-types";
import { renderExplain } from "./explain-view";
import { diffLines } from "./linediff";
import { findObject, lineOrigins, type RouteRef, sameRoute } from "./origins";
import { summarizePem } from "./pem";
import type { CompileResult, DiagnosticDto, DiffResult, FileIn, Inputs, Request, Response } from "./protocol";
import { parseSettings } from "./settings";
import { decodeState, encodeState, type SessionState } from "./share";
import { parseStatus } from "./status";
import { basename, byteIndexer, byteToIndex } from "./text";

const SETTINGS_TAB = "router.env";
const STORAGE_KEY = "routec-playground";
const DEBOUNCE_MS = 120;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- worker -------------------------------------------------------------------------------

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let nextId = 1;
const latest: Record<string, number> = {};
let explainAvailable = false;

type NewRequest = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

function send(req: NewRequest) {
  const id = nextId++;
  latest[req.kind] = id;
  worker.postMessage({ ...req, id } as Request);
  return id;
}

// ---- state ----------------------------------------------------------------------------------

interface InputTab {
  path: string;
  state: EditorState;
}

let tabs: InputTab[] = [];
let settingsState: EditorState;
let currentTab = "";
let outputTab = "conf/haproxy.config";
let result: CompileResult | null = null;
let previousOutput = new Map<string, string>();
const shownOutput = new Map<string, string>();
let routesTable: Routes | null = null;
let routesStale = true;
let compileTimer: number | undefined;
let pendingSince = 0;
let firstOutputDone = false;
const timings = { firstOutput: 0, lastWorkerMs: 0, lastRenderMs: 0, lastRoundTripMs: 0, compiles: 0 };
// Figures and the shown output for the end-to-end tests (they read, never drive, the page).
Object.assign(window, {
  __routec: timings,
  __routecOutput: () => outputView.state.doc.toString(),
  __routecInput: () => {
    const s = inputView.state;
    const head = s.selection.main.head;
    return { tab: currentTab, line: s.doc.lineAt(head).number, text: s.doc.toString(), highlighted: lastHighlight };
  },
});

const inputView = new EditorView({ parent: $("input-editor") });
const outputView = new EditorView({
  parent: $("output-editor"),
  state: EditorState.create({ extensions: outputExtensions() }),
});
const verifyView = new EditorView({
  parent: $("verify-editor"),
  state: EditorState.create({ doc: "", extensions: plainExtensions() }),
});
inputView.contentDOM.setAttribute("aria-label", "Input editor");
outputView.contentDOM.setAttribute("aria-label", "Output");
verifyView.contentDOM.setAttribute("aria-label", "Deployed haproxy.config");
let verifyFiles: FileIn[] = [];

const onInputChange: Extension = EditorView.updateListener.of((u) => {
  if (u.docChanged) scheduleCompile();
});

function fileState(path: string, text: string): EditorState {
  return EditorState.create({
    doc: text,
    extensions: [yamlExtensions(), onInputChange, EditorView.contentAttributes.of({ "data-file": path })],
  });
}

function makeSettingsState(text: string): EditorState {
  return EditorState.create({ doc: text, extensions: [settingsExtensions(), onInputChange] });
}

function saveCurrent() {
  if (currentTab === SETTINGS_TAB) settingsState = inputView.state;
  else {
    const t = tabs.find((x) => x.path === currentTab);
    if (t) t.state = inputView.state;
  }
}

function inputs(): Inputs {
  saveCurrent();
  return {
    files: tabs.map((t) => ({ path: t.path, text: t.state.doc.toString() })),
    settings: parseSettings(settingsState.doc.toString()).values,
    options: { defaultCertificate: DEFAULT_CERTIFICATE },
  };
}

function session(): SessionState {
  const i = inputs();
  const q = explainQuery();
  return {
    files: i.files,
    settings: settingsState.doc.toString(),
    tab: currentTab,
    outputTab,
    explainUrl: q.url,
    sni: q.sni,
    noSni: q.noSni,
    clientIp: q.clientIp,
  };
}

function loadSession(s: SessionState) {
  tabs = s.files.map((f) => ({ path: f.path, state: fileState(f.path, f.text) }));
  settingsState = makeSettingsState(s.settings);
  currentTab = "";
  outputTab = s.outputTab ?? "conf/haproxy.config";
  ($("explain-url") as HTMLInputElement).value = s.explainUrl;
  ($("explain-sni") as HTMLInputElement).value = s.sni ?? "";
  ($("explain-nosni") as HTMLInputElement).checked = s.noSni ?? false;
  ($("explain-ip") as HTMLInputElement).value = s.clientIp ?? "";
  previousOutput = new Map();
  result = null;
  showTab(tabs.some((t) => t.path === s.tab) || s.tab === SETTINGS_TAB ? s.tab : (tabs[0]?.path ?? SETTINGS_TAB));
  compileNow();
}

function loadExample(id: string) {
  const e = exampleById(id) ?? EXAMPLES[0];
  ($("example") as HTMLSelectElement).value = e.id;
  loadSession({ files: e.files, settings: e.settings, tab: e.files[0].path, explainUrl: "" });
  $("diagram").replaceChildren();
}

// ---- input tabs -------------------------------------------------------------------------------

function renderInputTabs() {
  const row = $("input-tabs");
  row.replaceChildren();
  for (const p of [...tabs.map((t) => t.path), SETTINGS_TAB]) {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "tab");
    b.setAttribute("aria-selected", String(p === currentTab));
    b.dataset.path = p;
    b.textContent = p === SETTINGS_TAB ? "router settings" : p;
    if (p === SETTINGS_TAB) b.title = "Router settings: KEY=VALUE lines (Ctrl-Space completes the keys)";
    b.addEventListener("click", () => showTab(p));
    row.append(b);
  }
  const isFile = currentTab !== SETTINGS_TAB;
  ($("rename-file") as HTMLButtonElement).disabled = !isFile;
  ($("delete-file") as HTMLButtonElement).disabled = !isFile || tabs.length === 0;
}

function showTab(path: string) {
  if (currentTab) saveCurrent();
  currentTab = path;
  if (path === SETTINGS_TAB) inputView.setState(settingsState);
  else {
    const t = tabs.find((x) => x.path === path);
    if (t) inputView.setState(t.state);
  }
  renderInputTabs();
  applyLint();
}

$("add-file").addEventListener("click", () => {
  let n = tabs.length + 1;
  while (tabs.some((t) => t.path === `objects-${n}.yaml`)) n++;
  const path = `objects-${n}.yaml`;
  saveCurrent();
  tabs.push({ path, state: fileState(path, "") });
  showTab(path);
  inputView.focus();
});

$("rename-file").addEventListener("click", () => {
  const t = tabs.find((x) => x.path === currentTab);
  if (!t) return;
  const name = window.prompt("New file name", t.path)?.trim();
  if (!name || name === t.path) return;
  if (tabs.some((x) => x.path === name) || name === SETTINGS_TAB) {
    notice(`A file named ${name} already exists.`);
    return;
  }
  saveCurrent();
  t.state = fileState(name, t.state.doc.toString());
  t.path = name;
  currentTab = name;
  inputView.setState(t.state);
  renderInputTabs();
  compileNow();
});

$("delete-file").addEventListener("click", () => {
  const i = tabs.findIndex((x) => x.path === currentTab);
  if (i < 0 || !window.confirm(`Delete ${currentTab}?`)) return;
  tabs.splice(i, 1);
  currentTab = "";
  showTab(tabs[Math.min(i, tabs.length - 1)]?.path ?? SETTINGS_TAB);
  compileNow();
});

($("upload-file") as HTMLInputElement).addEventListener("change", async (ev) => {
  const input = ev.target as HTMLInputElement;
  saveCurrent();
  let last = "";
  for (const f of Array.from(input.files ?? [])) {
    const text = await f.text();
    const existing = tabs.find((t) => t.path === f.name);
    if (existing) existing.state = fileState(f.name, text);
    else tabs.push({ path: f.name, state: fileState(f.name, text) });
    last = f.name;
  }
  input.value = "";
  if (last) {
    currentTab = "";
    showTab(last);
    compileNow();
  }
});

// ---- compile loop ---------------------------------------------------------------------------

function scheduleCompile() {
  window.clearTimeout(compileTimer);
  setBusy(true, "editing…");
  compileTimer = window.setTimeout(compileNow, DEBOUNCE_MS);
  saveSoon();
}

function compileNow() {
  window.clearTimeout(compileTimer);
  const i = inputs();
  pendingSince = performance.now();
  setBusy(true, "compiling…");
  send({ kind: "compile", inputs: i });
  // The route table feeds the explain pane only; skip its cost while the pane is hidden.
  if (explainAvailable && !$("panel-explain").hidden) send({ kind: "routes", inputs: i });
  routesStale = true;
  applySettingsLint();
}

function setBusy(on: boolean, text: string) {
  const b = $("busy");
  b.classList.toggle("working", on);
  b.dataset.state = on ? "busy" : "done";
  b.textContent = text;
}

worker.onmessage = (ev: MessageEvent<Response>) => {
  const m = ev.data;
  if (m.kind === "ready") {
    explainAvailable = m.explain;
    $("explain-unavailable").hidden = explainAvailable;
    if (!explainAvailable) {
      $("explain-unavailable").textContent =
        "This build of the routec module has no explain(); the routes below come from the admission status.";
    }
    document.body.dataset.routec = m.version;

    return;
  }
  if (m.kind === "failed") {
    setBusy(false, `failed: ${m.error}`);
    return;
  }
  if (m.id !== latest[m.kind]) return; // stale: a newer request of this kind is on its way
  if (m.kind === "compile") {
    if ("error" in m.result) {
      setBusy(false, m.result.error);
      return;
    }
    const t = performance.now();
    showResult(m.result);
    const render = performance.now() - t;
    timings.lastWorkerMs = m.ms;
    timings.lastRenderMs = render;
    timings.lastRoundTripMs = performance.now() - pendingSince;
    timings.compiles++;
    if (!firstOutputDone) {
      firstOutputDone = true;
      timings.firstOutput = performance.now();
    }
    const n = m.result.diagnostics.length;
    setBusy(false, `compiled in ${m.ms.toFixed(0)} ms · ${n} diagnostic${n === 1 ? "" : "s"}`);
  } else if (m.kind === "routes") {
    routesTable = "error" in m.result ? null : m.result;
    routesStale = false;
    renderRouteList();
  } else if (m.kind === "explain") {
    if ("error" in m.result) $("diagram").textContent = m.result.error;
    else showExplain(m.result);
  } else if (m.kind === "verify") {
    showVerify(m.result);
  }
};

function showResult(r: CompileResult) {
  if (result) previousOutput = new Map(result.files.map((f) => [f.path, f.text]));
  result = r;
  applyLint();
  renderDiagnostics();
  renderAdmission();
  renderOutputTabs();
  showOutput();
  if (!explainAvailable) renderRouteList();
}

// ---- diagnostics ----------------------------------------------------------------------------

function lintFor(path: string, text: string): Diagnostic[] {
  if (!result) return [];
  const out: Diagnostic[] = [];
  const toIndex = byteIndexer(text);
  for (const d of result.diagnostics) {
    if (d.file !== path || d.start === undefined || d.end === undefined) continue;
    const from = toIndex(d.start);
    const to = Math.max(toIndex(d.end), from);
    out.push({
      from,
      to,
      severity: d.severity === "advice" ? "info" : d.severity,
      source: d.code,
      message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    });
  }
  return out;
}

function settingsLint(text: string): Diagnostic[] {
  return parseSettings(text).problems.map((p) => ({
    from: p.from,
    to: p.to,
    severity: p.code.endsWith("unknown-key") ? "warning" : "error",
    source: p.code,
    message: p.help ? `${p.message}\nhelp: ${p.help}` : p.message,
  }));
}

function applyLint() {
  for (const t of tabs) {
    if (t.path === currentTab) continue;
    t.state = t.state.update(setDiagnostics(t.state, lintFor(t.path, t.state.doc.toString()))).state;
  }
  if (currentTab === SETTINGS_TAB) applySettingsLint();
  else inputView.dispatch(setDiagnostics(inputView.state, lintFor(currentTab, inputView.state.doc.toString())));
}

function applySettingsLint() {
  if (currentTab === SETTINGS_TAB) {
    inputView.dispatch(setDiagnostics(inputView.state, settingsLint(inputView.state.doc.toString())));
  } else {
    settingsState = settingsState.update(
      setDiagnostics(settingsState, settingsLint(settingsState.doc.toString())),
    ).state;
  }
}

interface ListedDiagnostic {
  severity: string;
  code: string;
  message: string;
  help?: string;
  file?: string;
  line?: number;
  jump?: () => void;
}

function renderDiagnostics() {
  const list: ListedDiagnostic[] = [];
  for (const p of parseSettings(settingsState.doc.toString()).problems) {
    list.push({
      severity: p.code.endsWith("unknown-key") ? "warning" : "error",
      code: p.code,
      message: p.message,
      help: p.help,
      file: "router settings",
      line: p.line,
      jump: () => jumpTo(SETTINGS_TAB, p.from, p.to),
    });
  }
  for (const d of result?.diagnostics ?? []) list.push(listed(d));
  const ul = $("diagnostics");
  ul.replaceChildren();
  $("diag-title").textContent = `Diagnostics (${list.length})`;
  for (const d of list) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.code = d.code;
    const sev = document.createElement("span");
    sev.className = `sev ${d.severity}`;
    sev.textContent = d.severity;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = d.file ? ` ${d.file}${d.line ? `:${d.line}` : ""} ` : " ";
    const code = document.createElement("span");
    code.className = "code";
    code.textContent = ` ${d.code}`;
    b.append(sev, where, d.message, code);
    if (d.help) b.title = d.help;
    if (d.jump) b.addEventListener("click", d.jump);
    else b.disabled = false;
    li.append(b);
    ul.append(li);
  }
}

function listed(d: DiagnosticDto): ListedDiagnostic {
  const file = d.file;
  const start = d.start;
  const end = d.end;
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    help: d.help,
    file,
    line: d.startPos?.line,
    jump:
      file !== undefined && start !== undefined && end !== undefined && tabs.some((t) => t.path === file)
        ? () => {
            const t = tabs.find((x) => x.path === file);
            const text = (t?.path === currentTab ? inputView.state : t?.state)?.doc.toString() ?? "";
            jumpTo(file, byteToIndex(text, start), byteToIndex(text, end));
          }
        : undefined,
  };
}

function jumpTo(tab: string, from: number, to: number) {
  if (currentTab !== tab) showTab(tab);
  const len = inputView.state.doc.length;
  inputView.dispatch({
    selection: EditorSelection.range(Math.min(from, len), Math.min(to, len)),
    effects: EditorView.scrollIntoView(Math.min(from, len), { y: "center" }),
  });
  inputView.focus();
}

// ---- output ---------------------------------------------------------------------------------

const CERTS_TAB = "certificates";

function outputFiles(): FileIn[] {
  return (result?.files ?? []).filter((f) => f.path.startsWith("conf/") && !f.path.endsWith(".http"));
}

function certFiles(): FileIn[] {
  return (result?.files ?? []).filter((f) => /^router\/(certs|cacerts)\//.test(f.path));
}

function renderOutputTabs() {
  const row = $("output-tabs");
  row.replaceChildren();
  const names = outputFiles().map((f) => f.path);
  const certs = certFiles();
  if (certs.length) names.push(CERTS_TAB);
  if (!names.includes(outputTab)) outputTab = names[0] ?? "conf/haproxy.config";
  for (const p of names) {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "tab");
    b.setAttribute("aria-selected", String(p === outputTab));
    b.dataset.path = p;
    b.textContent = p === CERTS_TAB ? `certificates (${certs.length})` : basename(p);
    const f = outputFiles().find((x) => x.path === p);
    if (f?.path.endsWith(".map") && f.text.trim() === "") b.classList.add("empty");
    b.addEventListener("click", () => {
      outputTab = p;
      renderOutputTabs();
      showOutput();
      saveSoon();
    });
    row.append(b);
  }
}

let outputOrigins: (RouteRef | null)[] = [];
let outputDiffClasses: { line: number; cls: string }[] = [];

function showOutput() {
  const certs = outputTab === CERTS_TAB;
  $("output-editor").hidden = certs;
  $("certs").hidden = !certs;
  if (certs) {
    renderCerts();
    return;
  }
  const f = outputFiles().find((x) => x.path === outputTab);
  const text = f?.text ?? "";
  const diffOn = ($("diff-toggle") as HTMLInputElement).checked;
  let doc = text;
  outputDiffClasses = [];
  const prev = previousOutput.get(outputTab);
  if (diffOn && prev !== undefined && prev !== text) {
    const d = diffLines(prev.split("\n"), text.split("\n"));
    doc = d.ops.map((o) => o.line).join("\n");
    d.ops.forEach((o, i) => {
      if (o.kind !== "same")
        outputDiffClasses.push({ line: i + 1, cls: o.kind === "add" ? "cm-diff-add" : "cm-diff-del" });
    });
  }
  shownOutput.set(outputTab, doc);
  outputOrigins = lineOrigins(outputTab, doc);
  if (outputView.state.doc.toString() !== doc) {
    outputView.setState(EditorState.create({ doc, extensions: outputExtensions() }));
  }
  outputView.dispatch({ effects: setLineClasses.of(outputDiffClasses) });
  const changed = diffOn ? outputDiffClasses.length : 0;
  $("origin-hint").textContent = diffOn
    ? prev === undefined
      ? "No previous compile to compare with."
      : changed
        ? `${changed} changed line${changed === 1 ? "" : "s"} since the previous compile.`
        : "No changes since the previous compile."
    : "Hover a backend or map line to see its Route; click to jump to it.";
}

$("diff-toggle").addEventListener("change", showOutput);

function renderCerts() {
  const box = $("certs");
  box.replaceChildren();
  const table = document.createElement("table");
  table.innerHTML = "<thead><tr><th>file</th><th>certificate subjects</th><th></th></tr></thead>";
  const body = document.createElement("tbody");
  for (const f of certFiles()) {
    const s = summarizePem(f.text);
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = f.path;
    const subj = document.createElement("td");
    subj.textContent = s.subjects.join("; ") || "(no certificate)";
    const keys = document.createElement("td");
    keys.textContent = s.keys ? "holds a private key (not shown)" : "";
    tr.append(name, subj, keys);
    body.append(tr);
  }
  table.append(body);
  box.append(table);
}

let hovered: RouteRef | null = null;
let lastHighlight = "";
outputView.dom.addEventListener("mousemove", (ev) => {
  const pos = outputView.posAtCoords({ x: ev.clientX, y: ev.clientY });
  const ref = pos === null ? null : (outputOrigins[outputView.state.doc.lineAt(pos).number - 1] ?? null);
  if (sameRoute(ref, hovered) || (ref === null && hovered === null)) return;
  hovered = ref;
  highlightRoute(ref);
});
outputView.dom.addEventListener("mouseleave", () => {
  hovered = null;
  highlightRoute(null);
});
// A click jumps to the Route. Hover decorations redraw the line between press and release, so
// the browser may not fire "click"; a press and release at the same place counts as one.
let pressAt: { x: number; y: number } | null = null;
outputView.dom.addEventListener("mousedown", (ev) => {
  pressAt = { x: ev.clientX, y: ev.clientY };
});
outputView.dom.addEventListener("mouseup", (ev) => {
  const p = pressAt;
  pressAt = null;
  if (!p || Math.abs(p.x - ev.clientX) > 4 || Math.abs(p.y - ev.clientY) > 4) return;
  const pos = outputView.posAtCoords({ x: ev.clientX, y: ev.clientY });
  if (pos === null) return;
  const ref = outputOrigins[outputView.state.doc.lineAt(pos).number - 1];
  if (ref) jumpToRoute(ref);
});
outputView.contentDOM.addEventListener("keydown", (ev) => {
  if (ev.key !== "Enter") return;
  const line = outputView.state.doc.lineAt(outputView.state.selection.main.head).number;
  const ref = outputOrigins[line - 1];
  if (ref) jumpToRoute(ref);
});

function routePlace(ref: RouteRef) {
  const i = inputs();
  const row = routesTable?.routes.find((r) => r.namespace === ref.namespace && r.name === ref.name);
  if (row?.source) {
    const f = i.files.find((x) => x.path === row.source?.file);
    if (f) {
      const found = findObject([f], "Route", ref);
      if (found) return found;
    }
  }
  return findObject(i.files, "Route", ref);
}

function highlightRoute(ref: RouteRef | null) {
  const lines: { line: number; cls: string }[] = [...outputDiffClasses];
  if (ref) {
    outputOrigins.forEach((o, i) => {
      if (sameRoute(o, ref)) lines.push({ line: i + 1, cls: "cm-origin-line" });
    });
  }
  outputView.dispatch({ effects: setLineClasses.of(lines) });
  const place = ref ? routePlace(ref) : null;
  const ranges = place && place.file === currentTab ? [{ from: place.from, to: place.to }] : [];
  inputView.dispatch({ effects: setRangeHighlights.of(ranges) });
  lastHighlight = ranges.map((r) => inputView.state.sliceDoc(r.from, r.to)).join("");
  $("origin-hint").textContent = ref
    ? `Route ${ref.namespace}/${ref.name}${place ? ` in ${place.file}:${place.line}` : ""} — click to jump to it`
    : "";
  $("origin-hint").dataset.route = ref ? `${ref.namespace}/${ref.name}` : "";
}

function jumpToRoute(ref: RouteRef) {
  const place = routePlace(ref);
  if (!place) return;
  jumpTo(place.file, place.from, place.from);
  inputView.dispatch({ effects: setRangeHighlights.of([{ from: place.from, to: place.to }]) });
}

function renderAdmission() {
  const box = $("admission");
  box.replaceChildren();
  for (const s of parseStatus(result?.status ?? "")) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `badge ${s.state}`;
    b.dataset.route = `${s.namespace}/${s.name}`;
    b.dataset.state = s.state;
    b.textContent = `${s.state} ${s.namespace}/${s.name} ${s.host}`;
    if (s.reason) {
      const r = document.createElement("strong");
      r.textContent = s.reason;
      b.append(" ", r);
    }
    b.title = s.message ?? s.reason ?? s.state;
    b.addEventListener("click", () => jumpToRoute(s));
    box.append(b);
  }
}

// ---- explain ----------------------------------------------------------------------------------

function explainQuery(): ExplainQuery {
  const url = ($("explain-url") as HTMLInputElement).value.trim();
  const sni = ($("explain-sni") as HTMLInputElement).value.trim();
  const noSni = ($("explain-nosni") as HTMLInputElement).checked;
  const ip = ($("explain-ip") as HTMLInputElement).value.trim();
  const q: ExplainQuery = { url };
  if (noSni) q.noSni = true;
  else if (sni) q.sni = sni;
  if (ip) q.clientIp = ip;
  return q;
}

function renderRouteList() {
  const ul = $("route-list");
  ul.replaceChildren();
  const items: { label: string; url: string }[] = [];
  if (routesTable) {
    for (const r of routesTable.routes) {
      const scheme = r.termination === "http" ? "http" : "https";
      items.push({ label: `${r.namespace}/${r.name}`, url: `${scheme}://${r.host}${r.path || "/"}` });
    }
  } else {
    for (const s of parseStatus(result?.status ?? "")) {
      if (s.state === "admitted") items.push({ label: `${s.namespace}/${s.name}`, url: `http://${s.host}/` });
    }
  }
  for (const it of items) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = `${it.label} · ${it.url}`;
    b.addEventListener("click", () => {
      ($("explain-url") as HTMLInputElement).value = it.url;
      runExplain();
    });
    li.append(b);
    ul.append(li);
  }
}

function runExplain() {
  const q = explainQuery();
  if (!q.url) return;
  saveSoon();
  if (!explainAvailable) {
    $("diagram").textContent = "explain() is not in this build of the routec module yet.";
    return;
  }
  send({ kind: "explain", inputs: inputs(), query: q });
}

$("explain-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  runExplain();
});

function showExplain(x: Explain) {
  renderExplain($("diagram"), x, { toLine: jumpToLine, toSource: jumpToSource });
}

function jumpToLine(at: Loc) {
  const f = outputFiles().find((x) => x.path === at.file || basename(x.path) === basename(at.file));
  if (!f) return;
  showMode("output");
  ($("diff-toggle") as HTMLInputElement).checked = false;
  outputTab = f.path;
  renderOutputTabs();
  showOutput();
  const line = outputView.state.doc.line(Math.min(Math.max(at.line, 1), outputView.state.doc.lines));
  outputView.dispatch({
    selection: EditorSelection.cursor(line.from),
    effects: [
      EditorView.scrollIntoView(line.from, { y: "center" }),
      setLineClasses.of([{ line: line.number, cls: "cm-jump-line" }]),
    ],
  });
  outputView.focus();
}

function jumpToSource(src: Source) {
  const t = tabs.find((x) => x.path === src.file);
  if (!t) return;
  const state = t.path === currentTab ? inputView.state : t.state;
  const line = state.doc.line(Math.min(Math.max(src.line, 1), state.doc.lines));
  jumpTo(t.path, line.from, line.to);
}

// ---- verify -----------------------------------------------------------------------------------

($("verify-upload") as HTMLInputElement).addEventListener("change", async (ev) => {
  const input = ev.target as HTMLInputElement;
  verifyFiles = [];
  for (const f of Array.from(input.files ?? [])) verifyFiles.push({ path: f.name, text: await f.text() });
  input.value = "";
  const config = verifyFiles.find((f) => /\.(config|cfg)$/.test(f.path)) ?? verifyFiles[0];
  if (config) {
    verifyView.setState(EditorState.create({ doc: config.text, extensions: plainExtensions() }));
    verifyFiles = verifyFiles.filter((f) => f !== config);
  }
  $("verify-files").textContent = verifyFiles.length ? `with ${verifyFiles.map((f) => f.path).join(", ")}` : "";
});

$("verify-use-output").addEventListener("click", () => {
  const files = result?.files ?? [];
  const config = files.find((f) => f.path === "conf/haproxy.config");
  verifyView.setState(EditorState.create({ doc: config?.text ?? "", extensions: plainExtensions() }));
  verifyFiles = files.filter((f) => f.path.endsWith(".map")).map((f) => ({ path: basename(f.path), text: f.text }));
  $("verify-files").textContent = `with ${verifyFiles.length} maps from the output`;
});

$("verify-run").addEventListener("click", () => {
  const config = verifyView.state.doc.toString();
  if (!config.trim()) {
    $("verify-result").textContent = "Paste or upload a haproxy.config first.";
    return;
  }
  $("verify-result").textContent = "verifying…";
  send({
    kind: "verify",
    inputs: inputs(),
    against: { config: { path: "haproxy.config", text: config }, files: verifyFiles },
  });
});

function showVerify(r: DiffResult | { error: string }) {
  const box = $("verify-result");
  box.replaceChildren();
  if ("error" in r) {
    box.textContent = r.error;
    return;
  }
  const head = document.createElement("p");
  head.className = r.equivalent ? "eq" : "neq";
  head.dataset.equivalent = String(r.equivalent);
  head.textContent = r.equivalent
    ? "Equivalent: the deployed config means what these objects compile to."
    : `Drift: ${r.differences.length} difference${r.differences.length === 1 ? "" : "s"} (expected = compiled from the objects, found = deployed).`;
  box.append(head);
  if (r.differences.length) {
    const table = document.createElement("table");
    table.innerHTML =
      "<thead><tr><th>where</th><th>field</th><th>kind</th><th>expected</th><th>found</th></tr></thead>";
    const body = document.createElement("tbody");
    for (const d of r.differences) {
      const tr = document.createElement("tr");
      tr.className = "difference";
      const cells = [d.place, d.field, d.kind, d.expected ?? "", d.found ?? ""];
      cells.forEach((c, i) => {
        const td = document.createElement("td");
        td.textContent = c;
        const at = i === 3 ? d.expectedAt : i === 4 ? d.foundAt : undefined;
        if (at) {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "linkish";
          b.textContent = ` ${at.file}:${at.line}`;
          b.addEventListener("click", () => (i === 3 ? jumpToLine(at) : jumpVerifyLine(at.line)));
          td.append(b);
        }
        tr.append(td);
      });
      body.append(tr);
    }
    table.append(body);
    box.append(table);
  }
  for (const p of r.problems) {
    const e = document.createElement("p");
    e.className = "hint";
    e.textContent = `${p.file}: ${p.code}: ${p.message}`;
    box.append(e);
  }
}

function jumpVerifyLine(n: number) {
  const line = verifyView.state.doc.line(Math.min(Math.max(n, 1), verifyView.state.doc.lines));
  verifyView.dispatch({
    selection: EditorSelection.cursor(line.from),
    effects: EditorView.scrollIntoView(line.from, { y: "center" }),
  });
  verifyView.focus();
}

// ---- modes, share, command, zip ----------------------------------------------------------------

function showMode(mode: "output" | "explain" | "verify") {
  for (const m of ["output", "explain", "verify"]) {
    $(`mode-${m}`).setAttribute("aria-selected", String(m === mode));
    $(`panel-${m}`).hidden = m !== mode;
  }
  if (mode === "explain" && explainAvailable && routesStale) send({ kind: "routes", inputs: inputs() });
}
for (const m of ["output", "explain", "verify"] as const) $(`mode-${m}`).addEventListener("click", () => showMode(m));

function notice(text: string) {
  const n = $("notice");
  n.textContent = text;
  n.hidden = !text;
}

let saveTimer: number | undefined;
function saveSoon() {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    try {
      localStorage.setItem(STORAGE_KEY, encodeState(session()));
    } catch {
      // Storage full or disabled: autosave is a convenience, the session goes on.
    }
  }, 400);
}

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    notice(`${what} copied to the clipboard.`);
  } catch {
    notice(`${what}: ${text}`);
  }
}

$("share").addEventListener("click", () => {
  const hash = encodeState(session());
  history.replaceState(null, "", `#${hash}`);
  void copy(location.href, "Share link");
});

$("command").addEventListener("click", () => {
  const i = inputs();
  const paths = i.files.map((f) => f.path);
  const q = explainQuery();
  let cmd = compileCommand(paths, i.settings, { defaultCertificate: "default.pem" });
  if (q.url) cmd += `\n${explainCommand(paths, i.settings, q)}`;
  void copy(cmd, "Command line (run it in the unpacked zip)");
});

$("download").addEventListener("click", () => {
  const i = inputs();
  const entries: Record<string, Uint8Array> = {};
  for (const f of i.files) entries[f.path] = strToU8(f.text);
  entries["router.env"] = strToU8(settingsState.doc.toString());
  entries["default.pem"] = strToU8(DEFAULT_CERTIFICATE);
  for (const f of result?.files ?? []) entries[`out/${f.path}`] = strToU8(f.text);
  entries["out/status.yaml"] = strToU8(result?.status ?? "");
  const blob = new Blob([zipSync(entries) as BlobPart], { type: "application/zip" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "routec-playground.zip";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

// ---- start ------------------------------------------------------------------------------------

function fillExamples() {
  const sel = $("example") as HTMLSelectElement;
  const groups: [string, (id: string) => boolean][] = [
    ["Scenarios", (id) => !id.startsWith("broken-")],
    ["Common mistakes", (id) => id.startsWith("broken-")],
  ];
  for (const [label, pick] of groups) {
    const g = document.createElement("optgroup");
    g.label = label;
    for (const e of EXAMPLES.filter((x) => pick(x.id))) {
      const o = document.createElement("option");
      o.value = e.id;
      o.textContent = e.title;
      o.title = e.about;
      g.append(o);
    }
    sel.append(g);
  }
  sel.addEventListener("change", () => {
    loadExample(sel.value);
    notice(exampleById(sel.value)?.about ?? "");
  });
}

function restore(): boolean {
  if (location.hash.length > 1) {
    const d = decodeState(location.hash);
    if (d.ok) {
      loadSession(d.state);
      return true;
    }
    notice(`Could not open the shared link: ${d.reason}. Showing an example instead.`);
    return false;
  }
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved) {
    const d = decodeState(saved);
    if (d.ok) {
      loadSession(d.state);
      return true;
    }
  }
  return false;
}

window.addEventListener("hashchange", () => {
  const d = decodeState(location.hash);
  if (d.ok) loadSession(d.state);
});

fillExamples();
if (!restore()) loadExample("edge");
