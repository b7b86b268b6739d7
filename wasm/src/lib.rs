//! WebAssembly bindings over `routec-core`: JS-facing types of their own (DTOs), converted from
//! core values. No logic lives here, and every failure comes back as a value, never a trap.

use routec_core::source::LineIndex;
use routec_core::{Diagnostic, Options, Profile, Settings, Severity, SourceFile};
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
  /** The time certificate dates are checked against, RFC 3339 (e.g. new Date().toISOString()).
   *  Without it the dates are not checked: the module reads no clock. */
  now?: string;
  /** The cluster's ingress domain (`ingresses.config/cluster` spec.domain): a route without
   *  spec.host or spec.subdomain gets `<name>-<namespace>.<domain>`, as the API server assigns it. */
  ingressDomain?: string;
  /** Resource budgets (docs/limits.md); each defaults to the browser's: 32 MiB of input,
   *  100,000 objects, a 32 MiB router directory. Over one, the result is an error diagnostic. */
  limits?: Limits;
}

/** Resource budgets. */
export interface Limits { maxInputBytes?: number; maxObjects?: number; maxConfigBytes?: number; }

/** Check options. */
export interface CheckOptions extends CompileOptions {
  /** Warnings fail the check too (`routec check --strict`). */
  strict?: boolean;
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

/** What check returns: the findings `routec check` reports, without output files. */
export interface CheckResult {
  diagnostics: DiagnosticDto[];
  /** The findings rendered as `routec check` prints them without colour. */
  rendered: string;
  errors: number;
  warnings: number;
  /** True when `routec check` would exit 1 (errors, or warnings with `strict`). */
  failed: boolean;
}

/** A router directory's files: haproxy.config and its maps / crt-lists (by file name). */
export interface BundleDto { config: FileDto; files?: FileDto[]; }

/** One semantic difference (expected = left / routec's compile, found = right / deployed). */
export interface DifferenceDto {
  place: string;
  field: string;
  kind: "missing" | "extra" | "changed" | "order";
  expected?: string;
  found?: string;
  expectedAt?: { file: string; line: number };
  foundAt?: { file: string; line: number };
}

/** What diff and verify return. */
export interface DiffResult {
  equivalent: boolean;
  differences: DifferenceDto[];
  /** Syntax problems found while reading either side. */
  problems: { file: string; code: string; message: string; fatal: boolean }[];
}

/** A failure to even read the arguments. */
export interface ArgumentError { error: string; }

export function compile(files: FileDto[], settings: Record<string, string>, options?: CompileOptions): CompileResult | ArgumentError;
export function check(files: FileDto[], settings: Record<string, string>, options?: CheckOptions): CheckResult | ArgumentError;
export function diff(a: BundleDto, b: BundleDto): DiffResult | ArgumentError;
export function verify(files: FileDto[], settings: Record<string, string>, options: CompileOptions | undefined, against: BundleDto): DiffResult | ArgumentError;
export function version(): string;

/** The request to explain. */
export interface ExplainRequest {
  /** http://host[:port]/path?query, https://…, or tls://host:port */
  url: string;
  /** The SNI the client sends (default: the URL's host). */
  sni?: string;
  /** Send no SNI. */
  noSni?: boolean;
  /** The client's address, for allow-lists. */
  clientIp?: string;
  /** Extra request headers. */
  headers?: { name: string; value: string }[];
}

/** `routec explain --format json` (schema routec.explain/1, docs/explain-json.md). */
export interface ExplainResult { schema: "routec.explain/1"; [key: string]: unknown; }
/** `routec explain --routes --format json` (schema routec.routes/1). */
export interface RoutesResult { schema: "routec.routes/1"; [key: string]: unknown; }

export function explain(files: FileDto[], settings: Record<string, string>, options: CompileOptions | undefined, request: ExplainRequest): ExplainResult | ArgumentError;
export function explainConfig(bundle: BundleDto, request: ExplainRequest): ExplainResult | ArgumentError;
export function routes(files: FileDto[], settings: Record<string, string>, options?: CompileOptions): RoutesResult | ArgumentError;
export function routesConfig(bundle: BundleDto): RoutesResult | ArgumentError;
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
    now: Option<String>,
    ingress_domain: Option<String>,
    #[serde(default)]
    strict: bool,
    template: Option<FileIn>,
    #[serde(default)]
    limits: LimitsIn,
}

/// The budgets a caller may set; what it leaves out is [`routec_core::Limits::WASM`]'s.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct LimitsIn {
    max_input_bytes: Option<usize>,
    max_objects: Option<usize>,
    max_config_bytes: Option<usize>,
}

impl LimitsIn {
    fn resolve(&self) -> routec_core::Limits {
        let d = routec_core::Limits::WASM;
        routec_core::Limits {
            max_input_bytes: self.max_input_bytes.unwrap_or(d.max_input_bytes),
            max_objects: self.max_objects.unwrap_or(d.max_objects),
            max_config_bytes: self.max_config_bytes.unwrap_or(d.max_config_bytes),
        }
    }
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
#[serde(rename_all = "camelCase")]
struct CheckOut {
    diagnostics: Vec<DiagnosticOut>,
    rendered: String,
    errors: usize,
    warnings: usize,
    failed: bool,
}

#[derive(Deserialize)]
struct BundleIn {
    config: FileIn,
    #[serde(default)]
    files: Vec<FileIn>,
}

#[derive(Serialize)]
struct Place {
    file: String,
    line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DifferenceOut {
    place: String,
    field: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_at: Option<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found_at: Option<Place>,
}

#[derive(Serialize)]
struct ProblemOut {
    file: String,
    code: &'static str,
    message: String,
    fatal: bool,
}

#[derive(Serialize)]
struct DiffOut {
    equivalent: bool,
    differences: Vec<DifferenceOut>,
    problems: Vec<ProblemOut>,
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
    match arguments(files, settings, options) {
        Ok((sources, settings, opts)) => to_js(&run_compile(&sources, &settings, &opts)),
        Err(e) => e,
    }
}

/// Checks the objects exactly as `routec check` does and returns its findings.
#[wasm_bindgen(skip_typescript)]
pub fn check(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    match arguments(files, settings, options) {
        Ok((sources, settings, opts)) => to_js(&run_check(&sources, &settings, &opts)),
        Err(e) => e,
    }
}

fn to_bundle(b: BundleIn) -> routec_core::hap::model::Bundle {
    let mut out =
        routec_core::hap::model::Bundle { config: (b.config.path, b.config.text.into_bytes()), ..Default::default() };
    for f in b.files {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_owned();
        out.files.insert(name, f.text.into_bytes());
    }
    out
}

fn compare(a: &routec_core::hap::model::Bundle, b: &routec_core::hap::model::Bundle) -> DiffOut {
    let env = routec_core::hap::cook::Env::default();
    let limits = routec_core::Limits::WASM;
    let (ma, pa) = routec_core::hap::model::build_limited(a, &env, &limits);
    let (mb, pb) = routec_core::hap::model::build_limited(b, &env, &limits);
    let place =
        |o: Option<routec_core::hap::model::Origin>| o.map(|o| Place { file: o.file.to_string(), line: o.line });
    let differences: Vec<DifferenceOut> = routec_core::hap::diff::diff(&ma, &mb)
        .into_iter()
        .map(|d| DifferenceOut {
            place: d.place,
            field: d.field,
            kind: d.kind.as_str(),
            expected: d.expected,
            found: d.found,
            expected_at: place(d.expected_at),
            found_at: place(d.found_at),
        })
        .collect();
    DiffOut {
        equivalent: differences.is_empty(),
        differences,
        problems: pa
            .into_iter()
            .chain(pb)
            .map(|p| ProblemOut { file: p.file, code: p.code, message: p.message, fatal: p.fatal })
            .collect(),
    }
}

/// Compares two configs by meaning, as `routec diff` does.
#[wasm_bindgen(skip_typescript)]
pub fn diff(a: JsValue, b: JsValue) -> JsValue {
    let read = |v: JsValue| {
        serde_wasm_bindgen::from_value::<BundleIn>(v)
            .map_err(|e| argument_error(format!("a bundle is {{config: {{path, text}}, files?: [...]}}: {e}")))
    };
    match (read(a), read(b)) {
        (Ok(a), Ok(b)) => to_js(&compare(&to_bundle(a), &to_bundle(b))),
        (Err(e), _) | (_, Err(e)) => e,
    }
}

/// Compiles the objects and compares the result with a router's files, as `routec verify` does.
#[wasm_bindgen(skip_typescript)]
pub fn verify(files: JsValue, settings: JsValue, options: JsValue, against: JsValue) -> JsValue {
    let deployed = match serde_wasm_bindgen::from_value::<BundleIn>(against) {
        Ok(b) => to_bundle(b),
        Err(e) => return argument_error(format!("against is {{config: {{path, text}}, files?: [...]}}: {e}")),
    };
    match arguments(files, settings, options) {
        Ok((sources, settings, opts)) => {
            let out = routec_core::compile(&sources, &settings, &core_options(&opts, sources.len()));
            to_js(&compare(&routec_core::hap::bundle_from_output(&out.files), &deployed))
        }
        Err(e) => e,
    }
}

fn arguments(
    files: JsValue,
    settings: JsValue,
    options: JsValue,
) -> Result<(Vec<SourceFile>, Settings, OptionsIn), JsValue> {
    let files: Vec<FileIn> = serde_wasm_bindgen::from_value(files)
        .map_err(|e| argument_error(format!("files must be an array of {{path, text}}: {e}")))?;
    let pairs: std::collections::BTreeMap<String, String> = if settings.is_undefined() || settings.is_null() {
        std::collections::BTreeMap::new()
    } else {
        serde_wasm_bindgen::from_value(settings)
            .map_err(|e| argument_error(format!("settings must map names to strings: {e}")))?
    };
    let opts: OptionsIn = if options.is_undefined() || options.is_null() {
        OptionsIn::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| argument_error(format!("invalid options: {e}")))?
    };
    if let Some(now) = &opts.now {
        if routec_core::loader::parse_rfc3339(now).is_none() {
            return Err(argument_error(format!(
                "now must be an RFC 3339 time such as 2026-01-01T00:00:00Z, got `{now}`"
            )));
        }
    }
    if let Some(d) = &opts.ingress_domain {
        if !routec_core::startup::is_dns1123_subdomain(d) {
            return Err(argument_error(format!(
                "ingressDomain must be a DNS domain such as apps.example.com, got `{d}`"
            )));
        }
    }
    let sources = files.into_iter().map(|f| SourceFile::new(f.path, f.text)).collect();
    let mut s = Settings::new();
    for (k, v) in pairs {
        s.set(k, v);
    }
    Ok((sources, s, opts))
}

/// The inputs and, after them, the template: the list diagnostics' spans index.
fn with_template(sources: &[SourceFile], opts: &OptionsIn) -> Vec<SourceFile> {
    let mut all = sources.to_vec();
    all.extend(opts.template.as_ref().map(|t| SourceFile::new(t.path.clone(), t.text.clone())));
    all
}

/// Core options; a template's diagnostics point at index `inputs` (right after the inputs).
fn core_options(opts: &OptionsIn, inputs: usize) -> Options {
    let mut options = Options {
        template: opts.template.as_ref().map(|t| routec_core::template::RouterTemplate {
            name: t.path.clone(),
            text: t.text.clone(),
            file: u32::try_from(inputs).unwrap_or(u32::MAX),
        }),
        ..Options::default()
    };
    if let Some(b) = &opts.base_dir {
        options.base_dir.clone_from(b);
    }
    if opts.haproxy_version.as_deref() == Some("2.6") {
        options.profile = Profile::Haproxy26;
    }
    options.default_certificate.clone_from(&opts.default_certificate);
    options.now = opts.now.as_deref().and_then(routec_core::loader::parse_rfc3339);
    options.ingress_domain.clone_from(&opts.ingress_domain);
    options.limits = opts.limits.resolve();
    options
}

fn run_compile(sources: &[SourceFile], settings: &Settings, opts: &OptionsIn) -> CompileOut {
    let out = routec_core::compile(sources, settings, &core_options(opts, sources.len()));
    let all = with_template(sources, opts);
    let indexes: Vec<LineIndex> = all.iter().map(|s| LineIndex::new(&s.text)).collect();
    CompileOut {
        rendered: routec_core::render::render_all_plain(&out.diagnostics, &all),
        has_errors: out.diagnostics.iter().any(|d| d.severity == Severity::Error),
        diagnostics: out.diagnostics.iter().map(|d| diagnostic(d, &all, &indexes)).collect(),
        status: out.status.to_yaml(),
        files: out.files.into_iter().map(|f| FileOut { path: f.path, text: f.contents }).collect(),
    }
}

fn run_check(sources: &[SourceFile], settings: &Settings, opts: &OptionsIn) -> CheckOut {
    let out = routec_core::compile(sources, settings, &core_options(opts, sources.len()));
    let mut all = out.diagnostics.clone();
    // The settings the output was compiled with: an IngressController among the inputs adds some.
    all.extend(routec_core::explain::route_findings(
        &out,
        sources,
        out.settings.settings(),
        opts.default_certificate.as_deref(),
    ));
    let found = routec_core::compile::check_findings(all);
    let sources = &with_template(sources, opts);
    let indexes: Vec<LineIndex> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
    let count = |s: Severity| found.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    CheckOut {
        rendered: routec_core::render::render_all_plain(&found, sources),
        failed: errors > 0 || (opts.strict && warnings > 0),
        errors,
        warnings,
        diagnostics: found.iter().map(|d| diagnostic(d, sources, &indexes)).collect(),
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

#[derive(Deserialize)]
struct HeaderIn {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestIn {
    url: String,
    #[serde(default)]
    sni: Option<String>,
    #[serde(default)]
    no_sni: bool,
    #[serde(default)]
    client_ip: Option<String>,
    #[serde(default)]
    headers: Vec<HeaderIn>,
}

fn request(v: JsValue) -> Result<routec_core::explain::Request, JsValue> {
    let r: RequestIn = serde_wasm_bindgen::from_value(v)
        .map_err(|e| argument_error(format!("request is {{url, sni?, noSni?, clientIp?, headers?}}: {e}")))?;
    let sni = match (r.sni, r.no_sni) {
        (Some(n), _) => routec_core::explain::Sni::Name(n),
        (None, true) => routec_core::explain::Sni::Omit,
        (None, false) => routec_core::explain::Sni::FromHost,
    };
    let headers: Vec<String> = r.headers.into_iter().map(|h| format!("{}: {}", h.name, h.value)).collect();
    routec_core::explain::parse_request(&r.url, &sni, r.client_ip.as_deref(), &headers)
        .map_err(|e| argument_error(e.to_string()))
}

/// The same bytes as the CLI's `--format json`, as a JS object.
fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| argument_error("internal: invalid JSON".into()))
}

fn session_of(sources: &[SourceFile], settings: &Settings, opts: &OptionsIn) -> routec_core::explain::Session {
    let out = routec_core::compile(sources, settings, &core_options(opts, sources.len()));
    routec_core::explain::Session::from_output(
        &out,
        sources,
        opts.default_certificate.as_deref(),
        out.settings.settings(),
    )
}

fn bundle_session(bundle: JsValue) -> Result<routec_core::explain::Session, JsValue> {
    let b = serde_wasm_bindgen::from_value::<BundleIn>(bundle)
        .map_err(|e| argument_error(format!("a bundle is {{config: {{path, text}}, files?: [...]}}: {e}")))?;
    Ok(routec_core::explain::Session::from_bundle(&to_bundle(b), Default::default(), None))
}

/// Explains a request against the compiled objects, as `routec explain URL INPUT...` does.
#[wasm_bindgen(skip_typescript)]
pub fn explain(files: JsValue, settings: JsValue, options: JsValue, req: JsValue) -> JsValue {
    let req = match request(req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    match arguments(files, settings, options) {
        Ok((sources, settings, opts)) => {
            let s = session_of(&sources, &settings, &opts);
            json(&routec_core::explain::json::explanation(&s.explainer().explain(&req)))
        }
        Err(e) => e,
    }
}

/// Explains a request against a router's files, as `routec explain URL --config DIR` does.
#[wasm_bindgen(js_name = explainConfig, skip_typescript)]
pub fn explain_config(bundle: JsValue, req: JsValue) -> JsValue {
    let req = match request(req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    match bundle_session(bundle) {
        Ok(s) => json(&routec_core::explain::json::explanation(&s.explainer().explain(&req))),
        Err(e) => e,
    }
}

/// The route table of the compiled objects, as `routec explain --routes INPUT...` prints it.
#[wasm_bindgen(skip_typescript)]
pub fn routes(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    match arguments(files, settings, options) {
        Ok((sources, settings, opts)) => {
            let s = session_of(&sources, &settings, &opts);
            json(&routec_core::explain::json::routes(&s.explainer().routes()))
        }
        Err(e) => e,
    }
}

/// The route table of a router's files, as `routec explain --routes --config DIR` prints it.
#[wasm_bindgen(js_name = routesConfig, skip_typescript)]
pub fn routes_config(bundle: JsValue) -> JsValue {
    match bundle_session(bundle) {
        Ok(s) => json(&routec_core::explain::json::routes(&s.explainer().routes())),
        Err(e) => e,
    }
}
