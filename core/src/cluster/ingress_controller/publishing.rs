//! The endpoint publishing strategy: which one is in effect (status, spec or routec's
//! assumption), the PROXY protocol it implies (with the platform), and host-network ports.

use super::*;

impl Deriver<'_> {
    /// The endpoint publishing strategy in effect: status (the operator's defaulted copy), else
    /// spec, else routec's assumption (LoadBalancerService).
    pub(super) fn publishing<'n>(&mut self, spec: N<'n>, status: N<'n>, doc: &'n Node<'static>) -> Eps<'n> {
        let s = self.f.map(status, "endpointPublishingStrategy", "status.endpointPublishingStrategy");
        let p = self.f.map(spec, "endpointPublishingStrategy", "spec.endpointPublishingStrategy");
        if let Some(n) = p {
            self.advice(
                "routec::ingress::not-mapped",
                n.span,
                "spec.endpointPublishingStrategy shapes the Service and DNS, not haproxy.config; routec reads only its PROXY protocol and host-network ports".to_owned(),
            );
        }
        let (node, base) = match (s, p) {
            (Some(n), _) => (Some(n), "status.endpointPublishingStrategy"),
            (None, Some(n)) => (Some(n), "spec.endpointPublishingStrategy"),
            (None, None) => (None, ""),
        };
        let ty = match node {
            Some(n) => self.f.one_of(
                Some(n),
                "type",
                &format!("{base}.type"),
                &["LoadBalancerService", "HostNetwork", "Private", "NodePortService"],
            ),
            None => None,
        };
        let ty = match ty {
            Some((t, _)) => t,
            None => {
                self.assumed(
                    doc.span,
                    "no endpoint publishing strategy in spec or status: assumed LoadBalancerService (the operator's default on cloud platforms)".to_owned(),
                );
                "LoadBalancerService"
            }
        };
        Eps { ty, node, base }
    }

    pub(super) fn proxy_protocol(&mut self, eps: &Eps<'_>, tuning: N<'_>, cfg: &Cluster<'_>) {
        let sub = match eps.ty {
            "HostNetwork" => "hostNetwork",
            "NodePortService" => "nodePort",
            "Private" => "private",
            _ => "",
        };
        let tunnel_set = tuning.and_then(|t| t.get("tunnelTimeout")).is_some();
        if !sub.is_empty() {
            let path = format!("{}.{sub}.protocol", eps.base);
            let m = self.f.map(eps.node, sub, &format!("{}.{sub}", eps.base));
            if let Some(("PROXY", span)) = self.f.one_of(m, "protocol", &path, &["", "TCP", "PROXY"]) {
                self.field("ROUTER_USE_PROXY_PROTOCOL", "true", &path, Some(span));
            }
            return;
        }
        // LoadBalancerService: the platform decides.
        let Some((platform, pspan)) = cfg.platform.clone() else {
            if let Some(n) = eps.node {
                self.assumed(n.span, "LoadBalancerService on an unknown platform: assumed neither AWS nor IBM Cloud, so no PROXY protocol and no NLB tunnel timeout".to_owned());
            }
            return;
        };
        let lb = eps.node.and_then(|n| n.get("loadBalancer"));
        let pp = lb.and_then(|l| l.get("providerParameters"));
        let path = format!("{}.loadBalancer.providerParameters", eps.base);
        match platform.as_str() {
            "AWS" => {
                let aws = pp.and_then(|p| p.get("aws"));
                let ty = aws.and_then(|a| a.get("type"));
                let is_nlb = ty.and_then(Node::as_str) == Some("NLB");
                let origin_span = ty.map(|n| n.span).or(Some(pspan));
                if !is_nlb {
                    self.out.push(Setting {
                        key: "ROUTER_USE_PROXY_PROTOCOL".into(),
                        value: "true".into(),
                        origin: Origin::ClusterConfig {
                            object: "infrastructures.config.openshift.io/cluster",
                            path: "status.platformStatus.type (AWS Classic load balancer)".into(),
                            span: origin_span,
                        },
                    });
                } else {
                    let proto = aws.and_then(|a| a.get("networkLoadBalancer")).and_then(|n| n.get("protocol"));
                    if let Some(p) = proto.filter(|p| p.as_str() == Some("PROXY")) {
                        self.field(
                            "ROUTER_USE_PROXY_PROTOCOL",
                            "true",
                            &format!("{path}.aws.networkLoadBalancer.protocol"),
                            Some(p.span),
                        );
                    }
                    if !tunnel_set {
                        self.out.push(Setting {
                            key: "ROUTER_DEFAULT_TUNNEL_TIMEOUT".into(),
                            value: "349s".into(),
                            origin: Origin::Operator {
                                note: "operator default on an AWS NLB: below the NLB's 350s idle timeout".into(),
                            },
                        });
                    }
                }
            }
            "IBMCloud" => {
                let proto = pp.and_then(|p| p.get("ibm")).and_then(|i| i.get("protocol"));
                if let Some(p) = proto.filter(|p| p.as_str() == Some("PROXY")) {
                    self.field("ROUTER_USE_PROXY_PROTOCOL", "true", &format!("{path}.ibm.protocol"), Some(p.span));
                }
            }
            _ => {}
        }
    }

    pub(super) fn ports(&mut self, eps: &Eps<'_>) {
        let mut stats = (1936, Origin::Operator { note: "operator default stats port".into() });
        if eps.ty == "HostNetwork" {
            let base = format!("{}.hostNetwork", eps.base);
            let hn = self.f.map(eps.node, "hostNetwork", &base);
            let port = |d: &mut Self, field: &str, default: i64| match d.f.int_in(
                hn,
                field,
                &format!("{base}.{field}"),
                Some(0),
                Some(65535),
            ) {
                Some((v, span)) => (v, Origin::IngressController { path: format!("{base}.{field}"), span: Some(span) }),
                None => (default, Origin::Operator { note: format!("API server default for {base}.{field}") }),
            };
            let http = port(self, "httpPort", 80);
            let https = port(self, "httpsPort", 443);
            stats = port(self, "statsPort", 1936);
            if http.0 == https.0 || http.0 == stats.0 || stats.0 == https.0 {
                self.build.push((
                    format!(
                        "the specified HTTPS, HTTP and Stats ports {}, {}, {} are not unique",
                        https.0, http.0, stats.0
                    ),
                    hn.map(|n| n.span),
                ));
                return;
            }
            self.out.push(Setting {
                key: "ROUTER_SERVICE_HTTPS_PORT".into(),
                value: https.0.to_string(),
                origin: https.1,
            });
            self.out.push(Setting {
                key: "ROUTER_SERVICE_HTTP_PORT".into(),
                value: http.0.to_string(),
                origin: http.1,
            });
        }
        self.out.push(Setting { key: "STATS_PORT".into(), value: stats.0.to_string(), origin: stats.1 });
    }
}

/// The endpoint publishing strategy in effect.
pub(super) struct Eps<'n> {
    pub(super) ty: &'static str,
    pub(super) node: N<'n>,
    pub(super) base: &'static str,
}
