//! explain against real HAProxy: for each of a set of valid fixtures, the pod addresses are
//! moved onto loopback backends inside this process (each answers with its own address), the
//! objects are compiled and served by HAProxy, and every request of a generated set (each
//! route, near misses, the fixture's own `requests.txt`) is both explained and sent. explain's
//! predicted outcome (the servers that can answer, or the redirect, status or closed
//! connection) must be what HAProxy did.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use routec_core::explain::{self, OutcomeKind, Session, Sni};
use routec_core::{Settings, SourceFile};

use crate::backend::{start_at, tls_config, Backend, Kind};
use crate::client::{self, Got};
use crate::{haproxy, pki};

/// Fixtures covering every termination and insecure policy, wildcards, paths, alternate
/// backends, the allow-list and rewrite-target.
const FIXTURES: &[&str] = &[
    "alternate-backends",
    "alternate-weight-zero",
    "cookies",
    "duplicated-objects",
    "edge-own-cert",
    "edge-policy-allow",
    "edge-policy-none",
    "edge-policy-redirect",
    "host-conflict-namespaces",
    "hsts",
    "http-paths",
    "ip-allowlist",
    "passthrough",
    "reencrypt-verify-none",
    "rewrite-target",
    "wildcard-routes",
    "zero-endpoints",
];

fn settings_of(dir: &Path) -> Settings {
    let mut s = crate::common::settings_of(dir);
    s.set("ROUTER_MAX_CONNECTIONS", "2000");
    s.set("STATS_PORT", crate::haproxy::free_port().to_string());
    s
}

/// `backend NAME` → the addresses of its `server` lines.
fn servers_by_backend(config: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in config.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["backend", name, ..] => current = (*name).to_owned(),
            ["server", _, addr, ..] if !addr.contains('@') => out.push((current.clone(), (*addr).to_owned())),
            _ => {}
        }
    }
    out
}

fn split_addr(a: &str) -> Option<(String, u16)> {
    let (ip, port) = a.rsplit_once(':')?;
    Some((ip.trim_matches(['[', ']']).to_owned(), port.parse().ok()?))
}

/// Moves every pod address the config uses onto 127.1.`k`.x, in the input texts.
fn relocate(sources: &[SourceFile], config: &str, k: usize) -> (Vec<SourceFile>, BTreeMap<String, String>) {
    let ips: BTreeSet<String> =
        servers_by_backend(config).iter().filter_map(|(_, a)| split_addr(a)).map(|(ip, _)| ip).collect();
    let map: BTreeMap<String, String> = ips
        .iter()
        .filter(|ip| !ip.contains(':'))
        .enumerate()
        .map(|(i, ip)| (ip.clone(), format!("127.1.{k}.{}", i + 2)))
        .collect();
    let moved = sources
        .iter()
        .map(|s| {
            let mut text = s.text.clone();
            for (from, to) in &map {
                let re = regex::Regex::new(&format!(r"\b{}\b", regex::escape(from))).expect("ip regex");
                text = re.replace_all(&text, to.as_str()).into_owned();
            }
            SourceFile::new(s.name.clone(), text)
        })
        .collect();
    (moved, map)
}

/// The generated probes plus the fixture's own `requests.txt` lines.
fn requests(table: &explain::table::RouteTable, listed: &str) -> Vec<String> {
    let mut out = crate::common::probes::probes(table, false);
    for line in listed.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        // The real client is 127.0.0.1, and raw TLS to a terminating frontend would wait for
        // HAProxy's request timeout.
        if line.contains("client=") || (line.starts_with("tls://") && !out.iter().any(|o| o == line)) {
            continue;
        }
        if !out.iter().any(|o| o == line) {
            out.push(line.to_owned());
        }
    }
    out
}

struct Parsed {
    req: explain::Request,
    headers: Vec<(String, String)>,
}

fn parse_line(line: &str) -> Option<Parsed> {
    let mut words = line.split_whitespace();
    let url = words.next()?;
    let (mut sni, mut headers) = (Sni::FromHost, Vec::new());
    for w in words {
        match w.split_once('=') {
            Some(("header", h)) => headers.push(h.to_owned()),
            Some(("sni", n)) => sni = Sni::Name(n.to_owned()),
            _ if w == "no-sni" => sni = Sni::Omit,
            _ => return None,
        }
    }
    let req = explain::parse_request(url, &sni, Some("127.0.0.1"), &headers).ok()?;
    let headers = req.headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("host")).cloned().collect();
    Some(Parsed { req, headers })
}

/// What explain predicts, in the terms a client observes.
fn predicted(e: &explain::Explanation) -> (String, BTreeSet<String>) {
    let live: BTreeSet<String> = e
        .backend
        .as_ref()
        .map(|b| b.servers.iter().filter(|s| s.share > 0.0).map(|s| s.address.clone()).collect())
        .unwrap_or_default();
    let o = &e.outcome;
    let class = match o.kind {
        OutcomeKind::Forward => "forward".to_owned(),
        OutcomeKind::Passthrough => "passthrough".to_owned(),
        OutcomeKind::Redirect => format!("{} {}", o.status.unwrap_or(302), o.location.as_deref().unwrap_or("")),
        OutcomeKind::NoRoute | OutcomeKind::NoEndpoints => "503".to_owned(),
        OutcomeKind::Deny | OutcomeKind::Local => o.status.map_or_else(|| "closed".to_owned(), |s| s.to_string()),
    };
    (class, live)
}

/// What the client saw. A TLS response signed by a backend's own certificate came through
/// passthrough.
fn observed(got: &Got, leaves: &BTreeSet<Vec<u8>>) -> (String, Option<String>) {
    match got {
        Got::Http(r) if r.peer_cert.as_ref().is_some_and(|c| leaves.contains(c)) => {
            ("passthrough".into(), Some(r.backend().to_owned()))
        }
        Got::Http(r) if r.status == 200 && !r.backend().is_empty() => ("forward".into(), Some(r.backend().to_owned())),
        Got::Http(r) if r.status == 302 => (format!("302 {}", r.header("Location").unwrap_or("")), None),
        Got::Http(r) => (r.status.to_string(), None),
        Got::Raw(t) => match t.strip_prefix("raw-tls-backend ") {
            Some(name) => ("passthrough".into(), Some(name.trim().to_owned())),
            None => ("closed".into(), None),
        },
        Got::Closed => ("closed".into(), None),
    }
}

#[test]
fn explain_agrees_with_haproxy() {
    let Some(bin) = crate::common::haproxy::binary() else { return };
    let ca = pki::Ca::new("routec agreement CA");
    let tls = client::any_cert_client();
    let default_cert = {
        let dir = crate::common::root().join("fixtures/default-cert");
        let mut pem = fs::read_to_string(dir.join("tls.crt")).expect("tls.crt");
        pem.push_str(&fs::read_to_string(dir.join("tls.key")).expect("tls.key"));
        pem
    };
    let (mut total, mut agree) = (0usize, 0usize);
    let mut failures = String::new();
    for (k, name) in FIXTURES.iter().enumerate() {
        let dir = crate::common::root().join("fixtures/valid").join(name);
        let original = crate::common::read_dir_sources(&dir);
        let settings = settings_of(&dir);
        let first = routec_core::compile(&original, &settings, &routec_core::Options::default());
        let (sources, _) = relocate(&original, first.file("conf/haproxy.config").unwrap_or_default(), k + 1);
        let probe = routec_core::compile(&sources, &settings, &routec_core::Options::default());
        let kinds: BTreeSet<String> = servers_by_backend(probe.file("conf/haproxy.config").unwrap_or_default())
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let mut backends: Vec<Backend> = Vec::new();
        let mut leaves = BTreeSet::new();
        for addr in &kinds {
            let Ok(sock) = addr.parse::<SocketAddr>() else { continue };
            let leaf = ca.leaf(&[&sock.ip().to_string()]);
            leaves.insert(leaf.cert_der.clone());
            backends.push(start_at(addr, sock, Kind::Sniff(tls_config(&leaf)), Duration::ZERO));
        }
        let hp = haproxy::Haproxy::start_files(&bin, &sources, settings.clone(), default_cert.clone());
        let session = Session::from_output(&hp.out, &sources, Some(&default_cert), &settings);
        let ex = session.explainer();
        let listed = fs::read_to_string(dir.join("requests.txt")).unwrap_or_default();
        for line in requests(&ex.routes(), &listed) {
            let Some(p) = parse_line(&line) else { continue };
            let e = ex.explain(&p.req);
            let (want, live) = predicted(&e);
            let host = p.req.header("host").unwrap_or_default().to_owned();
            let path = match &p.req.query {
                Some(q) => format!("{}?{q}", p.req.path),
                None => p.req.path.clone(),
            };
            let extra: Vec<(&str, &str)> = p.headers.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let got = client::send(
                hp.http,
                hp.https,
                p.req.scheme.as_str(),
                p.req.sni.as_deref(),
                &host,
                &path,
                &extra,
                None,
                &tls,
            );
            let (class, who) = observed(&got, &leaves);
            total += 1;
            let same = class == want && who.as_ref().is_none_or(|w| live.contains(w));
            if same {
                agree += 1;
            } else {
                let _ = writeln!(
                    failures,
                    "{name}: {line}: explain says {want} {live:?}, haproxy did {class} {who:?}\n{}",
                    explain::text::explanation(&e)
                );
            }
        }
        drop(hp);
        drop(backends);
    }
    #[expect(clippy::print_stdout, reason = "the agreement count is the suite's report")]
    {
        println!("explain vs haproxy: {agree}/{total} agree");
    }
    assert!(failures.is_empty(), "{failures}");
    assert!(total >= 300, "only {total} requests");
}
