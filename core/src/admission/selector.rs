//! Kubernetes label and field selectors, as used by `ROUTE_LABELS`, `NAMESPACE_LABELS` and
//! `ROUTE_FIELDS` to decide which objects a router shard sees at all.

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed selector; every requirement must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    reqs: Vec<Req>,
}

impl Selector {
    /// Parses a label selector, `a=b,c!=d,e in (x,y),f notin (z),g,!h`, refusing what
    /// Kubernetes `labels.Parse` refuses: keys that are not qualified names and values that are
    /// not label values (so `a==b==c` is an error). An empty string selects everything.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for part in split_top(s) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            let req = parse_req(p)?;
            check_label_req(&req)?;
            reqs.push(req);
        }
        Ok(Self { reqs })
    }

    /// Parses a field selector as Kubernetes `fields.ParseSelector` does: `key=value`,
    /// `key==value` and `key!=value` terms split on unescaped commas; in values `\\`, `\,`,
    /// `\=` and `\!` are escapes and an unescaped `,`, `=` or `!` is an error.
    pub fn parse_fields(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for term in split_unescaped(s) {
            if term.is_empty() {
                continue;
            }
            let (k, op, v) =
                split_term(term).ok_or_else(|| format!("invalid selector: '{s}'; can't understand '{term}'"))?;
            let v = unescape_field(v)?;
            reqs.push(if op == "!=" { Req::Ne(k.to_owned(), v) } else { Req::Eq(k.to_owned(), v) });
        }
        Ok(Self { reqs })
    }

    /// True when `get` (a label or field lookup) satisfies every requirement.
    pub fn matches<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.reqs.iter().all(|r| match r {
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::Ne(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Req::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }
}

/// Splits on commas outside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

fn parse_req(p: &str) -> Result<Req, String> {
    if let Some(k) = p.strip_prefix('!') {
        return Ok(Req::NotExists(key(k)?));
    }
    if let Some((k, v)) = p.split_once("!=") {
        return Ok(Req::Ne(key(k)?, v.trim().to_owned()));
    }
    if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
        return Ok(Req::Eq(key(k)?, v.trim().to_owned()));
    }
    for (op, notin) in [(" notin ", true), (" in ", false)] {
        if let Some((k, rest)) = p.split_once(op) {
            let rest = rest.trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("expected a parenthesised value list in `{p}`"))?;
            let vals = inner.split(',').map(|v| v.trim().to_owned()).collect();
            let k = key(k)?;
            return Ok(if notin { Req::NotIn(k, vals) } else { Req::In(k, vals) });
        }
    }
    Ok(Req::Exists(key(p)?))
}

/// Splits a field selector on commas not preceded by a backslash escape.
fn split_unescaped(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut escaped) = (0usize, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            out.push(s.get(start..i).unwrap_or(""));
            start = i + 1;
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out
}

/// The first unescaped `!=`, `==` or `=` of a field term.
fn split_term(t: &str) -> Option<(&str, &'static str, &str)> {
    let mut escaped = false;
    for (i, c) in t.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        let rest = t.get(i..)?;
        for op in ["!=", "==", "="] {
            if rest.starts_with(op) {
                return Some((t.get(..i)?, op, t.get(i + op.len()..)?));
            }
        }
    }
    None
}

fn unescape_field(v: &str) -> Result<String, String> {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | ',' | '=' | '!')) => out.push(e),
                _ => return Err(format!("invalid field selector: invalid escape sequence: {v}")),
            },
            ',' | '=' | '!' => {
                return Err(format!("invalid field selector: unescaped characters ({c}) in value: {v}"));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn check_label_req(r: &Req) -> Result<(), String> {
    let (k, vals): (&str, Vec<&str>) = match r {
        Req::Eq(k, v) | Req::Ne(k, v) => (k, vec![v.as_str()]),
        Req::In(k, vs) | Req::NotIn(k, vs) => (k, vs.iter().map(String::as_str).collect()),
        Req::Exists(k) | Req::NotExists(k) => (k, Vec::new()),
    };
    if !is_qualified_name(k) {
        return Err(format!("invalid label key \"{k}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
    }
    if let Some(v) = vals.into_iter().find(|v| !is_label_value(v)) {
        return Err(format!("invalid label value: \"{v}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
    }
    Ok(())
}

/// Kubernetes `IsQualifiedName`: an optional DNS subdomain prefix and `/`, then a name.
fn is_qualified_name(k: &str) -> bool {
    let name = match k.split_once('/') {
        Some((prefix, name)) => {
            if prefix.is_empty() || !crate::startup::is_dns1123_subdomain(prefix) {
                return false;
            }
            name
        }
        None => k,
    };
    !name.is_empty() && is_label_value(name)
}

/// Kubernetes `IsValidLabelValue`: empty, or at most 63 alphanumerics, `-`, `_`, `.` that start
/// and end alphanumeric.
fn is_label_value(v: &str) -> bool {
    let b = v.as_bytes();
    match (b.first(), b.last()) {
        (None, _) => true,
        (Some(f), Some(e)) => {
            b.len() <= 63
                && f.is_ascii_alphanumeric()
                && e.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

fn key(k: &str) -> Result<String, String> {
    let k = k.trim();
    if k.is_empty() || k.contains(char::is_whitespace) {
        return Err(format!("invalid selector key `{k}`"));
    }
    Ok(k.to_owned())
}

#[cfg(test)]
mod tests {
    use super::Selector;

    fn check(sel: &str, labels: &[(&str, &str)], expect: bool) {
        let s = Selector::parse(sel).unwrap();
        let got = s.matches(|k| labels.iter().find(|(lk, _)| *lk == k).map(|(_, v)| *v));
        assert_eq!(got, expect, "{sel} on {labels:?}");
    }

    #[test]
    fn selectors() {
        check("type=sharded,tier!=internal", &[("type", "sharded")], true);
        check("type=sharded,tier!=internal", &[("type", "sharded"), ("tier", "internal")], false);
        check("environment in (production,staging)", &[("environment", "staging")], true);
        check("environment in (production,staging)", &[], false);
        check("environment notin (dev)", &[], true);
        check("!x,y", &[("y", "1")], true);
        check("", &[], true);
    }

    #[test]
    fn malformed_selectors_are_refused() {
        for bad in ["a==b==c", "a=b=c", "a b", "-a=b", "a in (x y)", "a=-b"] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
        assert!(Selector::parse("app.kubernetes.io/name=web,tier in (a, b)").is_ok());
        assert!(Selector::parse_fields("spec.host=a==b").is_err());
        assert!(Selector::parse_fields("spec.host=a\\=b").is_ok());
        let f = Selector::parse_fields("spec.host!=r1.t.test,metadata.name=x").unwrap();
        assert!(f.matches(|k| (k == "metadata.name").then_some("x")));
    }
}
