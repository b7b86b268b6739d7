//! TLS security profiles (`Old`, `Intermediate`, `Modern`, `Custom`) as the operator turns them
//! into the router's `ROUTER_CIPHERS`, `ROUTER_CIPHERSUITES`, `ROUTER_CURVES` and
//! `SSL_MIN_VERSION`. The profile is the IngressController's when it names a type, else the
//! APIServer config's, else `Intermediate`. The cipher lists are the openshift/api profile
//! definitions (Mozilla's server-side TLS guidelines 5.8), not copied text. FIPS mode is
//! assumed off: on a FIPS cluster the operator also drops non-FIPS TLS 1.3 suites and groups.

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::tree::Node;

use super::fields::Fields;
use super::{Origin, Setting};

/// TLS 1.3 cipher suites: these go to `ROUTER_CIPHERSUITES`, everything else to
/// `ROUTER_CIPHERS`.
const TLS13: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
];

const MODERN: &[&str] = &["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];

const INTERMEDIATE_TLS12: &[&str] = &[
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
];

const OLD_EXTRA: &[&str] = &[
    "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA256",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA384",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
    "AES128-SHA256",
    "AES256-SHA256",
    "AES128-SHA",
    "AES256-SHA",
    "DES-CBC3-SHA",
];

/// The groups of the three named profiles.
const PROFILE_GROUPS: &[&str] = &["X25519MLKEM768", "X25519", "secp256r1", "secp384r1"];
/// The operator's groups when the profile lists none (a Custom profile without `groups`).
const DEFAULT_GROUPS: &[&str] = &["X25519MLKEM768", "X25519", "secp256r1", "secp384r1", "secp521r1"];

const VERSIONS: &[&str] = &["VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"];

/// The named profile's ciphers (TLS 1.3 suites first, as openshift/api lists them).
fn named_ciphers(name: &str) -> Vec<&'static str> {
    let mut v = MODERN.to_vec();
    if name != "Modern" {
        v.extend_from_slice(INTERMEDIATE_TLS12);
    }
    if name == "Old" {
        v.extend_from_slice(OLD_EXTRA);
    }
    v
}

/// Who holds the profile: the IngressController or the APIServer config.
pub(crate) enum Holder {
    IngressController,
    ApiServer,
}

impl Holder {
    fn origin(&self, path: String, span: Option<Span>) -> Origin {
        match self {
            Holder::IngressController => Origin::IngressController { path, span },
            Holder::ApiServer => Origin::ClusterConfig { object: "apiservers.config.openshift.io/cluster", path, span },
        }
    }
}

/// Derives the four TLS settings. `profile` is the chosen `tlsSecurityProfile` node (with its
/// holder), or `None` for the operator's default, `Intermediate`.
pub(crate) fn settings(
    profile: Option<(&Node<'static>, Holder)>,
    f: &mut Fields<'_>,
    rejections: &mut Vec<(String, Option<Span>)>,
    out: &mut Vec<Setting>,
) {
    let base = "spec.tlsSecurityProfile";
    let Some((node, holder)) = profile else {
        named("Intermediate", None, out);
        return;
    };
    let (ty, ty_span) =
        match f.one_of(Some(node), "type", &format!("{base}.type"), &["Old", "Intermediate", "Modern", "Custom"]) {
            Some(t) => t,
            None => {
                named("Intermediate", None, out);
                return;
            }
        };
    if ty != "Custom" {
        named(ty, Some(holder.origin(format!("{base}.type"), Some(ty_span))), out);
        return;
    }
    let custom = f.map(Some(node), "custom", &format!("{base}.custom"));
    let Some(custom) = custom else {
        rejections.push(("security profile is not defined".to_owned(), Some(ty_span)));
        // The operator's derivation falls back to an empty spec.
        let o = holder.origin(format!("{base}.type"), Some(ty_span));
        push(out, "ROUTER_CIPHERS", String::new(), o.clone());
        curves(&[], None, out);
        push(out, "SSL_MIN_VERSION", "TLSv1.2".to_owned(), o);
        return;
    };
    let cpath = format!("{base}.custom.ciphers");
    let cnode = custom.get("ciphers");
    let mut ciphers = Vec::new();
    for item in f.seq(Some(custom), "ciphers", &cpath) {
        if let Some((c, _)) = f.as_string(item, &format!("{cpath}[]")) {
            ciphers.push(c);
        }
    }
    let gpath = format!("{base}.custom.groups");
    let gnode = custom.get("groups");
    let mut groups = Vec::new();
    for item in f.seq(Some(custom), "groups", &gpath) {
        if let Some((g, _)) = f.as_string(item, &format!("{gpath}[]")) {
            groups.push(g);
        }
    }
    let vpath = format!("{base}.custom.minTLSVersion");
    let version = f.string(Some(custom), "minTLSVersion", &vpath);
    validate(&ciphers, version.as_ref(), cnode.map(|n| n.span).or(Some(custom.span)), rejections);

    let corigin = holder.origin(cpath, cnode.map(|n| n.span));
    let (tls13, other): (Vec<&String>, Vec<&String>) = ciphers.iter().partition(|c| TLS13.contains(&c.as_str()));
    push(out, "ROUTER_CIPHERS", join(&other), corigin.clone());
    if !tls13.is_empty() {
        push(out, "ROUTER_CIPHERSUITES", join(&tls13), corigin);
    }
    let g: Vec<&str> = groups.iter().map(String::as_str).collect();
    curves(&g, Some(holder.origin(gpath, gnode.map(|n| n.span))), out);
    let min = min_version(version.as_ref().map(|(v, _)| v.as_str()).unwrap_or(""));
    let vorigin = match &version {
        Some((_, span)) => holder.origin(vpath, Some(*span)),
        None => Origin::Operator { note: format!("operator default: {vpath} unset") },
    };
    push(out, "SSL_MIN_VERSION", min.to_owned(), vorigin);
}

fn named(name: &str, origin: Option<Origin>, out: &mut Vec<Setting>) {
    let origin = origin.unwrap_or_else(|| Origin::Operator {
        note: "operator default: no TLS profile on the IngressController or the APIServer config (Intermediate)"
            .to_owned(),
    });
    let ciphers = named_ciphers(name);
    let (tls13, other): (Vec<&str>, Vec<&str>) = ciphers.iter().partition(|c| TLS13.contains(c));
    push(out, "ROUTER_CIPHERS", other.join(":"), origin.clone());
    push(out, "ROUTER_CIPHERSUITES", tls13.join(":"), origin.clone());
    push(out, "ROUTER_CURVES", PROFILE_GROUPS.join(":"), origin.clone());
    let min = match name {
        "Old" => "VersionTLS10",
        "Modern" => "VersionTLS13",
        _ => "VersionTLS12",
    };
    push(out, "SSL_MIN_VERSION", min_version(min).to_owned(), origin);
}

fn curves(groups: &[&str], origin: Option<Origin>, out: &mut Vec<Setting>) {
    if groups.is_empty() {
        let o = Origin::Operator { note: "operator default: the profile lists no groups".to_owned() };
        push(out, "ROUTER_CURVES", DEFAULT_GROUPS.join(":"), o);
    } else if let Some(o) = origin {
        push(out, "ROUTER_CURVES", groups.join(":"), o);
    }
}

/// The operator's version mapping: TLS 1.0 is raised to 1.1; unknown or empty means 1.2.
fn min_version(v: &str) -> &'static str {
    match v {
        "VersionTLS10" | "VersionTLS11" => "TLSv1.1",
        "VersionTLS13" => "TLSv1.3",
        _ => "TLSv1.2",
    }
}

/// The operator's checks of a Custom profile (each failure keeps the IngressController from
/// being admitted).
fn validate(
    ciphers: &[String],
    version: Option<&(String, Span)>,
    at: Option<Span>,
    rejections: &mut Vec<(String, Option<Span>)>,
) {
    let v = version.map_or("", |(v, _)| v.as_str());
    if ciphers.is_empty() {
        rejections.push(("security profile has an empty ciphers list".to_owned(), at));
    } else {
        let bad: Vec<&str> = ciphers
            .iter()
            .map(String::as_str)
            .filter(|c| !looks_like_cipher(c.strip_prefix('!').unwrap_or(c)))
            .collect();
        if !bad.is_empty() {
            rejections.push((format!("security profile has invalid ciphers: {}", bad.join(", ")), at));
        }
        let all13 = ciphers.iter().all(|c| TLS13.contains(&c.as_str()));
        let any13 = ciphers.iter().any(|c| TLS13.contains(&c.as_str()));
        match v {
            "VersionTLS10" | "VersionTLS11" | "VersionTLS12" if all13 => rejections.push((
                format!("security profile specifies minTLSVersion: {v} and contains only TLSv1.3 cipher suites"),
                at,
            )),
            "VersionTLS13" if !any13 => rejections.push((
                format!("security profile specifies minTLSVersion: {v} and contains no TLSv1.3 cipher suites"),
                at,
            )),
            _ => {}
        }
    }
    if !VERSIONS.contains(&v) {
        rejections.push((
            format!("security profile has invalid minimum security protocol version: \"{v}\""),
            version.map(|(_, s)| *s).or(at),
        ));
    }
}

/// `^[A-Za-z][A-Za-z0-9_+-]+$`, the operator's test for a cipher name.
fn looks_like_cipher(c: &str) -> bool {
    let b = c.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1..].iter().all(|x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'+' | b'-'))
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(":")
}

fn push(out: &mut Vec<Setting>, key: &str, value: String, origin: Origin) {
    out.push(Setting { key: key.to_owned(), value, origin });
}

/// The diagnostic for one operator rejection.
pub(crate) fn rejection(object: &str, msg: &str, at: Option<Span>) -> Diagnostic {
    Diagnostic::error("routec::ingress::rejected", format!("{object} is not admitted by the operator: {msg}"))
        .at_opt(at, "the operator refuses this")
        .help("the operator leaves the router Deployment as it was while the IngressController is not admitted; routec still shows what the fields would give")
}

/// Reports every rejection.
pub(crate) fn report(object: &str, rejections: Vec<(String, Option<Span>)>, diags: &mut Diagnostics) {
    for (msg, at) in rejections {
        diags.push(rejection(object, &msg, at));
    }
}
