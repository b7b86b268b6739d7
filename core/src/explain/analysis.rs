//! Route-table findings computed exactly on the map regexes: language inclusion on the DFAs of
//! `crate::regex` (PCRE flavour, bytes), not string heuristics.
//!
//! - `routec::routes::unreachable-map-entry`: an entry no request can reach, because an earlier
//!   entry of the same first-match map matches everything it matches;
//! - `routec::routes::wildcard-captures-rejected`: a wildcard entry that takes the host of a
//!   route the router rejected (the requests go to the wildcard route's pods instead);
//! - `routec::routes::zero-share`: a service of a backend whose servers all have weight 0 while
//!   others take traffic, so it gets none;
//! - `routec::routes::redirect-without-https`: a redirect-to-https entry with no https route for
//!   it, so the redirect leads to a 503.
//!
//! routec's own output never has the first and last (the router sorts and pairs map lines);
//! they matter for configs read back from a live router, another router version, or hand edits.

use crate::hash::FastSet;
use std::collections::VecDeque;

use super::files::{literal_prefix, Index, Row};
use super::walk::{route_of, server_weight};
use super::{Loc, Provenance, Source};
use crate::admission::Outcome as Admission;
use crate::hap::model::Model;
use crate::regex::dfa::StateId;
use crate::regex::Regex;
use crate::sorted::Map;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code.
    pub code: &'static str,
    /// `warning` or `advice`.
    pub severity: &'static str,
    /// One line.
    pub message: String,
    /// The config or map line.
    pub at: Option<Loc>,
    /// The object.
    pub source: Option<Source>,
    /// The route it is about (`namespace`, `name`).
    pub route: Option<(String, String)>,
}

/// Product states explored per pair before giving up (no finding is reported then).
const MAX_PAIRS: usize = 100_000;

/// Maps whose lookups are first-match `map_reg`.
const REG_MAPS: &[&str] = &[
    "os_http_be.map",
    "os_edge_reencrypt_be.map",
    "os_tcp_be.map",
    "os_sni_passthrough.map",
    "os_route_http_redirect.map",
    "os_wildcard_domain.map",
];

/// Memory each side's DFA may use before the check gives up.
const DFA_LIMIT: usize = 1 << 21;

/// Whether every string that `b` finds a match in, `a` finds one in too (search semantics, as
/// HAProxy's `regex_exec`). `None` when a pattern does not compile or the automata are too
/// big to decide.
pub fn includes(a: &str, b: &str) -> Option<bool> {
    let (ra, rb) = (Regex::new_pcre(a, false).ok()?, Regex::new_pcre(b, false).ok()?);
    let (mut da, mut db) = (ra.dfa(DFA_LIMIT), rb.dfa(DFA_LIMIT));
    // The bytes both automata tell apart: one representative per pair of classes.
    let mut classes: Vec<(usize, usize)> = (0..=255u32).map(|x| (da.class_of(x), db.class_of(x))).collect();
    crate::sort::sort_unstable(&mut classes);
    classes.dedup();
    let mut seen: FastSet<(StateId, StateId, bool)> = FastSet::default();
    let mut queue = VecDeque::from([(da.start(), db.start(), false)]);
    while let Some((sa, sb, bm)) = queue.pop_front() {
        if !seen.insert((sa, sb, bm)) {
            continue;
        }
        if seen.len() > MAX_PAIRS {
            return None;
        }
        // Once `a` has matched, every extension is matched by `a`.
        if da.is_match(sa) {
            continue;
        }
        let b_done = bm || db.is_match(sb);
        let (ea, eb) = (da.eoi(), db.eoi());
        let a_eoi = da.next(sa, ea).map(|s| da.is_match(s))?;
        let b_eoi = b_done || db.next(sb, eb).map(|s| db.is_match(s))?;
        if b_eoi && !a_eoi {
            return Some(false);
        }
        if da.is_dead(sa) && b_done {
            return Some(false);
        }
        for &(ca, cb) in &classes {
            let na = da.next(sa, ca)?;
            let nb = if b_done { sb } else { db.next(sb, cb)? };
            if !b_done && db.is_dead(nb) {
                continue;
            }
            queue.push_back((na, nb, b_done));
        }
    }
    Some(true)
}

fn unreachable(files: &Index<'_>, out: &mut Vec<Finding>) {
    for map in REG_MAPS {
        let Some((name, rows)) = files.map(map) else { continue };
        let prefixes: Vec<String> = rows.iter().map(|r| literal_prefix(&r.entry.key)).collect();
        // Earlier entries by literal prefix, so a later entry is compared only with entries
        // whose every match could start like its own. Every prefix is known up front, so the
        // index is a sorted list of them with one slot of earlier entries each.
        let mut keys: Vec<&str> = prefixes.iter().map(String::as_str).collect();
        crate::sort::sort_unstable(&mut keys);
        keys.dedup();
        let mut slots: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
        for (j, row) in rows.iter().enumerate() {
            let pb = prefixes[j].as_str();
            let mut cands: Vec<usize> = Vec::new();
            for (k, _) in pb.char_indices().chain(std::iter::once((pb.len(), ' '))) {
                if let Ok(i) = keys.binary_search(&&pb[..k]) {
                    cands.extend(&slots[i]);
                }
            }
            // Longer prefixes that start with this one (the prefix itself was taken above).
            let start = keys.partition_point(|p| *p <= pb);
            for (i, _) in keys.iter().enumerate().skip(start).take_while(|(_, p)| p.starts_with(pb)) {
                cands.extend(&slots[i]);
            }
            crate::sort::sort_unstable(&mut cands);
            for i in cands {
                if shadowed(&rows[i], row, pb) {
                    out.push(Finding {
                        code: "routec::routes::unreachable-map-entry",
                        severity: "warning",
                        message: format!(
                            "{name}:{} `{} {}` is unreachable: line {} `{} {}` matches everything it matches, and the first match wins",
                            row.entry.line,
                            row.entry.key,
                            row.entry.value,
                            rows[i].entry.line,
                            rows[i].entry.key,
                            rows[i].entry.value
                        ),
                        at: Some(Loc { file: name.to_owned(), line: row.entry.line }),
                        source: None,
                        route: route_of(&row.entry.value),
                    });
                    break;
                }
            }
            if let Ok(i) = keys.binary_search(&pb) {
                slots[i].push(j);
            }
        }
    }
}

fn shadowed(a: &Row<'_>, b: &Row<'_>, pb: &str) -> bool {
    // Cheap refutation first: a string `b` matches that `a` does not.
    if let (Some(ra), Some(rb)) = (a.regex(), b.regex()) {
        if rb.is_match(pb.as_bytes()) && !ra.is_match(pb.as_bytes()) {
            return false;
        }
    }
    includes(&a.entry.key, &b.entry.key) == Some(true)
}

fn wildcard_captures(files: &Index<'_>, prov: &Provenance, out: &mut Vec<Finding>) {
    for r in &prov.routes {
        let Admission::Rejected { reason, .. } = &r.outcome else { continue };
        if r.host.is_empty() || r.wildcard {
            continue;
        }
        let input = format!("{}{}", r.host.to_ascii_lowercase(), if r.path.is_empty() { "/" } else { &r.path });
        for map in ["os_http_be.map", "os_edge_reencrypt_be.map"] {
            let Some((name, rows)) = files.map(map) else { continue };
            let hit = rows.iter().find(|row| row.regex().is_some_and(|re| re.is_match(input.as_bytes())));
            if let Some(row) = hit.filter(|row| row.entry.key.starts_with(r"^[^\.]*\.")) {
                out.push(Finding {
                    code: "routec::routes::wildcard-captures-rejected",
                    severity: "warning",
                    message: format!(
                        "requests for {} (route {}/{}, rejected: {reason}) go to the wildcard route {} ({name}:{})",
                        r.host, r.namespace, r.name, row.entry.value, row.entry.line
                    ),
                    at: Some(Loc { file: name.to_owned(), line: row.entry.line }),
                    source: Some(r.source.clone()),
                    route: Some((r.namespace.clone(), r.name.clone())),
                });
            }
        }
    }
}

fn zero_share(model: &Model, prov: Option<&Provenance>, out: &mut Vec<Finding>) {
    for be in model.sections.values().filter(|s| s.kind == "backend") {
        let Some((ns, route)) = route_of(&be.name) else { continue };
        let info = prov.and_then(|p| p.route(&ns, &route));
        // Per service, in name order: total weight, servers, the first server's line.
        let mut by_svc: Map<&str, (u64, usize, usize)> = Map::new();
        for s in &be.servers {
            let svc = s.name.split(':').nth(if s.name.starts_with("pod:") { 2 } else { 1 }).unwrap_or("");
            let e = by_svc.get_or_insert_with(svc, || (0, 0, s.origin.line));
            e.0 += u64::from(server_weight(s));
            e.1 += 1;
        }
        if by_svc.len() < 2 || by_svc.iter().all(|(_, (w, _, _))| *w == 0) {
            continue;
        }
        for (svc, (w, n, line)) in &by_svc {
            // A weight of 0 in the route is what the user asked for.
            let asked = info.and_then(|i| i.weights.iter().find(|(s, _)| s == svc).map(|(_, w)| *w));
            if *w == 0 && asked != Some(0) {
                let why = match asked {
                    Some(a) => format!("its weight {a} in the route rounds to 0 once split across {n} endpoint(s)"),
                    None => format!("its {n} server(s) all have weight 0"),
                };
                out.push(Finding {
                    code: "routec::routes::zero-share",
                    severity: "warning",
                    message: format!("service {ns}/{svc} of backend {} gets no traffic: {why}", be.name),
                    at: Some(Loc { file: be.origin.file.to_string(), line: *line }),
                    source: None,
                    route: Some((ns.clone(), route.clone())),
                });
            }
        }
    }
}

fn redirect_without_https(files: &Index<'_>, out: &mut Vec<Finding>) {
    let Some((name, rows)) = files.map("os_route_http_redirect.map") else { return };
    let https: FastSet<&str> = files
        .map("os_edge_reencrypt_be.map")
        .map(|(_, r)| r.iter().map(|x| x.entry.key.as_str()).collect())
        .unwrap_or_default();
    for row in rows.iter().filter(|r| r.entry.value.trim() == "1") {
        if !https.contains(row.entry.key.as_str()) {
            out.push(Finding {
                code: "routec::routes::redirect-without-https",
                severity: "warning",
                message: format!(
                    "{name}:{} redirects `{}` to https, but no line of os_edge_reencrypt_be.map serves it: the redirect ends in a 503",
                    row.entry.line, row.entry.key
                ),
                at: Some(Loc { file: name.to_owned(), line: row.entry.line }),
                source: None,
                route: None,
            });
        }
    }
}

/// Every finding, in a fixed order.
pub(crate) fn analyze(model: &Model, files: &Index<'_>, prov: Option<&Provenance>) -> Vec<Finding> {
    let mut out = Vec::new();
    unreachable(files, &mut out);
    if let Some(p) = prov {
        wildcard_captures(files, p, &mut out);
    }
    zero_share(model, prov, &mut out);
    redirect_without_https(files, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::includes;

    #[test]
    fn inclusion_is_exact() {
        let any_path = r"^web\.test\.?(:[0-9]+)?(/.*)?$";
        let api = r"^web\.test\.?(:[0-9]+)?/api(/.*)?$";
        assert_eq!(includes(any_path, api), Some(true));
        assert_eq!(includes(api, any_path), Some(false));
        let wild = r"^[^\.]*\.wild\.test\.?(:[0-9]+)?(/.*)?$";
        assert_eq!(includes(wild, r"^a\.wild\.test\.?(:[0-9]+)?(/.*)?$"), Some(true));
        assert_eq!(includes(wild, r"^a\.b\.wild\.test\.?(:[0-9]+)?(/.*)?$"), Some(false));
        // Unanchored: `b` matches anywhere, so does anything containing it.
        assert_eq!(includes("web", "^web"), Some(true));
        assert_eq!(includes("^web", "web"), Some(false));
    }
}
