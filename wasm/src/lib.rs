//! WebAssembly bindings over `routec-core`: JS-facing shapes of their own (DTOs, declared in the
//! TypeScript section below), read from JS values by `read` and written as JSON text that JS
//! parses. No logic lives here, and every failure comes back as a value, never a trap.

use routec_core::json::write::{array, object, string};
use routec_core::source::LineIndex;
use routec_core::{Diagnostic, Options, Profile, Settings, Severity, SourceFile};
use wasm_bindgen::prelude::*;

mod read;

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

struct FileIn {
    path: String,
    text: String,
}

impl FileIn {
    fn read(v: &JsValue) -> Result<Self, String> {
        let v = read::object(v, "a file")?;
        Ok(Self { path: read::string(v, "path")?, text: read::string(v, "text")? })
    }
}

#[derive(Default)]
struct OptionsIn {
    base_dir: Option<String>,
    haproxy_version: Option<String>,
    default_certificate: Option<String>,
    now: Option<String>,
    ingress_domain: Option<String>,
    strict: bool,
    template: Option<FileIn>,
    limits: LimitsIn,
}

impl OptionsIn {
    fn read(v: &JsValue) -> Result<Self, String> {
        let v = read::object(v, "options")?;
        Ok(Self {
            base_dir: read::opt_string(v, "baseDir")?,
            haproxy_version: read::opt_string(v, "haproxyVersion")?,
            default_certificate: read::opt_string(v, "defaultCertificate")?,
            now: read::opt_string(v, "now")?,
            ingress_domain: read::opt_string(v, "ingressDomain")?,
            strict: read::flag(v, "strict")?,
            template: read::opt_object(v, "template")?.map(|t| FileIn::read(&t)).transpose()?,
            limits: match read::opt_object(v, "limits")? {
                Some(l) => LimitsIn {
                    max_input_bytes: read::opt_count(&l, "maxInputBytes")?,
                    max_objects: read::opt_count(&l, "maxObjects")?,
                    max_config_bytes: read::opt_count(&l, "maxConfigBytes")?,
                },
                None => LimitsIn::default(),
            },
        })
    }
}

/// The budgets a caller may set; what it leaves out is [`routec_core::Limits::WASM`]'s.
#[derive(Default)]
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

struct BundleIn {
    config: FileIn,
    files: Vec<FileIn>,
}

impl BundleIn {
    fn read(v: &JsValue) -> Result<Self, String> {
        let v = read::object(v, "a bundle")?;
        let config = read::opt_object(v, "config")?.ok_or("missing field `config`")?;
        Ok(Self {
            config: FileIn::read(&config)?,
            files: read::opt_array(v, "files")?.iter().map(FileIn::read).collect::<Result<_, _>>()?,
        })
    }
}

/// The JSON text, as a JS value.
fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| argument_error("internal: invalid JSON".into()))
}

fn argument_error(msg: String) -> JsValue {
    json(&object(&[("error", string(&msg))]))
}

/// routec's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Compiles Routes, Services, Endpoints and EndpointSlices, exactly as `routec compile` does.
#[wasm_bindgen(skip_typescript)]
pub fn compile(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    match arguments(&files, &settings, &options) {
        Ok((sources, settings, opts)) => json(&run_compile(&sources, &settings, &opts)),
        Err(e) => e,
    }
}

/// Checks the objects exactly as `routec check` does and returns its findings.
#[wasm_bindgen(skip_typescript)]
pub fn check(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    match arguments(&files, &settings, &options) {
        Ok((sources, settings, opts)) => json(&run_check(&sources, &settings, &opts)),
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

fn read_bundle(v: &JsValue, what: &str) -> Result<routec_core::hap::model::Bundle, JsValue> {
    BundleIn::read(v)
        .map(to_bundle)
        .map_err(|e| argument_error(format!("{what} is {{config: {{path, text}}, files?: [...]}}: {e}")))
}

/// The `DiffResult` of two bundles, as JSON.
fn compare(a: &routec_core::hap::model::Bundle, b: &routec_core::hap::model::Bundle) -> String {
    let env = routec_core::hap::cook::Env::default();
    let limits = routec_core::Limits::WASM;
    let (ma, pa) = routec_core::hap::model::build_limited(a, &env, &limits);
    let (mb, pb) = routec_core::hap::model::build_limited(b, &env, &limits);
    let differences = routec_core::hap::diff::diff(&ma, &mb);
    let place = |o: &Option<routec_core::hap::model::Origin>| {
        o.as_ref().map(|o| object(&[("file", string(&o.file)), ("line", o.line.to_string())]))
    };
    let difference = |d: &routec_core::hap::diff::Difference| {
        let mut f = vec![("place", string(&d.place)), ("field", string(&d.field)), ("kind", string(d.kind.as_str()))];
        let optional = [
            ("expected", d.expected.as_deref().map(string)),
            ("found", d.found.as_deref().map(string)),
            ("expectedAt", place(&d.expected_at)),
            ("foundAt", place(&d.found_at)),
        ];
        f.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        object(&f)
    };
    let problems: Vec<_> = pa.iter().chain(&pb).collect();
    object(&[
        ("equivalent", differences.is_empty().to_string()),
        ("differences", array(&differences, difference)),
        (
            "problems",
            array(&problems, |p| {
                object(&[
                    ("file", string(&p.file)),
                    ("code", string(p.code)),
                    ("message", string(&p.message)),
                    ("fatal", p.fatal.to_string()),
                ])
            }),
        ),
    ])
}

/// Compares two configs by meaning, as `routec diff` does.
#[wasm_bindgen(skip_typescript)]
pub fn diff(a: JsValue, b: JsValue) -> JsValue {
    match (read_bundle(&a, "a bundle"), read_bundle(&b, "a bundle")) {
        (Ok(a), Ok(b)) => json(&compare(&a, &b)),
        (Err(e), _) | (_, Err(e)) => e,
    }
}

/// Compiles the objects and compares the result with a router's files, as `routec verify` does.
#[wasm_bindgen(skip_typescript)]
pub fn verify(files: JsValue, settings: JsValue, options: JsValue, against: JsValue) -> JsValue {
    let deployed = match read_bundle(&against, "against") {
        Ok(b) => b,
        Err(e) => return e,
    };
    match arguments(&files, &settings, &options) {
        Ok((sources, settings, opts)) => {
            let out = routec_core::compile(&sources, &settings, &core_options(&opts, sources.len()));
            json(&compare(&routec_core::hap::bundle_from_output(&out.files), &deployed))
        }
        Err(e) => e,
    }
}

fn arguments(
    files: &JsValue,
    settings: &JsValue,
    options: &JsValue,
) -> Result<(Vec<SourceFile>, Settings, OptionsIn), JsValue> {
    let files: Vec<FileIn> = read::array(files, "files")
        .and_then(|items| items.iter().map(FileIn::read).collect())
        .map_err(|e| argument_error(format!("files must be an array of {{path, text}}: {e}")))?;
    let pairs = if settings.is_undefined() || settings.is_null() {
        Vec::new()
    } else {
        read::string_map(settings).map_err(|e| argument_error(format!("settings must map names to strings: {e}")))?
    };
    let opts = if options.is_undefined() || options.is_null() {
        OptionsIn::default()
    } else {
        OptionsIn::read(options).map_err(|e| argument_error(format!("invalid options: {e}")))?
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

/// The `CompileResult`, as JSON.
fn run_compile(sources: &[SourceFile], settings: &Settings, opts: &OptionsIn) -> String {
    let out = routec_core::compile(sources, settings, &core_options(opts, sources.len()));
    let all = with_template(sources, opts);
    let indexes: Vec<LineIndex> = all.iter().map(|s| LineIndex::new(&s.text)).collect();
    object(&[
        ("files", array(&out.files, |f| object(&[("path", string(&f.path)), ("text", string(&f.contents))]))),
        ("diagnostics", array(&out.diagnostics, |d| diagnostic(d, &all, &indexes))),
        ("rendered", string(&routec_core::render::render_all_plain(&out.diagnostics, &all))),
        ("status", string(&out.status.to_yaml())),
        ("hasErrors", out.diagnostics.iter().any(|d| d.severity == Severity::Error).to_string()),
    ])
}

/// The `CheckResult`, as JSON.
fn run_check(sources: &[SourceFile], settings: &Settings, opts: &OptionsIn) -> String {
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
    object(&[
        ("diagnostics", array(&found, |d| diagnostic(d, sources, &indexes))),
        ("rendered", string(&routec_core::render::render_all_plain(&found, sources))),
        ("errors", errors.to_string()),
        ("warnings", warnings.to_string()),
        ("failed", (errors > 0 || (opts.strict && warnings > 0)).to_string()),
    ])
}

/// A labelled span's fields: file, start, end, startPos, endPos, label.
fn span_fields(
    label: &routec_core::diag::Label,
    sources: &[SourceFile],
    indexes: &[LineIndex],
) -> Option<[(&'static str, String); 6]> {
    let i = label.span.file as usize;
    let (src, idx) = (sources.get(i)?, indexes.get(i)?);
    let r = label.span.range();
    let pos = |at: usize| {
        let (line, column) = idx.line_col(&src.text, at);
        object(&[("line", line.to_string()), ("column", column.to_string())])
    };
    Some([
        ("file", string(&src.name)),
        ("start", r.start.to_string()),
        ("end", r.end.to_string()),
        ("startPos", pos(r.start)),
        ("endPos", pos(r.end)),
        ("label", string(&label.text)),
    ])
}

/// One `DiagnosticDto`, as JSON.
fn diagnostic(d: &Diagnostic, sources: &[SourceFile], indexes: &[LineIndex]) -> String {
    let mut f =
        vec![("code", string(d.code)), ("severity", string(d.severity.as_str())), ("message", string(&d.message))];
    if let Some(primary) = d.primary.as_ref().and_then(|l| span_fields(l, sources, indexes)) {
        f.extend(primary);
    }
    if let Some(help) = &d.help {
        f.push(("help", string(help)));
    }
    let related: Vec<_> = d.related.iter().filter_map(|l| span_fields(l, sources, indexes)).collect();
    f.push(("related", array(&related, |s| object(s))));
    object(&f)
}

fn request(v: &JsValue) -> Result<routec_core::explain::Request, JsValue> {
    let wrong = |e: String| argument_error(format!("request is {{url, sni?, noSni?, clientIp?, headers?}}: {e}"));
    let v = read::object(v, "the request").map_err(wrong)?;
    let url = read::string(v, "url").map_err(wrong)?;
    let sni = match (read::opt_string(v, "sni").map_err(wrong)?, read::flag(v, "noSni").map_err(wrong)?) {
        (Some(n), _) => routec_core::explain::Sni::Name(n),
        (None, true) => routec_core::explain::Sni::Omit,
        (None, false) => routec_core::explain::Sni::FromHost,
    };
    let client_ip = read::opt_string(v, "clientIp").map_err(wrong)?;
    let mut headers = Vec::new();
    for h in read::opt_array(v, "headers").map_err(wrong)? {
        let h = read::object(&h, "a header").map_err(wrong)?;
        let (name, value) = (read::string(h, "name").map_err(wrong)?, read::string(h, "value").map_err(wrong)?);
        headers.push(format!("{name}: {value}"));
    }
    routec_core::explain::parse_request(&url, &sni, client_ip.as_deref(), &headers)
        .map_err(|e| argument_error(e.to_string()))
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

fn bundle_session(bundle: &JsValue) -> Result<routec_core::explain::Session, JsValue> {
    let b = read_bundle(bundle, "a bundle")?;
    Ok(routec_core::explain::Session::from_bundle(&b, Default::default(), None))
}

/// Explains a request against the compiled objects, as `routec explain URL INPUT...` does.
#[wasm_bindgen(skip_typescript)]
pub fn explain(files: JsValue, settings: JsValue, options: JsValue, req: JsValue) -> JsValue {
    let req = match request(&req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    match arguments(&files, &settings, &options) {
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
    let req = match request(&req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    match bundle_session(&bundle) {
        Ok(s) => json(&routec_core::explain::json::explanation(&s.explainer().explain(&req))),
        Err(e) => e,
    }
}

/// The route table of the compiled objects, as `routec explain --routes INPUT...` prints it.
#[wasm_bindgen(skip_typescript)]
pub fn routes(files: JsValue, settings: JsValue, options: JsValue) -> JsValue {
    match arguments(&files, &settings, &options) {
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
    match bundle_session(&bundle) {
        Ok(s) => json(&routec_core::explain::json::routes(&s.explainer().routes())),
        Err(e) => e,
    }
}
