//! One reader per kind routec reads: Route, Service, Endpoints and EndpointSlice, with the API
//! server's defaults the router relies on (termination `edge`, wildcard policy `None`, backend
//! kind `Service`, weight 100, protocol `TCP`).

use super::reader::Reader;
use crate::annotations::RouteAnnotations;
use crate::diag::Diagnostic;
use crate::objects::*;
use crate::tree::Node;

impl Reader<'_> {
    pub(super) fn backend(&mut self, node: &Node<'_>) -> BackendRef {
        let kind = self.str(Some(node), "kind");
        let kind = if kind.is_empty() { Str { value: "Service".to_owned(), span: kind.span } } else { kind };
        let name = self.str(Some(node), "name");
        let (weight, weight_span) = match self.int(Some(node), "weight") {
            Some((w, s)) => (w, Some(s)),
            None => (100, None),
        };
        BackendRef { kind, name, weight, weight_span, span: Some(node.span) }
    }

    pub(super) fn headers(&mut self, actions: Option<&Node<'_>>, key: &str) -> Vec<HeaderAction> {
        if actions.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in self.seq(actions, key) {
            let name = self.str(Some(item), "name");
            let action = self.map(Some(item), "action");
            let kind = self.str(action, "type");
            let set = self.map(action, "set");
            let value = set.map(|s| self.str(Some(s), "value"));
            out.push(HeaderAction { name, kind, value });
        }
        out
    }

    pub(super) fn route(&mut self, doc: &Node<'_>, index: usize) -> Route {
        let meta = self.meta(doc, index, true);
        let spec = self.map(Some(doc), "spec");
        let host = self.str(spec, "host");
        let subdomain = self.str(spec, "subdomain");
        let path = self.str(spec, "path");
        let to = match self.map(spec, "to") {
            Some(n) => self.backend(n),
            None => {
                BackendRef { kind: Str { value: "Service".into(), span: None }, weight: 100, ..BackendRef::default() }
            }
        };
        let alternates = self.seq(spec, "alternateBackends").iter().map(|n| self.backend(n)).collect();
        let port = self.map(spec, "port");
        let target_port = port.map(|p| self.str(Some(p), "targetPort"));
        let tls = self.map(spec, "tls").map(|t| {
            let mut termination = self.str(Some(t), "termination");
            let destination_ca = self.str(Some(t), "destinationCACertificate");
            let lower = termination.value.to_ascii_lowercase();
            if termination.is_empty() && destination_ca.is_empty() {
                termination.value = "edge".to_owned();
            } else if matches!(lower.as_str(), "edge" | "reencrypt" | "passthrough") {
                termination.value = lower;
            }
            let ext = self.map(Some(t), "externalCertificate");
            Box::new(Tls {
                termination,
                insecure_policy: self.str(Some(t), "insecureEdgeTerminationPolicy"),
                certificate: self.str(Some(t), "certificate"),
                key: self.str(Some(t), "key"),
                ca_certificate: self.str(Some(t), "caCertificate"),
                destination_ca,
                external_certificate: self.str(ext, "name"),
                span: Some(t.span),
            })
        });
        let mut wildcard_policy = self.str(spec, "wildcardPolicy");
        if wildcard_policy.is_empty() {
            wildcard_policy.value = "None".to_owned();
        }
        let hh = self.map(spec, "httpHeaders");
        let actions = self.map(hh, "actions");
        let request_headers = self.headers(actions, "request");
        let response_headers = self.headers(actions, "response");
        Route {
            parsed: RouteAnnotations::parse(&meta.annotations),
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

    pub(super) fn port(&mut self, node: &Node<'_>) -> Port {
        let mut protocol = self.str(Some(node), "protocol").value;
        if protocol.is_empty() {
            protocol = "TCP".to_owned();
        }
        Port {
            name: self.str(Some(node), "name").value,
            port: self.int(Some(node), "port").map_or(0, |(v, _)| v),
            protocol,
            app_protocol: self.str(Some(node), "appProtocol").value,
            target_port: self.str(Some(node), "targetPort").value,
        }
    }

    pub(super) fn service(&mut self, doc: &Node<'_>, index: usize) -> Service {
        let meta = self.meta(doc, index, true);
        let spec = self.map(Some(doc), "spec");
        let ports = self.seq(spec, "ports").iter().map(|p| self.port(p)).collect();
        let has_selector = self.map(spec, "selector").and_then(Node::as_map).is_some_and(|m| !m.is_empty());
        Service {
            meta,
            kind: self.str(spec, "type").value,
            cluster_ip: self.str(spec, "clusterIP").value,
            ports,
            has_selector,
        }
    }

    pub(super) fn address(&mut self, node: &Node<'_>) -> Address {
        let tr = self.map(Some(node), "targetRef");
        Address {
            ip: self.str(Some(node), "ip").value,
            hostname: self.str(Some(node), "hostname").value,
            target_kind: self.str(tr, "kind").value,
            target_name: self.str(tr, "name").value,
            target_uid: self.str(tr, "uid").value,
            span: Some(node.span),
        }
    }

    pub(super) fn endpoints(&mut self, doc: &Node<'_>, index: usize) -> Endpoints {
        let meta = self.meta(doc, index, true);
        let mut subsets = Vec::new();
        for s in self.seq(Some(doc), "subsets") {
            let addresses = self.seq(Some(s), "addresses").iter().map(|a| self.address(a)).collect();
            let not_ready = self.seq(Some(s), "notReadyAddresses").iter().map(|a| self.address(a)).collect();
            let ports = self.seq(Some(s), "ports").iter().map(|p| self.port(p)).collect();
            subsets.push(Subset { addresses, not_ready, ports });
        }
        Endpoints { meta, subsets }
    }

    pub(super) fn slice(&mut self, doc: &Node<'_>, index: usize) -> EndpointSlice {
        let meta = self.meta(doc, index, true);
        let service_name = meta.label("kubernetes.io/service-name").unwrap_or("").to_owned();
        let mut endpoints = Vec::new();
        for e in self.seq(Some(doc), "endpoints") {
            let addresses =
                self.seq(Some(e), "addresses").iter().filter_map(|a| a.as_str().map(str::to_owned)).collect();
            let cond = self.map(Some(e), "conditions");
            let ready = self.str(cond, "ready");
            let ready = match ready.as_str() {
                "" => None,
                v => Some(v == "true"),
            };
            let tr = self.map(Some(e), "targetRef");
            endpoints.push(SliceEndpoint {
                addresses,
                ready,
                hostname: self.str(Some(e), "hostname").value,
                target_kind: self.str(tr, "kind").value,
                target_name: self.str(tr, "name").value,
                span: Some(e.span),
            });
        }
        let ports = self.seq(Some(doc), "ports").iter().map(|p| self.port(p)).collect();
        EndpointSlice { meta, service_name, address_type: self.str(Some(doc), "addressType").value, endpoints, ports }
    }

    pub(super) fn secret(&mut self, doc: &Node<'_>, index: usize) -> Secret {
        let meta = self.meta(doc, index, true);
        let kind = self.str(Some(doc), "type").value;
        let data = self.map(Some(doc), "data");
        let plain = self.map(Some(doc), "stringData");
        let mut field = |key: &str| -> Option<String> {
            if let Some(v) = plain.and_then(|p| p.get(key)).and_then(Node::as_str) {
                return Some(v.to_owned());
            }
            let node = data.and_then(|d| d.get(key))?;
            let text: String = node.as_str()?.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            match crate::base64::decode(text.as_bytes()) {
                Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                Err(_) => {
                    // The label goes on the Secret's name: the value line is key material.
                    self.diags.push(
                        Diagnostic::error(
                            "routec::input::bad-base64",
                            format!("Secret {}/{}: `data.{key}` is not base64", meta.namespace.as_str(), meta.name.as_str()),
                        )
                        .at(meta.name.span.unwrap_or(meta.span), "this Secret")
                        .help("the API server refuses it; encode the value with `base64 -w0`, or put the text under `stringData`"),
                    );
                    None
                }
            }
        };
        let tls_crt = field("tls.crt");
        let tls_key = field("tls.key");
        Secret { meta, kind: if kind.is_empty() { "Opaque".to_owned() } else { kind }, tls_crt, tls_key }
    }
}
