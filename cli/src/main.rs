//! `routec`: compile OpenShift Routes into the OpenShift router's HAProxy configuration.
//! All IO, rendering and exit codes live here; the logic is in `routec-core`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod inputs;
mod render;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use routec_core::{Options, Profile, Severity};

#[derive(Parser)]
#[command(name = "routec", version, about = "OpenShift Routes in, the OpenShift router's HAProxy config out")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile Routes, Services, Endpoints and EndpointSlices into haproxy.config, maps and certificates.
    Compile(CompileArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum HaproxyVersion {
    #[value(name = "2.6")]
    V26,
    #[value(name = "2.8")]
    V28,
}

#[derive(clap::Args)]
struct CompileArgs {
    /// Files, directories (searched for .yaml/.yml/.json) or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Write the router's working directory layout here (conf/, router/); without it,
    /// haproxy.config goes to stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Router settings as KEY=VALUE lines (the router's environment variable names).
    #[arg(long = "router-env", value_name = "FILE")]
    router_env: Vec<PathBuf>,
    /// One router setting, KEY=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Default certificate: a directory with tls.crt and tls.key, or one PEM file with both.
    #[arg(long = "default-certificate", value_name = "PATH")]
    default_certificate: Option<PathBuf>,
    /// The router's working directory as paths inside the config name it.
    #[arg(long = "base-dir", default_value = "/var/lib/haproxy")]
    base_dir: String,
    /// HAProxy version the output must load in.
    #[arg(long = "haproxy-version", value_enum, default_value = "2.8")]
    haproxy_version: HaproxyVersion,
    /// Write every route's admission result here (status.yaml format).
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,
    /// Print errors only.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compile(args) => compile(&args),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn compile(args: &CompileArgs) -> Result<ExitCode, String> {
    let mut sources = inputs::read_inputs(&args.inputs)?;
    let first_env = u32::try_from(sources.len()).unwrap_or(u32::MAX);
    let (settings, env_sources, setting_diags) = inputs::read_settings(&args.router_env, &args.set, first_env)?;
    let default_certificate = inputs::default_certificate(args.default_certificate.as_deref(), &settings)?;
    let profile = match args.haproxy_version {
        HaproxyVersion::V26 => Profile::Haproxy26,
        HaproxyVersion::V28 => Profile::Haproxy28,
    };
    let opts = Options { base_dir: args.base_dir.clone(), profile, default_certificate, ..Options::default() };
    let out = routec_core::compile(&sources, &settings, &opts);
    sources.extend(env_sources);

    let style = render::Style::detect();
    let mut stderr = std::io::stderr().lock();
    let mut errors = 0;
    for d in setting_diags.iter().chain(&out.diagnostics) {
        if d.severity == Severity::Error {
            errors += 1;
        } else if args.quiet {
            continue;
        }
        let _ = write!(stderr, "{}", render::render(d, &sources, style));
    }
    if let Some(dir) = &args.output {
        write_tree(dir, &out.files)?;
    } else if let Some(cfg) = out.file("conf/haproxy.config") {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(cfg.as_bytes()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(format!("cannot write to stdout: {e}"));
            }
        }
    }
    if let Some(p) = &args.status {
        fs::write(p, out.status.to_yaml()).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Writes the files under `dir`, replacing what a previous compile wrote there, plus the `run/`
/// directory the sockets live in.
fn write_tree(dir: &Path, files: &[routec_core::OutputFile]) -> Result<(), String> {
    for sub in ["conf", "router/certs", "router/cacerts", "router/allowlists"] {
        let p = dir.join(sub);
        if p.is_dir() {
            for e in fs::read_dir(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?.flatten() {
                if e.path().is_file() {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }
    fs::create_dir_all(dir.join("run")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for f in files {
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&p, &f.contents).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok(())
}
