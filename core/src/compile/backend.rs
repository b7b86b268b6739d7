//! Per-route backend sections (spec §5.11, §5.12) and their server lines (§3.2–3.4).

use crate::annotations as ann;
use crate::gotext::{clip, first_timespec, is_cookie_name, is_integer, is_timespec, is_true};
use crate::haproxy::model::{lit_words, Line, Section, Word};

use super::alias::Alias;
use super::Ctx;

/// What a route backend needs beyond the section: an allow-list file to write.
pub struct Built<'a> {
    /// The section.
    pub section: Section<'a>,
    /// `(file name, contents)` of a spilled allow-list.
    pub allowlist_file: Option<(String, String)>,
}

const ALGOS: &[&str] = &["roundrobin", "leastconn", "source", "random"];

fn algo(v: &str) -> Option<&str> {
    ALGOS.contains(&v).then_some(v)
}

/// The backend of one route.
pub fn build<'a>(a: &Alias<'a>, ctx: &Ctx<'_>) -> Built<'a> {
    let mut s = Section::new("backend", Some(Word::bare(a.backend_name())));
    let tcp = a.termination == "passthrough";
    s.preamble.push(if tcp {
        "Secure backend, pass through"
    } else {
        "Plain http backend or backend with TLS terminated at the edge or a secure backend with re-encryption."
    });
    let mode = forwarded_mode(a, ctx);
    if !tcp {
        s.lit("mode http");
        s.lit("option redispatch");
        match mode {
            "append" => s.lit("option forwardfor"),
            "if-none" => s.lit("option forwardfor if-none"),
            _ => {}
        }
        if ctx.h1_case_adjust && is_true(a.ann(ann::H1_ADJUST_CASE)) {
            s.lit("option h1-case-adjust-bogus-server");
        }
    }
    s.push(vec![Word::Lit("balance"), Word::verbatim(balance(a, ctx, tcp).to_owned())]);
    let allowlist_file = allowlist(&mut s, a, ctx);
    if tcp {
        let t = clip(first_timespec(&[a.ann(ann::TIMEOUT_TUNNEL), a.ann(ann::TIMEOUT)]));
        if !t.is_empty() {
            s.push(vec![Word::Lit("timeout"), Word::Lit("tunnel"), Word::Gap, Word::verbatim(t)]);
        }
    } else {
        for (key, kw) in [(ann::TIMEOUT, "server"), (ann::TIMEOUT_TUNNEL, "tunnel")] {
            let t = clip(first_timespec(&[a.ann(key)]));
            if !t.is_empty() {
                s.push(vec![Word::Lit("timeout"), Word::Lit(kw), Word::Gap, Word::verbatim(t)]);
            }
        }
    }
    rate_limits(&mut s, a, tcp);
    s.blank();
    if tcp {
        s.lit("hash-type consistent");
    }
    s.lit("timeout check 5000ms");
    if tcp {
        dynamic_cookie_key(&mut s, a, ctx);
    } else {
        forwarded(&mut s, mode);
        rewrite(&mut s, a);
        cookie(&mut s, a, ctx);
        let hsts = a.ann_clean(ann::HSTS);
        if matches!(a.termination, "edge" | "reencrypt") && ann::is_hsts(hsts) {
            s.push(vec![
                Word::Lit("http-response"),
                Word::Lit("set-header"),
                Word::Lit("Strict-Transport-Security"),
                Word::quoted(hsts.to_owned()),
            ]);
        }
        header_actions(&mut s, "http-request", &a.route.request_headers);
        header_actions(&mut s, "http-response", &a.route.response_headers);
        dynamic_cookie_key(&mut s, a, ctx);
    }
    servers(&mut s, a, ctx, tcp);
    Built { section: s, allowlist_file }
}

fn forwarded_mode<'a>(a: &Alias<'a>, ctx: &Ctx<'a>) -> &'a str {
    const MODES: &[&str] = &["append", "replace", "if-none", "never"];
    let v = a.ann(ann::FORWARDED);
    if MODES.contains(&v) {
        return v;
    }
    let d = ctx.settings.env("ROUTER_SET_FORWARDED_HEADERS", "append");
    if MODES.contains(&d) {
        d
    } else {
        "append"
    }
}

fn balance<'a>(a: &Alias<'a>, ctx: &Ctx<'a>, tcp: bool) -> &'a str {
    if let Some(v) = algo(a.ann(ann::BALANCE)) {
        return v;
    }
    if a.active_units > 1 {
        return "roundrobin";
    }
    let lb = algo(ctx.settings.env("ROUTER_LOAD_BALANCE_ALGORITHM", ""));
    if tcp {
        algo(ctx.settings.env("ROUTER_TCP_BALANCE_SCHEME", "")).or(lb).unwrap_or("source")
    } else {
        lb.unwrap_or("random")
    }
}

/// The router's allow-list limit: HAProxy's 64 words per line, minus three.
const INLINE_LIMIT: usize = 61;

fn allowlist(s: &mut Section<'_>, a: &Alias<'_>, ctx: &Ctx<'_>) -> Option<(String, String)> {
    let raw = [a.ann(ann::IP_ALLOWLIST), a.ann(ann::IP_WHITELIST)]
        .into_iter()
        .find(|v| !v.is_empty() && !v.contains('\n'))?;
    let tokens = ann::parse_ip_list(raw)?;
    let mut file = None;
    if tokens.len() <= INLINE_LIMIT {
        let mut w = lit_words("acl allowlist src");
        w.extend(tokens.iter().map(|t| Word::bare(t.clone())));
        s.push(w);
    } else {
        let name = format!("{}.txt", a.key);
        let path = format!("{}/router/allowlists/{name}", ctx.base);
        s.push(vec![Word::Lit("acl"), Word::Lit("allowlist"), Word::Lit("src"), Word::Lit("-f"), Word::bare(path)]);
        let mut body = tokens.join("\n");
        body.push('\n');
        file = Some((name, body));
    }
    s.lit("tcp-request content reject if !allowlist");
    file
}

fn rate_limits(s: &mut Section<'_>, a: &Alias<'_>, tcp: bool) {
    if !is_true(a.ann(ann::RATE_LIMIT)) {
        return;
    }
    s.lit("stick-table type ip size 100k expire 30s store conn_cur,conn_rate(3s),http_req_rate(10s)");
    s.lit("tcp-request content track-sc2 src");
    let rules: &[(&str, &str, bool, &'static str)] = &[
        (ann::RATE_CONCURRENT, "src_conn_cur", true, "concurrent TCP connections not restricted"),
        (ann::RATE_TCP, "src_conn_rate", false, "TCP connection rate not restricted"),
        (ann::RATE_HTTP, "src_http_req_rate", false, "HTTP request rate not restricted"),
    ];
    for (i, (key, fetch, gap, note)) in rules.iter().enumerate() {
        if tcp && i == 2 {
            break;
        }
        let v = a.ann(key);
        if is_integer(v) {
            let mut w = lit_words("tcp-request content reject if {");
            w.push(Word::Lit(fetch));
            w.push(Word::Lit("ge"));
            if *gap {
                w.push(Word::Gap);
            }
            w.push(Word::verbatim(v.to_owned()));
            w.push(Word::Lit("}"));
            s.push(w);
        } else {
            s.comment(note);
        }
    }
}

fn forwarded(s: &mut Section<'_>, mode: &str) {
    let (verb, cond): (&'static str, bool) = match mode {
        "append" => ("add-header", false),
        "replace" => ("set-header", false),
        "if-none" => ("set-header", true),
        _ => return,
    };
    if mode == "replace" {
        s.lit("http-request set-header X-Forwarded-For %[src]");
    }
    let lines: &[(&'static str, &'static str, &'static str)] = &[
        ("X-Forwarded-Host", "%[req.hdr(host)]", ""),
        ("X-Forwarded-Port", "%[dst_port]", ""),
        ("X-Forwarded-Proto", "http", "!{ ssl_fc }"),
        ("X-Forwarded-Proto", "https", "{ ssl_fc }"),
        ("X-Forwarded-Proto-Version", "h2", "{ ssl_fc_alpn -i h2 }"),
    ];
    for (h, v, c) in lines {
        let mut w = vec![Word::Lit("http-request"), Word::Lit(verb), Word::Lit(h), Word::Lit(v)];
        if !c.is_empty() || cond {
            w.push(Word::Lit("if"));
            w.extend(lit_words(c));
        }
        if cond {
            w.extend(lit_words(absent(h)));
        }
        s.push(w);
    }
    s.comment("See the quoting rules in https://tools.ietf.org/html/rfc7239 for IPv6 addresses (v4 addresses get translated to v6 when in hybrid mode)");
    s.lit("acl ipv6_addr src -m sub :");
    for (v, c) in [
        ("for=\\\"[%[src]]\\\";host=%[req.hdr(host)];proto=%[req.hdr(X-Forwarded-Proto)]", "ipv6_addr"),
        ("for=%[src];host=%[req.hdr(host)];proto=%[req.hdr(X-Forwarded-Proto)]", "!ipv6_addr"),
    ] {
        let mut w = vec![
            Word::Lit("http-request"),
            Word::Lit(verb),
            Word::Lit("Forwarded"),
            Word::Lit(v),
            Word::Lit("if"),
            Word::Lit(c),
        ];
        if cond {
            w.extend(lit_words("!{ req.hdr(Forwarded) -m found }"));
        }
        s.push(w);
    }
}

fn absent(h: &str) -> &'static str {
    match h {
        "X-Forwarded-Host" => "!{ req.hdr(X-Forwarded-Host) -m found }",
        "X-Forwarded-Port" => "!{ req.hdr(X-Forwarded-Port) -m found }",
        "X-Forwarded-Proto" => "!{ req.hdr(X-Forwarded-Proto) -m found }",
        _ => "!{ req.hdr(X-Forwarded-Proto-Version) -m found }",
    }
}

fn rewrite(s: &mut Section<'_>, a: &Alias<'_>) {
    let t = a.ann_clean(ann::REWRITE_TARGET);
    if !t.starts_with('/') {
        return;
    }
    let path: String = a.route.path.as_str().chars().filter(|c| *c != '\r' && *c != '\n').collect();
    let re = if t == "/" { format!("^{path}/?(.*)$") } else { format!("^{path}(.*)$") };
    s.comment("Path rewrite target");
    s.push(vec![
        Word::Lit("http-request"),
        Word::Lit("replace-path"),
        Word::quoted(re),
        Word::verbatim(quote_sanitized(&ann::sanitize_rewrite_target(t))),
    ]);
}

/// The sanitised target already has its quotes escaped by the router's rules; it is wrapped in
/// single quotes as is.
fn quote_sanitized(t: &str) -> String {
    format!("'{t}'")
}

fn cookie(s: &mut Section<'_>, a: &Alias<'_>, ctx: &Ctx<'_>) {
    if is_true(a.ann(ann::DISABLE_COOKIES)) {
        return;
    }
    let env_name = ctx.settings.env("ROUTER_COOKIE_NAME", "");
    let name = [a.ann(ann::COOKIE_NAME), env_name].into_iter().find(|v| is_cookie_name(v)).unwrap_or(&a.routing_key);
    let mut w = vec![Word::Lit("cookie"), Word::bare(name.to_owned())];
    w.extend(lit_words("insert indirect nocache httponly"));
    if matches!(a.termination, "edge" | "reencrypt") && a.policy != "Allow" {
        let ss = a.ann(ann::COOKIE_SAME_SITE);
        let ss = if matches!(ss, "Lax" | "Strict" | "None") { ss } else { "None" };
        w.extend(lit_words("secure attr"));
        w.push(Word::verbatim(format!("SameSite={ss}")));
    }
    if ctx.dynamic {
        w.push(Word::Lit("dynamic"));
    }
    s.push(w);
}

/// With the dynamic config manager, servers get their cookies from a per-backend key. The
/// template's `{{- if $dynamicConfigManager }} ` leaves a space at the end of the line before.
fn dynamic_cookie_key(s: &mut Section<'_>, a: &Alias<'_>, ctx: &Ctx<'_>) {
    if !ctx.dynamic {
        return;
    }
    if let Some(Line::Directive(w)) = s.lines.iter_mut().rev().find(|l| matches!(l, Line::Directive(_))) {
        w.push(Word::Gap);
    }
    s.push(vec![Word::Lit("dynamic-cookie-key"), Word::bare(a.routing_key.clone())]);
}

fn header_actions(s: &mut Section<'_>, verb: &'static str, actions: &[crate::objects::HeaderAction]) {
    for h in actions {
        let name = h.name.as_str();
        match h.kind.as_str() {
            "Set" => {
                let Some(v) = h.value.as_ref().filter(|v| !v.is_empty()) else { continue };
                if name.is_empty() {
                    continue;
                }
                s.push(vec![
                    Word::Lit(verb),
                    Word::Lit("set-header"),
                    Word::quoted(name.to_owned()),
                    Word::quoted(v.value.clone()),
                ]);
            }
            "Delete" if !name.is_empty() => {
                s.push(vec![Word::Lit(verb), Word::Lit("del-header"), Word::quoted(name.to_owned())]);
            }
            _ => {}
        }
    }
}

fn servers<'a>(s: &mut Section<'a>, a: &Alias<'a>, ctx: &Ctx<'_>, tcp: bool) {
    let interval = clip(first_timespec(&[
        a.ann(ann::CHECK_INTERVAL),
        ctx.settings.env("ROUTER_BACKEND_CHECK_INTERVAL", ""),
        "5000ms",
    ]));
    let maxconn = a.ann(ann::POD_CONCURRENT);
    let maxconn = is_integer(maxconn).then_some(maxconn);
    let dest_ca = a.route.tls.as_ref().is_some_and(|t| !t.destination_ca.is_empty());
    let ns = a.route.meta.namespace.as_str();
    for unit in &a.units {
        let Some(weight) = unit.server_weight else { continue };
        if tcp && weight == 0 {
            continue;
        }
        let svc_name = unit.service();
        for r in &unit.servers {
            let mut w =
                vec![Word::Lit("server"), Word::bare(r.id.as_str()), Word::bare(format!("{}:{}", r.ip, r.port))];
            if !tcp && !ctx.dynamic {
                w.push(Word::Lit("cookie"));
                w.push(Word::bare(r.id_hash.as_str()));
            }
            w.push(Word::Lit("weight"));
            w.push(Word::verbatim(weight.to_string()));
            match a.termination {
                "" | "edge" if r.app_protocol == "h2c" || r.app_protocol == "kubernetes.io/h2c" => {
                    w.extend(lit_words("proto h2"));
                }
                "reencrypt" => {
                    w.push(Word::Lit("ssl"));
                    if !ctx.disable_http2 {
                        w.extend(lit_words("alpn h2,http/1.1"));
                    }
                    if !dest_ca && ctx.default_dest_ca.is_some() {
                        w.push(Word::Lit("verifyhost"));
                        w.push(Word::bare(format!("{svc_name}.{ns}.svc")));
                    }
                    w.extend(lit_words("verify"));
                    if dest_ca {
                        w.extend(lit_words("required ca-file"));
                        w.push(Word::bare(format!("{}/router/cacerts/{}.pem", ctx.base, a.key)));
                    } else if let Some(ca) = ctx.default_dest_ca {
                        w.extend(lit_words("required ca-file"));
                        w.push(Word::verbatim(ca.to_owned()));
                    } else {
                        w.push(Word::Lit("none"));
                    }
                }
                _ => {}
            }
            if !r.no_health_check && a.active_endpoints > 1 && is_timespec(&interval) {
                w.extend(lit_words("check inter"));
                w.push(Word::verbatim(interval.clone()));
            }
            if let Some(m) = maxconn {
                w.push(Word::Lit("maxconn"));
                w.push(Word::verbatim(m.to_owned()));
            }
            s.push(w);
        }
    }
}
