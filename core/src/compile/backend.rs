//! Per-route backend sections (spec §5.11, §5.12) and their server lines (§3.2–3.4).

use crate::annotations::{Balance, Forwarded, RateLimits, Time, Verbatim};
use crate::gotext::is_timespec;
use crate::haproxy::model::{lit_words, Line, Section, Word};
use crate::objects::{InsecurePolicy, Termination};

use super::alias::Alias;
use super::Ctx;

/// What a route backend needs beyond the section: an allow-list file to write.
pub struct Built<'a> {
    /// The section.
    pub section: Section<'a>,
    /// `(file name, contents)` of a spilled allow-list.
    pub allowlist_file: Option<(String, String)>,
}

/// The backend of one route.
pub fn build<'a>(a: &Alias<'a>, ctx: &Ctx<'_>) -> Built<'a> {
    let mut s = Section::new("backend", Some(Word::bare(a.backend_name())));
    let tcp = a.termination == Termination::Passthrough;
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
            Forwarded::Append => s.lit("option forwardfor"),
            Forwarded::IfNone => s.lit("option forwardfor if-none"),
            Forwarded::Replace | Forwarded::Never => {}
        }
        if ctx.h1_case_adjust && a.ann.h1_adjust_case {
            s.lit("option h1-case-adjust-bogus-server");
        }
    }
    s.push(vec![Word::Lit("balance"), Word::Lit(balance(a, ctx, tcp).as_str())]);
    let allowlist_file = allowlist(&mut s, a, ctx);
    let timeout = |s: &mut Section<'a>, kw: &'static str, t: Option<&'a Time>| {
        if let Some(t) = t.filter(|t| !t.clipped.is_empty()) {
            s.push(vec![Word::Lit("timeout"), Word::Lit(kw), Word::Gap, Word::verbatim(t.clipped.as_str())]);
        }
    };
    if tcp {
        // A passthrough route's one timeout is the tunnel's, falling back to the server timeout.
        timeout(&mut s, "tunnel", a.ann.timeout_tunnel.as_ref().or(a.ann.timeout.as_ref()));
    } else {
        timeout(&mut s, "server", a.ann.timeout.as_ref());
        timeout(&mut s, "tunnel", a.ann.timeout_tunnel.as_ref());
    }
    if let Some(limits) = &a.ann.rate_limits {
        rate_limits(&mut s, limits, tcp);
    }
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
        if let Some(hsts) = a.ann.hsts.as_deref().filter(|_| a.termination.terminates_tls()) {
            s.push(vec![
                Word::Lit("http-response"),
                Word::Lit("set-header"),
                Word::Lit("Strict-Transport-Security"),
                Word::quoted(hsts),
            ]);
        }
        header_actions(&mut s, "http-request", &a.route.request_headers);
        header_actions(&mut s, "http-response", &a.route.response_headers);
        dynamic_cookie_key(&mut s, a, ctx);
    }
    servers(&mut s, a, ctx, tcp);
    Built { section: s, allowlist_file }
}

fn forwarded_mode(a: &Alias<'_>, ctx: &Ctx<'_>) -> Forwarded {
    a.ann.forwarded.unwrap_or(ctx.route_defaults.forwarded)
}

fn balance(a: &Alias<'_>, ctx: &Ctx<'_>, tcp: bool) -> Balance {
    if let Some(b) = a.ann.balance {
        return b;
    }
    if a.active_units > 1 {
        return Balance::RoundRobin;
    }
    let d = &ctx.route_defaults;
    if tcp {
        d.tcp_balance.or(d.balance).unwrap_or(Balance::Source)
    } else {
        d.balance.unwrap_or(Balance::Random)
    }
}

/// The router's allow-list limit: HAProxy's 64 words per line, minus three.
const INLINE_LIMIT: usize = 61;

fn allowlist<'a>(s: &mut Section<'a>, a: &Alias<'a>, ctx: &Ctx<'_>) -> Option<(String, String)> {
    let tokens = a.ann.allowlist.as_ref()?;
    let mut file = None;
    if tokens.len() <= INLINE_LIMIT {
        let mut w = lit_words("acl allowlist src");
        w.extend(tokens.iter().map(|t| Word::bare(t.as_str())));
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

fn rate_limits<'a>(s: &mut Section<'a>, limits: &'a RateLimits, tcp: bool) {
    s.lit("stick-table type ip size 100k expire 30s store conn_cur,conn_rate(3s),http_req_rate(10s)");
    s.lit("tcp-request content track-sc2 src");
    let rules: [(&Option<Verbatim>, &'static str, bool, &'static str); 3] = [
        (&limits.concurrent_tcp, "src_conn_cur", true, "concurrent TCP connections not restricted"),
        (&limits.rate_tcp, "src_conn_rate", false, "TCP connection rate not restricted"),
        (&limits.rate_http, "src_http_req_rate", false, "HTTP request rate not restricted"),
    ];
    for (i, (limit, fetch, gap, note)) in rules.into_iter().enumerate() {
        if tcp && i == 2 {
            break;
        }
        if let Some(Verbatim(v)) = limit {
            let mut w = lit_words("tcp-request content reject if {");
            w.push(Word::Lit(fetch));
            w.push(Word::Lit("ge"));
            if gap {
                w.push(Word::Gap);
            }
            w.push(Word::verbatim(v.as_str()));
            w.push(Word::Lit("}"));
            s.push(w);
        } else {
            s.comment(note);
        }
    }
}

fn forwarded(s: &mut Section<'_>, mode: Forwarded) {
    let (verb, cond): (&'static str, bool) = match mode {
        Forwarded::Append => ("add-header", false),
        Forwarded::Replace => ("set-header", false),
        Forwarded::IfNone => ("set-header", true),
        Forwarded::Never => return,
    };
    if mode == Forwarded::Replace {
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
    let Some(t) = &a.ann.rewrite_target else { return };
    let path: String = a.route.path.as_str().chars().filter(|c| *c != '\r' && *c != '\n').collect();
    let re = if t.target == "/" { format!("^{path}/?(.*)$") } else { format!("^{path}(.*)$") };
    s.comment("Path rewrite target");
    s.push(vec![
        Word::Lit("http-request"),
        Word::Lit("replace-path"),
        Word::quoted(re),
        Word::verbatim(quote_sanitized(&t.sanitized)),
    ]);
}

/// The sanitised target already has its quotes escaped by the router's rules; it is wrapped in
/// single quotes as is.
fn quote_sanitized(t: &str) -> String {
    format!("'{t}'")
}

fn cookie(s: &mut Section<'_>, a: &Alias<'_>, ctx: &Ctx<'_>) {
    if a.ann.disable_cookies {
        return;
    }
    let name = a.ann.cookie_name.as_ref().or(ctx.route_defaults.cookie_name.as_ref()).unwrap_or(&a.routing_key);
    let mut w = vec![Word::Lit("cookie"), Word::bare(name.clone())];
    w.extend(lit_words("insert indirect nocache httponly"));
    if a.termination.terminates_tls() && a.policy != InsecurePolicy::Allow {
        let ss = a.ann.same_site.unwrap_or(crate::annotations::SameSite::None);
        w.extend(lit_words("secure attr"));
        w.push(Word::verbatim(format!("SameSite={}", ss.as_str())));
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
    let interval = a
        .ann
        .check_interval
        .as_ref()
        .or(ctx.route_defaults.check_interval.as_ref())
        .map_or("5000ms", |t| t.clipped.as_str());
    let maxconn = a.ann.pod_concurrent.as_ref();
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
                Termination::Plain | Termination::Edge
                    if r.app_protocol == "h2c" || r.app_protocol == "kubernetes.io/h2c" =>
                {
                    w.extend(lit_words("proto h2"));
                }
                Termination::Reencrypt => {
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
            if !r.no_health_check && a.active_endpoints > 1 && is_timespec(interval) {
                w.extend(lit_words("check inter"));
                w.push(Word::verbatim(interval.to_owned()));
            }
            if let Some(Verbatim(m)) = maxconn {
                w.push(Word::Lit("maxconn"));
                w.push(Word::verbatim(m.as_str()));
            }
            s.push(w);
        }
    }
}
