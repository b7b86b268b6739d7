//! The cluster-level config objects the operator reads next to an IngressController:
//! `ingresses.config.openshift.io/cluster` (the cluster domain and two annotations that set
//! defaults for every IngressController), `apiservers.config.openshift.io/cluster` (the TLS
//! profile fallback), `networks.config.openshift.io/cluster` (IP families) and
//! `infrastructures.config.openshift.io/cluster` (the platform, which decides the PROXY
//! protocol and the tunnel timeout on AWS). Each is optional; documented defaults apply.

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::tree::Node;

use super::fields::Fields;
use super::{Inputs, Kind};

/// `ingresses.config.openshift.io/cluster`, as far as routec reads it.
pub(crate) struct IngressConfig<'i> {
    /// `spec.domain`.
    pub(crate) domain: Option<(String, Span)>,
    /// The object's annotations.
    pub(crate) annotations: Option<&'i Node<'static>>,
}

/// The cluster config objects found among the inputs.
#[derive(Default)]
pub(crate) struct Cluster<'i> {
    pub(crate) ingress: Option<IngressConfig<'i>>,
    /// `spec.tlsSecurityProfile` of `apiservers.config.openshift.io/cluster`.
    pub(crate) apiserver_tls: Option<&'i Node<'static>>,
    /// `status.clusterNetwork[].cidr` families: (IPv4 seen, IPv6 seen); `None` without a
    /// Network config.
    pub(crate) families: Option<(bool, bool)>,
    /// `status.platformStatus.type` of the Infrastructure config, with its span.
    pub(crate) platform: Option<(String, Span)>,
}

/// Ingress config fields the router never sees, with the reason.
const INGRESS_NOT_MAPPED: &[(&str, &str)] = &[
    ("componentRoutes", "component routes (console, OAuth) are served by their own Routes; read those Routes instead"),
    ("appsDomain", "an alternative domain the API server allows for user routes; the router does not read it"),
    (
        "requiredHSTSPolicies",
        "the API server's admission enforces HSTS policies on Routes; the router does not read them",
    ),
    ("loadBalancer", "the load balancer type affects the Service, not haproxy.config"),
];

impl<'i> Cluster<'i> {
    /// Reads the objects named `cluster`.
    pub(crate) fn read(inputs: &'i Inputs, diags: &mut Diagnostics) -> Self {
        let mut out = Cluster::default();
        if let Some(d) = inputs.named(Kind::IngressConfig, "cluster") {
            let mut f = Fields { diags, object: "ingresses.config.openshift.io/cluster".to_owned() };
            let spec = f.map(Some(&d.tree), "spec", "spec");
            let domain = f.string(spec, "domain", "spec.domain");
            for (field, why) in INGRESS_NOT_MAPPED {
                if let Some(n) = spec.and_then(|s| s.get(field)) {
                    f.diags.push(
                        Diagnostic::advice(
                            "routec::ingress::not-mapped",
                            format!("ingresses.config.openshift.io/cluster spec.{field} is not mapped: {why}"),
                        )
                        .at(n.span, "not mapped"),
                    );
                }
            }
            let annotations = d.tree.get("metadata").and_then(|m| m.get("annotations"));
            out.ingress = Some(IngressConfig { domain: domain.filter(|(d, _)| !d.is_empty()), annotations });
        }
        if let Some(d) = inputs.named(Kind::ApiServerConfig, "cluster") {
            out.apiserver_tls = d.tree.get("spec").and_then(|s| s.get("tlsSecurityProfile")).filter(|n| !n.is_null());
        }
        if let Some(d) = inputs.named(Kind::NetworkConfig, "cluster") {
            let mut f = Fields { diags, object: "networks.config.openshift.io/cluster".to_owned() };
            let status = f.map(Some(&d.tree), "status", "status");
            let (mut v4, mut v6) = (false, false);
            for entry in f.seq(status, "clusterNetwork", "status.clusterNetwork") {
                let Some((cidr, _)) = f.string(Some(entry), "cidr", "status.clusterNetwork[].cidr") else { continue };
                // The operator skips entries net.ParseCIDR refuses.
                match cidr.split_once('/') {
                    Some((ip, bits)) if bits.parse::<u8>().is_ok() => {
                        if ip.parse::<std::net::Ipv4Addr>().is_ok() {
                            v4 = true;
                        } else if ip.parse::<std::net::Ipv6Addr>().is_ok() {
                            v6 = true;
                        }
                    }
                    _ => {}
                }
            }
            out.families = Some((v4, v6));
        }
        if let Some(d) = inputs.named(Kind::InfrastructureConfig, "cluster") {
            let mut f = Fields { diags, object: "infrastructures.config.openshift.io/cluster".to_owned() };
            let status = f.map(Some(&d.tree), "status", "status");
            let ps = f.map(status, "platformStatus", "status.platformStatus");
            out.platform = f.string(ps, "type", "status.platformStatus.type");
        }
        out
    }

    /// An annotation of the ingress config.
    pub(crate) fn ingress_annotation(&self, key: &str) -> Option<(&'i str, Span)> {
        let n = self.ingress.as_ref()?.annotations?.get(key)?;
        Some((n.as_str().unwrap_or(""), n.span))
    }
}
