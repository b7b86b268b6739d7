//! The admission result of every route, in the shape of the oracle's `status.yaml`.

use crate::admission::{Admission, Outcome};
use crate::endpoints::Tables;
use crate::objects::Route;

/// One route's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteStatus {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Host after generation.
    pub host: String,
    /// Path.
    pub path: String,
    /// Termination.
    pub termination: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Routes sorted by namespace then name.
    pub routes: Vec<RouteStatus>,
    /// Errors the router would log.
    pub router_errors: Vec<String>,
    /// How Endpoints were turned into EndpointSlices.
    pub derived: Vec<String>,
    /// The input files read.
    pub inputs: Vec<String>,
}

impl Report {
    /// Builds the report, taking the routes' strings rather than copying them.
    pub fn new(routes: Vec<Box<Route>>, adm: &Admission, tables: &Tables, inputs: Vec<String>) -> Self {
        let mut routes: Vec<RouteStatus> = routes
            .into_iter()
            .zip(&adm.outcomes)
            .map(|(r, o)| {
                let r = *r;
                RouteStatus {
                    namespace: r.meta.namespace.value,
                    name: r.meta.name.value,
                    host: r.host.value,
                    path: r.path.value,
                    termination: r.tls.map(|t| t.termination.value).unwrap_or_default(),
                    outcome: o.clone(),
                }
            })
            .collect();
        crate::sort::sort_by(&mut routes, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        let mut router_errors = adm.router_errors.clone();
        router_errors.extend(tables.errors.iter().cloned());
        crate::sort::sort(&mut router_errors);
        router_errors.dedup();
        let mut derived = tables.derived.clone();
        crate::sort::sort(&mut derived);
        Self { routes, router_errors, derived, inputs }
    }

    /// Renders the report as YAML.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        list(&mut out, "derived", &self.derived);
        list(&mut out, "inputs", &self.inputs);
        list(&mut out, "routerErrors", &self.router_errors);
        out.push_str("routes:\n");
        for r in &self.routes {
            let (admitted, state, reason, message) = match &r.outcome {
                Outcome::Admitted => (true, "admitted", None, None),
                Outcome::Rejected { reason, message } => (false, "rejected", Some(*reason), Some(message.as_str())),
                Outcome::Ignored { reason } => (false, "ignored", Some(*reason), None),
            };
            out.push_str(&format!("- admitted: {admitted}\n"));
            field(&mut out, "host", &r.host);
            if let Some(m) = message {
                field(&mut out, "message", m);
            }
            field(&mut out, "name", &r.name);
            field(&mut out, "namespace", &r.namespace);
            if !r.path.is_empty() {
                field(&mut out, "path", &r.path);
            }
            if let Some(reason) = reason {
                field(&mut out, "reason", reason);
            }
            field(&mut out, "state", state);
            if !r.termination.is_empty() {
                field(&mut out, "termination", &r.termination);
            }
        }
        out
    }
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(key);
    out.push_str(":\n");
    for i in items {
        out.push_str("- ");
        out.push_str(&scalar(i));
        out.push('\n');
    }
}

fn field(out: &mut String, key: &str, value: &str) {
    out.push_str("  ");
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&scalar(value));
    out.push('\n');
}

/// A YAML scalar: plain when no YAML 1.1 or 1.2 reader could take it for anything but this
/// string, otherwise double-quoted with escapes. Plain text is limited to letters, digits and
/// `-_./*`, and must not start with an indicator (`*` is an alias, `-` alone a sequence entry) or
/// `.` (`.inf`), nor read as a boolean, null or number (`yes`, `N`, `~`, `0x1f`, `1_000`, `1e3`).
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./*".contains(c))
        && !s.starts_with(['*', '.'])
        && (!s.starts_with('-') || s.get(1..).unwrap_or("").starts_with(|c: char| c.is_ascii_alphanumeric()))
        && !is_yaml_keyword(s)
        && !looks_numeric(s);
    if plain {
        return s.to_owned();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\r' => q.push_str("\\r"),
            '\t' => q.push_str("\\t"),
            c if (c as u32) < 0x20 => q.push_str(&format!("\\x{:02x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Booleans and nulls in YAML 1.1 (which many readers still follow) and 1.2, any case.
fn is_yaml_keyword(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    matches!(l.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~")
}

/// Integers and floats in the YAML 1.1 and 1.2 forms: decimal with `_` separators, `0x`, `0o`,
/// `0b`, exponents, `inf` and `nan`.
fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if t.replace('_', "").parse::<f64>().is_ok() {
        return true;
    }
    let prefixed = |p: &str, ok: fn(char) -> bool| {
        t.strip_prefix(p).is_some_and(|d| !d.is_empty() && d.chars().all(|c| ok(c) || c == '_'))
    };
    prefixed("0x", |c| c.is_ascii_hexdigit()) || prefixed("0o", |c| c.is_digit(8)) || prefixed("0b", |c| c.is_digit(2))
}
