//! HAProxy's sample language, as far as routing depends on it: fetches (`base`, `req.hdr`,
//! `req.ssl_sni`, `src`, …), converters (`lower`, `map_reg`, `regsub`, …), ACL matching
//! (`-m found|bool|str|beg|reg|ip|…`), `if`/`unless` conditions and log-format strings
//! (`%[expr]`). A condition is three-valued: what depends on state routec cannot know (a
//! stick-table counter, a Lua fetch) is `None`, and callers say so instead of guessing.

use std::net::IpAddr;

use super::request::Request;
use crate::regex::Regex;

/// A sample's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Ip(IpAddr),
}

impl Val {
    pub(crate) fn text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Int(i) => i.to_string(),
            Val::Bool(b) => u8::from(*b).to_string(),
            Val::Ip(ip) => ip.to_string(),
        }
    }
}

/// A map line that answered a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MapHit {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) key: String,
    pub(crate) value: String,
}

/// One map lookup, hit or miss, with the input it ran on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// The converter, e.g. `map_reg`.
    pub(crate) conv: String,
    /// The map file as the config names it.
    pub(crate) file: String,
    /// The sample expression before the converter, e.g. `base` or `req.ssl_sni,lower`.
    pub(crate) fetch: String,
    pub(crate) input: String,
    pub(crate) hit: Option<MapHit>,
    /// Entries routec could not evaluate (a regex it cannot compile), with their lines.
    pub(crate) skipped: Vec<usize>,
    /// False when the map file is not in the bundle.
    pub(crate) found: bool,
}

/// What the evaluator needs from the files beside the config.
pub(crate) trait Files {
    /// Looks `input` up in map `file` with match kind `kind` (`reg`, `str`, `beg`, …).
    fn lookup(&self, file: &str, kind: &str, input: &str) -> (Option<MapHit>, Vec<usize>, bool);
    /// The patterns of an ACL file (`-f`).
    fn patterns(&self, file: &str) -> Option<Vec<String>>;
}

/// The connection and request state fetches read.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) method: String,
    pub(crate) src: Option<IpAddr>,
    pub(crate) dst_port: u16,
    /// A TLS ClientHello arrived (`req_ssl_hello_type 1`).
    pub(crate) hello: bool,
    /// The SNI of the ClientHello.
    pub(crate) sni: Option<String>,
    /// TLS is terminated on this connection (`ssl_fc`).
    pub(crate) ssl_fc: bool,
    /// The request is HTTP (not raw TLS).
    pub(crate) http: bool,
}

impl State {
    pub(crate) fn new(req: &Request, dst_port: u16) -> Self {
        Self {
            headers: req.headers.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            method: "GET".into(),
            src: req.client_ip,
            dst_port,
            hello: req.scheme.is_tls(),
            sni: req.sni.clone(),
            ssl_fc: false,
            http: req.scheme != super::request::Scheme::Tls,
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub(crate) fn set_header(&mut self, name: &str, value: String) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value));
    }

    pub(crate) fn url(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown(pub(crate) String);

/// The evaluator: the state, the files, and a record of every map lookup made.
pub(crate) struct Eval<'a> {
    pub(crate) st: &'a State,
    pub(crate) files: &'a dyn Files,
    pub(crate) lookups: Vec<Lookup>,
}

/// Splits `s` at top-level commas (outside parentheses).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `name(a,b)` → (`name`, [a, b]).
fn call(s: &str) -> (&str, Vec<String>) {
    match s.find('(') {
        Some(k) if s.ends_with(')') => {
            let inner = &s[k + 1..s.len() - 1];
            let args = if inner.is_empty() { Vec::new() } else { inner.split(',').map(str::to_owned).collect() };
            (&s[..k], args)
        }
        _ => (s, Vec::new()),
    }
}

fn ip_in(ip: IpAddr, pat: &str) -> bool {
    let (net, bits) = match pat.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (pat, None),
    };
    let Ok(net) = net.parse::<IpAddr>() else { return false };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        // HAProxy matches a v4 client against v6 patterns through its mapped form and back.
        (IpAddr::V6(a), IpAddr::V4(_)) => a.to_ipv4_mapped().is_some_and(|v4| ip_in(IpAddr::V4(v4), pat)),
        (IpAddr::V4(a), IpAddr::V6(_)) => ip_in(IpAddr::V6(a.to_ipv6_mapped()), pat),
    }
}

/// Matches one pattern against a value with a match method.
fn match_one(val: &Val, method: &str, pat: &str, nocase: bool) -> Option<bool> {
    let s = val.text();
    let (s, p) = if nocase { (s.to_ascii_lowercase(), pat.to_ascii_lowercase()) } else { (s, pat.to_owned()) };
    Some(match method {
        "str" => s == p,
        "beg" => s.starts_with(&p),
        "end" => s.ends_with(&p),
        "sub" => s.contains(&p),
        "dom" => s.split(['/', '?', '.', ':']).any(|w| w == p),
        "dir" => s.split(['/', '?']).any(|w| w == p),
        "reg" => pcre(pat, nocase)?.is_match(val.text().as_bytes()),
        "len" => int_match(i64::try_from(s.len()).unwrap_or(i64::MAX), &p)?,
        "int" => int_match(s.parse().ok()?, &p)?,
        "ip" => match val {
            Val::Ip(ip) => ip_in(*ip, pat),
            _ => s.parse::<IpAddr>().ok().is_some_and(|ip| ip_in(ip, pat)),
        },
        _ => return None,
    })
}

fn int_match(v: i64, pat: &str) -> Option<bool> {
    if let Some((a, b)) = pat.split_once(':') {
        let lo = if a.is_empty() { i64::MIN } else { a.parse().ok()? };
        let hi = if b.is_empty() { i64::MAX } else { b.parse().ok()? };
        return Some(lo <= v && v <= hi);
    }
    Some(v == pat.parse::<i64>().ok()?)
}

fn int_op(v: i64, op: &str, n: &str) -> Option<bool> {
    let n: i64 = n.parse().ok()?;
    Some(match op {
        "eq" => v == n,
        "gt" => v > n,
        "ge" => v >= n,
        "lt" => v < n,
        "le" => v <= n,
        _ => return None,
    })
}

/// Derived ACL keywords (`path_beg`, `hdr_len`, …): the fetch and the match method.
fn derived(fetch: &str) -> (&str, Option<&'static str>) {
    for (suffix, m) in [
        ("_beg", "beg"),
        ("_end", "end"),
        ("_sub", "sub"),
        ("_reg", "reg"),
        ("_dom", "dom"),
        ("_dir", "dir"),
        ("_len", "len"),
    ] {
        if let Some(base) = fetch.strip_suffix(suffix) {
            if matches!(base, "hdr" | "req.hdr" | "path" | "url" | "base" | "req.ssl_sni" | "ssl_fc_sni" | "src") {
                return (base, Some(m));
            }
        }
    }
    (fetch, None)
}

impl Eval<'_> {
    /// Evaluates `fetch,conv,…`; `Ok(None)` is "no sample".
    pub(crate) fn expr(&mut self, text: &str) -> Result<Option<Val>, Unknown> {
        let parts = split_top(text);
        let Some((first, convs)) = parts.split_first() else { return Ok(None) };
        let mut v = self.fetch(first)?;
        for (k, c) in convs.iter().enumerate() {
            let before = parts[..=k].join(",");
            v = match v {
                Some(v) => self.convert(v, c, &before)?,
                None => None,
            };
        }
        Ok(v)
    }

    fn fetch(&self, text: &str) -> Result<Option<Val>, Unknown> {
        let (name, args) = call(text);
        let st = self.st;
        let arg0 = args.first().map(String::as_str).unwrap_or("");
        let need_http = |v: Option<Val>| if st.http { v } else { None };
        Ok(match name {
            "base" => need_http(st.header("host").map(|h| Val::Str(format!("{h}{}", st.path)))),
            "path" => need_http(Some(Val::Str(st.path.clone()))),
            "url" => need_http(Some(Val::Str(st.url()))),
            "query" => need_http(st.query.clone().map(Val::Str)),
            "method" => need_http(Some(Val::Str(st.method.clone()))),
            "hdr" | "req.hdr" | "req.fhdr" | "hdr_val" => need_http(st.header(arg0).map(|v| Val::Str(v.to_owned()))),
            "hdr_cnt" | "req.hdr_cnt" => Some(Val::Int(
                i64::try_from(st.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(arg0)).count()).unwrap_or(0),
            )),
            "src" => match st.src {
                Some(ip) => Some(Val::Ip(ip)),
                None => return Err(Unknown("the client address; give --client-ip".into())),
            },
            "dst_port" => Some(Val::Int(i64::from(st.dst_port))),
            "req.ssl_sni" | "req_ssl_sni" => {
                if st.hello && !st.ssl_fc {
                    st.sni.clone().map(Val::Str)
                } else {
                    None
                }
            }
            "ssl_fc_sni" => {
                if st.ssl_fc {
                    st.sni.clone().map(Val::Str)
                } else {
                    None
                }
            }
            "req_ssl_hello_type" | "req.ssl_hello_type" => {
                if st.hello && !st.ssl_fc {
                    Some(Val::Int(1))
                } else {
                    None
                }
            }
            "ssl_fc" => Some(Val::Bool(st.ssl_fc)),
            "ssl_fc_has_crt" | "ssl_c_used" => Some(Val::Bool(false)),
            // A client routec models offers no ALPN.
            "ssl_fc_alpn" => None,
            "req.len" | "req_len" => Some(Val::Int(if st.hello || st.http { 512 } else { 0 })),
            "always_true" => Some(Val::Bool(true)),
            "always_false" => Some(Val::Bool(false)),
            other => return Err(Unknown(format!("fetch `{other}`"))),
        })
    }

    fn convert(&mut self, v: Val, text: &str, before: &str) -> Result<Option<Val>, Unknown> {
        let (name, args) = call(text);
        if let Some(rest) = name.strip_prefix("map_") {
            let (kind, out) = rest.split_once('_').unwrap_or((rest, "str"));
            let file = args.first().cloned().unwrap_or_default();
            let input = v.text();
            let (hit, skipped, found) = self.files.lookup(&file, kind, &input);
            let value = hit.as_ref().map(|h| h.value.clone()).or_else(|| args.get(1).cloned());
            self.lookups.push(Lookup {
                conv: name.to_owned(),
                file,
                fetch: before.to_owned(),
                input,
                hit,
                skipped,
                found,
            });
            return Ok(value.and_then(|s| match out {
                "int" => s.trim().parse().ok().map(Val::Int),
                "ip" => s.trim().parse().ok().map(Val::Ip),
                _ => Some(Val::Str(s)),
            }));
        }
        Ok(match name {
            "lower" => Some(Val::Str(v.text().to_ascii_lowercase())),
            "upper" => Some(Val::Str(v.text().to_ascii_uppercase())),
            "length" | "len" => Some(Val::Int(i64::try_from(v.text().len()).unwrap_or(i64::MAX))),
            "bool" => Some(Val::Bool(match v {
                Val::Int(i) => i != 0,
                Val::Bool(b) => b,
                _ => return Err(Unknown("`bool` of a string".into())),
            })),
            "not" => Some(Val::Bool(!matches!(v, Val::Bool(true)) && !matches!(v, Val::Int(i) if i != 0))),
            "regsub" => {
                let pat = args.first().cloned().unwrap_or_default();
                let sub = args.get(1).cloned().unwrap_or_default();
                let global = args.get(2).is_some_and(|f| f.contains('g'));
                let nocase = args.get(2).is_some_and(|f| f.contains('i'));
                let re = pcre(&pat, nocase).ok_or_else(|| Unknown(format!("regsub regex `{pat}`")))?;
                Some(Val::Str(substitute(&re, &v.text(), &sub, global)))
            }
            other => return Err(Unknown(format!("converter `{other}`"))),
        })
    }

    /// Evaluates an ACL criterion (`fetch,conv [-m method] [-i] [-f file] values…`).
    pub(crate) fn criterion(&mut self, words: &[String]) -> Result<bool, Unknown> {
        let Some((fetch, rest)) = words.split_first() else { return Ok(false) };
        let mut method: Option<String> = None;
        let mut nocase = false;
        let mut pats: Vec<String> = Vec::new();
        let mut it = rest.iter();
        while let Some(w) = it.next() {
            match w.as_str() {
                "-m" => method = it.next().cloned(),
                "-i" => nocase = true,
                "-n" | "-u" => {}
                "-f" => {
                    let f = it.next().cloned().unwrap_or_default();
                    match self.files.patterns(&f) {
                        Some(p) => pats.extend(p),
                        None => return Err(Unknown(format!("the ACL file `{f}` is not in the bundle"))),
                    }
                }
                "--" => {
                    pats.extend(it.by_ref().cloned());
                }
                _ => {
                    pats.push(w.clone());
                    pats.extend(it.by_ref().cloned());
                }
            }
        }
        // A derived keyword (`path_beg`, `hdr_len(x)`) is the base fetch with a match method.
        let (fetch, implied) = if split_top(fetch).len() == 1 {
            let (name, args) = call(fetch);
            match derived(name) {
                (base, Some(m)) if args.is_empty() => (base.to_owned(), Some(m)),
                (base, Some(m)) => (format!("{base}({})", args.join(",")), Some(m)),
                _ => (fetch.clone(), None),
            }
        } else {
            (fetch.clone(), None)
        };
        let v = self.expr(&fetch)?;
        let method = method.as_deref().or(implied);
        let Some(v) = v else { return Ok(false) };
        let method = method.unwrap_or(match v {
            Val::Int(_) => "int",
            Val::Bool(_) => "bool",
            Val::Ip(_) => "ip",
            Val::Str(_) => "str",
        });
        match method {
            "found" => return Ok(true),
            "bool" => {
                return Ok(match v {
                    Val::Bool(b) => b,
                    Val::Int(i) => i != 0,
                    Val::Str(s) => s.parse::<i64>().is_ok_and(|i| i != 0),
                    Val::Ip(_) => true,
                })
            }
            _ => {}
        }
        if method == "int" || method == "len" {
            let n = match (&v, method) {
                (_, "len") => i64::try_from(v.text().len()).unwrap_or(i64::MAX),
                (Val::Int(i), _) => *i,
                _ => v.text().parse().map_err(|_| Unknown("an integer match on a string".into()))?,
            };
            let mut k = 0;
            while k < pats.len() {
                if matches!(pats[k].as_str(), "eq" | "gt" | "ge" | "lt" | "le") {
                    let r = int_op(n, &pats[k], pats.get(k + 1).map_or("", String::as_str));
                    if r == Some(true) {
                        return Ok(true);
                    }
                    k += 2;
                } else {
                    if int_match(n, &pats[k]) == Some(true) {
                        return Ok(true);
                    }
                    k += 1;
                }
            }
            return Ok(false);
        }
        for p in &pats {
            match match_one(&v, method, p, nocase) {
                Some(true) => return Ok(true),
                Some(false) => {}
                None => return Err(Unknown(format!("match `-m {method}` on `{p}`"))),
            }
        }
        Ok(false)
    }

    /// Expands a log-format string: `%[expr]` samples, `%%`, and text.
    pub(crate) fn format(&mut self, fmt: &str) -> Result<String, Unknown> {
        let mut out = String::new();
        let mut rest = fmt;
        while let Some(k) = rest.find('%') {
            out.push_str(&rest[..k]);
            rest = &rest[k + 1..];
            if let Some(r) = rest.strip_prefix('%') {
                out.push('%');
                rest = r;
            } else if let Some(r) = rest.strip_prefix('[') {
                let mut depth = 0usize;
                let close = r
                    .char_indices()
                    .find(|(_, c)| match c {
                        '[' => {
                            depth += 1;
                            false
                        }
                        ']' if depth == 0 => true,
                        ']' => {
                            depth -= 1;
                            false
                        }
                        _ => false,
                    })
                    .map(|(k, _)| k)
                    .ok_or_else(|| Unknown("an unclosed `%[`".into()))?;
                if let Some(v) = self.expr(&r[..close])? {
                    out.push_str(&v.text());
                }
                rest = &r[close + 1..];
            } else {
                return Err(Unknown(format!("log-format variable `%{}`", rest.chars().take(2).collect::<String>())));
            }
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A regex as HAProxy's PCRE reads it without UTF mode: bytes, ASCII classes; `None` for what
/// routec cannot evaluate (syntax errors, and PCRE constructs outside `crate::regex`).
pub(crate) fn pcre(pattern: &str, nocase: bool) -> Option<Regex> {
    Regex::new_pcre(pattern, nocase).ok()
}

/// Replaces the first (or every) match of `re` in `s` with a HAProxy replacement string
/// (`\1`..`\9` for groups).
pub(crate) fn substitute(re: &Regex, s: &str, sub: &str, global: bool) -> String {
    String::from_utf8_lossy(&re.replace(s.as_bytes(), sub.as_bytes(), global)).into_owned()
}

/// Where the condition of a rule starts, if it has one.
pub(crate) fn split_cond(words: &[String]) -> (&[String], Option<(bool, &[String])>) {
    match words.iter().position(|w| w == "if" || w == "unless") {
        Some(k) => (&words[..k], Some((words[k] == "if", &words[k + 1..]))),
        None => (words, None),
    }
}

/// ACL definitions of a section: name → the criteria of every `acl` line of that name.
pub(crate) type Acls<'a> = crate::sorted::Map<&'a str, Vec<&'a [String]>>;

impl Eval<'_> {
    /// Evaluates an `if`/`unless` condition: terms ANDed, `||`/`or` between groups.
    pub(crate) fn condition(&mut self, positive: bool, words: &[String], acls: &Acls<'_>) -> Result<bool, Unknown> {
        let mut any = false;
        let mut group = true;
        let mut k = 0;
        let mut unknown: Option<Unknown> = None;
        let finish_group = |group: bool, any: &mut bool| *any |= group;
        while k < words.len() {
            let w = words[k].as_str();
            if w == "||" || w == "or" {
                finish_group(group, &mut any);
                group = true;
                k += 1;
                continue;
            }
            let (neg, w) = match w.strip_prefix('!') {
                Some("") => {
                    k += 1;
                    (true, words.get(k).map_or("", String::as_str))
                }
                Some(r) => (true, r),
                None => (false, w),
            };
            let term = if w == "{" {
                let end = words[k..].iter().position(|x| x == "}").map_or(words.len(), |e| k + e);
                let r = self.criterion(&words[k + 1..end]);
                k = end + 1;
                r
            } else {
                k += 1;
                self.acl(w, acls)
            };
            match term {
                Ok(t) => group &= t != neg,
                Err(u) => {
                    unknown.get_or_insert(u);
                    group = false;
                }
            }
        }
        finish_group(group, &mut any);
        match unknown {
            Some(u) if !any => Err(u),
            _ => Ok(any == positive),
        }
    }

    fn acl(&mut self, name: &str, acls: &Acls<'_>) -> Result<bool, Unknown> {
        match name {
            "TRUE" => return Ok(true),
            "FALSE" => return Ok(false),
            "HTTP" => return Ok(self.st.http),
            "METH_GET" => return Ok(self.st.method == "GET" || self.st.method == "HEAD"),
            _ => {}
        }
        let defs = acls.get(name).ok_or_else(|| Unknown(format!("ACL `{name}` is not defined")))?;
        let mut unknown = None;
        for d in defs {
            match self.criterion(d) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(u) => unknown = Some(u),
            }
        }
        match unknown {
            Some(u) => Err(u),
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::request::{parse, Sni};

    struct NoFiles;
    impl Files for NoFiles {
        fn lookup(&self, _: &str, _: &str, _: &str) -> (Option<MapHit>, Vec<usize>, bool) {
            (None, Vec::new(), false)
        }
        fn patterns(&self, _: &str) -> Option<Vec<String>> {
            Some(vec!["10.0.0.0/8".into(), "192.168.1.1".into()])
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn fetches_converters_and_acls() {
        let req = parse("http://Web.Test:8080/a?q=1", &Sni::FromHost, Some("10.1.2.3"), &[]).unwrap();
        let st = State::new(&req, 80);
        let mut ev = Eval { st: &st, files: &NoFiles, lookups: Vec::new() };
        assert_eq!(ev.expr("base").unwrap(), Some(Val::Str("Web.Test:8080/a".into())));
        assert_eq!(ev.expr("req.hdr(host),lower").unwrap(), Some(Val::Str("web.test:8080".into())));
        assert_eq!(ev.format("https://%[req.hdr(host),regsub(:[0-9]+$,,)]%[url]").unwrap(), "https://Web.Test/a?q=1");
        let acls = Acls::new();
        assert!(ev.condition(true, &words("{ src 10.0.0.0/8 }"), &acls).unwrap());
        assert!(ev.condition(true, &words("{ src -f x.txt }"), &acls).unwrap());
        assert!(!ev.condition(true, &words("{ hdr_len(content-length) 0 }"), &acls).unwrap());
        assert!(ev.condition(true, &words("!{ ssl_fc }"), &acls).unwrap());
        assert!(ev.condition(true, &words("FALSE || { path_beg /a }"), &acls).unwrap());
        assert!(ev.condition(false, &words("{ path_beg /b }"), &acls).unwrap());
        assert!(ev.condition(true, &words("{ sc_conn_rate(0) gt 5 }"), &acls).is_err());
        let re = pcre("^/a/(.*)", false).unwrap();
        assert_eq!(substitute(&re, "/a/x", r"/v2/\1$\\", false), r"/v2/x$\");
    }
}
