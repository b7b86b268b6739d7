//! Real traffic through real HAProxy: routec compiles one set of Routes whose Endpoints point at
//! backends inside this test process, HAProxy 2.6 loads the output, and each scenario sends
//! requests and checks which backend answered, or the status and headers. Only 127.0.0.0/8 is
//! used; every request has a time limit and every loop a fixed count.

mod agree;
mod backend;
mod client;
#[path = "../../../core/tests/common/mod.rs"]
mod common;
mod haproxy;
mod pki;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use backend::{start, tls_config, Backend, Kind};
use routec_core::Settings;

/// A JSON string literal (valid YAML too).
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn endpoints(name: &str, backends: &[&Backend]) -> String {
    let addrs: Vec<String> = backends
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!("{{\"ip\": \"{}\", \"targetRef\": {{\"kind\": \"Pod\", \"name\": \"{name}-{i}\"}}}}", b.addr.ip())
        })
        .collect();
    // All backends of one service share a port in Endpoints; each backend listens on its own
    // address, so one subset per backend keeps each port exact.
    let subsets: Vec<String> = backends
        .iter()
        .zip(&addrs)
        .map(|(b, a)| {
            format!("{{\"addresses\": [{a}], \"ports\": [{{\"name\": \"web\", \"port\": {}}}]}}", b.addr.port())
        })
        .collect();
    format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"Endpoints\", \"metadata\": {{\"name\": \"{name}\", \"namespace\": \"t\"}}, \"subsets\": [{}]}}",
        subsets.join(", ")
    )
}

struct R<'a> {
    name: &'a str,
    host: &'a str,
    path: &'a str,
    to: &'a str,
    alts: &'a [(&'a str, u32)],
    weight: u32,
    tls: String,
    ann: &'a [(&'a str, &'a str)],
    wildcard: bool,
}

impl Default for R<'_> {
    fn default() -> Self {
        Self {
            name: "",
            host: "",
            path: "",
            to: "",
            alts: &[],
            weight: 100,
            tls: String::new(),
            ann: &[],
            wildcard: false,
        }
    }
}

fn route(r: &R<'_>) -> String {
    let ann: Vec<String> = r.ann.iter().map(|(k, v)| format!("{}: {}", q(k), q(v))).collect();
    let mut spec = vec![
        format!("\"host\": {}", q(r.host)),
        format!("\"to\": {{\"kind\": \"Service\", \"name\": {}, \"weight\": {}}}", q(r.to), r.weight),
    ];
    if !r.path.is_empty() {
        spec.push(format!("\"path\": {}", q(r.path)));
    }
    if !r.alts.is_empty() {
        let alts: Vec<String> = r
            .alts
            .iter()
            .map(|(n, w)| format!("{{\"kind\": \"Service\", \"name\": {}, \"weight\": {w}}}", q(n)))
            .collect();
        spec.push(format!("\"alternateBackends\": [{}]", alts.join(", ")));
    }
    if !r.tls.is_empty() {
        spec.push(format!("\"tls\": {}", r.tls));
    }
    if r.wildcard {
        spec.push("\"wildcardPolicy\": \"Subdomain\"".to_owned());
    }
    format!(
        "{{\"apiVersion\": \"route.openshift.io/v1\", \"kind\": \"Route\", \"metadata\": {{\"name\": {}, \"namespace\": \"t\", \"annotations\": {{{}}}}}, \"spec\": {{{}}}}}",
        q(r.name),
        ann.join(", "),
        spec.join(", ")
    )
}

fn edge_tls(policy: &str, leaf: &pki::Leaf, ca: &pki::Ca) -> String {
    format!(
        "{{\"termination\": \"edge\", \"insecureEdgeTerminationPolicy\": {}, \"certificate\": {}, \"key\": {}, \"caCertificate\": {}}}",
        q(policy),
        q(&leaf.cert_pem),
        q(&leaf.key_pem),
        q(&ca.pem())
    )
}

type Check = Result<(), String>;

/// A named scenario.
type Scenario<'a> = (&'static str, Box<dyn Fn() -> Check + 'a>);

fn expect(cond: bool, msg: impl FnOnce() -> String) -> Check {
    if cond {
        Ok(())
    } else {
        Err(msg())
    }
}

#[test]
fn compiled_config_routes_real_traffic() {
    let Some(bin) = common::haproxy::binary() else { return };
    let t0 = Instant::now();
    let ca = pki::Ca::new("routec traffic CA");
    let other_ca = pki::Ca::new("untrusted CA");
    let no_delay = Duration::ZERO;

    let alpha = start("alpha", "127.0.0.11", Kind::Http, no_delay);
    let beta = start("beta", "127.0.0.12", Kind::Http, no_delay);
    let p_root = start("p-root", "127.0.0.13", Kind::Http, no_delay);
    let p_api = start("p-api", "127.0.0.14", Kind::Http, no_delay);
    let p_v1 = start("p-v1", "127.0.0.15", Kind::Http, no_delay);
    let w_any = start("w-any", "127.0.0.16", Kind::Http, no_delay);
    let w_api = start("w-api", "127.0.0.17", Kind::Http, no_delay);
    let edge = start("edge", "127.0.0.18", Kind::Http, no_delay);
    let pt_leaf = ca.leaf(&["pt.traffic.test"]);
    let pt = start("pt", "127.0.0.19", Kind::RawTls(tls_config(&pt_leaf)), no_delay);
    let secure_leaf = ca.leaf(&["127.0.0.20"]);
    let secure = start("secure", "127.0.0.20", Kind::Https(tls_config(&secure_leaf)), no_delay);
    let wa = start("wa", "127.0.0.21", Kind::Http, no_delay);
    let wb = start("wb", "127.0.0.22", Kind::Http, no_delay);
    let s1 = start("s1", "127.0.0.23", Kind::Http, no_delay);
    let s2 = start("s2", "127.0.0.24", Kind::Http, no_delay);
    let slow = start("slow", "127.0.0.25", Kind::Http, Duration::from_secs(3));

    let edge_leaf = |h: &str| ca.leaf(&[h]);
    let (none_l, allow_l, redir_l, hsts_l) = (
        edge_leaf("none.traffic.test"),
        edge_leaf("allow.traffic.test"),
        edge_leaf("redirect.traffic.test"),
        edge_leaf("hsts.traffic.test"),
    );
    let (reenc_l, reenc_bad_l) = (edge_leaf("reenc.traffic.test"), edge_leaf("reenc-bad.traffic.test"));
    let reenc = |ca_pem: &str, leaf: &pki::Leaf| {
        format!(
            "{{\"termination\": \"reencrypt\", \"certificate\": {}, \"key\": {}, \"destinationCACertificate\": {}}}",
            q(&leaf.cert_pem),
            q(&leaf.key_pem),
            q(ca_pem)
        )
    };
    let routes = [
        R { name: "one", host: "one.traffic.test", to: "alpha", ..R::default() },
        R { name: "two", host: "two.traffic.test", to: "beta", ..R::default() },
        R { name: "p-root", host: "paths.traffic.test", to: "p-root", ..R::default() },
        R { name: "p-api", host: "paths.traffic.test", path: "/api", to: "p-api", ..R::default() },
        R { name: "p-v1", host: "paths.traffic.test", path: "/api/v1", to: "p-v1", ..R::default() },
        R { name: "w-any", host: "www.wild.traffic.test", to: "w-any", wildcard: true, ..R::default() },
        R { name: "w-api", host: "api.wild.traffic.test", to: "w-api", ..R::default() },
        R {
            name: "e-none",
            host: "none.traffic.test",
            to: "edge",
            tls: edge_tls("None", &none_l, &ca),
            ..R::default()
        },
        R {
            name: "e-allow",
            host: "allow.traffic.test",
            to: "edge",
            tls: edge_tls("Allow", &allow_l, &ca),
            ..R::default()
        },
        R {
            name: "e-redirect",
            host: "redirect.traffic.test",
            to: "edge",
            tls: edge_tls("Redirect", &redir_l, &ca),
            ..R::default()
        },
        R {
            name: "e-hsts",
            host: "hsts.traffic.test",
            to: "edge",
            tls: edge_tls("None", &hsts_l, &ca),
            ann: &[("haproxy.router.openshift.io/hsts_header", "max-age=31536000;includeSubDomains;preload")],
            ..R::default()
        },
        R {
            name: "pt",
            host: "pt.traffic.test",
            to: "pt",
            tls: "{\"termination\": \"passthrough\"}".into(),
            ..R::default()
        },
        R {
            name: "reenc-ok",
            host: "reenc.traffic.test",
            to: "secure",
            tls: reenc(&ca.pem(), &reenc_l),
            ..R::default()
        },
        R {
            name: "reenc-bad",
            host: "reenc-bad.traffic.test",
            to: "secure",
            tls: reenc(&other_ca.pem(), &reenc_bad_l),
            ..R::default()
        },
        R {
            name: "split",
            host: "split.traffic.test",
            to: "wa",
            weight: 1,
            alts: &[("wb", 3)],
            ann: &[("haproxy.router.openshift.io/disable_cookies", "true")],
            ..R::default()
        },
        R {
            name: "sticky",
            host: "sticky.traffic.test",
            to: "sticky",
            ann: &[("router.openshift.io/cookie_name", "stick")],
            ..R::default()
        },
        R {
            name: "nocookie",
            host: "nocookie.traffic.test",
            to: "sticky",
            ann: &[("haproxy.router.openshift.io/disable_cookies", "true")],
            ..R::default()
        },
        R {
            name: "source",
            host: "source.traffic.test",
            to: "sticky",
            ann: &[
                ("haproxy.router.openshift.io/balance", "source"),
                ("haproxy.router.openshift.io/disable_cookies", "true"),
            ],
            ..R::default()
        },
        R {
            name: "allow",
            host: "allowlist.traffic.test",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/ip_allowlist", "127.0.0.1")],
            ..R::default()
        },
        R {
            name: "limited",
            host: "limited.traffic.test",
            to: "alpha",
            ann: &[
                ("haproxy.router.openshift.io/rate-limit-connections", "true"),
                ("haproxy.router.openshift.io/rate-limit-connections.rate-tcp", "3"),
            ],
            ..R::default()
        },
        R {
            name: "slow",
            host: "slow.traffic.test",
            to: "slow",
            ann: &[("haproxy.router.openshift.io/timeout", "500ms")],
            ..R::default()
        },
        R {
            name: "rewrite",
            host: "rewrite.traffic.test",
            path: "/app",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/rewrite-target", "/")],
            ..R::default()
        },
        R {
            name: "fwd-append",
            host: "append.traffic.test",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/set-forwarded-headers", "append")],
            ..R::default()
        },
        R {
            name: "fwd-replace",
            host: "replace.traffic.test",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/set-forwarded-headers", "replace")],
            ..R::default()
        },
        R {
            name: "fwd-never",
            host: "never.traffic.test",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/set-forwarded-headers", "never")],
            ..R::default()
        },
        R {
            name: "fwd-if-none",
            host: "ifnone.traffic.test",
            to: "alpha",
            ann: &[("haproxy.router.openshift.io/set-forwarded-headers", "if-none")],
            ..R::default()
        },
        R { name: "empty", host: "empty.traffic.test", to: "nothing", ..R::default() },
    ];
    let mut docs: Vec<String> = vec![
        endpoints("alpha", &[&alpha]),
        endpoints("beta", &[&beta]),
        endpoints("p-root", &[&p_root]),
        endpoints("p-api", &[&p_api]),
        endpoints("p-v1", &[&p_v1]),
        endpoints("w-any", &[&w_any]),
        endpoints("w-api", &[&w_api]),
        endpoints("edge", &[&edge]),
        endpoints("pt", &[&pt]),
        endpoints("secure", &[&secure]),
        endpoints("wa", &[&wa]),
        endpoints("wb", &[&wb]),
        endpoints("sticky", &[&s1, &s2]),
        endpoints("slow", &[&slow]),
    ];
    docs.extend(routes.iter().map(route));
    let objects = docs.join("\n---\n");

    let mut settings = Settings::new();
    settings.set("ROUTER_METRICS_TYPE", "haproxy");
    settings.set("STATS_PORT", "1936");
    settings.set("ROUTER_ALLOW_WILDCARD_ROUTES", "true");
    // The default 50000 needs more file descriptors than a test machine allows.
    settings.set("ROUTER_MAX_CONNECTIONS", "2000");
    let default = ca.leaf(&["*.default.traffic.test"]);
    let hp = haproxy::Haproxy::start(&bin, &objects, settings, format!("{}{}", default.cert_pem, default.key_pem));
    let tls = client::tls_client(&ca.der());
    let http = hp.http;
    let https = hp.https;
    let get = |host: &str, path: &str| client::get(http, host, path, &[], None);

    let mut scenarios: Vec<Scenario<'_>> = Vec::new();
    scenarios.push((
        "1 host routing",
        Box::new(|| {
            let (a, b) = (get("one.traffic.test", "/")?, get("two.traffic.test", "/")?);
            expect(a.backend() == "alpha" && b.backend() == "beta", || {
                format!("got {} and {}", a.backend(), b.backend())
            })
        }),
    ));
    scenarios.push((
        "2 path routing",
        Box::new(|| {
            for (path, want) in [
                ("/api/v1/users", "p-v1"),
                ("/api/x", "p-api"),
                ("/api", "p-api"),
                ("/other", "p-root"),
                ("/", "p-root"),
            ] {
                let r = get("paths.traffic.test", path)?;
                expect(r.backend() == want, || format!("{path}: got {}, want {want}", r.backend()))?;
            }
            Ok(())
        }),
    ));
    scenarios.push((
        "3 wildcard route",
        Box::new(|| {
            for (host, want) in [
                ("foo.wild.traffic.test", "w-any"),
                ("www.wild.traffic.test", "w-any"),
                ("api.wild.traffic.test", "w-api"),
            ] {
                let r = get(host, "/")?;
                expect(r.backend() == want, || format!("{host}: got {}, want {want}", r.backend()))?;
            }
            Ok(())
        }),
    ));
    scenarios.push((
        "4 edge TLS and insecure policies",
        Box::new(|| {
            for host in ["none.traffic.test", "allow.traffic.test", "redirect.traffic.test"] {
                let r = client::get_tls(https, host, "/", &tls)?;
                expect(r.status == 200 && r.backend() == "edge", || {
                    format!("https {host}: {} {}", r.status, r.backend())
                })?;
            }
            let none = get("none.traffic.test", "/")?;
            expect(none.status == 503, || format!("None over http: {}", none.status))?;
            let allow = get("allow.traffic.test", "/")?;
            expect(allow.status == 200 && allow.backend() == "edge", || format!("Allow over http: {}", allow.status))?;
            let redirect = get("redirect.traffic.test", "/x?y=1")?;
            expect(
                redirect.status == 302 && redirect.header("Location") == Some("https://redirect.traffic.test/x?y=1"),
                || format!("Redirect over http: {} {:?}", redirect.status, redirect.header("Location")),
            )
        }),
    ));
    scenarios.push((
        "5 passthrough by SNI",
        Box::new(|| {
            let (text, cert) = client::raw_tls(https, "pt.traffic.test", &tls)?;
            expect(text.starts_with("raw-tls-backend pt") && cert == pt_leaf.cert_der, || {
                format!("got {text:?}, backend cert: {}", cert == pt_leaf.cert_der)
            })
        }),
    ));
    scenarios.push((
        "6 reencrypt verifies the backend",
        Box::new(|| {
            let ok = client::get_tls(https, "reenc.traffic.test", "/", &tls)?;
            expect(ok.status == 200 && ok.backend() == "secure", || {
                format!("right CA: {} {}", ok.status, ok.backend())
            })?;
            let bad = client::get_tls(https, "reenc-bad.traffic.test", "/", &tls)?;
            expect(bad.status == 503, || format!("wrong CA: {}", bad.status))
        }),
    ));
    scenarios.push((
        "7 alternateBackends 1:3",
        Box::new(|| {
            let mut counts: HashMap<String, u32> = HashMap::new();
            for _ in 0..400 {
                *counts.entry(get("split.traffic.test", "/")?.backend().to_owned()).or_default() += 1;
            }
            let b = f64::from(counts.get("wb").copied().unwrap_or(0)) / 400.0;
            expect((b - 0.75).abs() <= 0.10 && counts.len() == 2, || format!("split {counts:?}"))
        }),
    ));
    scenarios.push((
        "8 sticky cookie",
        Box::new(|| {
            let first = get("sticky.traffic.test", "/")?;
            let cookie = first.header("Set-Cookie").and_then(|c| c.split(';').next()).unwrap_or("").to_owned();
            expect(cookie.starts_with("stick="), || format!("no sticky cookie: {:?}", first.headers))?;
            for _ in 0..20 {
                let r = client::get(http, "sticky.traffic.test", "/", &[("Cookie", &cookie)], None)?;
                expect(r.backend() == first.backend(), || {
                    format!("cookie {cookie} moved from {} to {}", first.backend(), r.backend())
                })?;
            }
            let mut seen = std::collections::HashSet::new();
            for _ in 0..40 {
                let r = get("nocookie.traffic.test", "/")?;
                expect(r.header("Set-Cookie").is_none(), || "disable_cookies still sets a cookie".to_owned())?;
                seen.insert(r.backend().to_owned());
            }
            expect(seen.len() == 2, || format!("without cookies the load should spread, saw {seen:?}"))
        }),
    ));
    scenarios.push((
        "9 balance source",
        Box::new(|| {
            let first = get("source.traffic.test", "/")?.backend().to_owned();
            for _ in 0..20 {
                let r = get("source.traffic.test", "/")?;
                expect(r.backend() == first, || format!("source balance moved from {first} to {}", r.backend()))?;
            }
            Ok(())
        }),
    ));
    scenarios.push((
        "10 IP allow-list",
        Box::new(|| {
            let ok = client::get(http, "allowlist.traffic.test", "/", &[], Some("127.0.0.1"))?;
            expect(ok.status == 200, || format!("127.0.0.1: {}", ok.status))?;
            let denied = client::get(http, "allowlist.traffic.test", "/", &[], Some("127.0.0.2"));
            expect(denied.is_err() || denied.as_ref().is_ok_and(|r| r.status != 200), || {
                format!("127.0.0.2 was let through: {denied:?}")
            })
        }),
    ));
    scenarios.push((
        "11 rate limit",
        Box::new(|| {
            let (mut ok, mut rejected) = (0, 0);
            for _ in 0..8 {
                match get("limited.traffic.test", "/") {
                    Ok(r) if r.status == 200 => ok += 1,
                    _ => rejected += 1,
                }
            }
            expect(ok >= 1 && rejected >= 4, || format!("{ok} served, {rejected} rejected"))
        }),
    ));
    scenarios.push((
        "12 timeout annotation",
        Box::new(|| {
            let start = Instant::now();
            let r = get("slow.traffic.test", "/")?;
            let took = start.elapsed();
            expect(r.status == 504 && took < Duration::from_secs(2), || format!("{} after {took:?}", r.status))
        }),
    ));
    scenarios.push((
        "13 rewrite-target",
        Box::new(|| {
            let r = get("rewrite.traffic.test", "/app/foo/bar")?;
            expect(r.header("X-Seen-Path") == Some("/foo/bar"), || format!("backend saw {:?}", r.header("X-Seen-Path")))
        }),
    ));
    scenarios.push((
        "14 hsts_header",
        Box::new(|| {
            let r = client::get_tls(https, "hsts.traffic.test", "/", &tls)?;
            expect(r.header("Strict-Transport-Security") == Some("max-age=31536000;includeSubDomains;preload"), || {
                format!("{:?}", r.headers)
            })
        }),
    ));
    scenarios.push((
        "15 forwarded headers",
        Box::new(|| {
            let spoof = [("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-Host", "spoof.example")];
            let req = |host: &str| client::get(http, host, "/", &spoof, None);
            let a = req("append.traffic.test")?;
            expect(
                a.seen("X-Forwarded-For") == ["192.0.2.1", "127.0.0.1"]
                    && a.seen("X-Forwarded-Host").len() == 2
                    && a.seen("Forwarded").len() == 1,
                || format!("append: {}", a.body),
            )?;
            let r = req("replace.traffic.test")?;
            expect(
                r.seen("X-Forwarded-For") == ["127.0.0.1"] && r.seen("X-Forwarded-Host") == ["replace.traffic.test"],
                || format!("replace: {}", r.body),
            )?;
            let n = req("never.traffic.test")?;
            expect(
                n.seen("X-Forwarded-For") == ["192.0.2.1"]
                    && n.seen("X-Forwarded-Host") == ["spoof.example"]
                    && n.seen("Forwarded").is_empty(),
                || format!("never: {}", n.body),
            )?;
            let i = req("ifnone.traffic.test")?;
            expect(
                i.seen("X-Forwarded-For") == ["192.0.2.1"]
                    && i.seen("X-Forwarded-Host") == ["spoof.example"]
                    && i.seen("X-Forwarded-Port").len() == 1
                    && i.seen("X-Forwarded-Proto") == ["http"],
                || format!("if-none: {}", i.body),
            )
        }),
    ));
    scenarios.push((
        "16 unknown host and zero endpoints",
        Box::new(|| {
            let unknown = get("nobody.traffic.test", "/")?;
            let empty = get("empty.traffic.test", "/")?;
            expect(unknown.status == 503 && empty.status == 503, || {
                format!("unknown {}, empty {}", unknown.status, empty.status)
            })
        }),
    ));
    scenarios.push((
        "17 spoofed X-SSL-Client headers are stripped",
        Box::new(|| {
            let r = client::get(http, "one.traffic.test", "/", &[("X-SSL-Client-CN", "admin"), ("X-SSL", "1")], None)?;
            expect(r.status == 200 && r.seen("X-SSL-Client-CN").is_empty() && r.seen("X-SSL").is_empty(), || {
                format!("backend saw: {}", r.body)
            })
        }),
    ));

    let mut failed = Vec::new();
    for (name, run) in &scenarios {
        if let Err(e) = run() {
            failed.push(format!("scenario {name}: {e}"));
        }
    }
    let passed = scenarios.len() - failed.len();
    let report = format!("traffic: {passed} passed, {} failed\nwall time: {:.2?}", failed.len(), t0.elapsed());
    #[expect(clippy::print_stdout, reason = "the scenario count and wall time are the suite's report")]
    {
        println!("{report}");
    }
    assert!(failed.is_empty(), "{}\n--- haproxy log ---\n{}", failed.join("\n"), hp.log());
}
