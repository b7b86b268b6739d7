//! `routec explain`: reads the objects (compiling them in memory) or a router's directory,
//! then prints where a request goes, or the route table. Exit codes: 0 the request is served
//! (forwarded, passed through, redirected or answered by HAProxy), 1 it is not (denied, no
//! route, no endpoints), 2 usage or IO errors.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use routec_core::explain::{self, OutcomeKind, Session, Sni};
use routec_core::Severity;

use crate::readback::Format;

#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// The URL (http://, https:// or tls://host:port), then inputs.
    #[arg(value_name = "URL|INPUT")]
    args: Vec<String>,
    /// A router's working directory, or a config file.
    #[arg(long, value_name = "DIR")]
    config: Option<PathBuf>,
    /// The SNI the client sends (default: the URL's host).
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    sni: Option<String>,
    /// Send no SNI.
    #[arg(long = "no-sni")]
    no_sni: bool,
    /// The client's address, for allow-lists.
    #[arg(long = "client-ip", value_name = "IP")]
    client_ip: Option<String>,
    /// An extra request header, 'Name: value' (repeatable).
    #[arg(long = "header", short = 'H', value_name = "HEADER")]
    header: Vec<String>,
    /// Print the route table instead of explaining a request.
    #[arg(long)]
    routes: bool,
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
    #[command(flatten)]
    settings: crate::SettingsArgs,
    #[command(flatten)]
    source: crate::project::SourceArgs,
}

/// The `router/allowlists/*.txt` files of a router directory.
fn allowlists(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let root = if dir.is_dir() {
        dir.to_path_buf()
    } else {
        dir.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default()
    };
    if let Ok(rd) = fs::read_dir(root.join("router/allowlists")) {
        for e in rd.flatten() {
            if let Ok(b) = fs::read(e.path()) {
                out.insert(format!("router/allowlists/{}", e.file_name().to_string_lossy()), b);
            }
        }
    }
    out
}

fn session(args: &ExplainArgs, inputs: &[PathBuf]) -> Result<Session, String> {
    let compiled = if inputs.is_empty() {
        None
    } else {
        let c = crate::project::run(inputs, &args.source, &args.settings)?;
        let errors: Vec<&routec_core::Diagnostic> =
            c.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        if !errors.is_empty() {
            let r = crate::render::renderer(&c.sources, crate::render::Style::detect());
            let mut e = std::io::stderr().lock();
            for d in errors {
                let _ = write!(e, "{}", r.render(d));
            }
        }
        Some(c)
    };
    match (&args.config, compiled) {
        (Some(dir), c) => {
            let router = crate::bundle::read(dir)?;
            let prov = c.map(|c| {
                explain::Provenance::new(
                    &c.sources[..c.inputs],
                    &c.out.status,
                    c.default_certificate.as_deref(),
                    c.settings.is_true("ROUTER_ALLOW_WILDCARD_ROUTES"),
                )
            });
            if !router.maps_given {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "note: no map files beside {}: routing that needs them is explained as a miss",
                    dir.display()
                );
            }
            Ok(Session::from_bundle(&router.bundle, allowlists(dir).into_iter().collect(), prov))
        }
        (None, Some(c)) => {
            Ok(Session::from_output(&c.out, &c.sources[..c.inputs], c.default_certificate.as_deref(), &c.settings))
        }
        (None, None) => Err("give the objects (INPUT...) or a router's directory (--config DIR)".into()),
    }
}

pub(crate) fn run(args: &ExplainArgs) -> Result<u8, String> {
    let (url, inputs): (Option<&String>, Vec<PathBuf>) = if args.routes {
        (None, args.args.iter().map(PathBuf::from).collect())
    } else {
        let (u, rest) = args.args.split_first().ok_or("give the URL to explain, or --routes")?;
        (Some(u), rest.iter().map(PathBuf::from).collect())
    };
    let session = session(args, &inputs)?;
    let mut err = String::new();
    for p in session.problems.iter().filter(|p| p.fatal) {
        err.push_str(&format!("warning: {}: {} ({}); HAProxy would refuse this config\n", p.file, p.message, p.code));
    }
    let ex = session.explainer();
    let (out, code) = match url {
        None => {
            let t = ex.routes();
            let text = match args.format {
                Format::Text => explain::text::routes(&t),
                Format::Json => format!("{}\n", explain::json::routes(&t)),
            };
            (text, 0)
        }
        Some(url) => {
            let sni = match (&args.sni, args.no_sni) {
                (Some(n), _) => Sni::Name(n.clone()),
                (None, true) => Sni::Omit,
                (None, false) => Sni::FromHost,
            };
            let req = explain::parse_request(url, &sni, args.client_ip.as_deref(), &args.header).map_err(|e| {
                let help = miette::Diagnostic::help(&e).map(|h| format!("\n  help: {h}")).unwrap_or_default();
                format!("{e}{help}")
            })?;
            let e = ex.explain(&req);
            let served = matches!(
                e.outcome.kind,
                OutcomeKind::Forward | OutcomeKind::Passthrough | OutcomeKind::Redirect | OutcomeKind::Local
            );
            let text = match args.format {
                Format::Text => explain::text::explanation(&e),
                Format::Json => format!("{}\n", explain::json::explanation(&e)),
            };
            (text, if served { 0 } else { 1 })
        }
    };
    crate::emit(&out, &err)?;
    Ok(code)
}
