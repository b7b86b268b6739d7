//! `routec settings`: the router settings in effect and where each came from, highest layer
//! first: `--set` > `--router-env` > router Deployment > IngressController (with the cluster
//! config objects and the operator's defaults). Text output is itself a valid `--router-env`
//! file, each value preceded by a comment naming its source; `--format json` gives the same
//! as data. Also holds the cluster flags every compiling command shares.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use routec_core::cluster::{Entry, Origin};
use routec_core::source::LineIndex;
use routec_core::{Severity, SourceFile};

/// `routec settings` arguments.
#[derive(clap::Args)]
pub(crate) struct SettingsCmdArgs {
    #[command(flatten)]
    input: crate::InputArgs,
    /// Output format: text or json.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The cluster flags shared by every command that compiles.
#[derive(clap::Args)]
pub(crate) struct ClusterArgs {
    /// An IngressController: the settings the operator derives.
    #[arg(long = "ingress-controller", value_name = "FILE")]
    ingress_controller: Vec<PathBuf>,
    /// Which IngressController applies.
    #[arg(long = "ingress-controller-name", value_name = "NAME", default_value = "default")]
    pub(crate) ingress_controller_name: String,
    /// A router Deployment: its router container's env.
    #[arg(long = "router-deployment", value_name = "FILE")]
    router_deployment: Vec<PathBuf>,
}

impl ClusterArgs {
    /// Reads the flags' files, to be compiled with the inputs.
    pub(crate) fn read(&self) -> Result<Vec<SourceFile>, String> {
        let paths: Vec<PathBuf> = self.ingress_controller.iter().chain(&self.router_deployment).cloned().collect();
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        // Named files are read as named: no walk options apply to them.
        let excludes = crate::walk::Excludes::default();
        let opts = crate::walk::Options { hidden: true, excludes: &excludes };
        let mut read = crate::inputs::Inputs::default();
        crate::inputs::read_inputs(&paths, &opts, &crate::progress::Progress::start("reading"), &mut read)?;
        Ok(read.sources)
    }
}

/// Runs `routec settings`. Exit 1 when the settings have errors (an IngressController the
/// operator rejects, a malformed router.env line, a value the router refuses at start-up).
pub(crate) fn run(args: &SettingsCmdArgs) -> Result<u8, String> {
    let c = crate::run(&args.input)?;
    let env_files = &args.input.settings.router_env;
    let env_sources = c.sources.get(c.inputs..).unwrap_or_default();
    let where_ = |key: &str| caller_origin(key, &args.input.settings.set, env_files, env_sources);
    let out = match args.format {
        Format::Text => text(&c.out.settings, &c.sources, &where_),
        Format::Json => json(&c.out.settings, &c.sources, &where_),
    };
    let relevant: Vec<&routec_core::Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| {
            ["routec::ingress::", "routec::settings::", "routec::startup::"].iter().any(|p| d.code.starts_with(p))
        })
        .collect();
    let renderer = crate::render::renderer(&c.sources, crate::render::Style::detect());
    let mut err = String::new();
    for d in &relevant {
        err.push_str(&renderer.render(d));
    }
    crate::emit(&out, &err)?;
    Ok(u8::from(relevant.iter().any(|d| d.severity == Severity::Error)))
}

/// Where a caller setting came from: the last `--set`, else the last line of the last
/// `--router-env` file that sets it.
fn caller_origin(key: &str, sets: &[String], env_files: &[PathBuf], env_sources: &[SourceFile]) -> String {
    if sets.iter().rev().any(|kv| kv.split_once('=').is_some_and(|(k, _)| k == key)) {
        return "--set".to_owned();
    }
    for (path, src) in env_files.iter().zip(env_sources).rev() {
        let hit = src.text.lines().enumerate().filter(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("export ").unwrap_or(t);
            t.split_once('=').is_some_and(|(k, _)| k == key)
        });
        if let Some((i, _)) = hit.last() {
            return format!("--router-env {}:{}", path.display(), i + 1);
        }
    }
    "--router-env".to_owned()
}

/// `file:line:column` of an origin's span.
fn position(origin: &Origin, sources: &[SourceFile]) -> Option<(String, usize, usize)> {
    let span = origin.span()?;
    let src = sources.get(span.file as usize)?;
    let (line, col) = LineIndex::new(&src.text).line_col(&src.text, span.start as usize);
    Some((src.name.clone(), line, col))
}

/// One line describing an origin.
fn describe(origin: &Origin, sources: &[SourceFile], caller: &dyn Fn() -> String) -> String {
    let at = position(origin, sources).map(|(f, l, c)| format!(" ({f}:{l}:{c})")).unwrap_or_default();
    match origin {
        Origin::IngressController { path, .. } => format!("IngressController {path}{at}"),
        Origin::Operator { note } => note.clone(),
        Origin::ClusterConfig { object, path, .. } => format!("{object} {path}{at}"),
        Origin::Deployment { .. } => format!("router Deployment env{at}"),
        Origin::Caller => caller(),
    }
}

fn text(in_effect: &routec_core::cluster::InEffect, sources: &[SourceFile], caller: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for (key, e) in in_effect.entries() {
        let _ = writeln!(out, "# {}", describe(&e.origin, sources, &|| caller(key)));
        for (v, o) in &e.shadowed {
            let _ = writeln!(out, "#   overrides {key}={v} from {}", describe(o, sources, &|| caller(key)));
        }
        let _ = writeln!(out, "{key}={}", e.value);
    }
    out
}

fn json(in_effect: &routec_core::cluster::InEffect, sources: &[SourceFile], caller: &dyn Fn(&str) -> String) -> String {
    let source = |key: &str, o: &Origin| {
        let mut m = serde_json::Map::new();
        m.insert("kind".into(), o.kind().into());
        match o {
            Origin::IngressController { path, .. } => {
                m.insert("path".into(), path.as_str().into());
            }
            Origin::Operator { note } => {
                m.insert("note".into(), note.as_str().into());
            }
            Origin::ClusterConfig { object, path, .. } => {
                m.insert("object".into(), (*object).into());
                m.insert("path".into(), path.as_str().into());
            }
            Origin::Deployment { .. } => {}
            Origin::Caller => {
                m.insert("note".into(), caller(key).into());
            }
        }
        if let Some((f, l, c)) = position(o, sources) {
            m.insert("file".into(), f.into());
            m.insert("line".into(), l.into());
            m.insert("column".into(), c.into());
        }
        serde_json::Value::Object(m)
    };
    let items: Vec<serde_json::Value> = in_effect
        .entries()
        .map(|(key, e): (&str, &Entry)| {
            let overrides: Vec<serde_json::Value> = e
                .shadowed
                .iter()
                .map(|(v, o)| serde_json::json!({ "value": v, "source": source(key, o) }))
                .collect();
            serde_json::json!({ "key": key, "value": e.value, "source": source(key, &e.origin), "overrides": overrides })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "settings": items })).unwrap_or_default();
    s.push('\n');
    s
}
