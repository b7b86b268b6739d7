//! Strict decoding, the way `kubectl apply --validate=strict` and the API server's decoder see
//! a manifest: every field of the kinds routec reads is checked against the kind's schema
//! before a reader runs. Unknown fields are warnings with "did you mean" (the API server
//! would refuse them under strict validation), duplicate mapping keys are errors at the second
//! key, and a value of the wrong type (a string where an integer belongs, a number or
//! boolean where a string belongs) is an error naming the expected type. Values are never
//! quoted back in messages, so a Secret's data stays out of the output. One walk per object;
//! the readers then take only what fits.

use crate::diag::{Diagnostic, Diagnostics};
use crate::suggest::closest;
use crate::tree::{Node, Value};

/// The type of a field, as Go's JSON decoder sees the Kubernetes type.
pub(super) enum Ty {
    /// `string`.
    Str,
    /// An integer type.
    Int,
    /// `bool`.
    Bool,
    /// `intstr.IntOrString`.
    IntOrStr,
    /// `map[string]string`.
    StrMap,
    /// A struct with these fields.
    Obj(&'static [(&'static str, Ty)]),
    /// A slice of this type.
    List(&'static Ty),
    /// Not checked below this point (status, managedFields and the like); duplicate keys still
    /// are.
    Any,
    /// Not checked at all: a Secret's data, whose lines would show key material in a
    /// diagnostic's snippet.
    Opaque,
}

use Ty::{Any, Bool, Int, IntOrStr, List, Obj, Opaque, Str, StrMap};

const OBJECT_REF: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("name", Str),
    ("namespace", Str),
    ("uid", Str),
    ("resourceVersion", Str),
    ("fieldPath", Str),
]);

const META: Ty = Obj(&[
    ("name", Str),
    ("generateName", Str),
    ("namespace", Str),
    ("selfLink", Str),
    ("uid", Str),
    ("resourceVersion", Str),
    ("generation", Int),
    ("creationTimestamp", Str),
    ("deletionTimestamp", Str),
    ("deletionGracePeriodSeconds", Int),
    ("labels", StrMap),
    ("annotations", StrMap),
    ("ownerReferences", Any),
    ("finalizers", List(&Str)),
    ("managedFields", Any),
]);

const BACKEND: Ty = Obj(&[("kind", Str), ("name", Str), ("weight", Int)]);

const HEADER: Ty = Obj(&[("name", Str), ("action", Obj(&[("type", Str), ("set", Obj(&[("value", Str)]))]))]);

const ROUTE: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("metadata", META),
    (
        "spec",
        Obj(&[
            ("host", Str),
            ("subdomain", Str),
            ("path", Str),
            ("to", BACKEND),
            ("alternateBackends", List(&BACKEND)),
            ("port", Obj(&[("targetPort", IntOrStr)])),
            (
                "tls",
                Obj(&[
                    ("termination", Str),
                    ("certificate", Str),
                    ("key", Str),
                    ("caCertificate", Str),
                    ("destinationCACertificate", Str),
                    ("insecureEdgeTerminationPolicy", Str),
                    ("externalCertificate", Obj(&[("name", Str)])),
                ]),
            ),
            ("wildcardPolicy", Str),
            ("httpHeaders", Obj(&[("actions", Obj(&[("request", List(&HEADER)), ("response", List(&HEADER))]))])),
        ]),
    ),
    ("status", Any),
]);

const SERVICE_PORT: Ty = Obj(&[
    ("name", Str),
    ("protocol", Str),
    ("appProtocol", Str),
    ("port", Int),
    ("targetPort", IntOrStr),
    ("nodePort", Int),
]);

const SERVICE: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("metadata", META),
    (
        "spec",
        Obj(&[
            ("ports", List(&SERVICE_PORT)),
            ("selector", StrMap),
            ("clusterIP", Str),
            ("clusterIPs", List(&Str)),
            ("type", Str),
            ("externalIPs", List(&Str)),
            ("sessionAffinity", Str),
            ("loadBalancerIP", Str),
            ("loadBalancerSourceRanges", List(&Str)),
            ("externalName", Str),
            ("externalTrafficPolicy", Str),
            ("healthCheckNodePort", Int),
            ("publishNotReadyAddresses", Bool),
            ("sessionAffinityConfig", Any),
            ("ipFamilies", List(&Str)),
            ("ipFamilyPolicy", Str),
            ("allocateLoadBalancerNodePorts", Bool),
            ("loadBalancerClass", Str),
            ("internalTrafficPolicy", Str),
            ("trafficDistribution", Str),
        ]),
    ),
    ("status", Any),
]);

const ENDPOINT_PORT: Ty = Obj(&[("name", Str), ("port", Int), ("protocol", Str), ("appProtocol", Str)]);

const ADDRESS: Ty = Obj(&[("ip", Str), ("hostname", Str), ("nodeName", Str), ("targetRef", OBJECT_REF)]);

const ENDPOINTS: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("metadata", META),
    (
        "subsets",
        List(&Obj(&[
            ("addresses", List(&ADDRESS)),
            ("notReadyAddresses", List(&ADDRESS)),
            ("ports", List(&ENDPOINT_PORT)),
        ])),
    ),
]);

const SLICE: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("metadata", META),
    ("addressType", Str),
    (
        "endpoints",
        List(&Obj(&[
            ("addresses", List(&Str)),
            ("conditions", Obj(&[("ready", Bool), ("serving", Bool), ("terminating", Bool)])),
            ("hostname", Str),
            ("targetRef", OBJECT_REF),
            ("nodeName", Str),
            ("zone", Str),
            ("hints", Any),
            ("deprecatedTopology", StrMap),
        ])),
    ),
    ("ports", List(&ENDPOINT_PORT)),
]);

const NAMESPACE: Ty = Obj(&[("apiVersion", Str), ("kind", Str), ("metadata", META), ("spec", Any), ("status", Any)]);

const SECRET: Ty = Obj(&[
    ("apiVersion", Str),
    ("kind", Str),
    ("metadata", META),
    ("type", Str),
    ("data", Opaque),
    ("stringData", Opaque),
    ("immutable", Bool),
]);

/// The schema of a kind routec reads, by API group and kind.
pub(super) fn of(group: &str, kind: &str) -> Option<&'static Ty> {
    Some(match (group, kind) {
        ("route.openshift.io", "Route") => &ROUTE,
        ("", "Service") => &SERVICE,
        ("", "Endpoints") => &ENDPOINTS,
        ("discovery.k8s.io", "EndpointSlice") => &SLICE,
        ("", "Namespace") | ("project.openshift.io", "Project") => &NAMESPACE,
        ("", "Secret") => &SECRET,
        _ => return None,
    })
}

/// What a plain (unquoted) YAML or JSON scalar decodes to, as sigs.k8s.io/yaml (YAML 1.1
/// resolution) and Go's JSON decoder see it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plain {
    Int,
    Float,
    Bool,
    Str,
}

fn plain(text: &str) -> Plain {
    const BOOLS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&text) {
        return Plain::Bool;
    }
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Plain::Int;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let float_chars = t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if digits > 0 && float_chars && t.bytes().filter(|b| *b == b'.').count() <= 1 && t.parse::<f64>().is_ok() {
        return Plain::Float;
    }
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Plain::Float;
    }
    Plain::Str
}

/// Checks one object against its schema, reporting into `diags`.
pub(super) fn check(doc: &Node<'_>, ty: &Ty, diags: &mut Diagnostics) {
    let mut path = String::new();
    walk(doc, ty, &mut path, diags);
}

fn found(node: &Node<'_>) -> &'static str {
    match &node.value {
        Value::Scalar { quoted: true, .. } => "a string",
        Value::Scalar { text, .. } => match plain(text) {
            Plain::Int => "an integer",
            Plain::Float => "a number",
            Plain::Bool => "a boolean",
            Plain::Str => "a string",
        },
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Null => "null",
    }
}

fn wrong(node: &Node<'_>, path: &str, expected: &str, diags: &mut Diagnostics) {
    let mut d =
        Diagnostic::error("routec::input::wrong-type", format!("`{path}` must be {expected}, found {}", found(node)))
            .at(node.span, format!("expected {expected}"));
    if expected == "a string" && matches!(node.value, Value::Scalar { quoted: false, .. }) {
        d = d.help(
            "quote the value: YAML reads it as a number or a boolean, and Kubernetes refuses that for a string field",
        );
    } else if expected == "an integer" && matches!(node.value, Value::Scalar { quoted: true, .. }) {
        d = d.help("remove the quotes: this field holds a number");
    }
    diags.push(d);
}

fn walk(node: &Node<'_>, ty: &Ty, path: &mut String, diags: &mut Diagnostics) {
    if node.is_null() {
        return;
    }
    let plain_kind = match &node.value {
        Value::Scalar { text, quoted: false } => Some(plain(text)),
        _ => None,
    };
    let is_scalar = matches!(node.value, Value::Scalar { .. });
    match ty {
        Str if !is_scalar || plain_kind.is_some_and(|p| p != Plain::Str) => wrong(node, path, "a string", diags),
        Int if plain_kind != Some(Plain::Int) => wrong(node, path, "an integer", diags),
        Bool if plain_kind != Some(Plain::Bool) => wrong(node, path, "a boolean", diags),
        IntOrStr if !is_scalar || matches!(plain_kind, Some(Plain::Bool | Plain::Float)) => {
            wrong(node, path, "an integer or a string", diags);
        }
        Str | Int | Bool | IntOrStr | Opaque => {}
        StrMap => match node.as_map() {
            Some(entries) => {
                duplicates(entries, path, diags);
                for (k, v) in entries {
                    let len = push(path, &k.text);
                    walk(v, &Str, path, diags);
                    path.truncate(len);
                }
            }
            None => wrong(node, path, "a mapping", diags),
        },
        Obj(fields) => match node.as_map() {
            Some(entries) => {
                duplicates(entries, path, diags);
                for (k, v) in entries {
                    let len = push(path, &k.text);
                    match fields.iter().find(|(name, _)| *name == k.text) {
                        Some((_, t)) => walk(v, t, path, diags),
                        None => {
                            unknown(k, path, fields, diags);
                            walk(v, &Any, path, diags);
                        }
                    }
                    path.truncate(len);
                }
            }
            None => wrong(node, path, "a mapping", diags),
        },
        List(item) => match node.as_seq() {
            Some(items) => {
                for it in items {
                    let len = path.len();
                    path.push_str("[]");
                    walk(it, item, path, diags);
                    path.truncate(len);
                }
            }
            None => wrong(node, path, "a list", diags),
        },
        Any => match &node.value {
            Value::Map(entries) => {
                duplicates(entries, path, diags);
                for (k, v) in entries {
                    let len = push(path, &k.text);
                    walk(v, &Any, path, diags);
                    path.truncate(len);
                }
            }
            Value::Seq(items) => items.iter().for_each(|it| walk(it, &Any, path, diags)),
            _ => {}
        },
    }
}

/// Appends `.key` (or `key` at the top) to the path; returns the length to truncate back to.
fn push(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

fn unknown(k: &crate::tree::Key<'_>, path: &str, fields: &[(&str, Ty)], diags: &mut Diagnostics) {
    let mut d = Diagnostic::warning("routec::input::unknown-field", format!("unknown field `{path}`"))
        .at(k.span, "not a field of this object");
    d = match closest(&k.text, fields.iter().map(|(n, _)| *n)) {
        Some(g) => d.help(format!("did you mean `{g}`? `kubectl apply --validate=strict` refuses unknown fields")),
        None => d.help("`kubectl apply --validate=strict` refuses unknown fields; remove it or check the kind's API"),
    };
    diags.push(d);
}

fn duplicates(entries: &[(crate::tree::Key<'_>, Node<'_>)], path: &str, diags: &mut Diagnostics) {
    if entries.len() < 2 {
        return;
    }
    // Objects' mappings are small: comparing each key with the ones before it is cheaper than
    // hashing them, and a hash set keeps a hostile mapping of many keys linear.
    const SCAN_UP_TO: usize = 16;
    let mut seen: crate::hash::FastMap<&str, &crate::tree::Key<'_>> = crate::hash::FastMap::default();
    for (i, (k, _)) in entries.iter().enumerate() {
        let earlier = if entries.len() <= SCAN_UP_TO {
            entries.get(..i).and_then(|before| before.iter().find(|(e, _)| e.text == k.text)).map(|(e, _)| e)
        } else {
            seen.insert(&k.text, k)
        };
        if let Some(first) = earlier {
            let at = if path.is_empty() { k.text.to_string() } else { format!("{path}.{}", k.text) };
            diags.push(
                Diagnostic::error("routec::input::duplicate-key", format!("duplicate key `{at}`"))
                    .at(k.span, "second occurrence")
                    .related(first.span, "first occurrence")
                    .help("Kubernetes decoders refuse a mapping with a repeated key (YAML keeps only the last); remove one"),
            );
            if entries.len() > SCAN_UP_TO {
                seen.insert(&k.text, first);
            }
        }
    }
}
