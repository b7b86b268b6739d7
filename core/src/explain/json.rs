//! The JSON rendering of explanations and route tables (schemas `routec.explain/1` and
//! `routec.routes/1`, docs/explain-json.md). Written here, not by serde in each leaf, so the CLI
//! and wasm return the same bytes.

use super::analysis::Finding;
use super::table::{Excluded, RouteTable};
use super::{Candidate, Explanation, Loc, ServerView, ServiceView, Source, Step};
use crate::json::write::{array as arr, object as obj, opt, string};

fn loc(l: &Loc) -> String {
    obj(&[("file", string(&l.file)), ("line", l.line.to_string())])
}

fn opt_loc(l: Option<&Loc>) -> String {
    l.map_or_else(|| "null".into(), loc)
}

fn source(s: Option<&Source>) -> String {
    s.map_or_else(
        || "null".into(),
        |s| {
            obj(&[
                ("file", string(&s.file)),
                ("line", s.line.to_string()),
                ("kind", string(s.kind)),
                ("namespace", string(&s.namespace)),
                ("name", string(&s.name)),
            ])
        },
    )
}

/// A share rounded to 4 decimals, so that float noise never changes the output.
fn share(x: f64) -> String {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 {
        "0".into()
    } else if r == 1.0 {
        "1".into()
    } else {
        format!("{r}")
    }
}

fn server(s: &ServerView) -> String {
    obj(&[
        ("name", string(&s.name)),
        ("address", string(&s.address)),
        ("port", s.port.map_or_else(|| "null".into(), |p| p.to_string())),
        ("pod", opt(s.pod.as_deref())),
        ("weight", s.weight.to_string()),
        ("share", share(s.share)),
        ("at", loc(&s.at)),
        ("source", source(s.source.as_ref())),
    ])
}

fn step(n: usize, s: &Step) -> String {
    obj(&[
        ("n", n.to_string()),
        ("kind", string(s.kind.as_str())),
        ("title", string(&s.title)),
        ("details", arr(&s.details, |d| string(d))),
        ("at", opt_loc(s.at.as_ref())),
        ("source", source(s.source.as_ref())),
    ])
}

fn candidate(c: &Candidate) -> String {
    obj(&[
        ("route", string(&c.route)),
        ("host", string(&c.host)),
        ("path", string(&c.path)),
        ("reason", string(&c.reason)),
        ("at", opt_loc(c.at.as_ref())),
        ("source", source(c.source.as_ref())),
    ])
}

fn service(s: &ServiceView) -> String {
    obj(&[
        ("namespace", string(&s.namespace)),
        ("name", string(&s.name)),
        ("dns", string(&s.dns)),
        ("type", string(&s.kind)),
        ("clusterIp", opt(s.cluster_ip.as_deref())),
        (
            "ports",
            arr(&s.ports, |p| {
                obj(&[
                    ("name", opt(p.name.as_deref())),
                    ("port", p.port.to_string()),
                    ("targetPort", string(&p.target_port)),
                    ("protocol", string(&p.protocol)),
                    ("nodePort", p.node_port.map_or_else(|| "null".into(), |n| n.to_string())),
                ])
            }),
        ),
        ("note", string(&s.note)),
        ("source", source(s.source.as_ref())),
    ])
}

/// `routec.explain/1`.
pub fn explanation(e: &Explanation) -> String {
    let r = &e.request;
    let request = obj(&[
        ("url", string(&r.url)),
        ("scheme", string(r.scheme.as_str())),
        ("host", string(&r.host)),
        ("port", e.port.to_string()),
        ("path", string(&r.path)),
        ("query", opt(r.query.as_deref())),
        ("sni", opt(r.sni.as_deref())),
        ("clientIp", r.client_ip.map_or_else(|| "null".into(), |ip| string(&ip.to_string()))),
        ("headers", arr(&r.headers, |(k, v)| obj(&[("name", string(k)), ("value", string(v))]))),
    ]);
    let steps: Vec<String> = e.steps.iter().enumerate().map(|(k, s)| step(k + 1, s)).collect();
    let o = &e.outcome;
    let outcome = obj(&[
        ("kind", string(o.kind.as_str())),
        ("status", o.status.map_or_else(|| "null".into(), |s| s.to_string())),
        ("summary", string(&o.summary)),
        ("backend", opt(o.backend.as_deref())),
        ("servers", arr(&o.servers, |s| string(s))),
        ("location", opt(o.location.as_deref())),
    ]);
    let backend = e.backend.as_ref().map_or_else(
        || "null".into(),
        |b| {
            obj(&[
                ("name", string(&b.name)),
                (
                    "route",
                    b.route.as_ref().map_or_else(
                        || "null".into(),
                        |(ns, n)| obj(&[("namespace", string(ns)), ("name", string(n))]),
                    ),
                ),
                ("mode", string(&b.mode)),
                ("balance", string(&b.balance)),
                ("at", loc(&b.at)),
                ("cookie", opt(b.cookie.as_deref())),
                ("timeouts", arr(&b.timeouts, |(k, v)| obj(&[("name", string(k)), ("value", string(v))]))),
                (
                    "rewrite",
                    b.rewrite.as_ref().map_or_else(
                        || "null".into(),
                        |w| {
                            obj(&[
                                ("pattern", string(&w.pattern)),
                                ("replacement", string(&w.replacement)),
                                ("path", string(&w.path)),
                            ])
                        },
                    ),
                ),
                ("servers", arr(&b.servers, server)),
                ("source", source(b.source.as_ref())),
            ])
        },
    );
    obj(&[
        ("schema", string("routec.explain/1")),
        ("request", request),
        ("steps", format!("[{}]", steps.join(","))),
        ("outcome", outcome),
        ("backend", backend),
        ("whyNot", arr(&e.why_not, candidate)),
        ("service", e.service.as_ref().map_or_else(|| "null".into(), service)),
    ])
}

fn excluded(x: &Excluded) -> String {
    obj(&[
        ("namespace", string(&x.namespace)),
        ("name", string(&x.name)),
        ("host", string(&x.host)),
        ("reason", string(&x.reason)),
        ("message", string(&x.message)),
        ("source", source(x.source.as_ref())),
    ])
}

fn finding(f: &Finding) -> String {
    obj(&[
        ("code", string(f.code)),
        ("severity", string(f.severity)),
        ("message", string(&f.message)),
        ("at", opt_loc(f.at.as_ref())),
    ])
}

/// `routec.routes/1`.
pub fn routes(t: &RouteTable) -> String {
    let rows = arr(&t.routes, |r| {
        obj(&[
            ("namespace", string(&r.namespace)),
            ("name", string(&r.name)),
            ("host", string(&r.host)),
            ("path", string(&r.path)),
            ("termination", string(&r.termination)),
            ("insecure", opt(r.insecure.as_deref())),
            ("backend", string(&r.backend)),
            ("servers", arr(&r.servers, server)),
            (
                "mapLines",
                arr(&r.map_lines, |m| {
                    obj(&[
                        ("file", string(&m.at.file)),
                        ("line", m.at.line.to_string()),
                        ("key", string(&m.key)),
                        ("value", string(&m.value)),
                    ])
                }),
            ),
            ("source", source(r.source.as_ref())),
        ])
    });
    obj(&[
        ("schema", string("routec.routes/1")),
        ("routes", rows),
        ("rejected", arr(&t.rejected, excluded)),
        ("ignored", arr(&t.ignored, excluded)),
        ("findings", arr(&t.findings, finding)),
    ])
}
