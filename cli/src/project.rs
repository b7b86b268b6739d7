//! What the command line and routec.toml say together about one run: which files are read
//! (walk options, `--endpoints`), which settings files are used, and the severity policy. Every
//! command that compiles objects (compile, check, verify, explain) goes through [`run`].

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::inputs::{self, Inputs};
use crate::policy::{self, Policy};
use crate::progress::Progress;
use crate::walk::{self, Excludes};

/// Flags about the inputs and the findings, shared by every command that compiles.
#[derive(clap::Args)]
pub(crate) struct SourceArgs {
    /// More objects after the inputs, e.g. a live EndpointSlice dump.
    #[arg(long, value_name = "PATH")]
    endpoints: Vec<PathBuf>,
    /// Skip walked entries matching GLOB (relative path or name).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Also read hidden files and folders in walked folders.
    #[arg(long)]
    hidden: bool,
    /// Drop the diagnostics of CODE (comma-separated or repeated).
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,
    /// Report CODE as a warning.
    #[arg(long, value_name = "CODE")]
    warn: Vec<String>,
    /// Report CODE as an error.
    #[arg(long, value_name = "CODE")]
    deny: Vec<String>,
    /// Read this routec.toml instead of searching for one.
    #[arg(long = "config-file", value_name = "PATH", conflicts_with = "no_config")]
    config_file: Option<PathBuf>,
    /// Read no routec.toml.
    #[arg(long = "no-config")]
    no_config: bool,
}

/// The run's inputs and policy, resolved.
pub(crate) struct Project {
    config: Option<Config>,
    excludes: Excludes,
    hidden: bool,
    endpoints: Vec<PathBuf>,
    /// The severity overrides.
    pub(crate) policy: Policy,
}

impl Project {
    /// Resolves the flags and the routec.toml found from the first of `inputs`.
    pub(crate) fn new(inputs: &[PathBuf], args: &SourceArgs) -> Result<Self, String> {
        let config = match (&args.config_file, args.no_config) {
            (_, true) => None,
            (Some(p), false) => Some(config::load(p)?),
            (None, false) => inputs
                .first()
                .map(|p| start_of(p))
                .and_then(|d| config::discover(&d))
                .map(|p| config::load(&p))
                .transpose()?,
        };
        let (ignore, warn, deny) = (
            policy::from_flag("--ignore", &args.ignore),
            policy::from_flag("--warn", &args.warn),
            policy::from_flag("--deny", &args.deny),
        );
        let mut layers = vec![policy::Layer { ignore: &ignore, warn: &warn, deny: &deny }];
        if let Some(c) = &config {
            layers.push(policy::Layer { ignore: &c.ignore, warn: &c.warn, deny: &c.deny });
        }
        let policy = Policy::new(&layers)?;
        let mut excludes = Excludes::default();
        excludes.add(&policy::from_flag("--exclude", &args.exclude), None)?;
        if let Some(c) = &config {
            excludes.add(&c.exclude, Some(c.dir.clone()))?;
        }
        Ok(Self { config, excludes, hidden: args.hidden, endpoints: args.endpoints.clone(), policy })
    }

    /// The settings files: `--router-env` when given, else routec.toml's `router-env`.
    pub(crate) fn router_env<'a>(&'a self, flag: &'a [PathBuf]) -> &'a [PathBuf] {
        match &self.config {
            Some(c) if flag.is_empty() => &c.router_env,
            _ => flag,
        }
    }

    /// The resource budgets: routec.toml's, else the defaults.
    pub(crate) fn limits(&self) -> routec_core::Limits {
        self.config.as_ref().map_or_else(routec_core::Limits::default, |c| c.limits)
    }

    /// Reads the inputs, then the `--endpoints` paths.
    pub(crate) fn read(&self, paths: &[PathBuf], progress: &Progress) -> Result<Inputs, String> {
        let opts = walk::Options { hidden: self.hidden, excludes: &self.excludes };
        let mut out = Inputs::default();
        inputs::read_inputs(paths, &opts, progress, &mut out)?;
        inputs::read_inputs(&self.endpoints, &opts, progress, &mut out)?;
        Ok(out)
    }
}

/// Compiles `paths` with everything the flags and routec.toml say, the policy applied.
pub(crate) fn run(
    paths: &[PathBuf],
    source: &SourceArgs,
    settings: &crate::SettingsArgs,
) -> Result<crate::Compiled, String> {
    run_template(paths, source, settings, settings.template.as_deref())
}

/// [`run`] with the router template to render given explicitly (`template diff` renders two).
pub(crate) fn run_template(
    paths: &[PathBuf],
    source: &SourceArgs,
    settings: &crate::SettingsArgs,
    template: Option<&Path>,
) -> Result<crate::Compiled, String> {
    let project = Project::new(paths, source)?;
    let progress = Progress::start("reading inputs");
    let phase = crate::ui::phase("read");
    let read = project.read(paths, &progress)?;
    let bytes: usize = read.sources.iter().map(|s| s.text.len()).sum();
    phase.done(&format!("{} file(s), {bytes} bytes", read.sources.len()));
    let n = read.sources.len();
    progress.set_message(format!("compiling {n} file{}", if n == 1 { "" } else { "s" }));
    let limits = project.limits();
    let mut c = crate::run_with(read.sources, settings, project.router_env(&settings.router_env), template, limits)?;
    c.diagnostics.splice(0..0, read.diagnostics);
    project.policy.apply(&mut c.diagnostics);
    c.policy = project.policy;
    Ok(c)
}

/// The resource budgets for commands that read configs back (`parse`, `diff`, `verify`): those
/// of the routec.toml found from the first of `paths`, else the defaults.
pub(crate) fn limits_for(paths: &[&Path]) -> Result<routec_core::Limits, String> {
    let found = paths.first().and_then(|p| config::discover(&start_of(p)));
    Ok(found.map(|p| config::load(&p)).transpose()?.map_or_else(routec_core::Limits::default, |c| c.limits))
}

/// The folder routec.toml discovery starts from for an input path.
fn start_of(input: &Path) -> PathBuf {
    if input.as_os_str() == "-" {
        return PathBuf::from(".");
    }
    if input.is_dir() {
        return input.to_path_buf();
    }
    match input.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
