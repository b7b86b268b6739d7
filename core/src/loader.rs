//! Reads input files (multi-document YAML, JSON, `kind: List`) into typed [`Objects`], applies the
//! API server's defaults that the router relies on, and reports malformed input as diagnostics.

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::*;
use crate::source::{SourceFile, Span};
use crate::tree::{Node, Value};
use crate::{json, yaml};

use std::fmt::Display;

/// A field path for diagnostics, formatted only when a diagnostic is actually reported.
#[derive(Clone, Copy)]
struct P<'a>(&'a str, &'a str);

impl Display for P<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// The creation time given to objects without one: 2024-01-01T00:00:00Z, plus the object's index
/// in seconds, so that input order stands in for age.
const FALLBACK_EPOCH: i64 = 1_704_067_200;

/// Loads every file. Files are taken in the order given (the CLI sorts paths), documents in file
/// order; that order is what the age fallback uses.
pub fn load(files: &[SourceFile], diags: &mut Diagnostics) -> Objects {
    let mut objs = Objects::default();
    let mut index = 0usize;
    for (fi, f) in files.iter().enumerate() {
        let fid = u32::try_from(fi).unwrap_or(u32::MAX);
        if looks_json(f) && stream_list(fid, f, &mut objs, &mut index, diags) {
            continue;
        }
        for doc in parse_file(fid, f, diags) {
            load_doc(&doc, &mut objs, &mut index, diags, 0);
        }
    }
    objs
}

fn looks_json(f: &SourceFile) -> bool {
    let trimmed = f.text.trim_start();
    f.name.ends_with(".json") || trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// Loads a JSON `List` item by item. Returns false (having changed nothing) when the file is
/// not a JSON list, so the caller parses it the ordinary way.
fn stream_list(fid: u32, f: &SourceFile, objs: &mut Objects, index: &mut usize, diags: &mut Diagnostics) -> bool {
    if f.text.contains('\0') {
        return false;
    }
    let before =
        (objs.routes.len(), objs.services.len(), objs.endpoints.len(), objs.slices.len(), objs.namespaces.len());
    let cluster_before = objs.cluster.len();
    let diags_before = diags.as_slice().len();
    let mut idx = *index;
    let mut seen = 0usize;
    let mut on_item = |item: Node<'_>| {
        seen += 1;
        load_doc(&item, objs, &mut idx, diags, 1);
    };
    let top = json::parse_streaming(fid, &f.text, Some(&mut on_item));
    let is_list = top.as_ref().is_ok_and(|t| t.get("kind").and_then(Node::as_str).is_some_and(|k| k.ends_with("List")));
    if !is_list || seen == 0 {
        // Not a list after all: undo, and let the caller read the file the ordinary way.
        objs.routes.truncate(before.0);
        objs.services.truncate(before.1);
        objs.endpoints.truncate(before.2);
        objs.slices.truncate(before.3);
        objs.namespaces.truncate(before.4);
        objs.cluster.truncate(cluster_before);
        diags.truncate(diags_before);
        return false;
    }
    *index = idx;
    true
}

/// Parses one file into documents, choosing JSON or YAML by name and content.
pub fn parse_file<'a>(fid: u32, f: &'a SourceFile, diags: &mut Diagnostics) -> Vec<Node<'a>> {
    if let Some(off) = f.invalid_utf8_at {
        let end = f.text.get(off..).and_then(|t| t.chars().next()).map_or(off, |c| off + c.len_utf8());
        diags.push(
            Diagnostic::error("routec::input::not-utf8", "input is not UTF-8 text")
                .at(Span::new(fid, off..end), "invalid byte here")
                .help("Kubernetes objects are UTF-8; re-save the file as UTF-8"),
        );
        return Vec::new();
    }
    if f.text.contains('\0') {
        let off = f.text.find('\0').unwrap_or(0);
        diags.push(
            Diagnostic::error("routec::input::nul-byte", "input contains a NUL byte")
                .at(Span::new(fid, off..off + 1), "NUL byte here")
                .help("Kubernetes objects are text; remove the NUL byte"),
        );
        return Vec::new();
    }
    if looks_json(f) {
        match json::parse(fid, &f.text) {
            Ok(node) => return vec![node],
            Err(e) if f.name.ends_with(".json") => {
                diags.push(e);
                return Vec::new();
            }
            Err(_) => {}
        }
    }
    match yaml::parse(fid, &f.text) {
        Ok(docs) => docs,
        Err(e) => {
            diags.push(e);
            Vec::new()
        }
    }
}

fn load_doc(doc: &Node<'_>, objs: &mut Objects, index: &mut usize, diags: &mut Diagnostics, depth: usize) {
    if let Value::Seq(items) = &doc.value {
        for item in items {
            load_doc(item, objs, index, diags, depth + 1);
        }
        return;
    }
    if doc.as_map().is_none() {
        diags.push(
            Diagnostic::error(
                "routec::input::not-an-object",
                format!("expected a Kubernetes object, found a {}", doc.type_name()),
            )
            .at(doc.span, "not an object"),
        );
        return;
    }
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    let api = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    if kind.ends_with("List") && doc.get("items").is_some() && depth < 4 {
        if let Some(items) = doc.get("items").and_then(Node::as_seq) {
            for item in items {
                load_doc(item, objs, index, diags, depth + 1);
            }
        }
        return;
    }
    let i = *index;
    *index += 1;
    let mut r = Reader { diags };
    match (group(api), kind) {
        ("route.openshift.io", "Route") => objs.routes.push(Box::new(r.route(doc, i))),
        ("", "Service") => objs.services.push(Box::new(r.service(doc, i))),
        ("", "Endpoints") => objs.endpoints.push(Box::new(r.endpoints(doc, i))),
        ("discovery.k8s.io", "EndpointSlice") => objs.slices.push(Box::new(r.slice(doc, i))),
        ("", "Namespace") | ("project.openshift.io", "Project") => {
            objs.namespaces.push(Namespace { meta: r.meta(doc, i, false) })
        }
        (g, k) if crate::cluster::Inputs::reads(g, k) => objs.cluster.push(g, k, doc),
        _ => {
            let at = doc.get("kind").map_or(doc.span, |n| n.span);
            let what = if kind.is_empty() { "an object without kind".to_owned() } else { format!("{api} {kind}") };
            r.diags.push(
                Diagnostic::advice(
                    "routec::input::skipped-kind",
                    format!("skipped {what}: routec reads Routes, Services, Endpoints, EndpointSlices and Namespaces"),
                )
                .at(at, "not read"),
            );
        }
    }
}

fn group(api: &str) -> &str {
    match api.split_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

struct Reader<'d> {
    diags: &'d mut Diagnostics,
}

impl Reader<'_> {
    fn type_error(&mut self, node: &Node<'_>, field: impl Display, expected: &str) {
        self.diags.push(
            Diagnostic::error(
                "routec::input::wrong-type",
                format!("`{field}` must be {expected}, found a {}", node.type_name()),
            )
            .at(node.span, format!("expected {expected}")),
        );
    }

    /// A scalar field as text; numbers and booleans are kept as written.
    fn str(&mut self, parent: Option<&Node<'_>>, key: &str, path: impl Display) -> Str {
        let Some(node) = parent.and_then(|p| p.get(key)) else { return Str::default() };
        match &node.value {
            Value::Scalar { text, .. } => Str::new(text.to_string(), node.span),
            Value::Null => Str { value: String::new(), span: Some(node.span) },
            _ => {
                self.type_error(node, path, "a string");
                Str::default()
            }
        }
    }

    fn int(&mut self, parent: Option<&Node<'_>>, key: &str, path: impl Display) -> Option<(i64, Span)> {
        let node = parent.and_then(|p| p.get(key))?;
        if node.is_null() {
            return None;
        }
        match node.as_str().and_then(|t| t.parse::<i64>().ok()) {
            Some(v) if node.is_number() => Some((v, node.span)),
            _ => {
                self.type_error(node, path, "an integer");
                None
            }
        }
    }

    fn seq<'n, 'a>(&mut self, parent: Option<&'n Node<'a>>, key: &str, path: impl Display) -> &'n [Node<'a>] {
        let Some(node) = parent.and_then(|p| p.get(key)) else { return &[] };
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.type_error(node, path, "a list");
                &[]
            }
        }
    }

    fn map<'n, 'a>(&mut self, parent: Option<&'n Node<'a>>, key: &str, path: impl Display) -> Option<&'n Node<'a>> {
        let node = parent?.get(key)?;
        match &node.value {
            Value::Map(_) => Some(node),
            Value::Null => None,
            _ => {
                self.type_error(node, path, "a mapping");
                None
            }
        }
    }

    fn string_map(&mut self, parent: Option<&Node<'_>>, key: &str, path: impl Display + Copy) -> Vec<(String, Str)> {
        let Some(node) = self.map(parent, key, path) else { return Vec::new() };
        let mut out = Vec::new();
        for (k, v) in node.as_map().unwrap_or(&[]) {
            match &v.value {
                Value::Scalar { text, .. } => out.push((k.text.to_string(), Str::new(text.to_string(), v.span))),
                Value::Null => out.push((k.text.to_string(), Str { value: String::new(), span: Some(v.span) })),
                _ => self.type_error(v, format!("{path}.{}", k.text), "a string"),
            }
        }
        out
    }

    fn meta(&mut self, doc: &Node<'_>, index: usize, namespaced: bool) -> Meta {
        let m = self.map(Some(doc), "metadata", "metadata");
        let name = self.str(m, "name", "metadata.name");
        if name.is_empty() {
            self.diags.push(
                Diagnostic::error("routec::input::missing-name", "object has no `metadata.name`")
                    .at(doc.span, "this object"),
            );
        }
        let mut namespace = self.str(m, "namespace", "metadata.namespace");
        if namespace.is_empty() && namespaced {
            namespace.value = "default".to_owned();
        }
        let uid = self.str(m, "uid", "metadata.uid");
        let created = self.str(m, "creationTimestamp", "metadata.creationTimestamp");
        let mut created_from_order = false;
        let created_secs = if created.is_empty() {
            created_from_order = true;
            FALLBACK_EPOCH + i64::try_from(index).unwrap_or(i64::MAX - FALLBACK_EPOCH)
        } else {
            match parse_rfc3339(created.as_str()) {
                Some(t) => t,
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            "routec::input::bad-timestamp",
                            format!("`{}` is not an RFC 3339 time", created.value),
                        )
                        .at_opt(created.span, "expected e.g. 2024-01-01T00:00:00Z"),
                    );
                    created_from_order = true;
                    FALLBACK_EPOCH + i64::try_from(index).unwrap_or(0)
                }
            }
        };
        let uid_from_order = uid.is_empty();
        let uid = if uid_from_order { format!("00000000-0000-0000-0000-{index:012}") } else { uid.value };
        let labels = self.string_map(m, "labels", "metadata.labels").into_iter().map(|(k, v)| (k, v.value)).collect();
        let annotations = self.string_map(m, "annotations", "metadata.annotations");
        let resource_version = self.str(m, "resourceVersion", "metadata.resourceVersion").value;
        Meta {
            name,
            namespace,
            uid,
            created: created_secs,
            created_from_order,
            uid_from_order,
            labels,
            annotations,
            resource_version,
            span: doc.span,
            index,
        }
    }

    fn backend(&mut self, node: &Node<'_>, path: &str) -> BackendRef {
        let kind = self.str(Some(node), "kind", P(path, ".kind"));
        let kind = if kind.is_empty() { Str { value: "Service".to_owned(), span: kind.span } } else { kind };
        let name = self.str(Some(node), "name", P(path, ".name"));
        let (weight, weight_span) = match self.int(Some(node), "weight", P(path, ".weight")) {
            Some((w, s)) => (w, Some(s)),
            None => (100, None),
        };
        BackendRef { kind, name, weight, weight_span, span: Some(node.span) }
    }

    fn headers(&mut self, actions: Option<&Node<'_>>, key: &str) -> Vec<HeaderAction> {
        if actions.is_none() {
            return Vec::new();
        }
        let path = format!("spec.httpHeaders.actions.{key}");
        let mut out = Vec::new();
        for item in self.seq(actions, key, &path) {
            let name = self.str(Some(item), "name", P(&path, "[].name"));
            let action = self.map(Some(item), "action", P(&path, "[].action"));
            let kind = self.str(action, "type", P(&path, "[].action.type"));
            let set = self.map(action, "set", P(&path, "[].action.set"));
            let value = set.map(|s| self.str(Some(s), "value", P(&path, "[].action.set.value")));
            out.push(HeaderAction { name, kind, value });
        }
        out
    }

    fn route(&mut self, doc: &Node<'_>, index: usize) -> Route {
        let meta = self.meta(doc, index, true);
        let spec = self.map(Some(doc), "spec", "spec");
        let host = self.str(spec, "host", "spec.host");
        let subdomain = self.str(spec, "subdomain", "spec.subdomain");
        let path = self.str(spec, "path", "spec.path");
        let to = match self.map(spec, "to", "spec.to") {
            Some(n) => self.backend(n, "spec.to"),
            None => {
                BackendRef { kind: Str { value: "Service".into(), span: None }, weight: 100, ..BackendRef::default() }
            }
        };
        let alternates = self
            .seq(spec, "alternateBackends", "spec.alternateBackends")
            .iter()
            .map(|n| self.backend(n, "spec.alternateBackends[]"))
            .collect();
        let port = self.map(spec, "port", "spec.port");
        let target_port = port.map(|p| self.str(Some(p), "targetPort", "spec.port.targetPort"));
        let tls = self.map(spec, "tls", "spec.tls").map(|t| {
            let mut termination = self.str(Some(t), "termination", "spec.tls.termination");
            let destination_ca = self.str(Some(t), "destinationCACertificate", "spec.tls.destinationCACertificate");
            let lower = termination.value.to_ascii_lowercase();
            if termination.is_empty() && destination_ca.is_empty() {
                termination.value = "edge".to_owned();
            } else if matches!(lower.as_str(), "edge" | "reencrypt" | "passthrough") {
                termination.value = lower;
            }
            let ext = self.map(Some(t), "externalCertificate", "spec.tls.externalCertificate");
            Box::new(Tls {
                termination,
                insecure_policy: self.str(
                    Some(t),
                    "insecureEdgeTerminationPolicy",
                    "spec.tls.insecureEdgeTerminationPolicy",
                ),
                certificate: self.str(Some(t), "certificate", "spec.tls.certificate"),
                key: self.str(Some(t), "key", "spec.tls.key"),
                ca_certificate: self.str(Some(t), "caCertificate", "spec.tls.caCertificate"),
                destination_ca,
                external_certificate: self.str(ext, "name", "spec.tls.externalCertificate.name"),
                span: Some(t.span),
            })
        });
        let mut wildcard_policy = self.str(spec, "wildcardPolicy", "spec.wildcardPolicy");
        if wildcard_policy.is_empty() {
            wildcard_policy.value = "None".to_owned();
        }
        let hh = self.map(spec, "httpHeaders", "spec.httpHeaders");
        let actions = self.map(hh, "actions", "spec.httpHeaders.actions");
        let request_headers = self.headers(actions, "request");
        let response_headers = self.headers(actions, "response");
        Route {
            meta,
            host,
            subdomain,
            path,
            to,
            alternates,
            target_port,
            tls,
            wildcard_policy,
            request_headers,
            response_headers,
        }
    }

    fn port(&mut self, node: &Node<'_>, path: &str) -> Port {
        let mut protocol = self.str(Some(node), "protocol", P(path, ".protocol")).value;
        if protocol.is_empty() {
            protocol = "TCP".to_owned();
        }
        Port {
            name: self.str(Some(node), "name", P(path, ".name")).value,
            port: self.int(Some(node), "port", P(path, ".port")).map_or(0, |(v, _)| v),
            protocol,
            app_protocol: self.str(Some(node), "appProtocol", P(path, ".appProtocol")).value,
            target_port: self.str(Some(node), "targetPort", P(path, ".targetPort")).value,
        }
    }

    fn service(&mut self, doc: &Node<'_>, index: usize) -> Service {
        let meta = self.meta(doc, index, true);
        let spec = self.map(Some(doc), "spec", "spec");
        let ports = self.seq(spec, "ports", "spec.ports").iter().map(|p| self.port(p, "spec.ports[]")).collect();
        let has_selector =
            self.map(spec, "selector", "spec.selector").and_then(Node::as_map).is_some_and(|m| !m.is_empty());
        Service {
            meta,
            kind: self.str(spec, "type", "spec.type").value,
            cluster_ip: self.str(spec, "clusterIP", "spec.clusterIP").value,
            ports,
            has_selector,
        }
    }

    fn address(&mut self, node: &Node<'_>, path: &str) -> Address {
        let tr = self.map(Some(node), "targetRef", P(path, ".targetRef"));
        Address {
            ip: self.str(Some(node), "ip", P(path, ".ip")).value,
            hostname: self.str(Some(node), "hostname", P(path, ".hostname")).value,
            target_kind: self.str(tr, "kind", P(path, ".targetRef.kind")).value,
            target_name: self.str(tr, "name", P(path, ".targetRef.name")).value,
            target_uid: self.str(tr, "uid", P(path, ".targetRef.uid")).value,
            span: Some(node.span),
        }
    }

    fn endpoints(&mut self, doc: &Node<'_>, index: usize) -> Endpoints {
        let meta = self.meta(doc, index, true);
        let mut subsets = Vec::new();
        for s in self.seq(Some(doc), "subsets", "subsets") {
            let addresses = self
                .seq(Some(s), "addresses", "subsets[].addresses")
                .iter()
                .map(|a| self.address(a, "subsets[].addresses[]"))
                .collect();
            let not_ready = self
                .seq(Some(s), "notReadyAddresses", "subsets[].notReadyAddresses")
                .iter()
                .map(|a| self.address(a, "subsets[].notReadyAddresses[]"))
                .collect();
            let ports = self
                .seq(Some(s), "ports", "subsets[].ports")
                .iter()
                .map(|p| self.port(p, "subsets[].ports[]"))
                .collect();
            subsets.push(Subset { addresses, not_ready, ports });
        }
        Endpoints { meta, subsets }
    }

    fn slice(&mut self, doc: &Node<'_>, index: usize) -> EndpointSlice {
        let meta = self.meta(doc, index, true);
        let service_name = meta.label("kubernetes.io/service-name").unwrap_or("").to_owned();
        let mut endpoints = Vec::new();
        for e in self.seq(Some(doc), "endpoints", "endpoints") {
            let addresses = self
                .seq(Some(e), "addresses", "endpoints[].addresses")
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            let cond = self.map(Some(e), "conditions", "endpoints[].conditions");
            let ready = self.str(cond, "ready", "endpoints[].conditions.ready");
            let ready = match ready.as_str() {
                "" => None,
                v => Some(v == "true"),
            };
            let tr = self.map(Some(e), "targetRef", "endpoints[].targetRef");
            endpoints.push(SliceEndpoint {
                addresses,
                ready,
                hostname: self.str(Some(e), "hostname", "endpoints[].hostname").value,
                target_kind: self.str(tr, "kind", "endpoints[].targetRef.kind").value,
                target_name: self.str(tr, "name", "endpoints[].targetRef.name").value,
                span: Some(e.span),
            });
        }
        let ports = self.seq(Some(doc), "ports", "ports").iter().map(|p| self.port(p, "ports[]")).collect();
        EndpointSlice {
            meta,
            service_name,
            address_type: self.str(Some(doc), "addressType", "addressType").value,
            endpoints,
            ports,
        }
    }
}

/// Parses an RFC 3339 time (`2024-01-01T00:00:00Z`, fractions and offsets allowed) into seconds
/// since the Unix epoch.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = frac.get(n..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    // Days from civil (proleptic Gregorian), Howard Hinnant's algorithm.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}
