//! The compile worker: loads the wasm module and answers requests. Requests that arrive while one
//! runs are coalesced per kind, so after a long compile (the 1k-route bench) only the newest edit
//! is compiled, never the backlog.

import init, * as routec from "../../wasm/pkg/web/routec_wasm.js";
import type { Request, Response } from "./protocol";

type Api = Record<string, ((...args: unknown[]) => unknown) | undefined>;

const api = routec as unknown as Api;
const pending = new Map<string, Request>();
let draining = false;

const ready = init().then(() => {
  post({
    id: 0,
    kind: "ready",
    version: routec.version(),
    explain: typeof api.explain === "function" && typeof api.routes === "function",
  });
});
ready.catch((e: unknown) => post({ id: 0, kind: "failed", error: String(e) }));

self.onmessage = (ev: MessageEvent<Request>) => {
  pending.set(ev.data.kind, ev.data);
  if (!draining) {
    draining = true;
    ready.then(() => setTimeout(drain, 0));
  }
};

function drain() {
  for (const [kind, req] of pending) {
    pending.delete(kind);
    answer(req);
  }
  if (pending.size > 0) setTimeout(drain, 0);
  else draining = false;
}

function answer(req: Request) {
  const t = performance.now();
  const { files, settings, options } = req.inputs;
  try {
    switch (req.kind) {
      case "compile": {
        const result = routec.compile(files, settings, options) as never;
        post({ id: req.id, kind: "compile", ms: performance.now() - t, result });
        return;
      }
      case "routes": {
        const f = api.routes;
        const result = f ? f(files, settings, options) : { error: "this wasm build has no routes()" };
        post({ id: req.id, kind: "routes", ms: performance.now() - t, result: result as never });
        return;
      }
      case "explain": {
        const f = api.explain;
        const result = f ? f(files, settings, options, req.query) : { error: "this wasm build has no explain()" };
        post({ id: req.id, kind: "explain", ms: performance.now() - t, result: result as never });
        return;
      }
      case "verify": {
        const result = routec.verify(files, settings, options, req.against) as never;
        post({ id: req.id, kind: "verify", ms: performance.now() - t, result });
        return;
      }
    }
  } catch (e) {
    post({ id: req.id, kind: "failed", error: String(e) });
  }
}

function post(r: Response) {
  (self as unknown as Worker).postMessage(r);
}
