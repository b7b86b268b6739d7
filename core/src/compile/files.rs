//! The files beside `haproxy.config`: certificate and destination-CA files, the default
//! certificate, and the error pages the router image ships.

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Route, Termination};
use crate::settings::Settings;

use super::context::Ctx;
use super::{Options, OutputFile};

/// The error pages `haproxy.config` names: `conf/error-page-503.http` (no route, or no servers)
/// and `conf/error-page-404.http` (used with `ROUTER_ERRORFILE_404`).
pub(crate) fn error_pages() -> [OutputFile; 2] {
    [
        error_page(
            "503",
            "503 Service Unavailable",
            "The application is currently not serving requests at this endpoint. It may not have been started or is still starting.",
        ),
        error_page("404", "404 Not Found", "No route matches the requested host and path."),
    ]
}

/// A complete HTTP response, as HAProxy's `errorfile` wants it (CRLF line ends).
fn error_page(code: &str, status: &str, text: &str) -> OutputFile {
    let head = format!(
        "HTTP/1.0 {status}\r\nPragma: no-cache\r\nCache-Control: private, max-age=0, no-cache, no-store\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n"
    );
    let body = format!(
        "<html><head><title>Application is not available</title></head>\r\n<body><h1>Application is not available</h1>\r\n<p>{text}</p>\r\n</body></html>\r\n"
    );
    OutputFile { path: format!("conf/error-page-{code}.http"), contents: head + &body }
}

/// The certificate files of edge and reencrypt routes, and the default certificate.
pub(crate) fn cert_files(
    routes: &[&Route],
    ctx: &Ctx<'_>,
    opts: &Options,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let by_path = matches!(super::context::default_cert_source(settings), super::context::DefaultCert::Path(_));
    let default = if by_path {
        None
    } else {
        settings.get("DEFAULT_CERTIFICATE").map(str::to_owned).or_else(|| opts.default_certificate.clone())
    };
    match default {
        Some(pem) => out.push(OutputFile { path: "router/certs/default.pem".into(), contents: pem }),
        None if !by_path => diags.push(
            Diagnostic::warning("routec::output::no-default-certificate", "no default certificate was supplied; router/certs/default.pem is not written")
                .help("pass --default-certificate DIR (holding tls.crt and tls.key) or FILE; routec never generates a random one, so output stays deterministic"),
        ),
        None => {}
    }
    for r in routes {
        let Some(t) = &r.tls else { continue };
        let term = r.termination();
        if !term.terminates_tls() {
            continue;
        }
        let key = r.key();
        let has_pair = !t.certificate.is_empty() && !t.key.is_empty();
        let reenc_ca =
            term == Termination::Reencrypt && (!t.destination_ca.is_empty() || ctx.default_dest_ca.is_some());
        if !has_pair && !reenc_ca {
            continue;
        }
        if !t.certificate.is_empty() {
            let mut body = String::new();
            body.push_str(t.key.as_str());
            body.push('\n');
            body.push_str(t.certificate.as_str());
            if !t.ca_certificate.is_empty() {
                body.push('\n');
                body.push_str(t.ca_certificate.as_str());
            }
            out.push(OutputFile { path: format!("router/certs/{key}.pem"), contents: body });
        }
        if term == Termination::Reencrypt && !t.destination_ca.is_empty() {
            out.push(OutputFile {
                path: format!("router/cacerts/{key}.pem"),
                contents: t.destination_ca.value.clone(),
            });
        }
    }
    out
}
