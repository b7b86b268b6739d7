//! `--template FILE` (render a router template instead of the built-in emitter) and
//! `routec template diff OLD NEW INPUT...`: both templates rendered over the same objects, the
//! unified diff of every output file, then the semantic differences of the config and maps.
//! Exit codes follow `kubectl diff`: 0 no differences, 1 differences, 2 an error (a template
//! that fails, unreadable files, a config that does not parse).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use routec_core::template::RouterTemplate;
use routec_core::{OutputFile, Severity, SourceFile};

/// `routec template …`.
#[derive(clap::Args)]
pub(crate) struct TemplateArgs {
    #[command(subcommand)]
    command: TemplateCommand,
}

#[derive(clap::Subcommand)]
enum TemplateCommand {
    /// Render two router templates over the same objects and show what changes: the unified
    /// diff of every file, then the semantic differences. Exit 0 none, 1 differences, 2 error.
    #[command(
        after_help = "Examples:\n  routec template diff router-4.15.tmpl router-4.16.tmpl deploy/ --router-env router.env\n  routec template diff haproxy-config.template custom.tmpl deploy/ -o json\n\nDocs: docs/template.md"
    )]
    Diff(DiffArgs),
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The current template (e.g. the router's haproxy-config.template).
    old: PathBuf,
    /// The changed or upgraded template.
    new: PathBuf,
    /// Files, directories or `-`, as for `compile`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    source: crate::project::SourceArgs,
    #[command(flatten)]
    settings: crate::SettingsArgs,
    /// Output format of the semantic differences: text or json.
    #[arg(
        long,
        short = 'o',
        visible_alias = "output",
        value_enum,
        default_value = "text",
        hide_possible_values = true
    )]
    format: crate::readback::Format,
}

/// Reads a template file; its diagnostics use index `file`.
pub(crate) fn read(path: &Path, file: u32) -> Result<(RouterTemplate, SourceFile), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read template {}: {e}", path.display()))?;
    let source = SourceFile::from_bytes(path.display().to_string(), bytes);
    let t = RouterTemplate { name: source.name.clone(), text: source.text.clone(), file };
    Ok((t, source))
}

/// Runs `routec template …`.
pub(crate) fn run(args: &TemplateArgs) -> Result<u8, String> {
    match &args.command {
        TemplateCommand::Diff(d) => diff(d),
    }
}

fn diff(args: &DiffArgs) -> Result<u8, String> {
    let old = crate::project::run_template(&args.inputs, &args.source, &args.settings, Some(&args.old))?;
    let new = crate::project::run_template(&args.inputs, &args.source, &args.settings, Some(&args.new))?;
    // A template that fails to render has no output to compare.
    let mut failed = false;
    for c in [&old, &new] {
        let r = crate::render::renderer(&c.sources, crate::render::Style::detect());
        let mut e = std::io::stderr().lock();
        for d in
            c.diagnostics.iter().filter(|d| d.severity == Severity::Error && d.code.starts_with("routec::template::"))
        {
            failed = true;
            let _ = write!(e, "{}", r.render(d));
        }
    }
    if failed {
        let _ = writeln!(std::io::stderr().lock(), "error: template diff: not compared: a template failed to render");
        return Ok(2);
    }
    let (text, changed) = unified(&old.out.files, &new.out.files, &args.old, &args.new);
    crate::emit(&text, "")?;
    let a = crate::bundle::Router { bundle: routec_core::hap::bundle_from_output(&old.out.files), maps_given: true };
    let b = crate::bundle::Router { bundle: routec_core::hap::bundle_from_output(&new.out.files), maps_given: true };
    let semantic = crate::readback::compare(&a, &b, args.format, "template diff", &routec_core::Limits::default())?;
    Ok(if semantic == 2 { 2 } else { u8::from(changed || semantic == 1) })
}

/// The unified diff of every file either side writes, in path order; and whether any differs.
fn unified(old: &[OutputFile], new: &[OutputFile], a: &Path, b: &Path) -> (String, bool) {
    let mut paths: Vec<&str> = old.iter().chain(new).map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let find = |files: &[OutputFile], p: &str| files.iter().find(|f| f.path == p).map(|f| f.contents.clone());
    let mut out = String::new();
    let mut changed = false;
    for p in paths {
        let (x, y) = (find(old, p), find(new, p));
        if x == y {
            continue;
        }
        changed = true;
        let (hx, hy) = (
            if x.is_some() { format!("{}/{p}", a.display()) } else { "/dev/null".into() },
            if y.is_some() { format!("{}/{p}", b.display()) } else { "/dev/null".into() },
        );
        let (x, y) = (x.unwrap_or_default(), y.unwrap_or_default());
        let d = similar::TextDiff::from_lines(x.as_str(), y.as_str());
        let _ = write!(out, "{}", d.unified_diff().context_radius(3).header(&hx, &hy));
    }
    if changed {
        out.push('\n');
    }
    (out, changed)
}
