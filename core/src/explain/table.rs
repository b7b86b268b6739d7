//! The route table as the router serves it (`explain --routes`): every route backend of the
//! config with its host, path, termination, insecure policy, servers and the map lines that
//! reach it, plus, when objects are given, the routes that were rejected or ignored.

use super::analysis::{self, Finding};
use super::files::Index;
use super::walk::{route_of, server_view, shares};
use super::whynot::split_router_key;
use super::{Loc, Provenance, ServerView, Source};
use crate::admission::Outcome as Admission;
use crate::hap::model::Model;

/// A map line that reaches a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLine {
    /// Where.
    pub at: Loc,
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// One admitted route.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRow {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Host.
    pub host: String,
    /// Path.
    pub path: String,
    /// `http`, `edge`, `passthrough` or `reencrypt`.
    pub termination: String,
    /// `None`, `Allow`, `Redirect`, or `None` for plain http routes.
    pub insecure: Option<String>,
    /// Backend.
    pub backend: String,
    /// Servers with their shares.
    pub servers: Vec<ServerView>,
    /// Map lines that reach it.
    pub map_lines: Vec<MapLine>,
    /// The Route.
    pub source: Option<Source>,
}

/// A route that is not in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Host.
    pub host: String,
    /// The router's reason.
    pub reason: String,
    /// Its message.
    pub message: String,
    /// The Route.
    pub source: Option<Source>,
}

/// The whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteTable {
    /// Admitted routes in config order.
    pub routes: Vec<RouteRow>,
    /// Rejected routes.
    pub rejected: Vec<Excluded>,
    /// Ignored routes.
    pub ignored: Vec<Excluded>,
    /// Route-table findings.
    pub findings: Vec<Finding>,
}

fn termination(backend: &str) -> &'static str {
    match backend.split(':').next() {
        Some("be_edge_http") => "edge",
        Some("be_secure") => "reencrypt",
        Some("be_tcp") => "passthrough",
        _ => "http",
    }
}

pub(super) fn build(model: &Model, files: &Index<'_>, prov: Option<&Provenance>) -> RouteTable {
    let mut backends: Vec<&crate::hap::model::SectionModel> =
        model.sections.values().filter(|s| s.kind == "backend" && route_of(&s.name).is_some()).collect();
    crate::sort::sort_by_key(&mut backends, |s| s.origin.line);
    // Map lines by the backend they name, and redirect keys.
    let by_value = crate::sorted::grouped(
        files
            .maps
            .iter()
            .flat_map(|(name, rows)| rows.iter().map(move |row| (row.entry.value.as_str(), (*name, row.entry)))),
    );
    let redirects: Vec<(&str, &str)> = files
        .map("os_route_http_redirect.map")
        .map(|(_, rows)| rows.iter().map(|r| (r.entry.key.as_str(), r.entry.value.as_str())).collect())
        .unwrap_or_default();
    let mut routes = Vec::new();
    for be in backends {
        let Some((ns, name)) = route_of(&be.name) else { continue };
        let mut lines: Vec<MapLine> = crate::sorted::all(&by_value, &be.name.as_str())
            .iter()
            .map(|(_, (name, e))| MapLine {
                at: Loc { file: (*name).to_owned(), line: e.line },
                key: e.key.clone(),
                value: e.value.clone(),
            })
            .collect();
        let keys: Vec<String> = lines.iter().map(|l| l.key.clone()).collect();
        if let Some((file, rows)) = files.map("os_route_http_redirect.map") {
            for row in rows {
                if keys.contains(&row.entry.key) {
                    lines.push(MapLine {
                        at: Loc { file: file.to_owned(), line: row.entry.line },
                        key: row.entry.key.clone(),
                        value: row.entry.value.clone(),
                    });
                }
            }
        }
        let term = termination(&be.name);
        let in_http = lines.iter().any(|l| l.at.file.ends_with("os_http_be.map"));
        let redirected = keys.iter().any(|k| redirects.iter().any(|(rk, v)| rk == k && *v == "1"));
        let insecure = match term {
            "edge" | "reencrypt" if redirected => Some("Redirect".to_owned()),
            "edge" | "reencrypt" if in_http => Some("Allow".to_owned()),
            "edge" | "reencrypt" => Some("None".to_owned()),
            _ => None,
        };
        let (host, path) = lines
            .iter()
            .find_map(|l| split_router_key(&l.key))
            .map(|(h, p)| (h.replace('\\', "").replace("[^.]*", "*").replace("[^\\.]*", "*"), p))
            .unwrap_or_default();
        let info = prov.and_then(|p| p.route(&ns, &name));
        // A backend no map line reaches and no route names (the dynamic config manager's
        // blueprint pool) serves nothing.
        if lines.is_empty() && info.is_none() {
            continue;
        }
        let sh = shares(&be.servers);
        let servers = be.servers.iter().zip(&sh).map(|(s, x)| server_view(s, *x, prov, &be.name)).collect();
        routes.push(RouteRow {
            host: info.map_or(host, |i| i.host.clone()),
            path: info.map_or(path, |i| i.path.clone()),
            termination: term.to_owned(),
            insecure,
            backend: be.name.clone(),
            servers,
            map_lines: lines,
            source: info.map(|i| i.source.clone()),
            namespace: ns,
            name,
        });
    }
    let (mut rejected, mut ignored) = (Vec::new(), Vec::new());
    for r in prov.map(|p| p.routes.as_slice()).unwrap_or_default() {
        let (list, reason, message) = match &r.outcome {
            Admission::Admitted => continue,
            Admission::Rejected { reason, message } => (&mut rejected, *reason, message.clone()),
            Admission::Ignored { reason } => (&mut ignored, *reason, String::new()),
        };
        list.push(Excluded {
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            host: r.host.clone(),
            reason: reason.to_owned(),
            message,
            source: Some(r.source.clone()),
        });
    }
    let findings = analysis::analyze(model, files, prov);
    RouteTable { routes, rejected, ignored, findings }
}
