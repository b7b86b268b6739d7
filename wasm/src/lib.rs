//! WebAssembly bindings over `routec-core`: JS-facing types of their own (DTOs), converted from
//! core values. No logic lives here, and every failure comes back as a value, never a trap.

use routec_core::source::LineIndex;
use routec_core::{Diagnostic, Options, Profile, Settings, SourceFile};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** One input or output file. */
export interface FileDto { path: string; text: string; }

/** Compile options that are not router settings. */
export interface CompileOptions {
  /** The router's working directory as paths inside the config name it (default /var/lib/haproxy). */
  baseDir?: string;
  /** "2.8" (default, what the router template emits) or "2.6". */
  haproxyVersion?: "2.6" | "2.8";
  /** The default certificate: certificate chain and key, PEM. */
  defaultCertificate?: string;
}

/** A line/column position, both 1-based (columns count characters). */
export interface Position { line: number; column: number; }

/** A labelled place in an input file. */
export interface SpanDto {
  file: string;
  start: number;
  end: number;
  startPos: Position;
  endPos: Position;
  label: string;
}

/** One diagnostic. */
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
  related: SpanDto[];
}

/** What compile returns. */
export interface CompileResult {
  files: FileDto[];
  diagnostics: DiagnosticDto[];
  /** The diagnostics rendered as the CLI prints them without colour. */
  rendered: string;
  /** Every route's admission result, in status.yaml form. */
  status: string;
  /** True when an error was found (the CLI would exit 1). */
  hasErrors: boolean;
}

/** A failure to even read the arguments. */
export interface ArgumentError { error: string; }

export function compile(files: FileDto[], settings: Record<string, string>, options?: CompileOptions): CompileResult | ArgumentError;
export function version(): string;
"#;

#[derive(Deserialize)]
struct FileIn {
    path: String,
    text: String,
}

#[derive(Serialize)]
struct FileOut {
    path: String,
    text: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct OptionsIn {
    base_dir: Option<String>,
    haproxy_version: Option<String>,
    default_certificate: Option<String>,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpanOut {
    file: String,
    start: usize,
    end: usize,
    start_pos: Position,
    end_pos: Position,
    label: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticOut {
    code: &'static str,
    severity: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_pos: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_pos: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    related: Vec<SpanOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CompileOut {
    files: Vec<FileOut>,
    diagnostics: Vec<DiagnosticOut>,
    rendered: String,
    status: String,
    has_errors: bool,
}

#[derive(Serialize)]
struct ArgumentError {
    error: String,
}

fn to_js<T: Serialize>(v: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser).unwrap_or_else(|e| JsValue::from_str(&e.to_string()))
}

fn argument_error(msg: String) -> JsValue {
    to_js(&ArgumentError { error: msg })
}

/// routec's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Compiles Routes, Services, Endpoints and EndpointSlices, exactly as `routec compile` does.
#[wasm_bindgen(skip_typescript)]
pub fn compile(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    let files: Vec<FileIn> = match serde_wasm_bindgen::from_value(files) {
        Ok(f) => f,
        Err(e) => return argument_error(format!("files must be an array of {{path, text}}: {e}")),
    };
    let pairs: std::collections::BTreeMap<String, String> = if settings.is_undefined() || settings.is_null() {
        std::collections::BTreeMap::new()
    } else {
        match serde_wasm_bindgen::from_value(settings) {
            Ok(s) => s,
            Err(e) => return argument_error(format!("settings must map names to strings: {e}")),
        }
    };
    let opts: OptionsIn = if options.is_undefined() || options.is_null() {
        OptionsIn::default()
    } else {
        match serde_wasm_bindgen::from_value(options) {
            Ok(o) => o,
            Err(e) => return argument_error(format!("invalid options: {e}")),
        }
    };
    to_js(&run(files, &pairs, opts))
}

fn run(files: Vec<FileIn>, pairs: &std::collections::BTreeMap<String, String>, opts: OptionsIn) -> CompileOut {
    let sources: Vec<SourceFile> = files.into_iter().map(|f| SourceFile::new(f.path, f.text)).collect();
    let mut settings = Settings::new();
    for (k, v) in pairs {
        settings.set(k.clone(), v.clone());
    }
    let mut options = Options::default();
    if let Some(b) = opts.base_dir {
        options.base_dir = b;
    }
    if opts.haproxy_version.as_deref() == Some("2.6") {
        options.profile = Profile::Haproxy26;
    }
    options.default_certificate = opts.default_certificate;
    let out = routec_core::compile(&sources, &settings, &options);
    let indexes: Vec<LineIndex> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
    CompileOut {
        rendered: routec_core::render::render_all_plain(&out.diagnostics, &sources),
        has_errors: out.diagnostics.iter().any(|d| d.severity == routec_core::Severity::Error),
        diagnostics: out.diagnostics.iter().map(|d| diagnostic(d, &sources, &indexes)).collect(),
        status: out.status.to_yaml(),
        files: out.files.into_iter().map(|f| FileOut { path: f.path, text: f.contents }).collect(),
    }
}

fn span(label: &routec_core::diag::Label, sources: &[SourceFile], indexes: &[LineIndex]) -> Option<SpanOut> {
    let i = label.span.file as usize;
    let (src, idx) = (sources.get(i)?, indexes.get(i)?);
    let r = label.span.range();
    let (sl, sc) = idx.line_col(&src.text, r.start);
    let (el, ec) = idx.line_col(&src.text, r.end);
    Some(SpanOut {
        file: src.name.clone(),
        start: r.start,
        end: r.end,
        start_pos: Position { line: sl, column: sc },
        end_pos: Position { line: el, column: ec },
        label: label.text.clone(),
    })
}

fn diagnostic(d: &Diagnostic, sources: &[SourceFile], indexes: &[LineIndex]) -> DiagnosticOut {
    let primary = d.primary.as_ref().and_then(|l| span(l, sources, indexes));
    let (file, start, end, start_pos, end_pos, label) = match primary {
        Some(s) => (Some(s.file), Some(s.start), Some(s.end), Some(s.start_pos), Some(s.end_pos), Some(s.label)),
        None => (None, None, None, None, None, None),
    };
    DiagnosticOut {
        code: d.code,
        severity: d.severity.as_str(),
        message: d.message.clone(),
        file,
        start,
        end,
        start_pos,
        end_pos,
        label,
        help: d.help.clone(),
        related: d.related.iter().filter_map(|l| span(l, sources, indexes)).collect(),
    }
}
