//! The semantic model of a router's files: what routing depends on, with the ordering rules of
//! spec haproxy-config-format.md §5.3. Rule families keep their order; keyed settings keep only
//! their last value; ACLs, binds and log targets are multisets; servers are ordered (IDs and
//! balancing depend on it) with their options keyed; maps are ordered entry lists; crt-lists
//! are ordered entries. Comments, whitespace, quoting and section order are not represented.

use crate::hash::FastMap;
use crate::sorted::Map;
use std::sync::Arc;

use super::cook::Env;
use super::eval::{evaluate_with, EvalError, Event, Statement};
use super::lex::{LexError, Range};
use super::mapfile::{parse_crt_list, parse_map, CrtEntry, MapEntry};
use super::unique::{Clash, Declared};

/// Where a model element came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file (as named in the bundle), shared by every origin in it.
    pub file: Arc<str>,
    /// 1-based line.
    pub line: usize,
    /// The line's byte range.
    pub span: Range,
}

/// A statement's value and where it came from. Equality ignores the origin.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// Cooked words, shared between identical statements (route backends repeat most lines).
    pub words: Arc<[String]>,
    /// Where.
    pub origin: Origin,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

impl Eq for Item {}

/// A `server` line.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// Name.
    pub name: String,
    /// Address (`ip:port`).
    pub address: String,
    /// Options, keyed by option name (the last one wins), each with its arguments.
    pub options: Map<String, Vec<String>>,
    /// Where.
    pub origin: Origin,
    /// A `server` line (not a `server-template`).
    pub plain: bool,
}

impl PartialEq for Server {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.address == other.address && self.options == other.options
    }
}

/// One section's meaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionModel {
    /// `frontend`, `backend`, …
    pub kind: String,
    /// Name.
    pub name: String,
    /// Header arguments after the name (`from X`).
    pub header: Vec<String>,
    /// Keyed settings, last one wins (`balance`, `timeout server`, `option forwardfor`, …).
    pub settings: Map<String, Item>,
    /// Ordered rule families (`http-request`, `tcp-request content`, `use_backend`, …).
    pub families: Map<String, Vec<Item>>,
    /// Multisets (`acl`, `bind`, `log`, …), kept sorted.
    pub sets: Map<String, Vec<Item>>,
    /// Servers in order.
    pub servers: Vec<Server>,
    /// Where the header is.
    pub origin: Origin,
}

/// The meaning of a whole router directory.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Sections keyed by `kind name`; repeated `global` sections merge, and anonymous defaults
    /// are numbered in file order (`defaults #1`).
    pub sections: Map<String, SectionModel>,
    /// Map files by name, entries in file order.
    pub maps: Map<String, Vec<MapEntry>>,
    /// crt-lists by name.
    pub crt_lists: Map<String, Vec<CrtEntry>>,
}

/// A problem found while reading files, with the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// Where in it.
    pub span: Range,
    /// Stable code, e.g. `routec::hap::unmatched-quote`.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// True when HAProxy refuses the file.
    pub fatal: bool,
    /// True when the file cannot be read the way HAProxy reads it (lexer, conditional blocks,
    /// sections, crt-list lines), so no model of it can be trusted; false for what HAProxy
    /// refuses after reading it (duplicate server names).
    pub syntax: bool,
}

/// The files of a router directory: one config and any map files and crt-lists, by name.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// The config's name and bytes.
    pub config: (String, Vec<u8>),
    /// Other files by name (relative to the directory, e.g. `conf/os_http_be.map`).
    pub files: Map<String, Vec<u8>>,
}

/// Server options that take one argument; any other word is a flag.
const SERVER_ARGS: &[&str] = &[
    "weight",
    "cookie",
    "inter",
    "fastinter",
    "downinter",
    "rise",
    "fall",
    "port",
    "addr",
    "maxconn",
    "minconn",
    "maxqueue",
    "verify",
    "ca-file",
    "crt",
    "crl-file",
    "sni",
    "alpn",
    "npn",
    "proto",
    "verifyhost",
    "check-sni",
    "check-proto",
    "check-alpn",
    "id",
    "resolvers",
    "resolve-prefer",
    "resolve-net",
    "init-addr",
    "slowstart",
    "on-error",
    "on-marked-down",
    "on-marked-up",
    "error-limit",
    "observe",
    "agent-port",
    "agent-inter",
    "agent-addr",
    "agent-send",
    "ciphers",
    "ciphersuites",
    "ssl-min-ver",
    "ssl-max-ver",
    "pool-max-conn",
    "pool-purge-delay",
    "pool-low-conn",
    "max-reuse",
    "source",
    "usesrc",
    "track",
    "redir",
    "namespace",
    "tcp-ut",
    "socks4",
    "set-proxy-v2-tlv-fmt",
    "ws",
    "hash-key",
    "curves",
    "sigalgs",
    "client-sigalgs",
    "shard",
    "log-proto",
    "guid",
    "proxy-v2-options",
    "check-pool-conn-name",
    "pool-conn-name",
    "cc",
];

/// How a statement is compared.
enum Class {
    Setting(String),
    Family(String),
    Set(String),
    Server,
}

fn classify(words: &[String]) -> Class {
    let w = |k: usize| words.get(k).map_or("", String::as_str);
    // `no option x` and `option x` share a key: the last of them wins.
    let kw = usize::from(matches!(w(0), "no" | "default"));
    let key = w(kw);
    match key {
        "server" | "server-template" => Class::Server,
        "acl" | "bind" | "log" | "monitor" | "stats" => Class::Set(key.to_owned()),
        "http-request"
        | "http-response"
        | "http-after-response"
        | "redirect"
        | "use_backend"
        | "use-server"
        | "quic-initial"
        | "http-check"
        | "tcp-check"
        | "filter"
        | "capture"
        | "declare"
        | "force-persist"
        | "ignore-persist"
        | "default-server"
        | "lua-load"
        | "lua-load-per-thread"
        | "set-var"
        | "set-var-fmt"
        | "setenv"
        | "presetenv"
        | "unsetenv"
        | "resetenv"
        | "lua-prepend-path"
        | "errorfiles"
        | "http-error" => Class::Family(key.to_owned()),
        "stick" => Class::Family(format!("stick {}", w(kw + 1))),
        "tcp-request" | "tcp-response" if w(kw + 1) == "inspect-delay" => {
            Class::Setting(format!("{key} inspect-delay"))
        }
        "tcp-request" | "tcp-response" => Class::Family(format!("{key} {}", w(kw + 1))),
        "option" if matches!(w(kw + 1), "httplog" | "tcplog" | "httpslog") => Class::Setting("log-format".into()),
        "log-format" => Class::Setting("log-format".into()),
        "timeout" | "option" | "errorfile" | "errorloc" | "errorloc302" | "errorloc303" | "compression"
        | "rate-limit" | "email-alert" | "persist" | "source" | "http-reuse" => {
            Class::Setting(format!("{key} {}", w(kw + 1)))
        }
        _ => Class::Setting(key.to_owned()),
    }
}

fn server(words: &[String], origin: Origin) -> Server {
    let mut s = Server {
        name: words.get(1).cloned().unwrap_or_default(),
        address: words.get(2).cloned().unwrap_or_default(),
        options: Map::new(),
        origin,
        plain: false,
    };
    let mut it = words.iter().skip(3);
    while let Some(opt) = it.next() {
        let args =
            if SERVER_ARGS.contains(&opt.as_str()) { it.next().cloned().into_iter().collect() } else { Vec::new() };
        s.options.insert(opt.clone(), args);
    }
    s
}

/// Identical statements share one copy of their words.
type Interner = crate::hash::FastMap<Vec<String>, Arc<[String]>>;

fn add_statement(
    file: &Arc<str>,
    st: Statement,
    into: &mut SectionModel,
    interner: &mut Interner,
    problems: &mut Vec<Problem>,
) {
    let origin = Origin { file: Arc::clone(file), line: st.line, span: st.span };
    let mut intern = |words: Vec<String>| match interner.get(&words) {
        Some(w) => Arc::clone(w),
        None => {
            let w: Arc<[String]> = Arc::from(words.clone());
            interner.insert(words, Arc::clone(&w));
            w
        }
    };
    match classify(&st.words) {
        Class::Server => {
            let sv = server(&st.words, origin);
            // HAProxy refuses a second server of the same name in one proxy (templates name
            // theirs at start-up, so only `server` lines count).
            let plain = st.words.first().is_some_and(|w| w == "server");
            // A repeated section header (itself refused, see `unique`) starts a fresh name space.
            let earlier =
                into.servers.iter().find(|o| o.name == sv.name && plain && o.plain && o.origin.line > into.origin.line);
            if let Some(first) = earlier {
                problems.push(Problem {
                    file: file.to_string(),
                    span: sv.origin.span.clone(),
                    code: "routec::hap::duplicate-server",
                    message: format!(
                        "{} '{}', another server named '{}' was already defined at line {}, please use distinct names",
                        // HAProxy calls a `listen` section a proxy.
                        if into.kind == "listen" { "proxy" } else { into.kind.as_str() },
                        into.name,
                        sv.name,
                        first.origin.line
                    ),
                    fatal: true,
                    syntax: false,
                });
            }
            into.servers.push(Server { plain, ..sv });
        }
        Class::Setting(k) => {
            into.settings.insert(k, Item { words: intern(st.words), origin });
        }
        Class::Family(k) => into.families.or_default(k).push(Item { words: intern(st.words), origin }),
        Class::Set(k) => into.sets.or_default(k).push(Item { words: intern(st.words), origin }),
    }
}

/// [`build`] within `limits`: a router directory over [`Limits::max_config_bytes`] is not read;
/// its one problem is fatal and a syntax problem, so it is never compared.
///
/// [`Limits::max_config_bytes`]: crate::limits::Limits::max_config_bytes
pub fn build_limited(bundle: &Bundle, env: &Env, limits: &crate::limits::Limits) -> (Model, Vec<Problem>) {
    let bytes = bundle.files.values().map(Vec::len).fold(bundle.config.1.len(), usize::saturating_add);
    if let Some(message) = crate::limits::config_too_large(bytes, limits) {
        let problem = Problem {
            file: bundle.config.0.clone(),
            span: 0..0,
            code: "routec::hap::config-too-large",
            message,
            fatal: true,
            syntax: true,
        };
        return (Model::default(), vec![problem]);
    }
    build(bundle, env)
}

/// Reads a bundle into its model, with every problem found in its files. The config is
/// evaluated line by line straight into the model; no syntax tree is kept.
pub fn build(bundle: &Bundle, env: &Env) -> (Model, Vec<Problem>) {
    let (name, bytes) = &bundle.config;
    let file: Arc<str> = Arc::from(name.as_str());
    let mut env = env.clone();
    env.file.clone_from(name);
    let mut model = Model::default();
    let mut anon_defaults = 0;
    let mut crt_lists: Vec<String> = Vec::new();
    // Sections are gathered in file order with an index by key, and sorted into the model's
    // map once at the end: inserting into a sorted vector one by one would shift it per section.
    // The section being filled stays out of the list until the next header, so a statement
    // needs no lookup among the tens of thousands of sections of a large router.
    let mut sections: Vec<(String, SectionModel)> = Vec::new();
    let mut slots: FastMap<String, usize> = FastMap::default();
    let mut current: Option<(usize, SectionModel)> = None;
    let mut interner = Interner::default();
    let mut model_problems = Vec::new();
    let mut declared = Declared::default();
    let clash = |c: Clash| Problem {
        file: name.clone(),
        span: c.span,
        code: c.code,
        message: c.message,
        fatal: true,
        syntax: false,
    };
    let (eval_errors, lex_errors) = evaluate_with(bytes, env, &mut |ev| match ev {
        Event::Section { kind, name: sname, header } => {
            if let Some(c) = declared.section(name, &kind, &sname, header.line, &header.span) {
                model_problems.push(clash(c));
            }
            let key = match (kind.as_str(), sname.as_str()) {
                ("defaults", "") => {
                    anon_defaults += 1;
                    format!("defaults #{anon_defaults}")
                }
                (k, "") => k.to_owned(),
                (k, n) => format!("{k} {n}"),
            };
            let skip = if sname.is_empty() { 1 } else { 2 };
            let origin = Origin { file: Arc::clone(&file), line: header.line, span: header.span.clone() };
            if let Some((slot, m)) = current.take() {
                if let Some(e) = sections.get_mut(slot) {
                    e.1 = m;
                }
            }
            let (slot, mut m) = match slots.get(&key) {
                Some(&slot) => (slot, sections.get_mut(slot).map(|e| std::mem::take(&mut e.1)).unwrap_or_default()),
                None => {
                    let m = SectionModel {
                        kind: kind.clone(),
                        name: sname.clone(),
                        header: header.words.iter().skip(skip).cloned().collect(),
                        ..SectionModel::default()
                    };
                    slots.insert(key.clone(), sections.len());
                    sections.push((key, SectionModel::default()));
                    (sections.len() - 1, m)
                }
            };
            m.origin = origin;
            current = Some((slot, m));
        }
        Event::Statement(st) => {
            if let Some(c) = declared.statement(name, &st.words, st.line, &st.span) {
                model_problems.push(clash(c));
            }
            if st.words.first().is_some_and(|w| w == "bind") {
                if let Some(p) = st.words.iter().position(|w| w == "crt-list").and_then(|k| st.words.get(k + 1)) {
                    crt_lists.push(p.clone());
                }
            }
            if let Some((_, m)) = current.as_mut() {
                add_statement(&file, st, m, &mut interner, &mut model_problems);
            }
        }
    });
    if let Some((slot, m)) = current {
        if let Some(e) = sections.get_mut(slot) {
            e.1 = m;
        }
    }
    model.sections = sections.into_iter().collect();
    for m in model.sections.values_mut() {
        for v in m.sets.values_mut() {
            crate::sort::sort_by(v, |a, b| a.words.cmp(&b.words));
        }
    }
    let mut problems: Vec<Problem> = lex_errors.iter().map(|e| lex_problem(name, e)).collect();
    problems.extend(eval_errors.iter().map(|e| eval_problem(name, e)));
    problems.append(&mut model_problems);
    for (file, bytes) in &bundle.files {
        let base = file.rsplit('/').next().unwrap_or(file);
        let is_crt_list = crt_lists.iter().any(|p| p.rsplit('/').next() == Some(base));
        if is_crt_list {
            let (entries, errors) = parse_crt_list(bytes);
            for e in errors {
                problems.push(Problem {
                    file: file.clone(),
                    span: e.span,
                    code: "routec::hap::crt-list",
                    message: e.message,
                    fatal: true,
                    syntax: true,
                });
            }
            model.crt_lists.insert(file.clone(), entries);
        } else {
            model.maps.insert(file.clone(), parse_map(bytes));
        }
    }
    (model, problems)
}

fn lex_problem(file: &str, e: &LexError) -> Problem {
    Problem {
        file: file.to_owned(),
        span: e.span.clone(),
        code: e.code,
        message: e.message.clone(),
        fatal: true,
        syntax: true,
    }
}

fn eval_problem(file: &str, e: &EvalError) -> Problem {
    Problem {
        file: file.to_owned(),
        span: e.span.clone(),
        code: e.code,
        message: e.message.clone(),
        fatal: e.fatal,
        syntax: e.fatal,
    }
}
