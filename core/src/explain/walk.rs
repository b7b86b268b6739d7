//! The evaluation: a request enters the frontend bound to its port, runs its `tcp-request`,
//! `http-request`, `redirect` and `use_backend` rules in HAProxy's order, and reaches a
//! backend; a backend whose servers are the sockets of another frontend (`be_sni` →
//! `fe_sni`) passes the connection on. Each decision becomes a step that cites its line.

use std::fmt::Write as _;

use super::files::Index;
use super::request::{Request, Scheme};
use super::sample::{split_cond, Acls, Eval, Lookup, State, Unknown};
use super::{BackendView, Explanation, Loc, Outcome, OutcomeKind, Provenance, Rewrite, ServerView, Step, StepKind};
use crate::hap::model::{Item, Model, Origin, SectionModel, Server};

/// How many frontends a connection may pass through (`public_ssl` → `fe_sni` is two).
const MAX_HOPS: usize = 4;

pub(super) fn loc(o: &Origin) -> Loc {
    Loc { file: o.file.to_string(), line: o.line }
}

/// The `defaults` section proxies inherit from: the last anonymous one.
fn defaults(model: &Model) -> Option<&SectionModel> {
    model.sections.values().filter(|s| s.kind == "defaults").max_by_key(|s| s.origin.line)
}

/// A setting of a proxy, or of the defaults it inherits.
pub(super) fn setting<'a>(model: &'a Model, sec: &'a SectionModel, key: &str) -> Option<&'a Item> {
    sec.settings.get(key).or_else(|| defaults(model).and_then(|d| d.settings.get(key)))
}

pub(super) fn mode(model: &Model, sec: &SectionModel) -> String {
    setting(model, sec, "mode").and_then(|i| i.words.get(1)).cloned().unwrap_or_else(|| "tcp".into())
}

pub(super) fn acls(sec: &SectionModel) -> Acls<'_> {
    let mut out = Acls::new();
    for item in sec.sets.get("acl").into_iter().flatten() {
        if let Some(name) = item.words.get(1) {
            out.or_default(name.as_str()).push(item.words.get(2..).unwrap_or_default());
        }
    }
    out
}

/// A `bind` line: its address and whether it terminates TLS.
pub(super) struct Bind<'a> {
    pub(super) item: &'a Item,
    pub(super) addr: &'a str,
    pub(super) port: Option<u16>,
    pub(super) ssl: bool,
}

pub(super) fn binds(sec: &SectionModel) -> Vec<Bind<'_>> {
    sec.sets
        .get("bind")
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let addr = item.words.get(1)?.as_str();
            let port = if addr.contains('@') && !addr.starts_with("ipv4@") && !addr.starts_with("ipv6@") {
                None
            } else {
                addr.rsplit(':').next().and_then(|p| p.parse().ok())
            };
            Some(Bind { item, addr, port, ssl: item.words.iter().any(|w| w == "ssl") })
        })
        .collect()
}

fn frontends(model: &Model) -> impl Iterator<Item = &SectionModel> {
    model.sections.values().filter(|s| s.kind == "frontend" || s.kind == "listen")
}

/// The port a URL without one connects to: the router's bind port for the scheme.
pub(super) fn default_port(model: &Model, scheme: Scheme) -> u16 {
    let (name, fallback) = if scheme == Scheme::Http { ("public", 80) } else { ("public_ssl", 443) };
    model
        .sections
        .get(&format!("frontend {name}"))
        .and_then(|s| binds(s).into_iter().find_map(|b| b.port))
        .unwrap_or(fallback)
}

pub(super) struct Walk<'a> {
    pub(super) model: &'a Model,
    pub(super) files: &'a Index<'a>,
    pub(super) prov: Option<&'a Provenance>,
    pub(super) steps: Vec<Step>,
    pub(super) backend: Option<BackendView>,
    /// A condition routec could not decide, which the outcome depends on.
    assumed: Vec<String>,
}

fn step(kind: StepKind, title: impl Into<String>, at: Option<Loc>) -> Step {
    Step { kind, title: title.into(), details: Vec::new(), at, source: None }
}

fn terminal(kind: OutcomeKind, status: Option<u16>, summary: impl Into<String>) -> Outcome {
    Outcome { kind, status, summary: summary.into(), backend: None, servers: Vec::new(), location: None }
}

/// Describes the map lookups a rule made.
fn lookup_lines(lookups: &[Lookup]) -> Vec<String> {
    lookups
        .iter()
        .map(|l| {
            let mut s = match &l.hit {
                Some(h) => format!(
                    "{}({}) on {} `{}`: line {} `{}` matches → `{}`",
                    l.conv, h.file, l.fetch, l.input, h.line, h.key, h.value
                ),
                None if !l.found => format!("{}({}): the map file was not given", l.conv, l.file),
                None => format!("{}({}) on {} `{}`: no line matches", l.conv, short(&l.file), l.fetch, l.input),
            };
            if !l.skipped.is_empty() {
                let _ = write!(s, " (routec cannot evaluate the regex of line(s) {:?})", l.skipped);
            }
            s
        })
        .collect()
}

fn short(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The backend name's route: `be_http:ns:name` → (ns, name).
pub(super) fn route_of(backend: &str) -> Option<(String, String)> {
    let mut it = backend.splitn(3, ':');
    let kind = it.next()?;
    if !matches!(kind, "be_http" | "be_edge_http" | "be_secure" | "be_tcp") {
        return None;
    }
    Some((it.next()?.to_owned(), it.next()?.to_owned()))
}

pub(super) fn server_weight(s: &Server) -> u32 {
    s.options.get("weight").and_then(|w| w.first()).and_then(|w| w.parse().ok()).unwrap_or(1)
}

/// Shares of new connections: weight over the sum of the active servers' weights; backup
/// servers only take traffic when every active one is down.
pub(super) fn shares(servers: &[Server]) -> Vec<f64> {
    let active = |s: &Server| !s.options.contains_key("backup") && !s.options.contains_key("disabled");
    let total: u64 = servers.iter().filter(|s| active(s)).map(|s| u64::from(server_weight(s))).sum();
    servers
        .iter()
        .map(|s| if total == 0 || !active(s) { 0.0 } else { f64::from(server_weight(s)) / total as f64 })
        .collect()
}

pub(super) fn server_view(s: &Server, share: f64, prov: Option<&Provenance>, backend: &str) -> ServerView {
    let port = s.address.rsplit(':').next().and_then(|p| p.parse().ok());
    let mut parts = s.name.split(':');
    let pod = match parts.next() {
        Some("pod") => parts.next().map(str::to_owned),
        _ => None,
    };
    let ip = s.address.rsplit_once(':').map_or(s.address.as_str(), |(h, _)| h);
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    let source = prov.and_then(|p| {
        let (ns, _) = route_of(backend)?;
        let svc = s.name.split(':').nth(if s.name.starts_with("pod:") { 2 } else { 1 })?;
        p.endpoint_source(&ns, svc, ip)
    });
    ServerView {
        name: s.name.clone(),
        address: s.address.clone(),
        port,
        pod,
        weight: server_weight(s),
        share,
        at: loc(&s.origin),
        source,
    }
}

pub(super) fn run(model: &Model, files: &Index<'_>, prov: Option<&Provenance>, req: &Request) -> Explanation {
    let port = req.port.unwrap_or_else(|| default_port(model, req.scheme));
    let mut w = Walk { model, files, prov, steps: Vec::new(), backend: None, assumed: Vec::new() };
    let mut st = State::new(req, port);
    let fe = frontends(model).find(|s| binds(s).iter().any(|b| b.port == Some(port)));
    let mut outcome = match fe {
        Some(fe) => w.frontend(fe, &mut st, 0),
        None => terminal(OutcomeKind::NoRoute, None, format!("connection refused: no frontend binds port {port}")),
    };
    if !w.assumed.is_empty() && matches!(outcome.kind, OutcomeKind::Forward | OutcomeKind::Passthrough) {
        outcome.summary = format!("{} (assuming {})", outcome.summary, w.assumed.join("; "));
    }
    let mut last = step(StepKind::Outcome, outcome.summary.clone(), None);
    last.source = w.backend.as_ref().and_then(|b| b.source.clone());
    w.steps.push(last);
    let service = match (&w.backend, prov) {
        (Some(b), Some(p)) => b.route.as_ref().and_then(|(ns, name)| p.service_view(ns, name)),
        _ => None,
    };
    Explanation {
        request: req.clone(),
        port,
        steps: w.steps,
        outcome,
        backend: w.backend,
        why_not: Vec::new(),
        service,
    }
}

/// What a rule list decided.
enum Flow {
    Next,
    Done(Outcome),
}

impl Walk<'_> {
    fn eval<'e>(&self, st: &'e State) -> Eval<'e>
    where
        Self: 'e,
    {
        Eval { st, files: self.files, lookups: Vec::new() }
    }

    /// Evaluates a rule's condition; `Some(true)` when it fires. An undecidable condition is
    /// recorded on the step and treated as not firing.
    fn fires(&mut self, st: &State, words: &[String], acls: &Acls<'_>, s: &mut Step) -> Option<bool> {
        let (_, cond) = split_cond(words);
        let Some((positive, cond)) = cond else { return Some(true) };
        let mut ev = self.eval(st);
        let r = ev.condition(positive, cond, acls);
        s.details.extend(lookup_lines(&ev.lookups));
        match r {
            Ok(b) => Some(b),
            Err(Unknown(why)) => {
                s.details.push(format!("routec cannot decide this condition ({why}); taken as not firing"));
                None
            }
        }
    }

    fn frontend(&mut self, fe: &SectionModel, st: &mut State, hops: usize) -> Outcome {
        let mode = mode(self.model, fe);
        let bind = binds(fe).into_iter().find(|b| b.port == Some(st.dst_port) || hops > 0);
        let bind_text = bind.as_ref().map_or(String::new(), |b| format!("bind {}", b.addr));
        let mut s = step(
            StepKind::Frontend,
            format!("frontend {} ({bind_text}, mode {mode})", fe.name),
            bind.as_ref().map(|b| loc(&b.item.origin)).or_else(|| Some(loc(&fe.origin))),
        );
        if mode == "tcp" && st.hello {
            s.details.push("TCP mode: HAProxy reads the TLS ClientHello (SNI) without decrypting".into());
        }
        self.steps.push(s);
        if let Some(b) = bind.as_ref().filter(|b| b.ssl) {
            if !st.hello {
                return terminal(
                    OutcomeKind::Deny,
                    None,
                    format!("the TLS handshake fails: {} expects TLS and the client sent plain HTTP", fe.name),
                );
            }
            self.certificate(b, st);
            st.ssl_fc = true;
            if !st.http && mode == "http" {
                return terminal(
                    OutcomeKind::Deny,
                    Some(400),
                    format!(
                        "the router terminates TLS in {} and expects HTTP inside; a raw TLS client gets 400 (use a passthrough route)",
                        fe.name
                    ),
                );
            }
        }
        let acls = acls(fe);
        if let Flow::Done(o) = self.tcp_rules(fe, st, &acls) {
            return o;
        }
        if mode == "http" {
            if !st.http {
                return terminal(
                    OutcomeKind::Deny,
                    Some(400),
                    format!("{} expects HTTP; the client sent raw TLS", fe.name),
                );
            }
            if let Some(m) = fe.settings.get("monitor-uri").filter(|m| m.words.get(1) == Some(&st.path)) {
                self.steps.push(step(
                    StepKind::Rule,
                    "monitor-uri: HAProxy answers the health check itself",
                    Some(loc(&m.origin)),
                ));
                return terminal(OutcomeKind::Local, Some(200), "200 from the router's health check (monitor-uri)");
            }
            if let Flow::Done(o) = self.http_rules(fe, st, &acls) {
                return o;
            }
        }
        for item in fe.families.get("use_backend").into_iter().flatten() {
            let (target, _) = split_cond(&item.words);
            let Some(target) = target.get(1) else { continue };
            let mut s = step(StepKind::Lookup, String::new(), Some(loc(&item.origin)));
            match self.fires(st, &item.words, &acls, &mut s) {
                Some(true) => {}
                _ => {
                    if !s.details.is_empty() && s.details.iter().any(|d| d.contains("map")) {
                        s.title = format!("use_backend {target}: condition false");
                        s.kind = if mode == "tcp" { StepKind::Sni } else { StepKind::Lookup };
                        self.steps.push(s);
                    }
                    continue;
                }
            }
            let name = if target.contains("%[") {
                let mut ev = self.eval(st);
                let r = ev.format(target);
                s.details.extend(lookup_lines(&ev.lookups));
                match r {
                    Ok(n) => n,
                    Err(Unknown(why)) => {
                        s.title = format!("use_backend {target}: routec cannot evaluate it ({why})");
                        self.steps.push(s);
                        continue;
                    }
                }
            } else {
                target.clone()
            };
            if name.is_empty() || !self.model.sections.contains_key(&format!("backend {name}")) {
                s.title = if name.is_empty() {
                    "use_backend: the lookup found no backend; the next rule applies".into()
                } else {
                    format!("use_backend: no backend `{name}` is defined; the next rule applies")
                };
                self.steps.push(s);
                continue;
            }
            s.title = format!("use_backend {name}");
            if let Some((ns, n)) = route_of(&name) {
                s.source = self.prov.and_then(|p| p.route_source(&ns, &n));
            }
            self.steps.push(s);
            return self.backend(&name, st, hops, false);
        }
        match fe.settings.get("default_backend").and_then(|i| i.words.get(1).map(|n| (n, i))) {
            Some((name, item)) => {
                self.steps.push(step(StepKind::Lookup, format!("default_backend {name}"), Some(loc(&item.origin))));
                self.backend(name, st, hops, true)
            }
            None => terminal(OutcomeKind::NoRoute, Some(503), format!("503: no rule of {} chose a backend", fe.name)),
        }
    }

    fn tcp_rules(&mut self, sec: &SectionModel, st: &State, acls: &Acls<'_>) -> Flow {
        for item in sec.families.get("tcp-request content").into_iter().flatten() {
            let action = item.words.get(2).map_or("", String::as_str);
            let mut s = step(StepKind::Rule, item.words.join(" "), Some(loc(&item.origin)));
            let fired = self.fires(st, &item.words, acls, &mut s);
            let allowlist = item.words.iter().any(|w| w.contains("allowlist") || w.contains("whitelist"));
            match (action, fired) {
                ("accept", Some(true)) => {
                    s.details.insert(0, "accepted: the rest of the tcp-request content rules are skipped".into());
                    self.steps.push(s);
                    return Flow::Next;
                }
                ("reject", Some(true)) => {
                    s.kind = if allowlist { StepKind::Allowlist } else { StepKind::Rule };
                    let who = st.src.map_or(String::new(), |ip| format!(" for {ip}"));
                    s.title = if allowlist {
                        format!("allow-list: rejected{who} ({})", s.title)
                    } else {
                        format!("rejected{who} ({})", s.title)
                    };
                    self.steps.push(s);
                    let summary = if allowlist {
                        format!("connection closed by the allow-list of {}{who}", sec.name)
                    } else {
                        format!("connection closed by `{}`", item.words.join(" "))
                    };
                    return Flow::Done(terminal(OutcomeKind::Deny, None, summary));
                }
                ("reject", None) => {
                    s.kind = if allowlist { StepKind::Allowlist } else { StepKind::Rule };
                    if allowlist {
                        s.title =
                            "allow-list: only clients in the allow-list are served (give --client-ip to check one)"
                                .into();
                        let pats: Vec<String> =
                            acls.get("allowlist").into_iter().flatten().map(|c| c.join(" ")).collect();
                        s.details.push(format!("acl allowlist {}", pats.join(" | ")));
                        self.assumed.push("the client is in the allow-list".into());
                    } else {
                        s.title = format!("may reject: {}", s.title);
                        self.assumed.push("no rate limit is exceeded".into());
                    }
                    self.steps.push(s);
                }
                ("reject", Some(false)) if allowlist => {
                    let ip = st.src.map_or_else(String::new, |ip| ip.to_string());
                    s.kind = StepKind::Allowlist;
                    s.title = format!("allow-list: {ip} is allowed");
                    self.steps.push(s);
                }
                _ => {}
            }
        }
        Flow::Next
    }

    fn http_rules(&mut self, sec: &SectionModel, st: &mut State, acls: &Acls<'_>) -> Flow {
        let rules: Vec<&Item> = sec.families.get("http-request").into_iter().flatten().collect();
        let mut pending_del: Option<Step> = None;
        for item in rules {
            let (body, _) = split_cond(&item.words);
            let action = body.get(1).map_or("", String::as_str);
            let mut s = step(StepKind::Rule, body.join(" "), Some(loc(&item.origin)));
            let fired = self.fires(st, &item.words, acls, &mut s);
            if action != "del-header" {
                if let Some(p) = pending_del.take() {
                    self.steps.push(p);
                }
            }
            if fired != Some(true) {
                if !s.details.is_empty() && s.details.iter().any(|d| d.contains("map")) {
                    s.title = format!("{}: not taken", s.title);
                    self.steps.push(s);
                }
                continue;
            }
            let arg = |k: usize| body.get(k).cloned().unwrap_or_default();
            match action {
                "deny" | "tarpit" => {
                    let status = body
                        .iter()
                        .position(|w| w == "deny_status")
                        .and_then(|k| body.get(k + 1))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(403);
                    s.title = format!("{}: denied", s.title);
                    self.steps.push(s);
                    return Flow::Done(terminal(
                        OutcomeKind::Deny,
                        Some(status),
                        format!("{status} by `{}`", body.join(" ")),
                    ));
                }
                "reject" | "silent-drop" => {
                    self.steps.push(s);
                    return Flow::Done(terminal(
                        OutcomeKind::Deny,
                        None,
                        format!("connection closed by `{}`", body.join(" ")),
                    ));
                }
                "return" => {
                    let status = body
                        .iter()
                        .position(|w| w == "status")
                        .and_then(|k| body.get(k + 1))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(200);
                    self.steps.push(s);
                    return Flow::Done(terminal(
                        OutcomeKind::Local,
                        Some(status),
                        format!("{status} from `{}`", body.join(" ")),
                    ));
                }
                "redirect" => {
                    let o = self.redirect(body.get(2..).unwrap_or_default(), st, &mut s);
                    self.steps.push(s);
                    return Flow::Done(o);
                }
                "del-header" => {
                    let name = arg(2);
                    st.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
                    match pending_del.as_mut() {
                        Some(p) => p.details.push(name),
                        None => {
                            let mut p = step(StepKind::Rule, "http-request del-header", Some(loc(&item.origin)));
                            p.details.push(name);
                            pending_del = Some(p);
                        }
                    }
                    continue;
                }
                "set-header" | "add-header" => {
                    let (name, fmt) = (arg(2), arg(3));
                    let mut ev = self.eval(st);
                    match ev.format(&fmt) {
                        Ok(v) => {
                            s.details.push(format!("{name}: {v}"));
                            if action == "set-header" {
                                st.set_header(&name, v);
                            } else {
                                st.headers.push((name, v));
                            }
                        }
                        Err(Unknown(why)) => s.details.push(format!("value not computed ({why})")),
                    }
                }
                "replace-path" | "set-path" => {
                    let before = st.path.clone();
                    let after = if action == "set-path" {
                        let mut ev = self.eval(st);
                        ev.format(&arg(2)).ok()
                    } else {
                        super::sample::pcre(&arg(2), false)
                            .map(|re| super::sample::substitute(&re, &before, &arg(3), false))
                    };
                    match after {
                        Some(p) => {
                            s.kind = StepKind::Rewrite;
                            s.title = format!("{}: the path `{before}` becomes `{p}`", s.title);
                            if let Some(b) = self.backend.as_mut() {
                                b.rewrite = Some(Rewrite { pattern: arg(2), replacement: arg(3), path: p.clone() });
                            }
                            st.path = p;
                        }
                        None => s.details.push("routec cannot evaluate this rewrite".into()),
                    }
                }
                _ => s.details.push("not simulated by routec".into()),
            }
            self.steps.push(s);
        }
        if let Some(p) = pending_del.take() {
            self.steps.push(p);
        }
        for item in sec.families.get("redirect").into_iter().flatten() {
            let (body, _) = split_cond(&item.words);
            let mut s = step(StepKind::Rule, body.join(" "), Some(loc(&item.origin)));
            if self.fires(st, &item.words, acls, &mut s) == Some(true) {
                let o = self.redirect(body.get(1..).unwrap_or_default(), st, &mut s);
                self.steps.push(s);
                return Flow::Done(o);
            }
        }
        Flow::Next
    }

    /// `redirect location|prefix|scheme X [code N]`.
    fn redirect(&mut self, args: &[String], st: &State, s: &mut Step) -> Outcome {
        let kind = args.first().map_or("", String::as_str);
        let target = args.get(1).cloned().unwrap_or_default();
        let code = args.iter().position(|w| w == "code").and_then(|k| args.get(k + 1)).and_then(|c| c.parse().ok());
        let code = code.unwrap_or(302);
        let mut ev = self.eval(st);
        let location = match kind {
            "location" => ev.format(&target).ok(),
            "prefix" => ev.format(&target).ok().map(|p| format!("{p}{}", st.url())),
            "scheme" => ev.format(&target).ok().map(|sc| {
                let host = st.header("host").unwrap_or_default();
                format!("{sc}://{host}{}", st.url())
            }),
            _ => None,
        };
        s.details.extend(lookup_lines(&ev.lookups));
        let location = location.unwrap_or_default();
        s.title = format!("redirect: {code} to {location}");
        let mut o = terminal(OutcomeKind::Redirect, Some(code), format!("{code} redirect to {location}"));
        o.location = Some(location);
        o
    }

    fn certificate(&mut self, bind: &Bind<'_>, st: &State) {
        let words = &bind.item.words;
        let crts: Vec<&String> =
            words.iter().enumerate().filter(|(_, w)| *w == "crt").filter_map(|(k, _)| words.get(k + 1)).collect();
        let list = words.iter().position(|w| w == "crt-list").and_then(|k| words.get(k + 1));
        let sni = st.sni.as_deref().map(str::to_ascii_lowercase);
        let mut s = step(StepKind::Certificate, String::new(), Some(loc(&bind.item.origin)));
        let mut chosen: Option<(String, String)> = None;
        if let (Some(sni), Some(list)) = (sni.as_deref(), list) {
            match self.files.crt_list(list) {
                Some((name, entries)) => {
                    let exact = entries.iter().find(|e| e.filters.iter().any(|f| f.eq_ignore_ascii_case(sni)));
                    let wild = || {
                        entries.iter().find(|e| {
                            e.filters.iter().any(|f| {
                                f.strip_prefix("*.").is_some_and(|d| {
                                    sni.split_once('.').is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(d))
                                })
                            })
                        })
                    };
                    if let Some(e) = exact {
                        chosen = Some((e.cert.clone(), format!("{name}:{} lists `{sni}` exactly", e.line)));
                        s.at = Some(Loc { file: name.to_owned(), line: e.line });
                    } else if let Some(e) = wild() {
                        chosen = Some((e.cert.clone(), format!("{name}:{} lists a wildcard covering `{sni}`", e.line)));
                        s.at = Some(Loc { file: name.to_owned(), line: e.line });
                    } else {
                        s.details.push(format!("no line of {name} names `{sni}`"));
                    }
                }
                None => s.details.push(format!("the crt-list {list} was not given")),
            }
        }
        let (cert, why) = match chosen {
            Some(c) => c,
            None => match crts.first() {
                Some(c) => {
                    let why = if sni.is_none() {
                        "no SNI: the bind's default certificate"
                    } else {
                        "the bind's default certificate"
                    };
                    ((*c).clone(), why.to_owned())
                }
                None => (String::new(), "no certificate on the bind".into()),
            },
        };
        s.title = format!("TLS terminated with {} ({why})", short(&cert));
        if let Some(p) = self.prov {
            if let Some(info) = p.cert(&cert) {
                s.details.push(format!("subject: {}", info.subject));
                if !info.names.is_empty() {
                    s.details.push(format!("names: {}", info.names.join(", ")));
                }
                if let Some(host) = sni.as_deref().or(Some(st.header("host").unwrap_or_default())) {
                    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
                    let covered = info.covers(host);
                    s.details.push(if covered {
                        format!("covers `{host}`")
                    } else {
                        format!("does NOT cover `{host}`: clients will warn about the certificate")
                    });
                }
                s.source = info.source.clone();
            }
        }
        self.steps.push(s);
    }

    fn backend(&mut self, name: &str, st: &mut State, hops: usize, by_default: bool) -> Outcome {
        let Some(be) = self.model.sections.get(&format!("backend {name}")) else {
            return terminal(OutcomeKind::NoRoute, Some(503), format!("503: backend {name} is not defined"));
        };
        // A backend whose servers are another frontend's sockets hands the connection over.
        if hops < MAX_HOPS && !be.servers.is_empty() {
            let next = be.servers.iter().find_map(|sv| {
                let addr = sv.address.as_str();
                frontends(self.model).find(|f| binds(f).iter().any(|b| b.addr == addr && b.port.is_none()))
            });
            if let Some(fe) = next {
                let mut s = step(
                    StepKind::Backend,
                    format!("backend {name} → frontend {} (over {})", fe.name, be.servers[0].address),
                    Some(loc(&be.origin)),
                );
                if name == "be_sni" || name == "be_no_sni" {
                    s.details.push(if st.sni.is_some() {
                        "the SNI names no passthrough route: the router terminates TLS".into()
                    } else {
                        "no SNI: the router terminates TLS with its default certificate".into()
                    });
                }
                self.steps.push(s);
                return self.frontend(fe, st, hops + 1);
            }
        }
        let mode = mode(self.model, be);
        let balance = setting(self.model, be, "balance")
            .map_or_else(|| "roundrobin".to_owned(), |i| i.words.get(1..).unwrap_or_default().join(" "));
        let route = route_of(name);
        let source = route.as_ref().and_then(|(ns, n)| self.prov.and_then(|p| p.route_source(ns, n)));
        let mut s =
            step(StepKind::Backend, format!("backend {name} (mode {mode}, balance {balance})"), Some(loc(&be.origin)));
        s.source = source.clone();
        let cookie = be.settings.get("cookie").and_then(|c| c.words.get(1)).cloned();
        if let Some(c) = be.settings.get("cookie") {
            s.details.push(format!("sticky sessions: {}", c.words.join(" ")));
        }
        let timeouts: Vec<(String, String)> = be
            .settings
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("timeout ").map(|t| (t.to_owned(), v.words.get(2).cloned().unwrap_or_default()))
            })
            .collect();
        for (k, v) in &timeouts {
            s.details.push(format!("timeout {k} {v}"));
        }
        self.steps.push(s);
        let shares = shares(&be.servers);
        let servers: Vec<ServerView> =
            be.servers.iter().zip(&shares).map(|(sv, sh)| server_view(sv, *sh, self.prov, name)).collect();
        self.backend = Some(BackendView {
            name: name.to_owned(),
            route,
            mode: mode.clone(),
            balance: balance.clone(),
            at: loc(&be.origin),
            cookie,
            timeouts,
            rewrite: None,
            servers,
            source,
        });
        let acls = acls(be);
        if let Flow::Done(mut o) = self.tcp_rules(be, st, &acls) {
            o.backend = Some(name.to_owned());
            return o;
        }
        if mode == "http" {
            if let Flow::Done(mut o) = self.http_rules(be, st, &acls) {
                o.backend = Some(name.to_owned());
                return o;
            }
            for item in be.families.get("http-response").into_iter().flatten() {
                let (body, _) = split_cond(&item.words);
                let mut s = step(StepKind::Rule, body.join(" "), Some(loc(&item.origin)));
                if body.get(2).is_some_and(|h| h.eq_ignore_ascii_case("Strict-Transport-Security")) {
                    s.details.push("HSTS: browsers will use https for this host from now on".into());
                }
                if self.fires(st, &item.words, &acls, &mut s) == Some(true) {
                    self.steps.push(s);
                }
            }
        }
        self.servers(name, be, by_default, &mode)
    }

    fn servers(&mut self, name: &str, be: &SectionModel, by_default: bool, mode: &str) -> Outcome {
        let Some(view) = self.backend.as_ref() else { return terminal(OutcomeKind::NoRoute, Some(503), "503") };
        let live: Vec<&ServerView> = view.servers.iter().filter(|s| s.share > 0.0).collect();
        let mut s = step(StepKind::Servers, String::new(), Some(loc(&be.origin)));
        for sv in &view.servers {
            let who = sv.pod.as_deref().map_or(String::new(), |p| format!(" pod {p}"));
            let share =
                if sv.share > 0.0 { format!("{:.1}%", sv.share * 100.0) } else { "no traffic (weight 0)".into() };
            s.details.push(format!("{} {}{who} weight {}: {share}", sv.name, sv.address, sv.weight));
        }
        let names: Vec<String> = live.iter().map(|s| s.name.clone()).collect();
        let outcome = if live.is_empty() {
            s.title = if view.servers.is_empty() {
                "no servers".into()
            } else {
                format!("{} server(s), none with a weight above 0", view.servers.len())
            };
            if by_default || route_of(name).is_none() {
                terminal(OutcomeKind::NoRoute, Some(503), format!("503: no route matched; {name} has no servers"))
            } else {
                terminal(
                    OutcomeKind::NoEndpoints,
                    Some(503),
                    format!("503: no endpoints: {name} has no server that takes traffic"),
                )
            }
        } else {
            s.title = format!("{} server(s) take new connections", live.len());
            let mut by_service: Vec<(String, usize)> = Vec::new();
            for sv in &live {
                let svc = service_of(&sv.name, name);
                match by_service.iter_mut().find(|(k, _)| *k == svc) {
                    Some((_, n)) => *n += 1,
                    None => by_service.push((svc, 1)),
                }
            }
            let what: Vec<String> = by_service
                .iter()
                .map(
                    |(svc, n)| {
                        if svc.is_empty() {
                            format!("{n} server(s)")
                        } else {
                            format!("{n} pod(s) of service {svc}")
                        }
                    },
                )
                .collect();
            let (kind, verb) = if mode == "tcp" {
                (OutcomeKind::Passthrough, "passed through (TLS not terminated) to")
            } else {
                (OutcomeKind::Forward, "forwarded to")
            };
            terminal(kind, None, format!("{verb} {}", what.join(" and ")))
        };
        self.steps.push(s);
        Outcome { backend: Some(name.to_owned()), servers: names, ..outcome }
    }
}

/// `namespace/service` of a router server name (`pod:POD:SVC:…`, `ept:SVC:…`).
fn service_of(server: &str, backend: &str) -> String {
    let ns = route_of(backend).map(|(ns, _)| ns).unwrap_or_default();
    let mut it = server.split(':');
    let svc = match it.next() {
        Some("pod") => it.nth(1),
        Some("ept") => it.next(),
        _ => None,
    };
    match svc {
        Some(s) if !ns.is_empty() => format!("{ns}/{s}"),
        _ => String::new(),
    }
}
