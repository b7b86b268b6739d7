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
    /// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`. An empty string selects everything.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for part in split_top(s) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            reqs.push(parse_req(p)?);
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
}
