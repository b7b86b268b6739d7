//! `routec`: compile OpenShift Routes into the OpenShift router's HAProxy configuration.
//! All IO, rendering and exit codes live here; the logic is in `routec-core`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bundle;
mod config;
mod docs;
mod explain;
mod fold;
mod inputs;
mod outdir;
mod policy;
mod progress;
mod project;
mod readback;
mod redact;
mod render;
mod report;
mod settings_cmd;
mod shell;
mod template;
mod ui;
mod walk;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use report::{Format, Report};
use routec_core::{Options, Profile, Severity};

#[derive(Parser)]
#[command(
    name = "routec",
    version,
    max_term_width = 100,
    about = "OpenShift Routes in, the OpenShift router's HAProxy config out",
    after_help = "Examples:\n  routec compile deploy/ --router-env router.env -o out\n  routec check deploy/ -o github\n  \
                  routec explain https://shop.example.com/cart deploy/\n  routec verify deploy/ --against router-dir/\n\n\
                  Docs: https://github.com/routec/routec/tree/main/docs"
)]
struct Cli {
    #[command(flatten)]
    ui: ui::UiArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile Routes, Services, Endpoints and EndpointSlices into haproxy.config, maps and certificates.
    #[command(
        after_help = "Examples:\n  routec compile deploy/ --router-env router.env -o out\n  routec compile deploy/ --router-env router.env -o out --check   # drift in CI\n  oc get route,svc,endpoints -o yaml | routec compile - > haproxy.config\n\nDocs: docs/compile.md"
    )]
    Compile(CompileArgs),
    /// Check the objects as the router (and the API server in front of it) would, and report
    /// every problem. Exit 0 when clean, 1 on findings, 2 on usage or IO errors.
    #[command(
        after_help = "Examples:\n  routec check deploy/ --router-env router.env\n  routec check deploy/ -o github          # annotations in a GitHub pull request\n  routec check deploy/ -o sarif > routec.sarif\n  kustomize build overlays/prod | routec check -\n\nDocs: docs/check.md"
    )]
    Check(CheckArgs),
    /// Compile the objects and compare the result, by meaning, with a router's files. Exit 0
    /// equivalent, 1 drift, 2 error (a deployed config with syntax errors included).
    #[command(
        after_help = "Examples:\n  oc rsync router-pod:/var/lib/haproxy ./deployed\n  routec verify deploy/ --router-env router.env --against ./deployed\n  routec verify deploy/ --against ./deployed -o json\n\nDocs: docs/verify.md"
    )]
    Verify(VerifyArgs),
    /// Compare two configs (files or router directories) by meaning. Exit 0 equivalent, 1
    /// different, 2 error (a config with syntax errors included).
    #[command(
        after_help = "Examples:\n  routec diff old/ new/\n  routec diff old/conf/haproxy.config new/conf/haproxy.config -o json\n\nDocs: docs/diff.md"
    )]
    Diff(DiffArgs),
    /// Parse configs (files, or folders with their maps and crt-lists): print the diagnostics
    /// and the semantic model. Exit 1 on syntax errors.
    #[command(
        after_help = "Examples:\n  routec parse out/\n  routec parse /var/lib/haproxy/conf/haproxy.config -o json\n\nDocs: docs/parse.md"
    )]
    Parse(ParseArgs),
    /// Explain where a request goes and why: from the objects (compiled in memory) or from a
    /// router's files (`--config DIR`). `--routes` prints the route table instead.
    #[command(
        after_help = "Examples:\n  routec explain https://shop.example.com/cart deploy/ --router-env router.env\n  routec explain http://shop.example.com/ --config ./deployed\n  routec explain --routes deploy/ -o json\n\nDocs: docs/explain.md"
    )]
    Explain(explain::ExplainArgs),
    /// Print the router settings in effect and where each came from (--set, --router-env, the
    /// router Deployment, the IngressController). Exit 1 when they have errors.
    #[command(
        after_help = "Examples:\n  oc get ingresscontroller,route,svc,endpointslices -A -o yaml | routec settings -\n  routec settings cluster/ --router-deployment router-default.yaml --format json\n\nDocs: docs/settings.md"
    )]
    Settings(settings_cmd::SettingsCmdArgs),
    /// Router templates: `template diff OLD NEW INPUT...` shows what a template change or a
    /// router upgrade does to the output. Exit 0 no differences, 1 differences, 2 error.
    Template(template::TemplateArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff), or write one page per command with `--dir`.
    Man(shell::ManArgs),
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The router's directory (a copy of /var/lib/haproxy).
    #[arg(long, value_name = "DIR")]
    against: PathBuf,
    /// Output format: text or json.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: readback::Format,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The expected config (file or directory).
    a: PathBuf,
    /// The config to compare with it.
    b: PathBuf,
    /// Output format: text or json.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: readback::Format,
}

#[derive(clap::Args)]
struct ParseArgs {
    /// Config files or router directories.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format: text or json.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: readback::Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum HaproxyVersion {
    #[value(name = "2.6")]
    V26,
    #[value(name = "2.8")]
    V28,
}

/// Inputs and router settings, shared by every command that compiles.
#[derive(clap::Args)]
struct InputArgs {
    /// Files, directories or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(flatten)]
    source: project::SourceArgs,
}

/// Router settings and compile options.
#[derive(clap::Args)]
pub(crate) struct SettingsArgs {
    /// Router settings as KEY=VALUE lines (router env names).
    #[arg(long = "router-env", value_name = "FILE")]
    router_env: Vec<PathBuf>,
    /// One router setting, KEY=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Default certificate: a tls.crt/tls.key folder or one PEM.
    #[arg(long = "default-certificate", value_name = "PATH")]
    default_certificate: Option<PathBuf>,
    /// The prefix of paths inside the config.
    #[arg(long = "base-dir", value_name = "DIR", default_value = "/var/lib/haproxy")]
    base_dir: String,
    /// The HAProxy version to load in: 2.6 or 2.8.
    #[arg(
        long = "haproxy-version",
        value_name = "VERSION",
        value_enum,
        default_value = "2.8",
        hide_possible_values = true
    )]
    haproxy_version: HaproxyVersion,
    /// Host-less routes get NAME-NAMESPACE.DOMAIN.
    #[arg(long = "ingress-domain", value_name = "DOMAIN", value_parser = parse_domain)]
    ingress_domain: Option<String>,
    /// Time certificate dates are checked against (RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    now: Option<i64>,
    #[command(flatten)]
    cluster: settings_cmd::ClusterArgs,
    /// Render this router template instead of the built-in emitter.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CompileArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the router's layout here (else the config to stdout).
    #[arg(short, long, value_name = "DIR", value_parser = output_dir)]
    output: Option<PathBuf>,
    /// Write into a non-empty DIR that is not router output.
    #[arg(long, requires = "output")]
    force: bool,
    /// Write every route's admission result here (status.yaml).
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,
    /// Write nothing; exit 1 and show the diff when DIR differs.
    #[arg(long, requires = "output")]
    check: bool,
    /// Print at most N diagnostics (the exit code counts all).
    #[arg(long = "max-diagnostics", value_name = "N")]
    max_diagnostics: Option<usize>,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format: text, json, sarif, github or junit.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: Format,
    /// Warnings fail the check too.
    #[arg(long)]
    strict: bool,
    /// Print at most N findings in text output.
    #[arg(long = "max-diagnostics", value_name = "N")]
    max_diagnostics: Option<usize>,
}

fn parse_domain(s: &str) -> Result<String, String> {
    let d = s.trim_end_matches('.').to_ascii_lowercase();
    if routec_core::startup::is_dns1123_subdomain(&d) {
        Ok(d)
    } else {
        Err(format!("`{s}` is not a DNS domain such as apps.example.com"))
    }
}

/// `compile -o DIR`: a directory. A value that names a report format is almost always meant
/// for `check`, so it gets a hint unless such a directory exists.
fn output_dir(s: &str) -> Result<PathBuf, String> {
    let formats = ["text", "json", "sarif", "github", "junit", "yaml"];
    if formats.contains(&s) && !Path::new(s).is_dir() {
        return Err(format!(
            "`-o` of compile names the output directory, and `{s}` looks like a format: for a report, \
             run `routec check INPUT -o {s}`; for a directory named {s}, write `-o ./{s}`"
        ));
    }
    Ok(PathBuf::from(s))
}

fn parse_time(s: &str) -> Result<i64, String> {
    routec_core::loader::parse_rfc3339(s)
        .ok_or_else(|| format!("`{s}` is not an RFC 3339 time such as 2026-01-01T00:00:00Z"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    ui::init(cli.ui);
    let result = match cli.command {
        Command::Compile(args) => compile(&args),
        Command::Check(args) => check(&args),
        Command::Verify(args) => verify(&args),
        Command::Diff(args) => {
            let (a, b) = (bundle::read(&args.a), bundle::read(&args.b));
            a.and_then(|a| Ok((a, b?)))
                .and_then(|(a, b)| {
                    let limits = project::limits_for(&[args.a.as_path()])?;
                    readback::compare(&a, &b, args.format, "diff", &limits)
                })
                .map(ExitCode::from)
        }
        Command::Parse(args) => readback::parse(&args.files, args.format).map(ExitCode::from),
        Command::Explain(args) => explain::run(&args).map(ExitCode::from),
        Command::Settings(args) => settings_cmd::run(&args).map(ExitCode::from),
        Command::Template(args) => template::run(&args).map(ExitCode::from),
        Command::Completions(args) => shell::completions(&args).map(ExitCode::from),
        Command::Man(args) => shell::man(&args).map(ExitCode::from),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {}", redact::scrub(&msg));
            ExitCode::from(2)
        }
    }
}

/// Everything a compile of the inputs yields, with the sources its diagnostics point into.
pub(crate) struct Compiled {
    sources: Vec<routec_core::SourceFile>,
    inputs: usize,
    out: routec_core::Output,
    diagnostics: Vec<routec_core::Diagnostic>,
    settings: routec_core::Settings,
    default_certificate: Option<String>,
    /// The severity overrides, applied to `diagnostics` already.
    policy: policy::Policy,
}

fn run(args: &InputArgs) -> Result<Compiled, String> {
    project::run(&args.inputs, &args.source, &args.settings)
}

/// Compiles `sources` with the settings flags, the `router_env` files and the router template
/// to render (if any; else the built-in emitter).
pub(crate) fn run_with(
    mut sources: Vec<routec_core::SourceFile>,
    args: &SettingsArgs,
    router_env: &[PathBuf],
    template: Option<&Path>,
    limits: routec_core::Limits,
) -> Result<Compiled, String> {
    sources.extend(args.cluster.read()?);
    let inputs = sources.len();
    let first_env = u32::try_from(inputs).unwrap_or(u32::MAX);
    let (settings, env_sources, mut diagnostics) = inputs::read_settings(router_env, &args.set, first_env)?;
    let default_certificate = inputs::default_certificate(args.default_certificate.as_deref(), &settings)?;
    let profile = match args.haproxy_version {
        HaproxyVersion::V26 => Profile::Haproxy26,
        HaproxyVersion::V28 => Profile::Haproxy28,
    };
    let now = args.now.or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    });
    // The template's diagnostics point after the inputs and the settings files.
    let at = u32::try_from(inputs + env_sources.len()).unwrap_or(u32::MAX);
    let template = template.map(|p| template::read(p, at)).transpose()?;
    let opts = Options {
        base_dir: args.base_dir.clone(),
        profile,
        default_certificate: default_certificate.clone(),
        now,
        ingress_domain: args.ingress_domain.clone(),
        ingress_controller_name: args.cluster.ingress_controller_name.clone(),
        template: template.as_ref().map(|(t, _)| t.clone()),
        limits,
        on_phase: ui::get().verbose.then_some(ui::core_stage as fn(&'static str)),
        ..Options::default()
    };
    for s in sources.iter().chain(&env_sources) {
        redact::register(&s.text);
    }
    if let Some(c) = &default_certificate {
        redact::register(c);
    }
    let phase = ui::phase("compile");
    let mut out = routec_core::compile(&sources, &settings, &opts);
    phase.done(&format!(
        "{} route(s), {} file(s), {} diagnostic(s)",
        out.status.routes.len(),
        out.files.len(),
        out.diagnostics.len() + diagnostics.len()
    ));
    sources.extend(env_sources);
    sources.extend(template.map(|(_, s)| s));
    diagnostics.append(&mut out.diagnostics);
    // Later checks and explanations use the settings the output was compiled with.
    let settings = out.settings.settings().clone();
    Ok(Compiled { sources, inputs, out, diagnostics, settings, default_certificate, policy: policy::Policy::default() })
}

fn compile(args: &CompileArgs) -> Result<ExitCode, String> {
    let c = run(&args.input)?;
    let quiet = ui::get().quiet;
    let renderer = render::renderer(&c.sources, render::Style::detect());
    let errors = c.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let printed: Vec<routec_core::Diagnostic> =
        c.diagnostics.iter().filter(|d| !quiet || d.severity == Severity::Error).cloned().collect();
    let folded = fold::fold(&printed, args.max_diagnostics);
    let mut report = String::new();
    for d in folded.shown {
        report.push_str(&renderer.render(d));
    }
    report.push_str(&folded.trailer);
    let _ = std::io::stderr().lock().write_all(redact::scrub(&report).as_bytes());
    if args.check {
        let dir = args.output.as_deref().ok_or("--check needs --output DIR")?;
        return readback::check_tree(dir, &c.out.files).map(ExitCode::from);
    }
    let phase = ui::phase("write");
    let into = if let Some(dir) = &args.output {
        let w = outdir::write_tree(dir, &c.out.files, args.force)?;
        phase.done(&format!("{} file(s), {} bytes, {} stale file(s) removed", w.files, w.bytes, w.removed));
        format!("{}/", dir.display().to_string().trim_end_matches('/'))
    } else {
        // The config is the product, byte for byte (it holds no key: those go to .pem files).
        if let Some(cfg) = c.out.file("conf/haproxy.config") {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(cfg.as_bytes()).and_then(|()| stdout.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(format!("cannot write to stdout: {e}"));
                }
            }
        }
        "stdout".to_owned()
    };
    if let Some(p) = &args.status {
        outdir::write_atomic(p, c.out.status.to_yaml().as_bytes())?;
    }
    if !quiet {
        let _ = writeln!(std::io::stderr().lock(), "{}", summary(&c.out.status, &into));
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The line `compile` ends with: how many routes made it into the config, and why others not.
fn summary(status: &routec_core::compile::status::Report, into: &str) -> String {
    use routec_core::admission::Outcome;
    let count = |f: fn(&Outcome) -> bool| status.routes.iter().filter(|r| f(&r.outcome)).count();
    let admitted = count(|o| matches!(o, Outcome::Admitted));
    let rejected = count(|o| matches!(o, Outcome::Rejected { .. }));
    let ignored = count(|o| matches!(o, Outcome::Ignored { .. }));
    let routes = if admitted == 1 { "route" } else { "routes" };
    format!(
        "compiled {admitted} {routes} ({rejected} rejected, {ignored} ignored) into {into} in {:.0} ms",
        ui::elapsed_ms()
    )
}

fn check(args: &CheckArgs) -> Result<ExitCode, String> {
    let mut c = run(&args.input)?;
    // The route table's analysis can outlast the compile on a large input.
    let spinner = progress::Progress::start("analysing the route table");
    c.diagnostics.extend(routec_core::explain::route_findings(
        &c.out,
        &c.sources[..c.inputs],
        &c.settings,
        c.default_certificate.as_deref(),
    ));
    drop(spinner);
    c.policy.apply(&mut c.diagnostics);
    let shown: Vec<routec_core::Diagnostic> = routec_core::compile::check_findings(c.diagnostics)
        .into_iter()
        .filter(|d| !ui::get().quiet || d.severity == Severity::Error)
        .collect();
    let report = Report::new(&shown, &c.sources, c.inputs, args.strict);
    let failed = shown.iter().any(|d| report.fails(d));
    let color = args.format == Format::Text && render::Style::detect_stdout().color;
    let text = if args.format == Format::Text {
        let folded = fold::fold(&shown, args.max_diagnostics);
        let printed: Vec<routec_core::Diagnostic> = folded.shown.into_iter().cloned().collect();
        Report::new(&printed, &c.sources, c.inputs, args.strict).write(args.format, &c.sources, color) + &folded.trailer
    } else {
        report.write(args.format, &c.sources, color)
    };
    emit(&text, "")?;
    if args.format == Format::Text && !ui::get().quiet {
        let count = |s: Severity| shown.iter().filter(|d| d.severity == s).count();
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "{}", fold::table(&shown));
        let _ = writeln!(
            stderr,
            "routec check: {} error(s), {} warning(s) in {} file(s){}",
            count(Severity::Error),
            count(Severity::Warning),
            c.inputs,
            if failed { "" } else { "; passed" }
        );
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, String> {
    let deployed = bundle::read(&args.against)?;
    let limits = project::limits_for(&[args.against.as_path()])?;
    // The deployed config is read into its model on the other core while the objects compile.
    let (c, theirs) = std::thread::scope(|s| {
        let theirs = s.spawn(|| readback::model_of(&deployed.bundle, &limits));
        (run(&args.input), readback::joined(theirs))
    });
    let c = c?;
    let errors: Vec<&routec_core::Diagnostic> =
        c.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    if !errors.is_empty() {
        let r = render::renderer(&c.sources, render::Style::detect());
        let text: String = errors.iter().map(|d| r.render(d)).collect();
        emit("", &text)?;
    }
    let ours = bundle::Router { bundle: routec_core::hap::bundle_from_output(&c.out.files), maps_given: true };
    let mine = readback::model_of(&ours.bundle, &limits);
    readback::compare_read(&ours, &deployed, mine, theirs, args.format, "verify").map(ExitCode::from)
}

/// Writes `out` to stdout and `err` to stderr, both without private-key lines; a closed stdout
/// ends quietly.
fn emit(out: &str, err: &str) -> Result<(), String> {
    if !err.is_empty() {
        let _ = std::io::stderr().lock().write_all(redact::scrub(err).as_bytes());
    }
    let out = redact::scrub(out);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write to stdout: {e}")),
        _ => Ok(()),
    }
}
