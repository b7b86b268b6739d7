//! The JSON contract of `routec explain --format json` and wasm `explain()` / `routes()`
//! (docs/explain-json.md, schemas `routec.explain/1` and `routec.routes/1`), as TypeScript.

export interface Loc {
  file: string;
  line: number;
}

export interface Source {
  file: string;
  line: number;
  kind: "Route" | "Service" | "Endpoints" | "EndpointSlice";
  namespace: string;
  name: string;
}

export interface ExplainRequest {
  url: string;
  scheme: "http" | "https" | "tls";
  host: string;
  port: number;
  path: string;
  query: string | null;
  sni: string | null;
  clientIp: string | null;
  headers: { name: string; value: string }[];
}

export type StepKind =
  | "frontend"
  | "sni"
  | "certificate"
  | "rule"
  | "lookup"
  | "backend"
  | "allowlist"
  | "rewrite"
  | "servers"
  | "outcome";

export interface Step {
  n: number;
  kind: StepKind;
  title: string;
  details: string[];
  at: Loc | null;
  source: Source | null;
}

export type OutcomeKind = "forward" | "passthrough" | "redirect" | "deny" | "no-route" | "no-endpoints";

export interface Outcome {
  kind: OutcomeKind;
  status: number | null;
  summary: string;
  backend: string | null;
  servers: string[];
  location: string | null;
}

export interface Server {
  name: string;
  address: string;
  port: number | null;
  pod: string | null;
  weight: number;
  share: number;
  at: Loc;
  source: Source | null;
}

export interface Backend {
  name: string;
  route: { namespace: string; name: string } | null;
  mode: "http" | "tcp";
  balance: string;
  at: Loc;
  cookie: string | null;
  timeouts: { name: string; value: string }[];
  rewrite: { pattern: string; replacement: string; path: string } | null;
  servers: Server[];
  source: Source | null;
}

export interface Candidate {
  route: string;
  host: string;
  path: string;
  reason: string;
  at: Loc | null;
  source: Source | null;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  dns: string;
  type: "ClusterIP" | "Headless" | "NodePort" | "LoadBalancer" | "ExternalName";
  clusterIp: string | null;
  ports: { name: string | null; port: number; targetPort: string; protocol: string; nodePort: number | null }[];
  note: string;
  source: Source | null;
}

export interface Explain {
  schema: "routec.explain/1";
  request: ExplainRequest;
  steps: Step[];
  outcome: Outcome;
  backend: Backend | null;
  whyNot: Candidate[];
  service: ServiceInfo | null;
}

export interface RouteRow {
  namespace: string;
  name: string;
  host: string;
  path: string;
  termination: "http" | "edge" | "passthrough" | "reencrypt";
  insecure: "None" | "Allow" | "Redirect" | null;
  backend: string;
  servers: Server[];
  mapLines: { file: string; line: number; key: string; value: string }[];
  source: Source | null;
}

export interface Excluded {
  namespace: string;
  name: string;
  host: string;
  reason: string;
  message: string;
  source: Source | null;
}

export interface Routes {
  schema: "routec.routes/1";
  routes: RouteRow[];
  rejected: Excluded[];
  ignored: Excluded[];
  findings: { code: string; severity: "error" | "warning" | "advice"; message: string; at: Loc | null }[];
}

/** What the page asks explain for (the wasm request object). */
export interface ExplainQuery {
  url: string;
  sni?: string;
  noSni?: boolean;
  clientIp?: string;
  headers?: { name: string; value: string }[];
}
