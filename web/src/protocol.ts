//! Messages between the page and the compile worker. Every request carries an id; the page keeps
//! only the answer to its latest request of each kind, so stale results are dropped.

import type { Explain, ExplainQuery, Routes } from "./explain-types";

export interface FileIn {
  path: string;
  text: string;
}

export interface Position {
  line: number;
  column: number;
}

export interface DiagnosticDto {
  code: string;
  severity: "error" | "warning" | "advice";
  message: string;
  file?: string;
  start?: number;
  end?: number;
  startPos?: Position;
  endPos?: Position;
  label?: string;
  help?: string;
  related: { file: string; start: number; end: number; startPos: Position; endPos: Position; label: string }[];
}

export interface CompileResult {
  files: FileIn[];
  diagnostics: DiagnosticDto[];
  rendered: string;
  status: string;
  hasErrors: boolean;
}

export interface Difference {
  place: string;
  field: string;
  kind: "missing" | "extra" | "changed" | "order";
  expected?: string;
  found?: string;
  expectedAt?: { file: string; line: number };
  foundAt?: { file: string; line: number };
}

export interface DiffResult {
  equivalent: boolean;
  differences: Difference[];
  problems: { file: string; code: string; message: string; fatal: boolean }[];
}

export interface Inputs {
  files: FileIn[];
  settings: Record<string, string>;
  options: { defaultCertificate?: string; now?: string };
}

export type Request =
  | { id: number; kind: "compile"; inputs: Inputs }
  | { id: number; kind: "routes"; inputs: Inputs }
  | { id: number; kind: "explain"; inputs: Inputs; query: ExplainQuery }
  | { id: number; kind: "verify"; inputs: Inputs; against: { config: FileIn; files: FileIn[] } };

export type Answer<T> = T | { error: string };

export type Response =
  | { id: number; kind: "ready"; version: string; explain: boolean }
  | { id: number; kind: "compile"; ms: number; result: Answer<CompileResult> }
  | { id: number; kind: "routes"; ms: number; result: Answer<Routes> }
  | { id: number; kind: "explain"; ms: number; result: Answer<Explain> }
  | { id: number; kind: "verify"; ms: number; result: Answer<DiffResult> }
  | { id: number; kind: "failed"; error: string };
