//! Host names: the API server's allocation from the ingress domain, generation from `spec.subdomain` and the hostname template (spec §2.2), DNS-1123
//! validation with the router's exact messages (§2.5), and domain-list matching (§2.1).

use crate::settings::Settings;

/// What openshift-apiserver does when a route is created with neither `spec.host` nor
/// `spec.subdomain` and the cluster has an ingress domain: the host becomes
/// `<name>-<namespace>.<domain>`, with dots in the name turned into dashes so the first label
/// stays one label. The route's name span stands in for the host's, which the file lacks.
pub fn allocate(routes: &mut [Box<crate::objects::Route>], domain: &str) {
    for r in routes.iter_mut().filter(|r| r.host.is_empty() && r.subdomain.is_empty()) {
        if r.meta.name.is_empty() {
            continue;
        }
        let host = format!("{}-{}.{domain}", r.meta.name.as_str().replace('.', "-"), r.meta.namespace.as_str());
        r.host = crate::objects::Str { value: host, span: r.meta.name.span };
    }
}

/// Applies `RouteUpdate`: returns the host the router would use for a route.
pub fn generate(host: &str, subdomain: &str, name: &str, namespace: &str, settings: &Settings) -> String {
    let mut host = host.to_owned();
    if host.is_empty() && !subdomain.is_empty() {
        if let Some(domain) = settings.get("ROUTER_DOMAIN") {
            host = format!("{subdomain}.{domain}");
        }
    }
    let Some(template) = settings.get("ROUTER_SUBDOMAIN") else { return host };
    let override_all = settings.is_true("ROUTER_OVERRIDE_HOSTNAME");
    let domains = override_domains(settings);
    if !override_all && !host.is_empty() && !in_domain_list(&host, &domains) {
        return host;
    }
    match expand(template, name, namespace) {
        Some(h) => h.trim_matches(['"', '\'']).to_owned(),
        None => host,
    }
}

/// `ROUTER_OVERRIDE_DOMAINS` as a list.
fn override_domains(settings: &Settings) -> Vec<String> {
    comma_list(settings.env("ROUTER_OVERRIDE_DOMAINS", ""))
}

/// A comma-separated list, trimmed, without empty items.
pub fn comma_list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `expandStrict` over Go's `os.Expand`: `$name`, `${name}`, `$namespace`, `${namespace}` are
/// replaced; any other variable (including the one-character shell specials such as `$1`) fails
/// the expansion. Like `os.Expand`, `${}` and an unterminated `${` are silently eaten, and a `$`
/// not followed by a name (`$.`, or `$` at the end) is kept.
fn expand(template: &str, name: &str, namespace: &str) -> Option<String> {
    let b = template.as_bytes();
    let mut out = String::with_capacity(template.len() + name.len() + namespace.len());
    let (mut i, mut j) = (0usize, 0usize);
    let mut unmatched = false;
    while j < b.len() {
        if b[j] == b'$' && j + 1 < b.len() {
            out.push_str(template.get(i..j)?);
            let (var, w) = shell_name(template.get(j + 1..)?);
            match var {
                "" if w > 0 => {}
                "" => out.push('$'),
                "name" => out.push_str(name),
                "namespace" => out.push_str(namespace),
                _ => unmatched = true,
            }
            j += w;
            i = j + 1;
        }
        j += 1;
    }
    out.push_str(template.get(i.min(b.len())..)?);
    (!unmatched).then_some(out)
}

/// Go's `getShellName`: the variable name at the start of `s` (which is not empty) and how many
/// bytes it takes.
fn shell_name(s: &str) -> (&str, usize) {
    let b = s.as_bytes();
    let special = |c: u8| b"*#$@!?-0123456789".contains(&c);
    if b.first() == Some(&b'{') {
        if b.len() > 2 && special(b[1]) && b[2] == b'}' {
            return (s.get(1..2).unwrap_or(""), 3);
        }
        return match b.iter().skip(1).position(|&c| c == b'}') {
            Some(0) => ("", 2),
            Some(p) => (s.get(1..p + 1).unwrap_or(""), p + 2),
            None => ("", 1),
        };
    }
    if b.first().is_some_and(|&c| special(c)) {
        return (s.get(..1).unwrap_or(""), 1);
    }
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
    (s.get(..n).unwrap_or(""), n)
}

/// `hostInDomainList`: the host or any suffix after a leading label is in the list.
pub fn in_domain_list(host: &str, list: &[String]) -> bool {
    if list.iter().any(|d| d == host) {
        return true;
    }
    let mut h = host;
    while let Some(i) = h.find('.') {
        if i == 0 {
            break;
        }
        h = h.get(i + 1..).unwrap_or("");
        if list.iter().any(|d| d == h) {
            return true;
        }
    }
    false
}

/// Everything after the first `.`, or "" without a dot.
pub fn domain_of(host: &str) -> &str {
    host.split_once('.').map_or("", |(_, d)| d)
}

pub(crate) fn is_label(l: &str) -> bool {
    let b = l.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(e)) => {
            (f.is_ascii_lowercase() || f.is_ascii_digit())
                && (e.is_ascii_lowercase() || e.is_ascii_digit())
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        }
        _ => false,
    }
}

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// What is wrong with an invalid host, in a few words.
pub fn problem(host: &str) -> String {
    if host.len() > 253 {
        return format!("is {} characters long; the limit is 253", host.len());
    }
    if let Some(l) = host.split('.').find(|l| l.len() > 63) {
        return format!("has a label of {} characters (`{}…`); the limit is 63", l.len(), l.get(..16).unwrap_or(l));
    }
    if host.split('.').any(str::is_empty) {
        return "has an empty label (a leading, trailing or doubled dot)".to_owned();
    }
    match host.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.')) {
        Some(c) if c.is_ascii_uppercase() => "has upper-case letters".to_owned(),
        Some(c) => format!("contains `{}`, which a DNS name cannot", c.escape_debug()),
        None => "has a label that starts or ends with `-`".to_owned(),
    }
}

/// The router's host validation errors, empty when the host is valid.
pub fn validation_errors(host: &str) -> Vec<String> {
    let invalid = |msg: &str| format!("spec.host: Invalid value: \"{host}\": {msg}");
    let mut errs = Vec::new();
    let subdomain_ok = host.len() <= 253 && host.split('.').all(is_label);
    if !subdomain_ok {
        errs.push(invalid("host must conform to DNS 952 subdomain conventions"));
    }
    for label in host.split('.') {
        let mut le = Vec::new();
        if label.len() > 63 {
            le.push("must be no more than 63 characters");
        }
        if !is_label(label) {
            le.push(LABEL_MSG);
        }
        if !le.is_empty() {
            errs.push(invalid(&le.join(", ")));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_validation_limits() {
        assert!(validation_errors("www.example.test").is_empty());
        assert!(validation_errors(&format!("{}.example.com", "a".repeat(63))).is_empty());
        assert_eq!(validation_errors(&format!("{}.example.com", "a".repeat(64))).len(), 1);
        let long = vec!["a".repeat(63); 4].join(".");
        assert_eq!(long.len(), 255);
        assert!(!validation_errors(&long).is_empty());
        assert!(validation_errors(&long[..253]).is_empty());
    }

    #[test]
    fn generation() {
        let mut s = Settings::new();
        s.set("ROUTER_SUBDOMAIN", "${name}-${namespace}.apps.example.com");
        assert_eq!(generate("", "", "frontend", "shop", &s), "frontend-shop.apps.example.com");
        assert_eq!(generate("given.example.com", "", "frontend", "shop", &s), "given.example.com");
        s.set("ROUTER_SUBDOMAIN", "$foo.x");
        assert_eq!(generate("", "", "a", "b", &s), "");
    }

    #[test]
    fn expansion_is_go_os_expand() {
        for (template, want) in [
            ("${}x-${name}.t.test", Some("x-r1.t.test")),
            ("${name.t.test", Some("name.t.test")),
            ("${name}$.t.test", Some("r1$.t.test")),
            ("${name}${}.t.test", Some("r1.t.test")),
            ("$name-$namespace.t.test$", Some("r1-ns1.t.test$")),
            ("${name}-$1.t.test", None),
            ("${name}-${x}.t.test", None),
            ("$$name", None),
            ("a${", Some("a")),
        ] {
            assert_eq!(expand(template, "r1", "ns1").as_deref(), want, "{template}");
        }
    }

    #[test]
    fn domain_lists() {
        let l = vec!["example.com".to_owned()];
        assert!(in_domain_list("a.b.example.com", &l));
        assert!(!in_domain_list("example.org", &l));
        assert_eq!(domain_of("www.edge.acme.test"), "edge.acme.test");
        assert_eq!(domain_of("test"), "");
    }
}
