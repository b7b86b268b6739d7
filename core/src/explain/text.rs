//! The text rendering: a numbered chain of steps, each citing its config line and object, then
//! the outcome, the "why not" candidates and the Service. Shared by the CLI and wasm.

use std::fmt::Write as _;

use super::table::RouteTable;
use super::{Explanation, Loc, Source};

fn at(l: Option<&Loc>, s: Option<&Source>) -> String {
    let mut parts = Vec::new();
    if let Some(l) = l {
        parts.push(format!("{}:{}", l.file, l.line));
    }
    if let Some(s) = s {
        parts.push(format!("{} {}/{} at {}:{}", s.kind, s.namespace, s.name, s.file, s.line));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", parts.join("; "))
    }
}

/// Renders an explanation.
pub fn explanation(e: &Explanation) -> String {
    let mut out = String::new();
    let r = &e.request;
    let sni = match (&r.sni, r.scheme.is_tls()) {
        (Some(s), _) => format!(", SNI {s}"),
        (None, true) => ", no SNI".into(),
        (None, false) => String::new(),
    };
    let client = r.client_ip.map_or(String::new(), |ip| format!(", from {ip}"));
    let _ = writeln!(out, "{} (port {}{sni}{client})", r.url, e.port);
    for (k, s) in e.steps.iter().enumerate() {
        let _ = writeln!(out, "{:>2}. {}{}", k + 1, s.title, at(s.at.as_ref(), s.source.as_ref()));
        for d in &s.details {
            let _ = writeln!(out, "      {d}");
        }
    }
    let status = e.outcome.status.map_or(String::new(), |s| format!(" [{s}]"));
    let _ = writeln!(out, "=> {}{status}", e.outcome.summary);
    if !e.why_not.is_empty() {
        let _ = writeln!(out, "why not:");
        for c in &e.why_not {
            let path = if c.path.is_empty() { String::new() } else { c.path.clone() };
            let _ = writeln!(
                out,
                "  - {} ({}{path}): {}{}",
                c.route,
                c.host,
                c.reason,
                at(c.at.as_ref(), c.source.as_ref())
            );
        }
    }
    if let Some(s) = &e.service {
        let _ = writeln!(out, "service {}/{}: {} {}", s.namespace, s.name, s.kind, s.dns);
        for p in &s.ports {
            let name = p.name.as_deref().map_or(String::new(), |n| format!(" ({n})"));
            let _ = writeln!(out, "  port {}{name} → targetPort {} {}", p.port, p.target_port, p.protocol);
        }
        let _ = writeln!(out, "  {}", s.note);
    }
    out
}

/// Renders the route table.
pub fn routes(t: &RouteTable) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} admitted route(s)", t.routes.len());
    for r in &t.routes {
        let insecure = r.insecure.as_deref().map_or(String::new(), |i| format!(", insecure {i}"));
        let _ = writeln!(
            out,
            "{}/{}  {}{}  {}{insecure}  → {}{}",
            r.namespace,
            r.name,
            r.host,
            r.path,
            r.termination,
            r.backend,
            at(None, r.source.as_ref())
        );
        for s in &r.servers {
            let share = if s.share > 0.0 { format!("{:.1}%", s.share * 100.0) } else { "no traffic".into() };
            let _ = writeln!(out, "    server {} {} weight {} {share}", s.name, s.address, s.weight);
        }
        if r.servers.is_empty() {
            let _ = writeln!(out, "    no servers: 503");
        }
        for m in &r.map_lines {
            let _ = writeln!(out, "    {}:{} {} {}", m.at.file, m.at.line, m.key, m.value);
        }
    }
    for (what, list) in [("rejected", &t.rejected), ("ignored", &t.ignored)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{} {what} route(s)", list.len());
        for x in list {
            let msg = if x.message.is_empty() { String::new() } else { format!(": {}", x.message) };
            let _ = writeln!(
                out,
                "{}/{}  {}  {}{msg}{}",
                x.namespace,
                x.name,
                x.host,
                x.reason,
                at(None, x.source.as_ref())
            );
        }
    }
    if !t.findings.is_empty() {
        let _ = writeln!(out, "{} finding(s)", t.findings.len());
        for f in &t.findings {
            let _ = writeln!(out, "{} {}: {}{}", f.severity, f.code, f.message, at(f.at.as_ref(), f.source.as_ref()));
        }
    }
    out
}
