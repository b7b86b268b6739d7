//! The example menu: hand-written scenarios under web/examples/<id>/ (YAML inputs and an optional
//! router.env), listed with their title, description and expected diagnostics in index.json.

import index from "../examples/index.json";

export interface Example {
  id: string;
  title: string;
  about: string;
  files: { path: string; text: string }[];
  settings: string;
  /** Diagnostic codes a broken example exists to show; empty for the working ones. */
  expect: string[];
}

const raw = import.meta.glob("../examples/*/*", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

export const EXAMPLES: Example[] = index.map((e) => ({
  id: e.id,
  title: e.title,
  about: e.about,
  files: e.files.map((f) => ({ path: f, text: raw[`../examples/${e.id}/${f}`] ?? "" })),
  settings: e.env ? (raw[`../examples/${e.id}/router.env`] ?? "") : "",
  expect: e.expect,
}));

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
